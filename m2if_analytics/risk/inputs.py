"""What the at-risk rules read: thresholds, the indicator frames, and one result per rule.

The frames are plain Polars DataFrames (see :class:`RiskInputs` for their columns). A frame
that is ``None`` means the data is absent: the rules that need it are *not evaluated*,
never fired. :func:`prepare` turns the frames into small per-student lookups once, so the
rules (``m2if_analytics.risk.rules``) are plain Python over one student at a time.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from m2if_analytics.config import Risk

Status = Literal["fired", "clear", "not_evaluated"]
Severity = Literal["amber", "red"]
DAY = dt.timedelta(days=1)


RiskThresholds = Risk  # the config's [risk] section is the rules' thresholds (one home)


@dataclass(frozen=True)
class RuleResult:
    """One rule for one student: fired (with severity and reasons), clear, or not evaluated.

    ``severity`` only means something when the rule fired; ``figures`` holds the numbers
    the reasons quote (and the numbers it looked at when clear).
    """

    rule: str
    status: Status
    severity: Severity = "amber"
    figures: dict[str, Any] = field(default_factory=dict)
    reason_fr: str = ""
    reason_en: str = ""

    @property
    def fired(self) -> bool:
        return self.status == "fired"

    def reason(self, lang: str = "fr") -> str:
        return self.reason_en if lang == "en" else self.reason_fr


WeeklySplit = dict[str, list[dict[str, Any]]]  # student → weekly rows, by week
# student → (Mondays, rows) of their complete teaching weeks, by week (:func:`split_teaching`)
TeachingSplit = dict[str, tuple[list[dt.date], list[dict[str, Any]]]]
CollectiveSplit = dict[str, dict[dt.date, dict[str, Any]]]  # student → week → forum row


@dataclass(frozen=True)
class RiskInputs:
    """The indicator frames the rules read; ``None`` = that data is absent.

    - ``weekly``: student, week_start, iso_week, hours, sessions, active_days, events,
      target_hours, below_target, cohort, holiday, in_progress, group (``engagement.weekly``)
    - ``last_event``: student, last_event_local (local datetime or date; null = never)
    - ``ue_results``: student, ue, semester, coefficient, mean (null = not graded),
      below_pass
    - ``submission_summary``: student, late, missing, on_time, pending
    - ``internship_pace``: student, days_done, expected_days, behind, mission_letter_on,
      mission_letter_late
    - ``collective_participation``: student, week_start, forum_events, collective_week,
      silent

    ``students`` (default: every student of any frame) are the rows of the result;
    ``cohort_start`` (default: the first week of ``weekly``) dates "since the start".
    """

    weekly: pl.DataFrame | None = None
    last_event: pl.DataFrame | None = None
    ue_results: pl.DataFrame | None = None
    submission_summary: pl.DataFrame | None = None
    internship_pace: pl.DataFrame | None = None
    collective_participation: pl.DataFrame | None = None
    cohort_start: dt.date | None = None
    students: tuple[str, ...] | None = None
    # the per-student lookups made once for many weeks (:func:`shared_lookups`)
    shared: SharedLookups | None = field(default=None, compare=False, repr=False)

    def frames(self) -> dict[str, pl.DataFrame | None]:
        return {"weekly": self.weekly, "last_event": self.last_event,
                "ue_results": self.ue_results, "submission_summary": self.submission_summary,
                "internship_pace": self.internship_pace,
                "collective_participation": self.collective_participation}


@dataclass(frozen=True)
class Context:
    """What every rule needs besides the student's own rows."""

    report_week: dt.date  # Monday
    judged_end: dt.date  # last day judged: the report week's Sunday, or the day before the
    #                      week in progress when the report week has not ended yet
    thresholds: RiskThresholds
    target_hours: float
    pass_mark: float
    cohort_start: dt.date | None
    holiday_weeks: frozenset[dt.date]
    judged_weeks: frozenset[dt.date]  # complete weeks up to the report week
    collective_weeks: tuple[dt.date, ...] | None  # judged weeks where collective work ran;
    #                                                None = no forum activity at all

    def counted_days(self, first: dt.date, last: dt.date) -> int:
        """Days from ``first`` to ``last`` inclusive, without those of holiday weeks when
        the thresholds say so."""
        if last < first:
            return 0
        days = (last - first).days + 1
        if not self.thresholds.inactivity_skip_holidays or not self.holiday_weeks:
            return days
        return sum(monday(first + i * DAY) not in self.holiday_weeks for i in range(days))


@dataclass(frozen=True)
class Lookups:
    """The frames split per student (``None`` = frame absent)."""

    weekly: dict[str, list[dict[str, Any]]] | None
    last_event: dict[str, Any] | None
    ue_results: dict[str, list[dict[str, Any]]] | None
    submission_summary: dict[str, dict[str, Any]] | None
    internship_pace: dict[str, dict[str, Any]] | None
    collective_participation: CollectiveSplit | None
    teaching: TeachingSplit | None = None

    def teaching_weeks(self, student: str, report_week: dt.date) -> list[dict[str, Any]]:
        """The student's weekly rows of the complete teaching weeks up to ``report_week``
        (holiday weeks and the week in progress left out), by week."""
        mondays, rows = (self.teaching or {}).get(student, ([], []))
        return rows[:bisect.bisect_right(mondays, report_week)]


