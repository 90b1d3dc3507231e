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
from m2if_analytics.reports import kit


def headline(head: Headline, lang: str) -> str:
    """Students, students below target, median hours and its change, as cards."""
    items = [
        kit.card("students", i18n.t("students", lang), head.students, str(head.students)),
        kit.card("below_target", i18n.t("students_below_target", lang), head.below_target,
                 str(head.below_target)),
        kit.card("median_hours", i18n.t("median_hours", lang), head.median_hours,
                 i18n.hours(head.median_hours, lang)),
        kit.card("trend_hours", i18n.t("change_vs_previous_week", lang), head.trend_hours,
                 i18n.number(head.trend_hours, lang, sign=True) + "\u00a0h"
                 if head.trend_hours is not None else "–"),
    ]
    return kit.STYLE + kit.cards(items)


def streaks(frame: pl.DataFrame, lang: str) -> str:
    """Students below target for consecutive teaching weeks, as a table (or 'None')."""
    if frame.is_empty():
        return kit.paragraph(i18n.t("none", lang))
    heads = [i18n.t(k, lang) for k in ("student", "group", "weeks_below_target", "mean_hours",
                                       "last_week_hours")]
    rows = [[r["student"], r["group"] or "", str(r["weeks"]), i18n.hours(r["mean_hours"], lang),
             i18n.hours(r["last_hours"], lang)] for r in frame.iter_rows(named=True)]
    return kit.table(heads, rows, numeric=(2, 3, 4))


def data_quality(dq: DataQuality, lang: str) -> str:
    """Last data time, rows quarantined per file, students without activity."""
    inactive = ", ".join(dq.inactive_last_week) or i18n.t("none", lang)
    silent = ", ".join(dq.silent_students) or i18n.t("none", lang)
    items = [
        (i18n.t("last_data", lang), i18n.moment(dq.last_event, lang)),
        (i18n.t("rows_quarantined", lang), i18n.number(dq.quarantined, lang, 0)),
        (i18n.t("students_without_activity", lang)
         + f" ({i18n.t('report_week', lang).lower()})",
         inactive),
        (i18n.t("students_never_active", lang), silent),
        (i18n.t("people_in_no_roster", lang), _unmatched(dq, lang)),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in items)
    return f'<table class="m2if">{body}</table>' + kit.remark(i18n.t("platform_time_note", lang))


def _unmatched(dq: DataQuality, lang: str) -> str:
    """'p1a2… (45 events), …' for the people with activity whom no roster lists."""
    table = dq.unmatched
    if table.is_empty():
        return i18n.t("none", lang)
    return ", ".join(i18n.t("person_events", lang, person=r["person"],
                            events=i18n.number(r["events"], lang, 0))
                     for r in table.iter_rows(named=True))


def risk_table(table: pl.DataFrame, lang: str) -> str:
    """The risk table (student, level, reasons), red first, with a coloured level badge."""
    if table.is_empty():
        return kit.paragraph(i18n.t("none", lang))
    head = "".join(f"<th>{escape(i18n.t(k, lang))}</th>" for k in (
        "student", "risk_level", "risk_reasons"))
    rows = [f"<tr><td>{escape(r['student'])}</td><td>{kit.badge(r['level'], lang)}</td>"
            f"<td>{escape(r['reasons'])}</td></tr>" for r in table.iter_rows(named=True)]
    return f'<table class="m2if"><tr>{head}</tr>{"".join(rows)}</table>'
