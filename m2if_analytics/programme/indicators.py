"""Programme indicators as Polars frames: grades, deadlines, pace, internship, collective work.

    import m2if_analytics.programme.indicators as ind
    ind.year_validation(ws)                         # one row per student
    ind.submission_summary(ws, as_of=date(2027, 2, 21))
    ind.available(ws, "grades")                     # False: the grade rules are not evaluated

Every function takes an open :class:`~m2if_analytics.warehouse.workspace.Workspace`, an
optional cohort id (default: the configuration's latest cohort) and ``as_of``, the local day
the indicators are judged on, whole (everything dated on or before it counts; default: the
local date of the latest event in the warehouse, else today). Each frame has one row per
student of the cohort (per UE, deadline or week where the grain says so), with zeros or
nulls where there is no data. The SQL is in ``queries/pipeline/40_*`` to ``46_*``; this module only
calls it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl

from m2if_analytics.warehouse.sql import frame
from m2if_analytics.warehouse.workspace import Workspace

CONCERNS = ("activity", "grades", "deadlines", "submissions", "internship",
            "mission_letters", "collective")


def _scope(ws: Workspace, cohort: str | None, as_of: dt.date | None) -> dict[str, object]:
    cohort_id = ws.cfg.cohort(cohort).id
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    return {"c": cohort_id, "as_of": as_of if as_of is not None else default_as_of(ws)}


def default_as_of(ws: Workspace) -> dt.date:
    """The local date of the latest event in the warehouse; today when there is none."""
    tz = ws.cfg.programme.timezone
    rows = ws.tables.execute("SELECT CAST(max(ts) AT TIME ZONE $tz AS DATE) FROM raw_events",
                          {"tz": tz}).fetchall()
    last = rows[0][0] if rows else None
    return last if last is not None else dt.datetime.now(ZoneInfo(tz)).date()


def ue_results(ws: Workspace, cohort: str | None = None,
               as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × configured UE (configuration order).

    Columns: student, ue, semester, coefficient, mean (assessment-weighted, out of 20; null
    = no grade yet), below_pass (mean < pass mark; null when no grade), then title and
    assessments (number of grades counted).
    """
    return frame(ws.tables, """
        SELECT student, ue, semester, coefficient, mean, below_pass, title, assessments
        FROM ue_results_at($as_of) WHERE cohort = $c ORDER BY student, position""",
                 _scope(ws, cohort, as_of)).with_columns(
        pl.col("semester", "assessments").cast(pl.Int64))


