"""HTML fragments of the reports (headline cards, tables, data-quality panel).

Presentation only: each function takes what the API returns and a language, and returns
escaped HTML. Headline numbers carry their raw value (``data-value``) so that tests can
compare what a reader sees with what the API computes.
"""

from __future__ import annotations

from html import escape

import polars as pl

from m2if_analytics import i18n
from m2if_analytics.engagement import DataQuality, Headline

STYLE = """<style>
.m2if-cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 16px}
.m2if-card{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:150px}
.m2if-card .label{font-size:0.85em;color:#57606a}
.m2if-card .m2if-headline{font-size:1.6em;font-weight:600}
table.m2if{border-collapse:collapse;margin:6px 0 14px}
table.m2if th,table.m2if td{border-bottom:1px solid #d0d7de;padding:3px 10px;
  text-align:left !important;vertical-align:top}
table.m2if td.num{text-align:right !important}
.m2if-note{color:#57606a;font-size:0.9em}
.m2if-level{border-radius:10px;padding:1px 9px;color:#fff;font-weight:600;white-space:nowrap}
.m2if-level.red{background:#cf222e}.m2if-level.amber{background:#bf8700}
.m2if-level.green{background:#1a7f37}
</style>"""


def section(key: str, lang: str, **values: object) -> str:
    """A section title."""
    return f"<h2>{escape(i18n.t(key, lang, **values))}</h2>"


def _card(key: str, label: str, value: float | int | None, shown: str) -> str:
    raw = "" if value is None else repr(float(value))
    return (f'<div class="m2if-card"><div class="label">{escape(label)}</div>'
            f'<span class="m2if-headline" data-key="{key}" data-value="{raw}">'
            f"{escape(shown)}</span></div>")


def headline(head: Headline, lang: str) -> str:
    """Students, students below target, median hours and its change, as cards."""
    cards = [
        _card("students", i18n.t("students", lang), head.students, str(head.students)),
        _card("below_target", i18n.t("students_below_target", lang), head.below_target,
              str(head.below_target)),
        _card("median_hours", i18n.t("median_hours", lang), head.median_hours,
              i18n.hours(head.median_hours, lang)),
        _card("trend_hours", i18n.t("change_vs_previous_week", lang), head.trend_hours,
              i18n.number(head.trend_hours, lang, sign=True) + "\u00a0h"
              if head.trend_hours is not None else "–"),
    ]
    return STYLE + '<div class="m2if-cards">' + "".join(cards) + "</div>"


def streaks(frame: pl.DataFrame, lang: str) -> str:
    """Students below target for consecutive teaching weeks, as a table (or 'None')."""
    if frame.is_empty():
        return f"<p>{escape(i18n.t('none', lang))}</p>"
    head = "".join(f"<th>{escape(i18n.t(k, lang))}</th>" for k in (
        "student", "group", "weeks_below_target", "mean_hours", "last_week_hours"))
    rows = []
    for r in frame.iter_rows(named=True):
        rows.append(
            f"<tr><td>{escape(r['student'])}</td><td>{escape(r['group'] or '')}</td>"
            f'<td class="num">{r["weeks"]}</td>'
            f'<td class="num">{escape(i18n.hours(r["mean_hours"], lang))}</td>'
            f'<td class="num">{escape(i18n.hours(r["last_hours"], lang))}</td></tr>')
    return f'<table class="m2if"><tr>{head}</tr>{"".join(rows)}</table>'


def data_quality(dq: DataQuality, lang: str) -> str:
    """Last data time, rows quarantined per file, students without activity."""
    last = dq.last_event.strftime("%Y-%m-%d %H:%M") if dq.last_event else "–"
    inactive = ", ".join(dq.inactive_last_week) or i18n.t("none", lang)
    silent = ", ".join(dq.silent_students) or i18n.t("none", lang)
    items = [
        (i18n.t("last_data", lang), last),
        (i18n.t("rows_quarantined", lang), i18n.number(dq.quarantined, lang, 0)),
        (i18n.t("students_without_activity", lang)
         + f" ({i18n.t('report_week', lang).lower()})",
         inactive),
        (i18n.t("students_never_active", lang), silent),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in items)
    note = f'<p class="m2if-note">{escape(i18n.t("platform_time_note", lang))}</p>'
    return f'<table class="m2if">{body}</table>{note}'


def risk_table(table: pl.DataFrame, lang: str) -> str:
    """The risk table (student, level, reasons), red first, with a coloured level badge."""
    if table.is_empty():
        return f"<p>{escape(i18n.t('none', lang))}</p>"
    head = "".join(f"<th>{escape(i18n.t(k, lang))}</th>" for k in (
        "student", "risk_level", "risk_reasons"))
    rows = []
    for r in table.iter_rows(named=True):
        level = r["level"]
        badge = (f'<span class="m2if-level {escape(level)}" data-level="{escape(level)}">'
                 f"{escape(i18n.t('risk_level_' + level, lang))}</span>")
        rows.append(f"<tr><td>{escape(r['student'])}</td><td>{badge}</td>"
                    f"<td>{escape(r['reasons'])}</td></tr>")
    return f'<table class="m2if"><tr>{head}</tr>{"".join(rows)}</table>'
