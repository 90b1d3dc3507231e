"""The words of the weekly report's week: ``Semaine du 1er au 7 février 2027 (2027-W05)`` /
``Week of 1–7 February 2027 (2027-W05)``, the month and the year written once when the week
stays inside them (plotly and strftime know English month names only, so they come from the
catalogue)."""

from __future__ import annotations

import datetime as dt

from m2if_analytics.i18n import t


def _day_month(day: dt.date, lang: str) -> str:
    """``1er février`` / ``1 February``."""
    months = t("month_names", lang).split(",")
    return f"{_day(day, lang)} {months[day.month - 1]}"


def _day(day: dt.date, lang: str) -> str:
    return "1er" if lang == "fr" and day.day == 1 else str(day.day)


def week_dates(week_start: dt.date, iso_week: str, lang: str = "fr") -> str:
    """The report week from its Monday to its Sunday, with its ISO label."""
    last = week_start + dt.timedelta(days=6)
    if week_start.year != last.year:
        first = f"{_day_month(week_start, lang)} {week_start.year}"
    elif week_start.month != last.month:
        first = _day_month(week_start, lang)
    else:
        first = _day(week_start, lang)
    key = "week_of_dates_same_month" if week_start.month == last.month else "week_of_dates"
    return t(key, lang, first=first, last=f"{_day_month(last, lang)} {last.year}",
             week=iso_week)


__all__ = ["week_dates"]
