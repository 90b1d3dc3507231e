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
nulls where there is no data. The indicator tables are built by ``queries/pipeline/40_*`` to
``46_*``; the queries that read them are in ``queries/programme/``; this module only calls
them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl

from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.workspace import Workspace

CONCERNS = ("activity", "grades", "deadlines", "submissions", "internship",
            "mission_letters", "collective")
# the count columns of each indicator, read as Int64
COUNTS: dict[str, tuple[str, ...]] = {
    "ue_results": ("assessments",),
    "submission_summary": ("late", "missing", "on_time", "pending"),
    "collective_participation": ("forum_events",),
}
# the indicators that can be read as of many days in one query (:func:`over_days`)
OVER_DAYS = ("submission_summary", "internship_pace")


def _scope(ws: Workspace, cohort: str | None, as_of: dt.date | None) -> dict[str, object]:
    cohort_id = ws.cfg.cohort(cohort).id
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    return {"c": cohort_id, "as_of": as_of if as_of is not None else default_as_of(ws)}


def _read(ws: Workspace, name: str, cohort: str | None, as_of: dt.date | None
          ) -> pl.DataFrame:
    """``queries/programme/<name>.sql`` for the cohort as of a day; its counts as Int64."""
    return _counted(sql.select(ws.tables, f"programme/{name}.sql", _scope(ws, cohort, as_of)),
                    name)


def _counted(table: pl.DataFrame, name: str) -> pl.DataFrame:
    counts = COUNTS.get(name, ())
    return table.with_columns(pl.col(*counts).cast(pl.Int64)) if counts else table


def over_days(ws: Workspace, name: str, days: list[dt.date], cohort: str | None = None
              ) -> pl.DataFrame:
    """Indicator ``name`` (one of :data:`OVER_DAYS`) as of each of ``days``, in one query:
    an ``as_of`` column, then the rows the indicator's function gives for that day, in its
    order (``queries/programme/<name>_days.sql``)."""
    if name not in OVER_DAYS:
        raise ValueError(f"{name!r} is not read over days; one of {', '.join(OVER_DAYS)}")
    table = sql.select(ws.tables, f"programme/{name}_days.sql",
                       {"c": ws.cfg.cohort(cohort).id, "days": list(days)})
    return _counted(table, name)


def default_as_of(ws: Workspace) -> dt.date:
    """The local date of the latest event in the warehouse; today when there is none."""
    tz = ws.cfg.programme.timezone
    latest = sql.select(ws.tables, "programme/latest_local_date.sql", {"tz": tz})["latest"][0]
    return latest if latest is not None else dt.datetime.now(ZoneInfo(tz)).date()


