"""HTML fragments of the student profile: title, headline cards, tables (escaped HTML).

Presentation only, like :mod:`m2if_analytics.reports.weekly.html`: each function takes what
:mod:`m2if_analytics.reports.student.data` returns and a language. Headline numbers carry their
raw value (``data-key``/``data-value``) so that tests compare what a tutor reads with what
the API computes. A name reaches this module only through :func:`title`'s ``name``.
"""

from __future__ import annotations

from html import escape

import polars as pl

from m2if_analytics import i18n
from m2if_analytics.reports import kit
from m2if_analytics.reports.student.data import Summary
from m2if_analytics.reports.student.figures import label, partner_label


def title(s: Summary, lang: str = "fr", name: str | None = None,
          mapping_given: bool = False) -> str:
    """The page title (the pseudonym, and the name when the mapping supplied one) and the
    privacy note that goes with it."""
    who = s.scope.student if name is None else f"{name} ({s.scope.student})"
    if s.group:
        who += f", {label('group', lang, group=s.group)}"
    heading = label("title", lang, student=who, cohort=s.scope.cohort,
                    week=i18n.week_label(s.scope.iso_week, lang))
    if name is not None:
        note = label("named", lang)
    elif mapping_given:
        note = label("not_in_mapping", lang) + " " + label("pseudonym_only", lang)
    else:
        note = label("pseudonym_only", lang)
    return kit.title(heading, note)


def cards(s: Summary, lang: str = "fr") -> str:
    """Level, weeks below target, mean hours, last activity, late / missing work, UEs below
    the pass mark and internship days, as cards."""
    counts = s.deadline_counts
    late_missing = (f"{counts['late']} / {counts['missing']}" if counts else "–")
    out = [
        f'<div class="m2if-card"><div class="label">{escape(label("card_level", lang))}</div>'
        f'<span class="m2if-headline" data-key="level" data-value="{escape(s.level)}">'
        f"{kit.badge(s.level, lang)}</span></div>",
        kit.card("weeks_below_target", label("card_weeks_below", lang), s.weeks_below_target,
              label("weeks_of", lang, count=s.weeks_below_target, total=s.teaching_weeks)),
        kit.card("mean_hours", label("card_mean_hours", lang), s.mean_hours,
              i18n.hours(s.mean_hours, lang)),
        f'<div class="m2if-card"><div class="label">'
        f'{escape(label("card_last_event", lang))}</div><span class="m2if-headline" '
        f'data-key="last_event" data-value="{s.last_event.isoformat() if s.last_event else ""}">'
        f"{escape(i18n.moment(s.last_event, lang))}</span></div>",
        kit.card("contacts", label("card_last_contact", lang), s.contacts,
                 label("no_contact", lang) if s.last_contact is None else
                 f"{i18n.day(s.last_contact, lang)} ({s.contacts})"),
        kit.card("late", label("card_late_missing", lang), counts.get("late"), late_missing),
        kit.card("ues_below_pass", label("card_ues_below", lang), len(s.ues_below_pass),
              ", ".join(s.ues_below_pass) or "0"),
        kit.card("internship_days", label("card_internship", lang), s.internship_days,
              "–" if s.internship_days is None else
              f"{i18n.number(s.internship_days, lang, 1)} "
              f"({i18n.number(s.internship_expected, lang, 1)})"),
    ]
    return kit.cards(out)


def reasons(s: Summary, lang: str = "fr") -> str:
    """The fired rules' reasons at the report week, red first, as a list; then which rules
    could not be evaluated (their data is absent)."""
    html = ("<ul>" + "".join(f"<li>{escape(r)}</li>" for r in s.reasons) + "</ul>"
            if s.reasons else kit.paragraph(label("nothing", lang)))
    if s.not_evaluated:
        rules = ", ".join(i18n.t(f"risk_rule_{rule}", lang) for rule in s.not_evaluated)
        note = i18n.t("risk_not_evaluated", lang, rules=rules)
        html += kit.remark(note)
    return html


def deadlines(table: pl.DataFrame, lang: str = "fr") -> str:
    """UE, assignment, due, submitted, status (late ones with how late)."""
    if table.is_empty():
        return kit.paragraph(label("no_deadlines", lang))
    rows = []
    for r in table.iter_rows(named=True):
        status = r["status"]
        text = (label("status_late", lang, hours=i18n.hours(r["late_hours"], lang))
                if status == "late" else label(f"status_{status}", lang))
        rows.append([escape(r["ue"] or ""), escape(r["assignment"]),
                     escape(i18n.moment(r["due"], lang)),
                     escape(i18n.moment(r["submitted_at"], lang)),
                     f'<span data-status="{escape(status)}">{escape(text)}</span>'])
    counts = {s: int((table["status"] == s).sum())
              for s in ("on_time", "late", "missing", "pending")}
    heads = [label(k, lang) for k in ("col_ue", "col_assignment", "col_due", "col_submitted",
                                      "col_status")]
    return (kit.table(heads, rows, html_cells=True)
            + kit.paragraph(label("deadline_counts", lang, **counts)))


