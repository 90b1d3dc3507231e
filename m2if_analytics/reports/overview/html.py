"""HTML fragments of the cohort overview: title and key-number cards, section titles,
notes and the table of blocked students. Presentation only: frames and numbers from
:mod:`m2if_analytics.reports.overview.data` in, escaped HTML out. Cards carry their raw value
(``data-value``) so that tests compare what a reader sees with what the API computes.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import polars as pl

from m2if_analytics.i18n import hours, number, t, week_label
from m2if_analytics.reports.overview.data import Overview
from m2if_analytics.reports.weekly.html import STYLE


def day(value: dt.date, lang: str = "fr") -> str:
    """05/10/2026 in French, 2026-10-05 in English."""
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def _card(key: str, label: str, value: float | None, shown: str) -> str:
    raw = "" if value is None else repr(float(value))
    return (f'<div class="m2if-card"><div class="label">{escape(label)}</div>'
            f'<span class="m2if-headline" data-key="{key}" data-value="{raw}">'
            f"{escape(shown)}</span></div>")


def title_html(data: Overview, lang: str = "fr", total_hours: float = 1500.0) -> str:
    """Title, intro and the key numbers at the report week as cards (``data-value``: raw)."""
    h, s = data.headline, data.scope
    cards = [_card("students", t("students", lang), h.students, str(h.students))]
    cards += [_card(lv, t(f"overview_card_{lv}", lang), getattr(h, lv), str(getattr(h, lv)))
              for lv in ("red", "amber", "green")]
    cards += [_card(st, t(f"overview_status_{st}", lang), getattr(h, st), str(getattr(h, st)))
              for st in ("validated", "on_track", "blocked")]
    cards.append(_card("median_cumulative_hours", t("overview_card_median_cumulative", lang),
                       h.median_cumulative_hours,
                       f"{hours(h.median_cumulative_hours, lang, 0)} / "
                       f"{hours(h.pace_hours, lang, 0)}"))
    if h.internship_behind is not None:
        cards.append(_card("internship_behind", t("overview_card_internship_behind", lang),
                           h.internship_behind, str(h.internship_behind)))
    title = t("overview_title", lang, cohort=s.cohort, week=week_label(s.iso_week, lang))
    intro = t("overview_intro", lang, day=day(s.as_of, lang), hours=hours(total_hours, lang, 0))
    return (f"{STYLE}<h1>{escape(title)}</h1><p class=\"m2if-note\">{escape(intro)}</p>"
            f'<div class="m2if-cards">{"".join(cards)}</div>')


def section(key: str, lang: str = "fr", note: str | None = None, **values: object) -> str:
    """A section title (``overview_section_<key>``) and an optional note under it."""
    html = f"<h2>{escape(t(f'overview_section_{key}', lang, **values))}</h2>"
    if note is not None:
        html += f'<p class="m2if-note">{escape(t(f"overview_note_{note}", lang, **values))}</p>'
    return html


def no_data(key: str, lang: str = "fr") -> str:
    """'No grades loaded yet' and the like (``overview_no_<key>``)."""
    return f"<p><em>{escape(t(f'overview_no_{key}', lang))}</em></p>"


def blocked_table(forecast: pl.DataFrame, ue: pl.DataFrame, lang: str = "fr") -> str:
    """Students whose year is blocked: pseudonym, group and each UE below the pass mark
    with its mean (or 'None')."""
    blocked = forecast.filter(pl.col("status") == "blocked").sort("group", "student",
                                                                  nulls_last=True)
    title = f"<h3>{escape(t('overview_blocked_students', lang))}</h3>"
    if blocked.is_empty():
        return f"{title}<p>{escape(t('none', lang))}</p>"
    means = {(r["student"], r["ue"]): r["mean"] for r in ue.iter_rows(named=True)}
    head = "".join(f"<th>{escape(t(k, lang))}</th>" for k in (
        "student", "group", "overview_blocking_ues"))
    rows = []
    for r in blocked.iter_rows(named=True):
        ues = ", ".join(t("risk_ue_mean", lang, ue=u, mean=number(means.get((r["student"], u)),
                                                                  lang))
                        for u in r["blocking_ues"])
        rows.append(f"<tr><td>{escape(r['student'])}</td><td>{escape(r['group'] or '')}</td>"
                    f"<td>{escape(ues)}</td></tr>")
    return f'{title}<table class="m2if"><tr>{head}</tr>{"".join(rows)}</table>'
