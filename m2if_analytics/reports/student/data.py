"""One student's profile: the page a tutor opens before a call (notebooks/student_profile).

    from m2if_analytics.reports.student import data as sp
    scope = sp.profile_scope(ws, student=None)      # default: the first red student
    sp.weekly_hours(ws, scope)                       # one row per week up to the report week
    sp.summary(ws, scope, lang="en")                 # the key numbers, in one object

Every function takes an open :class:`~m2if_analytics.warehouse.workspace.Workspace` and a
:class:`Scope` (cohort, student pseudonym, report week) and returns data, never a figure.
Indicators are judged on the report week's Sunday, whole (as the risk rules judge them).
The SQL is in ``queries/engagement/ and queries/programme/``; names never come from here: only
:func:`display_name` reads the managers' separate mapping (:mod:`m2if_analytics.privacy.mapping`),
and only for the profiled student.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from m2if_analytics import engagement, risk
from m2if_analytics.calendar import iso_week_label
from m2if_analytics.collaboration.data import forum_frame
from m2if_analytics.errors import M2IFError
from m2if_analytics.followup import last_contacts
from m2if_analytics.programme import indicators
from m2if_analytics.risk import history
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.pipeline import pipeline_params
from m2if_analytics.warehouse.workspace import Workspace

DAY = dt.timedelta(days=1)
WEEK_COLUMNS = ["week_start", "iso_week", "hours", "target_hours", "below_target", "holiday",
                "in_progress", "sessions", "active_days", "events"]
PARTNER_SCHEMA: dict[str, Any] = {"partner": pl.String, "role": pl.String, "group": pl.String,
                                  "replies_to": pl.Int64, "replies_from": pl.Int64}
RISK_SCHEMA: dict[str, Any] = {"week_start": pl.Date, "iso_week": pl.String,
                               "holiday": pl.Boolean, "level": pl.String, "reasons": pl.String}


@dataclass(frozen=True)
class Scope:
    """Whose profile, in which cohort, at which report week (its Monday)."""

    cohort: str
    student: str
    week_start: dt.date

    @property
    def as_of(self) -> dt.date:
        """The report week's Sunday: indicators count everything dated up to its end."""
        return self.week_start + 6 * DAY

    @property
    def iso_week(self) -> str:
        return iso_week_label(self.week_start)


def default_student(ws: Workspace, cohort: str | None = None,
                    week: str | dt.date | None = None) -> str:
    """The first red student (by pseudonym) at the report week, else the cohort's first
    student: deterministic, so that a report run without a student shows someone."""
    risks = risk.student_risks(ws, cohort, week)
    red = sorted(r.student for r in risks if r.level == "red")
    if red:
        return red[0]
    students = engagement.students(ws, cohort)["student"].to_list()
    if not students:
        raise M2IFError(f"cohort {ws.cfg.cohort(cohort).id} has no student: ingest its roster")
    return str(students[0])


def profile_scope(ws: Workspace, student: str | None = None, cohort: str | None = None,
                  week: str | dt.date | None = None) -> Scope:
    """Resolve cohort, report week (default: the last complete week) and student (default:
    :func:`default_student`); refuses a pseudonym that is not a student of the cohort."""
    cohort_id = ws.cfg.cohort(cohort).id
    monday = engagement.report_week(ws, cohort_id, week)
    if student is None:
        student = default_student(ws, cohort_id, monday)
    elif student not in set(engagement.students(ws, cohort_id)["student"]):
        raise M2IFError(f"{student!r} is not a student of cohort {cohort_id}; list them with: "
                        f"m2if risk --cohort {cohort_id}")
    return Scope(cohort_id, student, monday)


def display_name(scope: Scope, mapping: str | Path | None) -> str | None:
    """The profiled student's name from the managers' mapping file, or None (no mapping, or
    the student is not in it). No other name leaves the file."""
    if mapping is None:
        return None
    from m2if_analytics.privacy.mapping import load_mapping

    return load_mapping(mapping).get(scope.student)


