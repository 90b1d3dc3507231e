"""The one place the at-risk rules meet the warehouse: it builds their input frames.

Engagement comes from :func:`m2if_analytics.engagement.weekly`, the date of each student's last
event from ``raw_events``, and grades, submissions, internship and forum participation from
:mod:`m2if_analytics.programme.indicators` when that data is loaded (otherwise the frame is ``None``
and the rules that need it are reported as not evaluated).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

from m2if_analytics import engagement
from m2if_analytics.programme import indicators
from m2if_analytics.risk.inputs import RiskInputs, SharedLookups, shared_lookups
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


@dataclass(frozen=True)
class CohortReads:
    """What every judged week of one cohort shares, read once by the callers that judge
    many weeks (:func:`cohort_reads`): the students, each student's last event of every
    week (:func:`weekly_last_events`), which indicator data is loaded, the per-student
    lookups of the weekly table and forum participation (``shared``), the days grades are
    dated (UE results as of a Sunday only change in a week holding one, so they are read
    once per number of grades dated up to the Sunday: ``ue_results``), the submission and
    internship indicators as of every complete week's Sunday, read in one query each
    (``by_sunday``: indicator → Sunday → frame; a Sunday absent from a loaded indicator's
    map has no rows), and forum participation as of the last complete week's Sunday
    (``collective``): as of an earlier Sunday it is the rows of the weeks up to that
    Sunday's week, since a week's posts are all dated on or before its Sunday."""

    students: tuple[str, ...]
    by_week: pl.DataFrame
    available: dict[str, bool]
    shared: SharedLookups
    grade_dates: tuple[dt.date, ...] = ()
    ue_results: dict[int, pl.DataFrame | None] = field(default_factory=dict)
    sundays: frozenset[dt.date] = frozenset()
    by_sunday: dict[str, dict[dt.date, pl.DataFrame]] = field(default_factory=dict)
    collective: pl.DataFrame | None = None


def cohort_reads(ws: Workspace, cohort: str, weekly: pl.DataFrame) -> CohortReads:
    """:class:`CohortReads` of ``cohort``, whose whole weekly table is ``weekly``."""
    c = ws.cfg.cohort(cohort)
    loaded = indicators.availability(ws, c.id)
    sundays = sorted(monday + dt.timedelta(days=6) for monday in
                     weekly.filter(~pl.col("in_progress"))["week_start"].unique().to_list())
    by_sunday = {}
    for name in indicators.OVER_DAYS:
        if loaded[INDICATORS[name][0]] and sundays:
            frame = indicators.over_days(ws, name, sundays, c.id)
            by_sunday[name] = {key[0]: part.select(COLUMNS[name]) for key, part in
                               frame.partition_by("as_of", as_dict=True).items()}
    collective = None
    if loaded[INDICATORS["collective_participation"][0]] and sundays:
        collective = _indicator(ws, c.id, "collective_participation", sundays[-1])
    return CohortReads(students=tuple(engagement.students(ws, c.id)["student"].to_list()),
                       by_week=weekly_last_events(ws, c.id), available=loaded,
                       shared=shared_lookups(weekly, collective),
                       grade_dates=tuple(indicators.grade_dates(ws, c.id))
                       if loaded["grades"] else (),
                       sundays=frozenset(sundays), by_sunday=by_sunday,
                       collective=collective)


def _indicator(ws: Workspace, cohort: str, field_name: str, sunday: dt.date
               ) -> pl.DataFrame | None:
    """One indicator frame as of ``sunday`` with the columns the rules read; None if empty."""
    result = getattr(indicators, INDICATORS[field_name][1])(ws, cohort=cohort, as_of=sunday)
    return None if result.is_empty() else result.select(COLUMNS[field_name])


def indicator_frames(ws: Workspace, cohort: str, monday: dt.date,
                     reads: CohortReads | None = None) -> dict[str, pl.DataFrame | None]:
    """The grade, submission, internship and forum frames as of the report week's Sunday
    (judged whole); ``None`` for data not loaded, so the rules say "not evaluated"
    (``reads``: :func:`cohort_reads`, when many weeks are judged)."""
    out: dict[str, pl.DataFrame | None] = dict.fromkeys(INDICATORS)
    sunday = monday + dt.timedelta(days=6)
    loaded = reads.available if reads is not None else indicators.availability(ws, cohort)
    for field_name, (concern, _) in INDICATORS.items():
        if not loaded[concern]:
            continue
        if reads is not None and sunday in reads.sundays:
            if field_name in reads.by_sunday:
                out[field_name] = reads.by_sunday[field_name].get(sunday)
                continue
            if field_name == "collective_participation":
                weeks = None if reads.collective is None else reads.collective.filter(
                    pl.col("week_start") <= monday)
                out[field_name] = None if weeks is None or weeks.is_empty() else weeks
                continue
        if reads is None or field_name != "ue_results":
            out[field_name] = _indicator(ws, cohort, field_name, sunday)
            continue
        dated = bisect.bisect_right(reads.grade_dates, sunday)
        if dated not in reads.ue_results:
            reads.ue_results[dated] = _indicator(ws, cohort, field_name, sunday)
        out[field_name] = reads.ue_results[dated]
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
                reads: CohortReads | None = None) -> RiskInputs:
    """The rules' inputs for the week of ``monday`` (``weekly``: the cohort's whole weekly
    table, and ``reads`` its :func:`cohort_reads`, read once by callers that judge many
    weeks; without them, this week's reads only)."""
    c = ws.cfg.cohort(cohort)
    if reads is None:
        students = tuple(engagement.students(ws, c.id)["student"].to_list())
        last = last_events(ws, c.id, monday + dt.timedelta(days=6))
        frames = indicator_frames(ws, c.id, monday)
    else:
        students = reads.students
        last = last_events_from(reads.by_week, students, monday)
        frames = indicator_frames(ws, c.id, monday, reads)
    return RiskInputs(weekly=weekly, last_event=last, **frames, cohort_start=c.start,
                      students=students,
                      shared=None if reads is None else reads.shared)


def inputs_over_time(ws: Workspace, cohort: str | None = None
                     ) -> Iterator[tuple[dt.date, bool, RiskInputs]]:
    """(Monday, holiday week?, inputs) for every complete week of the cohort so far."""
    c = ws.cfg.cohort(cohort)
    weekly = engagement.weekly(ws, c.id)
    weeks = (weekly.filter(~pl.col("in_progress")).select("week_start", "holiday").unique()
             .sort("week_start"))
    reads = cohort_reads(ws, c.id, weekly) if not weeks.is_empty() else None
    for monday, holiday in weeks.iter_rows():
        yield monday, bool(holiday), week_inputs(ws, c.id, monday, weekly, reads)
