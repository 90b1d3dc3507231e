"""HTML blocks of the cohort comparison: the title with its alignment note, and the summary
table (each cell carries its raw value). Section titles come from ``kit.section``.
"""

from __future__ import annotations

from html import escape

import polars as pl

from m2if_analytics.i18n import day, hours, number, t
from m2if_analytics.reports import kit
from m2if_analytics.reports.comparison.figures import share
from m2if_analytics.reports.scale import LARGE_COHORT


def title_html(cohorts: list[str], lang: str = "fr") -> str:
    """Title, the alignment note, and a warning when there is only one cohort to show."""
    title = t("comparison_title", lang, cohorts=" / ".join(cohorts))
    html = kit.title(title, t("comparison_intro", lang))
    if len(cohorts) < 2:
        html += kit.empty(t("comparison_one_cohort", lang))
    return html


SUMMARY_COLUMNS = ("students", "median_weekly_hours", "below_target_share", "red", "at_risk",
                   "validated", "blocked")


def summary_table(summary: pl.DataFrame, lang: str = "fr") -> str:
    """One row per cohort (comparison.summary); each cell carries its raw value
    (``data-cohort``, ``data-key``, ``data-value``)."""
    week = summary["weeks"][0] if summary.height else 0
    head = "".join(f"<th>{escape(t(f'comparison_col_{c}', lang, week=week))}</th>"
                   for c in ("cohort", "start", *SUMMARY_COLUMNS))
    rows = []
    for r in summary.iter_rows(named=True):
        cells = [f"<td>{escape(r['cohort'])}</td>", f"<td>{escape(day(r['start'], lang))}</td>"]
        for c in SUMMARY_COLUMNS:
            value = r[c]
            shown = (hours(value, lang) if c == "median_weekly_hours"
                     else share(value, lang) if c.endswith("share")
                     else "–" if value is None else str(value))
            raw = "" if value is None else repr(float(value))
            cells.append(f'<td class="num" data-cohort="{escape(r["cohort"])}" '
                         f'data-key="{c}" data-value="{raw}">{escape(shown)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="m2if"><tr>{head}</tr>{"".join(rows)}</table>'


def evaluation_note(summary: pl.DataFrame, evaluation: pl.DataFrame, lang: str = "fr"
                    ) -> str:
    """The evaluation section's note, and, when the finished cohorts measured hold few
    students (at most a small cohort's 40 together), that each figure rests on few cases."""
    text = t("comparison_note_evaluation", lang)
    finished = set(evaluation["cohort"]) if evaluation.height else set()
    students = int(summary.filter(pl.col("cohort").is_in(finished))["students"].sum())
    if finished and students <= LARGE_COHORT:
        key = "comparison_note_evaluation_few" + ("_one" if len(finished) == 1 else "")
        text += " " + t(key, lang, students=number(students, lang, 0))
    return kit.remark(text)


def evaluation_table(evaluation: pl.DataFrame, lang: str = "fr") -> str:
    """The rules measured on each finished cohort: one row per cohort, rule and level, with
    flagged, true positives, precision, recall and median lead time (weeks)."""
    if evaluation.is_empty():
        return kit.empty(t("comparison_no_finished_cohort", lang))
    heads = [t(f"comparison_eval_{c}", lang) for c in (
        "cohort", "rule", "level", "flagged", "true_positives", "precision", "recall", "lead")]
    rows = []
    for r in evaluation.iter_rows(named=True):
        rule = (t("comparison_rule_level", lang) if r["rule"] == "level"
                else t(f"risk_rule_{r['rule']}", lang))
        lead = r["median_lead_weeks"]
        rows.append([r["cohort"], rule, t(f"risk_level_{r['level']}", lang),
                     str(r["flagged"]), f"{r['true_positives']}/{r['bad_outcomes']}",
                     share(r["precision"], lang), share(r["recall"], lang),
                     "–" if lead is None else number(lead, lang, 1)])
    return kit.table(heads, rows, numeric=range(3, 8))
