"""HTML fragments of the reports (headline cards, tables, data-quality panel).

Presentation only: each function takes what the API returns and a language, and returns
escaped HTML. Headline numbers carry their raw value (``data-value``) so that tests can
compare what a reader sees with what the API computes.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import polars as pl

from m2if_analytics import i18n
from m2if_analytics.engagement import DataQuality, Headline
from m2if_analytics.reports import kit, scale
from m2if_analytics.reports.weekly.data import week_dates


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
    """Students below target for consecutive teaching weeks, as a table (or 'None'); past
    :data:`~m2if_analytics.reports.scale.TOP` rows, the longest streaks first and the whole
    list as CSV."""
    if frame.is_empty():
        return kit.paragraph(i18n.t("none", lang))
    heads = [i18n.t(k, lang) for k in ("student", "group", "weeks_below_target", "mean_hours",
                                       "last_week_hours")]

    def table(part: pl.DataFrame) -> str:
        rows = [[r["student"], r["group"] or "", str(r["weeks"]),
                 i18n.hours(r["mean_hours"], lang), i18n.hours(r["last_hours"], lang)]
                for r in part.iter_rows(named=True)]
        return kit.table(heads, rows, numeric=(2, 3, 4))

    if frame.height > scale.TOP:
        frame = frame.sort(["weeks", "mean_hours", "student"], descending=[True, False, False])
    return scale.capped(table, frame, "below-target.csv", lang)


def data_quality(dq: DataQuality, lang: str) -> str:
    """Last data time, rows quarantined per file, students without activity."""
    inactive = scale.names(dq.inactive_last_week, lang) or i18n.t("none", lang)
    silent = scale.names(dq.silent_students, lang) or i18n.t("none", lang)
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


def week_heading(cohort: str, week_start: dt.date, iso_week: str, lang: str) -> str:
    """The page's title and the report week with its dates under it ("Semaine du 1er au 7
    février 2027 (2027-W05)"), with the page style."""
    return (kit.STYLE + f"<h1>{escape(i18n.t('report_title', lang, cohort=cohort))}</h1>"
            f'<p class="m2if-week"><strong>'
            f"{escape(week_dates(week_start, iso_week, lang))}</strong></p>")


def level_counts(flags: pl.DataFrame, lang: str) -> str:
    """Students per level this week, the new (or worse) ones marked, as cards."""
    items = []
    for level in ("red", "amber", "green"):
        rows = flags.filter(pl.col("level") == level)
        new = int(rows["status"].is_in(["new", "worse"]).sum())
        key = "level_new" if new == 1 else "level_new_many"
        shown = str(rows.height) + (f" ({i18n.t(key, lang, n=new)})" if new else "")
        items.append(kit.card(f"level_{level}", i18n.t(f"risk_level_{level}", lang).capitalize(),
                              rows.height, shown))
    return kit.cards(items)


def _contact(r: dict[str, object], lang: str) -> str:
    if r["uncontacted_days"] is not None:
        text = i18n.t("not_contacted_days", lang, days=r["uncontacted_days"])
        if r["last_contact"] is not None:  # a contact before this flag was raised
            text += " (" + i18n.t("last_contact_on", lang,
                                  day=i18n.day(r["last_contact"], lang)) + ")"  # type: ignore[arg-type]
        return text
    if r["last_contact"] is not None:
        return i18n.t("last_contact_on", lang, day=i18n.day(r["last_contact"], lang))  # type: ignore[arg-type]
    return ""


def _status(r: dict[str, object], lang: str) -> str:
    if r["status"] in ("new", "worse"):
        return i18n.t(f"status_{r['status']}", lang)
    if r["since"] is not None:
        return i18n.t("status_since", lang, day=i18n.day(r["since"], lang))  # type: ignore[arg-type]
    return ""


CALL_ORDER = {"new": 0, "worse": 0, "ongoing": 1}


def call_order(flags: pl.DataFrame) -> pl.DataFrame:
    """The flagged students in the order they should be called: new and worse flags first,
    then ongoing flags nobody has contacted since they were raised, then the other ongoing
    flags; red before amber; then by pseudonym."""
    flagged = flags.filter(pl.col("level") != "green")
    return flagged.sort(
        pl.col("status").replace_strict(CALL_ORDER, default=2, return_dtype=pl.Int64),
        pl.col("uncontacted_days").is_null(),
        pl.col("level").replace_strict({"red": 0, "amber": 1}, default=2,
                                       return_dtype=pl.Int64),
        pl.col("student"))


def call_list(flags: pl.DataFrame, lang: str) -> str:
    """Who needs a call this week (:func:`call_order`); past
    :data:`~m2if_analytics.reports.scale.TOP` students the first ones and the whole list as
    CSV. Students back to green follow in one line."""
    heads = [i18n.t(k, lang) for k in ("student", "group", "risk_level", "flag_status",
                                       "follow_up", "risk_reasons")]

    def table(part: pl.DataFrame) -> str:
        rows = [[escape(str(r["student"])), escape(str(r["group"] or "")),
                 kit.badge(str(r["level"]), lang), escape(_status(r, lang)),
                 escape(_contact(r, lang)), escape(str(r["reasons"]))]
                for r in part.iter_rows(named=True)]
        return kit.table(heads, rows, html_cells=True)

    flagged = call_order(flags)
    html = (scale.capped(table, flagged, "call-list.csv", lang) if flagged.height
            else kit.paragraph(i18n.t("nobody_to_call", lang)))
    back = sorted(str(r["student"]) for r in flags.to_dicts() if r["status"] == "resolved")
    if back:
        html += kit.paragraph(i18n.t("back_to_green", lang, students=scale.names(back, lang)))
    return f'<div class="m2if-call-list">{html}</div>'


def risk_table(table: pl.DataFrame, lang: str) -> str:
    """The risk table (student, level, status, reasons), red first, with a level badge; past
    :data:`~m2if_analytics.reports.scale.TOP` students the first ones and the whole table as
    CSV."""
    if table.is_empty():
        return kit.paragraph(i18n.t("none", lang))
    heads = [i18n.t(k, lang) for k in ("student", "risk_level", "flag_status", "follow_up",
                                       "risk_reasons")]

    def rows_html(part: pl.DataFrame) -> str:
        rows = [[escape(r["student"]), kit.badge(r["level"], lang), escape(_status(r, lang)),
                 escape(_contact(r, lang)), escape(r["reasons"])]
                for r in part.iter_rows(named=True)]
        return kit.table(heads, rows, html_cells=True)

    return scale.capped(rows_html, table, "risk.csv", lang)