def _rows(frame: pl.DataFrame | None, sort: str | None = None
          ) -> dict[str, list[dict[str, Any]]] | None:
    if frame is None:
        return None
    out: dict[str, list[dict[str, Any]]] = {}
    for row in (frame.sort(sort) if sort else frame).iter_rows(named=True):
        out.setdefault(row["student"], []).append(row)
    return out


def split_weekly(frame: pl.DataFrame | None) -> WeeklySplit | None:
    """The weekly frame's rows per student, by week (what the rules read)."""
    return _rows(frame, "week_start")


@dataclass(frozen=True)
class SharedLookups:
    """What every judged week of a cohort can share, split once (:func:`shared_lookups`):
    the weekly table per student, its complete teaching weeks, and forum participation as of
    a later week per student and week (the rule reads only the weeks up to the report
    week)."""

    weekly: WeeklySplit
    teaching: TeachingSplit
    collective: CollectiveSplit | None = None


def shared_lookups(weekly: pl.DataFrame, collective: pl.DataFrame | None = None
                   ) -> SharedLookups:
    """:class:`SharedLookups` of a cohort's whole weekly table and its forum participation
    as of its last complete week."""
    split = split_weekly(weekly) or {}
    in_progress = set(weekly.filter(pl.col("in_progress"))["week_start"].to_list())
    return SharedLookups(split, split_teaching(split, in_progress),
                         None if collective is None else split_collective(collective))


def split_teaching(split: WeeklySplit, in_progress: Collection[dt.date]) -> TeachingSplit:
    """Each student's rows of :func:`split_weekly` without holiday weeks and weeks in
    progress, with their Mondays: the weeks judged at a report week are then a prefix, found
    by bisection instead of filtering the student's whole year again at every week."""
    out: TeachingSplit = {}
    for student, rows in split.items():
        kept = [r for r in rows if not r["holiday"] and r["week_start"] not in in_progress]
        out[student] = ([r["week_start"] for r in kept], kept)
    return out


def split_collective(frame: pl.DataFrame) -> CollectiveSplit:
    """The forum participation frame's rows per student and week."""
    return {s: {r["week_start"]: r for r in rows} for s, rows in (_rows(frame) or {}).items()}


def _first(frame: pl.DataFrame | None) -> dict[str, dict[str, Any]] | None:
    rows = _rows(frame)
    return None if rows is None else {s: r[0] for s, r in rows.items()}


def monday(day: dt.date) -> dt.date:
    return day - day.weekday() * DAY


def prepare(inputs: RiskInputs, report_week: dt.date, thresholds: RiskThresholds,
            target_hours: float, pass_mark: float) -> tuple[Context, Lookups, list[str]]:
    """Split the frames per student and work out the calendar facts the rules share."""
    report_week = monday(report_week)
    weekly = inputs.weekly
    holiday, in_progress, weeks = set(), set(), set()
    if weekly is not None and not weekly.is_empty():
        for row in weekly.select("week_start", "holiday", "in_progress").unique().iter_rows():
            weeks.add(row[0])
            if row[1]:
                holiday.add(row[0])
            if row[2]:
                in_progress.add(row[0])
    pending = [w for w in in_progress if w <= report_week]
    judged_end = min(pending) - DAY if pending else report_week + 6 * DAY
    start = inputs.cohort_start or (min(weeks) if weeks else None)
    judged = frozenset(w for w in weeks if w <= report_week and w not in in_progress)
    ctx = Context(report_week=report_week, judged_end=judged_end, thresholds=thresholds,
                  target_hours=float(target_hours), pass_mark=float(pass_mark),
                  cohort_start=start, holiday_weeks=frozenset(holiday), judged_weeks=judged,
                  collective_weeks=_collective_weeks(inputs.collective_participation,
                                                     report_week, in_progress))
    shared = inputs.shared
    collective = None
    if inputs.collective_participation is not None:
        collective = shared.collective if shared is not None else None
        if collective is None:
            collective = split_collective(inputs.collective_participation)
    split = shared.weekly if shared is not None else split_weekly(weekly)
    teaching = shared.teaching if shared is not None else None
    if teaching is None and split is not None:
        teaching = split_teaching(split, in_progress)
    lookups = Lookups(
        weekly=split, teaching=teaching,
        last_event=None if inputs.last_event is None else dict(
            inputs.last_event.select("student", "last_event_local").iter_rows()),
        ue_results=_rows(inputs.ue_results, "ue"),
        submission_summary=_first(inputs.submission_summary),
        internship_pace=_first(inputs.internship_pace),
        collective_participation=collective)
    if inputs.students is not None:
        students = list(inputs.students)
    else:
        students = sorted({s for f in inputs.frames().values() if f is not None
                           for s in f["student"].unique().to_list() if s is not None})
    return ctx, lookups, students


def _collective_weeks(frame: pl.DataFrame | None, report_week: dt.date,
                      in_progress: set[dt.date]) -> tuple[dt.date, ...] | None:
    """Complete weeks up to the report week where collective activities ran, or None when
    the cohort shows no forum activity at all in them (the rule is then not evaluated)."""
    if frame is None or frame.is_empty():
        return None
    judged = frame.filter(pl.col("week_start") <= report_week)
    if in_progress:
        judged = judged.filter(~pl.col("week_start").is_in(sorted(in_progress)))
    if judged.is_empty() or not (judged["forum_events"].fill_null(0) > 0).any():
        return None
    weeks = judged.filter(pl.col("collective_week").fill_null(False))["week_start"]
    return tuple(sorted(set(weeks.to_list())))
