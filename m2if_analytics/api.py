"""The public API that notebooks and reports use: Polars frames about one cohort.

    import m2if_analytics.api as m2if
    ws = m2if.open_warehouse("m2if.duckdb")
    weekly = m2if.weekly(ws)                  # one row per student × programme week
    m2if.headline(ws)                         # last complete week at a glance

Every function takes an open :class:`~m2if_analytics.warehouse.workspace.Workspace` and an optional
cohort id (default: the configuration's latest cohort) and returns data, never a figure.
"""

from __future__ import annotations

import datetime as dt
import statistics
import warnings
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from m2if_analytics.calendar import iso_week_label, parse_week, programme_weeks
from m2if_analytics.engagement import NoRosterWarning, weekly_engagement
from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.pipeline import build
from m2if_analytics.warehouse.sql import frame
from m2if_analytics.warehouse.workspace import Workspace, open_workspace


def open_warehouse(db: str | Path | None = None, config: str | Path | None = None) -> Workspace:
    """Open a warehouse (options, then ``M2IF_DB``/``M2IF_CONFIG``, then defaults)."""
    return open_workspace(db, config)


def cohorts(ws: Workspace) -> pl.DataFrame:
    """The configured cohorts: id, start, end, programme weeks, holiday weeks, students."""
    build(ws.con, ws.cfg)
    counts = dict(ws.con.execute("SELECT cohort_id, count(*) FROM cohort_students "
                                 "GROUP BY cohort_id").fetchall())
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
    build(ws.con, ws.cfg)
    return frame(ws.con, 'SELECT student, group_name AS "group", from_roster FROM '
                 "cohort_students WHERE cohort_id = $c ORDER BY student", {"c": cohort_id})


