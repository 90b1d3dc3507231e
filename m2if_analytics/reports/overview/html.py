"""HTML blocks of the cohort overview: title and key-number cards, and the table of blocked
students (section titles and notes come from :func:`m2if_analytics.reports.kit.section`).
Presentation only: frames and numbers from :mod:`.data` in, escaped HTML out; cards carry
their raw value (``data-value``) so that tests compare what a reader sees with the API.
"""

from __future__ import annotations

from html import escape

import polars as pl

from m2if_analytics.i18n import day, hours, number, t, week_label
from m2if_analytics.reports import kit, scale
from m2if_analytics.reports.overview.data import Overview


def title_html(data: Overview, lang: str = "fr", total_hours: float = 1500.0) -> str:
    """Title, intro and the key numbers at the report week as cards (``data-value``: raw)."""
    h, s = data.headline, data.scope
    cards = [kit.card("students", t("students", lang), h.students, str(h.students))]
    cards += [kit.card(lv, t(f"overview_card_{lv}", lang), getattr(h, lv), str(getattr(h, lv)))
              for lv in ("red", "amber", "green")]
    cards += [kit.card(st, t(f"overview_status_{st}", lang), getattr(h, st), str(getattr(h, st)))
              for st in ("validated", "on_track", "compromised", "blocked")]
    cards.append(kit.card("median_cumulative_hours",
                          t("overview_card_median_cumulative", lang), h.median_cumulative_hours,
                          f"{hours(h.median_cumulative_hours, lang, 0)} / "
                          f"{hours(h.pace_hours, lang, 0)}"))
    if h.internship_behind is not None:
        cards.append(kit.card("internship_behind", t("overview_card_internship_behind", lang),
                              h.internship_behind, str(h.internship_behind)))
    title = t("overview_title", lang, cohort=s.cohort, week=week_label(s.iso_week, lang))
    intro = t("overview_intro", lang, day=day(s.as_of, lang), hours=hours(total_hours, lang, 0))
    return kit.title(title, intro, kit.cards(cards))


def blocked_table(forecast: pl.DataFrame, ue: pl.DataFrame, lang: str = "fr") -> str:
    """Students whose year is blocked: pseudonym, group and each UE below the pass mark
    with its mean (or 'None')."""
    blocked = forecast.filter(pl.col("status") == "blocked").sort("group", "student",
                                                                  nulls_last=True)
    title = f"<h3>{escape(t('overview_blocked_students', lang))}</h3>"
    if blocked.is_empty():
        return title + kit.paragraph(t("none", lang))
    means = {(r["student"], r["ue"]): r["mean"] for r in ue.iter_rows(named=True)}
    heads = [t(k, lang) for k in ("student", "group", "overview_blocking_ues")]

    def table(part: pl.DataFrame) -> str:
        rows = [[r["student"], r["group"] or "", ", ".join(
            t("risk_ue_mean", lang, ue=u, mean=number(means.get((r["student"], u)), lang))
            for u in r["blocking_ues"])] for r in part.iter_rows(named=True)]
        return kit.table(heads, rows)

    return title + scale.capped(table, blocked.select("student", "group", "blocking_ues"),
                                "blocked.csv", lang)


def competences_table(frame: pl.DataFrame, lang: str = "fr") -> str:
    """Students × competence sets: each cell the set's mean (and its coverage when not
    complete)."""
    sets = frame["competence"].unique(maintain_order=True).to_list()
    cells = {(r["student"], r["competence"]): r for r in frame.iter_rows(named=True)}
    students = frame.select("student", "group").unique(maintain_order=True)
    rows = []
    for student, group in students.iter_rows():
        row = [escape(student), escape(group or "")]
        for c in sets:
            r = cells.get((student, c))
            text = "–" if r is None or r["mean"] is None else number(r["mean"], lang, 2)
            if r is not None and r["coverage"] < 1:
                text += f" ({round(100 * r['coverage'])} %)"
            row.append(escape(text))
        rows.append(row)
    heads = [t("student", lang), t("group", lang), *sets]
    return (kit.table(heads, rows, numeric=range(2, 2 + len(sets)), html_cells=True)
            + kit.remark(t("overview_note_competences", lang)))


def milestones_table(frame: pl.DataFrame, lang: str = "fr") -> str:
    """Per milestone: due day and the number of students done, late, missing, not due."""
    keys = ("done", "late", "missing", "not_due")
    rows = [[escape(r["title"]), escape(day(r["due"], lang)),
             *[str(r[k]) for k in keys]] for r in frame.iter_rows(named=True)]
    heads = [t("overview_col_milestone", lang), t("overview_col_due", lang),
             *[t(f"jury_milestone_{k}", lang) for k in keys]]
    return kit.table(heads, rows, numeric=range(2, 6), html_cells=True)
