"""What one student's own page shows, and nothing about anyone else: their weeks against the
target, their hours against the pace to the programme's total, their deadlines, internship
days and document coverage, and (only when asked) their risk level.

    page = me_data(ws, "p1a2b3c4d5e6f", week="2027-W10", with_level=False)

Every frame is filtered to the student before it leaves this module; no cohort median,
ranking or count of other students is computed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from m2if_analytics import engagement
from m2if_analytics.engagement import coverage as cov
from m2if_analytics.reports.student import data as profile
from m2if_analytics.risk import history
from m2if_analytics.warehouse.workspace import Workspace


@dataclass(frozen=True)
class MeData:
    """One student's figures at a report week."""

    scope: profile.Scope
    target: float  # weekly target (hours)
    total_hours: float  # the programme's total (1500 h)
    weeks: pl.DataFrame  # week_start, iso_week, hours, target_hours, holiday, in_progress...
    cumulative_hours: float  # online hours from the start to the report week
    pace_hours: float | None  # where the pace to total_hours stands at the report week
    deadlines: pl.DataFrame  # ue, assignment, due, submitted_at, status, late_hours
    internship_days: float | None  # days done by the report week (None: no internship data)
    internship_expected: float | None
    coverage: pl.DataFrame  # ue, documents, opened, share
    level: str | None  # only with with_level
    reasons: str | None


def me_data(ws: Workspace, student: str, cohort: str | None = None,
            week: str | dt.date | None = None, lang: str = "fr",
            with_level: bool = False) -> MeData:
    """The figures of ``student``'s page at ``week`` (default: the last complete week)."""
    scope = profile.profile_scope(ws, student, cohort, week)
    weeks = profile.weekly_hours(ws, scope)
    cum = (engagement.cumulative(ws, scope.cohort)
           .filter((pl.col("student") == student) & (pl.col("week_start") == scope.week_start)))
    placement = profile.internship(ws, scope)
    last = placement.filter(pl.col("week_start") <= scope.week_start).tail(1)
    coverage = cov.coverage(ws, scope.cohort, as_of=scope.as_of)
    level = reasons = None
    if with_level:
        stored = history.levels(ws, scope.cohort, scope.week_start, lang).filter(
            (pl.col("student") == student) & (pl.col("week_start") == scope.week_start))
        if stored.height:
            level, reasons = stored["level"][0], stored["reasons"][0]
    return MeData(
        scope=scope, target=ws.cfg.programme.weekly_target_hours,
        total_hours=ws.cfg.programme.total_hours, weeks=weeks,
        cumulative_hours=float(cum["cumulative_hours"][0]) if cum.height else 0.0,
        pace_hours=float(cum["pace_hours"][0]) if cum.height else None,
        deadlines=profile.deadlines(ws, scope),
        internship_days=float(last["cumulative_days"][0]) if last.height else None,
        internship_expected=float(last["expected_days"][0]) if last.height else None,
        coverage=coverage.filter(pl.col("student") == student).drop("student"),
        level=level, reasons=reasons)


def all_students(ws: Workspace, cohort: str | None = None) -> list[str]:
    """The cohort's students' pseudonyms, sorted (for ``--all``)."""
    return sorted(engagement.students(ws, cohort)["student"].to_list())
