"""The programme calendar: one row per cohort week, with holiday weeks and targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from m2if_analytics.config import Cohort
from m2if_analytics.errors import WeekError

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class ProgrammeWeek:
    """A Monday-starting week of a cohort's calendar."""

    cohort_id: str
    week_start: dt.date
    iso_week: str
    holiday: bool
    target_hours: float


def monday(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def iso_week_label(day: dt.date) -> str:
    """ISO week label such as ``2026-W53`` (ISO year, not calendar year)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def is_holiday_week(week_start: dt.date, holidays: tuple[tuple[dt.date, dt.date], ...]) -> bool:
    """True when every weekday (Mon–Fri) of the week falls in some holiday range."""
    days = (week_start + dt.timedelta(days=i) for i in range(5))
    return all(any(first <= d <= last for first, last in holidays) for d in days)


def programme_weeks(cohort: Cohort, weekly_target_hours: float) -> list[ProgrammeWeek]:
    """Every week from the Monday of the cohort's start to the Monday of its end."""
    weeks = []
    start = monday(cohort.start)
    while start <= cohort.end:
        holiday = is_holiday_week(start, cohort.holidays)
        weeks.append(ProgrammeWeek(cohort.id, start, iso_week_label(start), holiday,
                                   0.0 if holiday else weekly_target_hours))
        start += WEEK
    return weeks


def parse_week(value: str) -> dt.date:
    """``2026-W48`` or a date ``2026-11-25`` → the Monday of that week (years 1900–2199)."""
    value = value.strip()
    try:
        if "W" in value.upper():
            year, _, week = value.upper().partition("-W")
            try:
                day = dt.date.fromisocalendar(int(year), int(week), 1)
            except ValueError:
                raise WeekError(f"{value!r} is not an ISO week (write 2026-W48)") from None
        else:
            try:
                day = monday(dt.date.fromisoformat(value))
            except ValueError:
                raise WeekError(f"{value!r} is neither an ISO week (2026-W48) nor a date "
                                "(2026-11-25)") from None
    except OverflowError:
        day = dt.date.min
    if not 1900 <= day.year < 2200:
        raise WeekError(f"{value!r} is outside the years a programme can run (1900–2199)")
    return day
