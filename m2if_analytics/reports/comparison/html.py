"""HTML blocks of the cohort comparison: the title with its alignment note, and the summary
table (each cell carries its raw value). Section titles come from ``kit.section``.
"""

from __future__ import annotations

from html import escape

import polars as pl

from m2if_analytics.i18n import day, hours, t
from m2if_analytics.reports import kit
from m2if_analytics.reports.comparison.figures import share


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