def year_validation(ws: Workspace, cohort: str | None = None,
                    as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student: the year's validation under "every UE ≥ pass mark".

    Columns: student, s3_mean, s4_mean (coefficient-weighted UE means; null while a UE of
    the semester has no grade), year_mean (the same over every UE), validated (true: every
    UE graded and ≥ pass mark; false: some graded UE below it, whatever the others; null:
    incomplete and nothing blocks yet), blocking_ues (list of UE codes below the pass mark),
    honours ('passable' | 'assez bien' | 'bien' | 'très bien' | null, when validated).
    """
    return frame(ws.tables, """
        SELECT student, s3_mean, s4_mean, year_mean, validated, blocking_ues, honours
        FROM year_validation_at($as_of) WHERE cohort = $c ORDER BY student""",
                 _scope(ws, cohort, as_of))


def submission_status(ws: Workspace, cohort: str | None = None,
                      as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × deadline of the cohort (by due time).

    Columns: student, ue, assignment, due (UTC), submitted_at (first submission up to the
    end of ``as_of``, UTC, or null), status ('on_time' | 'late' | 'missing' | 'pending'),
    late_hours (hours after due for late, 0 for on time, null otherwise), then source
    ('file' | 'moodle') and cmid. submitted_at <= due is on time.
    """
    return frame(ws.tables, """
        SELECT student, ue, assignment, due, submitted_at, status, late_hours, source, cmid
        FROM submission_status_at($as_of) WHERE cohort = $c
        ORDER BY student, due, assignment""", _scope(ws, cohort, as_of))


def submission_summary(ws: Workspace, cohort: str | None = None,
                       as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student: counts of late, missing, on_time and pending deadlines."""
    return frame(ws.tables, """
        SELECT student, late, missing, on_time, pending
        FROM submission_summary_at($as_of) WHERE cohort = $c ORDER BY student""",
                 _scope(ws, cohort, as_of)).with_columns(
        pl.col("late", "missing", "on_time", "pending").cast(pl.Int64))


def pace(ws: Workspace, cohort: str | None = None,
         as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × week up to ``as_of`` (weeks starting on or before it).

    Columns: student, week_start, cumulative_hours, pace_hours (the total hours spread over
    the teaching weeks, as :func:`m2if_analytics.engagement.cumulative`), then hours,
    in_progress.
    """
    return frame(ws.tables, """
        SELECT student, week_start, cumulative_hours, pace_hours, hours, in_progress
        FROM cumulative_pace WHERE cohort = $c AND week_start <= $as_of
        ORDER BY student, week_start""", _scope(ws, cohort, as_of))


def internship_pace(ws: Workspace, cohort: str | None = None,
                    as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student: internship days against the pace, and the mission letter.

    Columns: student, days_done (up to ``as_of``), expected_days (internship_min_days ×
    elapsed fraction of the cohort's calendar), behind (days_done < internship_pace_ratio ×
    expected_days), mission_letter_on (date or null), mission_letter_late (no letter and
    ``as_of`` after the deadline), then mission_letter_deadline.
    """
    return frame(ws.tables, """
        SELECT student, days_done, expected_days, behind, mission_letter_on,
               mission_letter_late, mission_letter_deadline
        FROM internship_pace_at($as_of) WHERE cohort = $c ORDER BY student""",
                 _scope(ws, cohort, as_of))


def collective_participation(ws: Workspace, cohort: str | None = None,
                             as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × calendar week starting on or before ``as_of``.

    Columns: student, week_start, forum_events (forum posts and new discussions; reading is
    not participating), collective_week (some student of the cohort posted that week),
    silent (collective week without a post of the student), then holiday.
    """
    return frame(ws.tables, """
        SELECT student, week_start, forum_events, collective_week, silent, holiday
        FROM collective_participation_at($as_of) WHERE cohort = $c
        ORDER BY student, week_start""", _scope(ws, cohort, as_of)).with_columns(
        pl.col("forum_events").cast(pl.Int64))


_AVAILABLE = {
    "activity": "SELECT count(*) > 0 FROM weekly_engagement WHERE cohort = $c AND events > 0",
    "collective": "SELECT count(*) > 0 FROM weekly_engagement WHERE cohort = $c AND events > 0",
    "grades": "SELECT count(*) > 0 FROM grade_records WHERE cohort_id = $c",
    "deadlines": "SELECT count(*) > 0 FROM deadlines WHERE cohort_id = $c",
    "submissions": """
        SELECT (SELECT count(*) > 0 FROM deadlines WHERE cohort_id = $c)
           AND ((SELECT count(*) > 0 FROM ingest_files WHERE kind = 'submissions')
                OR ((SELECT count(*) > 0 FROM deadlines WHERE cohort_id = $c
                                                      AND cmid IS NOT NULL)
                    AND (SELECT count(*) > 0 FROM raw_events)))""",
    "internship": "SELECT count(*) > 0 FROM internship_records WHERE cohort_id = $c",
    "mission_letters": "SELECT count(*) > 0 FROM mission_letter_records WHERE cohort_id = $c",
}


def available(ws: Workspace, concern: str, cohort: str | None = None) -> bool:
    """Whether the data a concern rests on exists for the cohort, so that a rule can say
    "not evaluated" instead of firing on absent data.

    - activity, collective: some student of the cohort has a platform event;
    - grades: some student of the cohort has a grade;
    - deadlines: the cohort has deadlines;
    - submissions: the cohort has deadlines, and submissions can be known: a submissions
      file was ingested, or some deadline has a cmid and Moodle logs are loaded;
    - internship: some student of the cohort has an internship row;
    - mission_letters: some student of the cohort is in a mission-letters file (an empty
      validation date counts: it says "not yet").
    """
    if concern not in _AVAILABLE:
        raise ValueError(f"unknown concern {concern!r}; one of {', '.join(CONCERNS)}")
    cohort_id = ws.cfg.cohort(cohort).id
    rows = ws.tables.execute(_AVAILABLE[concern], {"c": cohort_id}).fetchall()
    return bool(rows and rows[0][0])