def ue_results(ws: Workspace, cohort: str | None = None,
               as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × configured UE (configuration order).

    Columns: student, ue, semester, coefficient, mean (assessment-weighted, out of 20; null
    = no grade yet), below_pass (mean < pass mark; null when no grade), then title and
    assessments (number of grades counted).
    """
    return _read(ws, "ue_results", cohort, as_of)


def grade_dates(ws: Workspace, cohort: str | None = None) -> list[dt.date]:
    """The days the cohort's grades are dated, ascending: :func:`ue_results` and
    :func:`year_validation` as of a day change only on these days."""
    rows = sql.select(ws.tables, "programme/grade_dates.sql", {"c": ws.cfg.cohort(cohort).id})
    return rows["graded_on"].to_list()


def semester_results(ws: Workspace, cohort: str | None = None,
                     as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × configured semester (configuration order).

    Columns: student, semester (its label), mean (coefficient-weighted UE means; null while a
    UE of the semester has no grade), status ('validated' | 'not_validated' | 'not_yet'),
    blocking_ues (the semester's UEs below the pass mark: why it is not validated).
    """
    return _read(ws, "semester_results", cohort, as_of)


def semester_column(label: str) -> str:
    """The column of a semester's mean in :func:`year_validation`: "3" → ``s3_mean``,
    "S1" → ``s1_mean``, "Semestre 2" → ``semestre_2_mean``."""
    name = "".join(c if c.isalnum() else "_" for c in label.casefold()).strip("_")
    return f"s{name}_mean" if name[:1].isdigit() else f"{name}_mean"


def year_validation(ws: Workspace, cohort: str | None = None,
                    as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student: the year's validation under "every UE ≥ pass mark".

    Columns: student, one mean per semester (:func:`semester_column`: ``s3_mean``,
    ``s4_mean`` for the M2 IF; coefficient-weighted UE means, null while a UE of the semester
    has no grade), year_mean (the same over every UE), validated (true: every UE graded and
    ≥ pass mark; false: some graded UE below it, whatever the others; null: incomplete and
    nothing blocks yet), blocking_ues (list of UE codes below the pass mark), honours
    ('passable' | 'assez bien' | 'bien' | 'très bien' | null, when validated).
    """
    year = _read(ws, "year_validation", cohort, as_of)
    semesters = semester_results(ws, cohort, as_of)
    means = [semesters.filter(pl.col("semester") == label)
             .select("student", pl.col("mean").alias(semester_column(label)))
             for label in ws.cfg.semesters]
    for frame in means:
        year = year.join(frame, on="student", how="left", maintain_order="left")
    columns = [semester_column(label) for label in ws.cfg.semesters]
    return year.select("student", *columns, "year_mean", "validated", "blocking_ues",
                       "honours")


def submission_status(ws: Workspace, cohort: str | None = None,
                      as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × deadline of the cohort (by due time).

    Columns: student, ue, assignment, due (UTC), submitted_at (first submission up to the
    end of ``as_of``, UTC, or null), status ('on_time' | 'late' | 'missing' | 'pending'),
    late_hours (hours after due for late, 0 for on time, null otherwise), then source
    ('file' | 'moodle') and cmid. submitted_at <= due is on time.
    """
    return _read(ws, "submission_status", cohort, as_of)


def submission_summary(ws: Workspace, cohort: str | None = None,
                       as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student: counts of late, missing, on_time and pending deadlines."""
    return _read(ws, "submission_summary", cohort, as_of)


def pace(ws: Workspace, cohort: str | None = None,
         as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × week up to ``as_of`` (weeks starting on or before it).

    Columns: student, week_start, cumulative_hours, pace_hours (the total hours spread over
    the teaching weeks, as :func:`m2if_analytics.engagement.cumulative`), then hours,
    in_progress.
    """
    return _read(ws, "pace", cohort, as_of)


def internship_pace(ws: Workspace, cohort: str | None = None,
                    as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student: internship days against the pace, and the mission letter.

    Columns: student, days_done (up to ``as_of``), expected_days (whole days from the
    student's internship start: the letter's days_per_week per whole week, else
    internship_min_days × the elapsed fraction from the start to the cohort's end; 0 before
    the start or without one), behind (days_done < internship_pace_ratio × expected_days),
    mission_letter_on (date or null), mission_letter_late (no letter and ``as_of`` after the
    deadline), then mission_letter_deadline, internship_start (the letter's, else the first
    declared day), days_per_week (the letter's rhythm), no_internship (no day, no start,
    ``[risk] internship_grace_weeks`` into the year) and year_start.
    """
    return _read(ws, "internship_pace", cohort, as_of)


def collective_participation(ws: Workspace, cohort: str | None = None,
                             as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × calendar week starting on or before ``as_of``.

    Columns: student, week_start, forum_events (forum posts and new discussions; reading is
    not participating), collective_week (some student of the cohort posted that week),
    silent (collective week without a post of the student), then holiday.
    """
    return _read(ws, "collective_participation", cohort, as_of)


def available(ws: Workspace, concern: str, cohort: str | None = None) -> bool:
    """Whether the data a concern rests on exists for the cohort (the concerns are defined
    in ``queries/programme/available.sql``), so that a rule can say "not evaluated" instead
    of firing on absent data."""
    if concern not in CONCERNS:
        raise ValueError(f"unknown concern {concern!r}; one of {', '.join(CONCERNS)}")
    return availability(ws, cohort)[concern]


def availability(ws: Workspace, cohort: str | None = None) -> dict[str, bool]:
    """:func:`available` for every concern at once (one query): callers that judge many
    weeks read it once."""
    row = sql.select(ws.tables, "programme/available.sql", {"c": ws.cfg.cohort(cohort).id})
    return {concern: bool(row[concern][0]) for concern in CONCERNS}