def partners(table: pl.DataFrame, lang: str = "fr") -> str:
    """Partner (pseudonym), role, group, replies to them, replies from them."""
    heads = [label("col_partner", lang), label("col_role", lang), i18n.t("group", lang),
             label("replies_to", lang), label("replies_from", lang)]
    rows = [[escape(partner_label(r["partner"], r["role"], lang)),
             escape(label(f"role_{r['role'] if r['role'] in ('student', 'teacher') else 'other'}",
                          lang)),
             escape(r["group"] or "–"), str(r["replies_to"]), str(r["replies_from"])]
            for r in table.iter_rows(named=True)]
    return kit.table(heads, rows, html_cells=True)


def level_changes(weeks: pl.DataFrame, lang: str = "fr") -> str:
    """One row per run of weeks at the same level, newest first: first and last week,
    number of weeks, level, and the reasons of the run's last week (for the current run,
    this week's reasons: the figures move while the level stays)."""
    if weeks.is_empty():
        return kit.paragraph(i18n.t("none", lang))
    runs: list[dict[str, object]] = []
    for r in weeks.sort("week_start").iter_rows(named=True):
        if runs and runs[-1]["level"] == r["level"]:
            runs[-1]["to"] = r["iso_week"]
            runs[-1]["weeks"] = int(str(runs[-1]["weeks"])) + 1
            runs[-1]["reasons"] = r["reasons"]
        else:
            runs.append({"from": r["iso_week"], "to": r["iso_week"], "weeks": 1,
                         "level": r["level"], "reasons": r["reasons"]})
    heads = [label("col_from", lang), label("col_to", lang), label("col_weeks", lang),
             i18n.t("risk_level", lang), i18n.t("risk_reasons", lang)]
    nowrap = '<span style="white-space:nowrap">{}</span>'
    rows = [[nowrap.format(escape(str(run["from"]))), nowrap.format(escape(str(run["to"]))),
             str(run["weeks"]),
             kit.badge(str(run["level"]), lang), escape(str(run["reasons"]))]
            for run in reversed(runs)]
    return kit.table(heads, rows, html_cells=True)


def standing(table: pl.DataFrame, lang: str = "fr") -> str:
    """UE, mean so far, share still to come, and the status with the mark needed."""
    rows = []
    for r in table.iter_rows(named=True):
        needed = r["needed"]
        text = label(f"standing_{r['status']}", lang,
                     needed=i18n.number(needed, lang, 1) if needed is not None else "")
        rows.append([escape(r["ue"]), escape(i18n.number(r["mean"], lang, 2)),
                     escape(f"{round(100 * r['remaining_share'])} %"),
                     f'<span data-status="{escape(r["status"])}">{escape(text)}</span>'])
    heads = [label(k, lang) for k in ("col_ue", "col_mean", "col_remaining", "col_standing")]
    return kit.table(heads, rows, numeric=(1, 2), html_cells=True)


def competences(table: pl.DataFrame, lang: str = "fr") -> str:
    """Competence set, its UEs, mean, coverage."""
    rows = [[escape(r["competence"]), escape(", ".join(r["ues"])),
             escape(i18n.number(r["mean"], lang, 2)),
             escape(f"{round(100 * r['coverage'])} %")] for r in table.iter_rows(named=True)]
    heads = [label(k, lang) for k in ("col_competence", "col_ues", "col_mean", "col_coverage")]
    return kit.table(heads, rows, numeric=(2, 3), html_cells=True)


def milestones(table: pl.DataFrame, lang: str = "fr") -> str:
    """Milestone, due day, day done, status."""
    rows = [[escape(r["title"]), escape(i18n.day(r["due"], lang)),
             escape(i18n.day(r["done_on"], lang)),
             f'<span data-status="{escape(r["status"])}">'
             f'{escape(i18n.t("jury_milestone_" + r["status"], lang))}</span>']
            for r in table.iter_rows(named=True)]
    heads = [label(k, lang) for k in ("col_milestone", "col_due", "col_done_on", "col_status")]
    return kit.table(heads, rows, html_cells=True)


def coverage(frame: pl.DataFrame, lang: str = "fr") -> str:
    """Per UE: documents, opened at least once (share); or a line when none is known."""
    if frame.is_empty():
        return kit.paragraph(i18n.t("me_no_coverage", lang))
    rows = [[r["ue"], str(r["documents"]), f"{r['opened']} ({round(100 * r['share'])} %)"]
            for r in frame.iter_rows(named=True)]
    heads = [i18n.t(k, lang) for k in ("me_col_ue", "me_col_documents", "me_col_opened")]
    return kit.table(heads, rows, numeric=(1, 2))