def weekly(ws: Workspace, cohort: str | None = None, engine: str = "duckdb") -> pl.DataFrame:
    """Weekly engagement of the cohort (see the README's contract); no warning when unrostered.

    ``engine="spark"`` computes the same table with Spark (docs/engines.md)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoRosterWarning)
        return weekly_engagement(ws.con, ws.cfg, cohort, engine=engine)


def report_week(ws: Workspace, cohort: str | None = None,
                week: str | dt.date | None = None) -> dt.date:
    """Monday of the week to report: ``week`` (``2027-W05`` or a date), else the last
    complete week with data."""
    table = weekly(ws, cohort)
    if week is not None:
        monday = parse_week(week) if isinstance(week, str) else week - dt.timedelta(
            days=week.weekday())
        if table.is_empty() or monday not in set(table["week_start"]):
            raise M2IFError(f"week {iso_week_label(monday)} is not a programme week with data "
                            f"for cohort {ws.cfg.cohort(cohort).id}")
        return monday
    complete = table.filter(~pl.col("in_progress"))
    if complete.is_empty():
        raise M2IFError(f"cohort {ws.cfg.cohort(cohort).id} has no complete week of data yet")
    return complete["week_start"].max()  # type: ignore[return-value]


def cumulative(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """Cumulative online hours per student and week, with the pace lines.

    ``pace_hours``: the programme's total hours spread evenly over its teaching weeks (the
    1500 h line); ``target_cumulative``: the weekly target summed over teaching weeks.
    Platform time is online time only: it is expected to stay below the 1500 h line.
    """
    c = ws.cfg.cohort(cohort)
    weeks = programme_weeks(c, ws.cfg.programme.weekly_target_hours)
    teaching_total = sum(not w.holiday for w in weeks) or 1
    elapsed, pace = 0, []
    for w in weeks:
        elapsed += not w.holiday
        pace.append({"week_start": w.week_start, "teaching_weeks_elapsed": elapsed,
                     "pace_hours": ws.cfg.programme.total_hours * elapsed / teaching_total})
    pace_frame = pl.DataFrame(pace).with_columns(
        (pl.col("teaching_weeks_elapsed") * ws.cfg.programme.weekly_target_hours)
        .cast(pl.Float64).alias("target_cumulative"))
    table = weekly(ws, c.id).sort("student", "week_start")
    return (table.with_columns(pl.col("hours").cum_sum().over("student")
                               .alias("cumulative_hours"))
            .join(pace_frame, on="week_start", how="left")
            .select("student", "group", "week_start", "iso_week", "hours", "cumulative_hours",
                    "pace_hours", "target_cumulative", "in_progress"))


@dataclass(frozen=True)
class Headline:
    """The report week at a glance (numbers, not text: labels come from i18n)."""

    cohort: str
    week_start: dt.date
    iso_week: str
    holiday: bool
    students: int
    below_target: int
    median_hours: float
    previous_median_hours: float | None
    trend_hours: float | None  # median − previous week's median


def headline(ws: Workspace, cohort: str | None = None,
             week: str | dt.date | None = None) -> Headline:
    """Students below target, median hours and the trend against the previous week."""
    monday = report_week(ws, cohort, week)
    table = weekly(ws, cohort)
    this = table.filter(pl.col("week_start") == monday)
    before = table.filter(pl.col("week_start") == monday - dt.timedelta(days=7))
    median = statistics.median(this["hours"].to_list()) if len(this) else 0.0
    previous = statistics.median(before["hours"].to_list()) if len(before) else None
    return Headline(
        cohort=ws.cfg.cohort(cohort).id, week_start=monday, iso_week=iso_week_label(monday),
        holiday=bool(this["holiday"].any()), students=this.height,
        below_target=int(this["below_target"].sum()), median_hours=median,
        previous_median_hours=previous,
        trend_hours=None if previous is None else median - previous)


def below_target_streaks(ws: Workspace, cohort: str | None = None,
                         week: str | dt.date | None = None, min_weeks: int = 2) -> pl.DataFrame:
    """Students below target for at least ``min_weeks`` consecutive teaching weeks up to the
    report week (holiday weeks neither count nor break a streak).

    Columns: student, group, weeks (streak length), mean_hours (over the streak),
    last_hours (the report week).
    """
    monday = report_week(ws, cohort, week)
    table = (weekly(ws, cohort)
             .filter(~pl.col("holiday") & (pl.col("week_start") <= monday))
             .sort("student", "week_start", descending=[False, True]))
    rows = []
    for (student,), group in table.group_by("student", maintain_order=True):
        streak = []
        for row in group.iter_rows(named=True):
            if not row["below_target"]:
                break
            streak.append(row["hours"])
        if len(streak) >= min_weeks:
            rows.append({"student": student, "group": group["group"][0], "weeks": len(streak),
                         "mean_hours": sum(streak) / len(streak), "last_hours": streak[0]})
    schema = {"student": pl.String, "group": pl.String, "weeks": pl.Int64,
              "mean_hours": pl.Float64, "last_hours": pl.Float64}
    return pl.DataFrame(rows, schema=schema).sort("weeks", "mean_hours",
                                                  descending=[True, False])


@dataclass(frozen=True)
class DataQuality:
    """What the numbers rest on: freshness, set-aside rows, silent students."""

    last_event: dt.datetime | None  # local wall-clock time of the latest event
    files: pl.DataFrame  # file_name, kind, format, read, loaded, duplicates, quarantined
    quarantined: int
    silent_students: list[str]  # no event at all in the cohort's weeks so far
    inactive_last_week: list[str]  # no event in the report week


def data_quality(ws: Workspace, cohort: str | None = None,
                 week: str | dt.date | None = None) -> DataQuality:
    """Freshness of the data, ingestion accounts and students without activity."""
    tz = ws.cfg.programme.timezone
    last = ws.con.execute("SELECT max(ts) AT TIME ZONE $tz FROM raw_events",
                          {"tz": tz}).fetchall()[0][0]
    files = frame(ws.con, """
        SELECT file_name, kind, format, rows_read AS read, rows_loaded AS loaded,
               rows_duplicate AS duplicates, rows_quarantined AS quarantined
        FROM ingest_files ORDER BY file_id""")
    table = weekly(ws, cohort)
    totals = table.group_by("student").agg(pl.col("events").sum())
    silent = sorted(totals.filter(pl.col("events") == 0)["student"].to_list())
    inactive: list[str] = []
    if not table.is_empty() and not table.filter(~pl.col("in_progress")).is_empty():
        monday = report_week(ws, cohort, week)
        inactive = sorted(table.filter((pl.col("week_start") == monday)
                                       & (pl.col("events") == 0))["student"].to_list())
    return DataQuality(last_event=last, files=files,
                       quarantined=int(files["quarantined"].sum()) if len(files) else 0,
                       silent_students=silent, inactive_last_week=inactive)
