"""A cohort's students and weekly table as Polars frames, and the week a report is about.

Every function takes an open :class:`~m2if_analytics.warehouse.workspace.Workspace` and an
optional cohort id (default: the configuration's latest cohort) and returns data, never a
figure.
"""

from __future__ import annotations

import datetime as dt
import warnings

import polars as pl

from m2if_analytics.calendar import iso_week_label, parse_week, programme_weeks
from m2if_analytics.engagement.table import NoRosterWarning, weekly_engagement
from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.workspace import Workspace


def cohorts(ws: Workspace) -> pl.DataFrame:
    """The configured cohorts: id, start, end, programme weeks, holiday weeks, students."""
    counts = dict(sql.run(ws.tables, "engagement/cohort_sizes.sql"))
    rows = []
    for c in ws.cfg.cohorts:
        weeks = programme_weeks(c, ws.cfg.programme.weekly_target_hours)
        rows.append({"cohort": c.id, "start": c.start, "end": c.end, "weeks": len(weeks),
                     "holiday_weeks": sum(w.holiday for w in weeks),
                     "students": int(counts.get(c.id, 0))})
    return pl.DataFrame(rows)


def students(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """The cohort's students: pseudonym, group, and whether a roster lists them."""
    cohort_id = ws.cfg.cohort(cohort).id
    return sql.select(ws.tables, "engagement/students.sql", {"c": cohort_id})


def weekly(ws: Workspace, cohort: str | None = None, engine: str = "duckdb") -> pl.DataFrame:
    """Weekly engagement of the cohort (see the README's contract); no warning when unrostered.

    ``engine="spark"`` computes the same table with Spark (docs/engines.md)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoRosterWarning)
        return weekly_engagement(ws, cohort, engine=engine)


def report_week(ws: Workspace, cohort: str | None = None,
                week: str | dt.date | None = None) -> dt.date:
    """Monday of the week to report: ``week`` (``2027-W05`` or a date), else the last
    complete programme week in which someone of the cohort was active (a week after the
    last activity is never the default, even when stray late events made it "complete")."""
    table = weekly(ws, cohort)
    if week is not None:
        monday = parse_week(week) if isinstance(week, str) else week - dt.timedelta(
            days=week.weekday())
        if table.is_empty() or monday not in set(table["week_start"]):
            raise M2IFError(f"week {iso_week_label(monday)} is not a programme week with data "
                            f"for cohort {ws.cfg.cohort(cohort).id}")
        if table.filter(pl.col("week_start") == monday)["in_progress"].any():
            done = _complete_weeks(table)
            last = (f"; the last complete one is {iso_week_label(done.max())} (the default)"
                    if not done.is_empty() else "")
            raise M2IFError(f"week {iso_week_label(monday)} is still in progress: its figures "
                            f"and flags would judge part of a week{last}")
        return monday
    complete = _complete_weeks(table)
    if complete.is_empty():
        c = ws.cfg.cohort(cohort)
        if table.is_empty() and students(ws, c.id).is_empty():
            raise M2IFError(
                f"cohort {c.id} has no student: its roster lists none (only staff?) or, "
                f"without a roster, nobody has an event between {c.start} and {c.end}; "
                f"ingest a roster that lists them: m2if ingest roster FILE --cohort {c.id}")
        raise M2IFError(f"cohort {c.id} has no complete week of data yet")
    return complete.max()  # type: ignore[return-value]


def _complete_weeks(table: pl.DataFrame) -> pl.Series:
    """Mondays of the complete weeks in which someone of the cohort was active."""
    weeks = table.group_by("week_start").agg(
        pl.col("events").sum(), pl.col("in_progress").any()).filter(
        (pl.col("events") > 0) & ~pl.col("in_progress"))
    return weeks["week_start"]
