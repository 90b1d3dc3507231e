"""The one place the at-risk rules meet the warehouse: it builds their input frames.

Engagement comes from :func:`m2if_analytics.engagement.weekly`, the date of each student's last
event from ``raw_events``, and grades, submissions, internship and forum participation from
:mod:`m2if_analytics.programme.indicators` when that data is loaded (otherwise the frame is ``None``
and the rules that need it are reported as not evaluated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl

from m2if_analytics import engagement
from m2if_analytics.programme import indicators
from m2if_analytics.risk.inputs import RiskInputs
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.workspace import Workspace

WEEK = dt.timedelta(days=7)

# RiskInputs field → (concern asked of indicators.available, indicators function)
INDICATORS: dict[str, tuple[str, str]] = {
    "ue_results": ("grades", "ue_results"),
    "submission_summary": ("submissions", "submission_summary"),
    "internship_pace": ("internship", "internship_pace"),
    "collective_participation": ("collective", "collective_participation"),
}
# the columns each rule reads (the indicator frames may carry more)
COLUMNS: dict[str, list[str]] = {
    "ue_results": ["student", "ue", "semester", "coefficient", "mean", "below_pass"],
    "submission_summary": ["student", "late", "missing", "on_time", "pending"],
    "internship_pace": ["student", "days_done", "expected_days", "behind",
                        "mission_letter_on", "mission_letter_late", "no_internship",
                        "year_start"],
    "collective_participation": ["student", "week_start", "forum_events", "collective_week",
                                 "silent"],
}


def last_events(ws: Workspace, cohort: str | None, end: dt.date) -> pl.DataFrame:
    """student, last_event_local: each student's latest event (local time) from the cohort's
    start up to the end of ``end`` (a Sunday: up to Sunday 24:00); null when none."""
    c = ws.cfg.cohort(cohort)
    return sqlfiles.select(ws.tables, "risk/last_events.sql",
                           {"tz": ws.cfg.programme.timezone, "cohort": c.id,
                            "first_day": c.start, "after_day": end + dt.timedelta(days=1)})


def indicator_frames(ws: Workspace, cohort: str, monday: dt.date
                     ) -> dict[str, pl.DataFrame | None]:
    """The grade, submission, internship and forum frames as of the report week's Sunday
    (judged whole); ``None`` for data not loaded, so the rules say "not evaluated"."""
    out: dict[str, pl.DataFrame | None] = dict.fromkeys(INDICATORS)
    sunday = monday + dt.timedelta(days=6)
    for field, (concern, name) in INDICATORS.items():
        if not indicators.available(ws, concern, cohort):
            continue
        result = getattr(indicators, name)(ws, cohort=cohort, as_of=sunday)
        if not result.is_empty():
            out[field] = result.select(COLUMNS[field])
    return out


def risk_inputs(ws: Workspace, cohort: str | None = None, week: str | dt.date | None = None
                ) -> tuple[RiskInputs, dt.date]:
    """The rules' inputs for ``week`` (default: the last complete week) and its Monday."""
    c = ws.cfg.cohort(cohort)
    monday = engagement.report_week(ws, c.id, week)
    weekly = engagement.weekly(ws, c.id)
    return week_inputs(ws, c.id, monday, weekly), monday


def weekly_last_events(ws: Workspace, cohort: str) -> pl.DataFrame:
    """student, week_start, last_event_local: each student's latest event of every local
    week since the cohort's start (for :func:`last_events_from`)."""
    c = ws.cfg.cohort(cohort)
    return sqlfiles.select(ws.tables, "risk/last_events_weekly.sql",
                           {"tz": ws.cfg.programme.timezone, "cohort": c.id,
                            "first_day": c.start})


def last_events_from(by_week: pl.DataFrame, students: tuple[str, ...], monday: dt.date
                     ) -> pl.DataFrame:
    """:func:`last_events` up to the Sunday of ``monday``'s week, from
    :func:`weekly_last_events` (one read for every week judged)."""
    last = (by_week.filter(pl.col("week_start") <= monday).group_by("student")
            .agg(pl.col("last_event_local").max()))
    return (pl.DataFrame({"student": list(students)}, schema={"student": pl.String})
            .join(last, on="student", how="left").sort("student"))


def week_inputs(ws: Workspace, cohort: str, monday: dt.date, weekly: pl.DataFrame,
                by_week: pl.DataFrame | None = None) -> RiskInputs:
    """The rules' inputs for the week of ``monday`` (``weekly``: the cohort's whole weekly
    table, and ``by_week`` its :func:`weekly_last_events`, read once by callers that judge
    many weeks)."""
    c = ws.cfg.cohort(cohort)
    students = tuple(engagement.students(ws, c.id)["student"].to_list())
    sunday = monday + dt.timedelta(days=6)
    last = (last_events(ws, c.id, sunday) if by_week is None
            else last_events_from(by_week, students, monday))
    return RiskInputs(weekly=weekly, last_event=last,
                      **indicator_frames(ws, c.id, monday), cohort_start=c.start,
                      students=students)


def inputs_over_time(ws: Workspace, cohort: str | None = None
                     ) -> Iterator[tuple[dt.date, bool, RiskInputs]]:
    """(Monday, holiday week?, inputs) for every complete week of the cohort so far."""
    c = ws.cfg.cohort(cohort)
    weekly = engagement.weekly(ws, c.id)
    weeks = (weekly.filter(~pl.col("in_progress")).select("week_start", "holiday").unique()
             .sort("week_start"))
    for monday, holiday in weeks.iter_rows():
        yield monday, bool(holiday), week_inputs(ws, c.id, monday, weekly)