def group_of(ws: Workspace, scope: Scope) -> str | None:
    """The student's roster group (None without one)."""
    table = engagement.students(ws, scope.cohort).filter(pl.col("student") == scope.student)
    return table["group"][0] if table.height else None


def weekly_hours(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """The student's weeks from the cohort's first to the report week: week_start,
    iso_week, hours, target_hours, below_target, holiday, in_progress, sessions,
    active_days, events (the weekly engagement contract, zeros included)."""
    return (engagement.weekly(ws, scope.cohort)
            .filter((pl.col("student") == scope.student)
                    & (pl.col("week_start") <= scope.week_start))
            .select(WEEK_COLUMNS).sort("week_start"))


def activity_by_hour(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """Online hours, sessions (counted at their first event) and events by local weekday
    (1 = Monday) and hour, from the cohort's first week to the report week's Sunday.
    Only cells with activity; their sums equal :func:`weekly_hours`' totals."""
    weeks = weekly_hours(ws, scope)
    first = weeks["week_start"].min() if weeks.height else scope.week_start
    params = {**pipeline_params(ws.cfg), "cohort": scope.cohort, "student": scope.student,
              "first_day": first, "after_day": scope.as_of + DAY}
    return sqlfiles.select(ws.tables, "engagement/activity_by_hour.sql", params,
                           {"weekday": pl.Int64, "hour": pl.Int64, "sessions": pl.Int64,
                            "hours": pl.Float64, "events": pl.Int64})


def deadlines(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """The student's deadlines by due time: ue, assignment, due and submitted_at (local
    wall-clock time), status ('on_time' | 'late' | 'missing' | 'pending'), late_hours.
    Empty when the cohort has no deadlines or submissions cannot be known."""
    if not indicators.available(ws, "submissions", scope.cohort):
        return pl.DataFrame(schema={"ue": pl.String, "assignment": pl.String,
                                    "due": pl.Datetime("us"), "submitted_at": pl.Datetime("us"),
                                    "status": pl.String, "late_hours": pl.Float64})
    tz = ws.cfg.programme.timezone
    return (indicators.submission_status(ws, scope.cohort, scope.as_of)
            .filter(pl.col("student") == scope.student)
            .select("ue", "assignment",
                    pl.col("due").dt.convert_time_zone(tz).dt.replace_time_zone(None),
                    pl.col("submitted_at").dt.convert_time_zone(tz).dt.replace_time_zone(None),
                    "status", "late_hours"))


def grades(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """One row per configured UE: ue, title, semester, coefficient, mean (null = no grade
    yet), below_pass, assessments, and cohort_median (the median of the cohort's graded
    means, for context). Empty when no grade is loaded."""
    if not indicators.available(ws, "grades", scope.cohort):
        return pl.DataFrame(schema={"ue": pl.String, "title": pl.String, "semester": pl.String,
                                    "coefficient": pl.Float64, "mean": pl.Float64,
                                    "below_pass": pl.Boolean, "assessments": pl.Int64,
                                    "cohort_median": pl.Float64})
    table = indicators.ue_results(ws, scope.cohort, scope.as_of)
    medians = table.group_by("ue").agg(pl.col("mean").median().alias("cohort_median"))
    return (table.filter(pl.col("student") == scope.student)
            .join(medians, on="ue", how="left", maintain_order="left")
            .select("ue", "title", "semester", "coefficient", "mean", "below_pass",
                    "assessments", "cohort_median"))


def internship(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """Week by week up to the report week: days (that week), cumulative_days,
    expected_days (the linear pace to the minimum days) and threshold_days (below it the
    internship rule fires). Empty when no internship day is loaded."""
    schema = {"week_start": pl.Date, "iso_week": pl.String, "holiday": pl.Boolean,
              "days": pl.Float64, "cumulative_days": pl.Float64,
              "expected_days": pl.Float64, "threshold_days": pl.Float64}
    if not indicators.available(ws, "internship", scope.cohort):
        return pl.DataFrame(schema=schema)
    return sqlfiles.select(ws.tables, "programme/internship_weeks.sql",
                           {"cohort": scope.cohort, "student": scope.student, "as_of": scope.as_of},
                           schema)


def forum_partners(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """Who the student replied to and who replied to them in the forums, from the cohort's
    start to the report week's Sunday: partner (pseudonym), role ('student' | 'teacher' |
    ...), group, replies_to (the student's replies to them), replies_from (theirs to the
    student). Most exchanges first. Replies to oneself are not partnerships."""
    c = ws.cfg.cohort(scope.cohort)
    posts = forum_frame(ws, c.id, c.start, scope.as_of, include_teachers=True)
    me = scope.student
    sent = (posts.filter((pl.col("author") == me) & pl.col("parent_author").is_not_null()
                         & (pl.col("parent_author") != me))
            .group_by("parent_author")
            .agg(pl.len().alias("replies_to"), pl.col("parent_role").first().alias("role_to"),
                 pl.col("parent_group").first().alias("group_to"))
            .rename({"parent_author": "partner"}))
    received = (posts.filter((pl.col("parent_author") == me) & (pl.col("author") != me))
                .group_by("author")
                .agg(pl.len().alias("replies_from"), pl.col("role").first().alias("role_from"),
                     pl.col("group").first().alias("group_from"))
                .rename({"author": "partner"}))
    both = sent.join(received, on="partner", how="full", coalesce=True)
    if both.is_empty():
        return pl.DataFrame(schema=PARTNER_SCHEMA)
    return (both.select(
        "partner", pl.coalesce("role_to", "role_from").alias("role"),
        pl.coalesce("group_to", "group_from").alias("group"),
        pl.col("replies_to").fill_null(0).cast(pl.Int64),
        pl.col("replies_from").fill_null(0).cast(pl.Int64))
        .sort(pl.col("replies_to") + pl.col("replies_from"), "partner",
              descending=[True, False]))


def forum_posts(ws: Workspace, scope: Scope) -> int:
    """The student's forum posts (first posts and replies) up to the report week."""
    c = ws.cfg.cohort(scope.cohort)
    posts = forum_frame(ws, c.id, c.start, scope.as_of, include_teachers=True)
    return int((posts["author"] == scope.student).sum())


def risk_over_time(ws: Workspace, scope: Scope, lang: str = "fr") -> pl.DataFrame:
    """The rules' level and reasons for the student at every complete week of the cohort
    up to the report week (stored, :mod:`m2if_analytics.risk.history`): week_start,
    iso_week, holiday, level, reasons (in ``lang``)."""
    table = history.levels(ws, scope.cohort, scope.week_start, lang)
    return (table.filter(pl.col("student") == scope.student)
            .select("week_start", "iso_week", "holiday", "level", "reasons")
            .cast(RISK_SCHEMA))


@dataclass(frozen=True)
class Summary:
    """The profile's key numbers at the report week (numbers; words come from i18n)."""

    scope: Scope
    group: str | None
    level: str
    reasons: tuple[str, ...]  # the fired rules' reasons, red first
    not_evaluated: tuple[str, ...]  # rules whose data is absent (rule ids, see risk_rules)
    teaching_weeks: int  # complete teaching weeks up to the report week
    weeks_below_target: int
    mean_hours: float | None  # over those weeks
    last_event: dt.datetime | None  # local time
    deadline_counts: dict[str, int]  # on_time, late, missing, pending (empty: no deadlines)
    ues_below_pass: tuple[str, ...]
    internship_days: float | None
    internship_expected: float | None
    last_contact: dt.date | None = None  # the follow-up log's latest contact (to as_of)
    contacts: int = 0


def summary(ws: Workspace, scope: Scope, lang: str = "fr") -> Summary:
    """Level and reasons, weeks below target, last activity, deadlines, UEs below the pass
    mark and internship days of the student at the report week."""
    from m2if_analytics.risk.data import last_events

    mine = next(r for r in risk.student_risks(ws, scope.cohort, scope.week_start)
                if r.student == scope.student)
    fired = sorted(mine.fired, key=lambda r: r.severity != "red")
    weeks = weekly_hours(ws, scope).filter(~pl.col("holiday") & ~pl.col("in_progress"))
    last = (last_events(ws, scope.cohort, scope.as_of)
            .filter(pl.col("student") == scope.student)["last_event_local"])
    status = deadlines(ws, scope)
    counts = ({s: int((status["status"] == s).sum())
               for s in ("on_time", "late", "missing", "pending")} if status.height else {})
    ues = grades(ws, scope)
    days = internship(ws, scope)
    return Summary(
        scope=scope, group=group_of(ws, scope), level=mine.level,
        reasons=tuple(r.reason(lang) for r in fired), not_evaluated=tuple(mine.not_evaluated),
        teaching_weeks=weeks.height,
        weeks_below_target=int(weeks["below_target"].sum()),
        mean_hours=float(weeks["hours"].mean()) if weeks.height else None,  # type: ignore[arg-type]
        last_event=last[0] if last.len() else None, deadline_counts=counts,
        ues_below_pass=tuple(ues.filter(pl.col("below_pass").fill_null(False))["ue"]),
        internship_days=float(days["cumulative_days"][-1]) if days.height else None,
        internship_expected=float(days["expected_days"][-1]) if days.height else None,
        **_contact(ws, scope))


def _contact(ws: Workspace, scope: Scope) -> dict[str, object]:
    """The student's latest contact in the follow-up log up to the report week's end."""
    row = last_contacts(ws, scope.cohort, scope.as_of).filter(
        pl.col("student") == scope.student)
    if row.is_empty():
        return {"last_contact": None, "contacts": 0}
    return {"last_contact": row["last_contact"][0], "contacts": int(row["contacts"][0])}


def standing(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """Per configured UE, what the student has validated and what is still needed: ue, mean
    (so far), remaining_share, needed, status (see :func:`~m2if_analytics.programme.needed.
    validation`). Empty when no grade is loaded."""
    from m2if_analytics.programme.needed import validation

    if not indicators.available(ws, "grades", scope.cohort):
        return pl.DataFrame(schema={"ue": pl.String, "mean": pl.Float64,
                                    "remaining_share": pl.Float64, "needed": pl.Float64,
                                    "status": pl.String})
    return (validation(ws, scope.cohort, scope.as_of)
            .filter(pl.col("student") == scope.student)
            .select("ue", "mean", "remaining_share", "needed", "status"))


def competences(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """The student's competence sets: competence, ues, mean, coverage (empty when the units
    declare none)."""
    from m2if_analytics.programme.competences import competence_sets

    return (competence_sets(ws, scope.cohort, scope.as_of)
            .filter(pl.col("student") == scope.student).drop("student"))


def milestone_steps(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """The mémoire's milestones for the student: title, due, done_on, status (empty when
    none is configured)."""
    from m2if_analytics.programme.milestones import milestones

    if not ws.cfg.milestones:
        return pl.DataFrame(schema={"title": pl.String, "due": pl.Date, "done_on": pl.Date,
                                    "status": pl.String})
    return (milestones(ws, scope.cohort, scope.as_of)
            .filter(pl.col("student") == scope.student)
            .select("title", "due", "done_on", "status"))


def coverage(ws: Workspace, scope: Scope) -> pl.DataFrame:
    """ue, documents, opened, share: the documents of each UE (or platform course) the
    student opened up to the report week's Sunday (see ``m2if coverage``)."""
    from m2if_analytics.engagement.coverage import coverage as document_coverage

    table = document_coverage(ws, scope.cohort, as_of=scope.as_of)
    return table.filter(pl.col("student") == scope.student).drop("student")
