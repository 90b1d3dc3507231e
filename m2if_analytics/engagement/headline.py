"""The report week at a glance: students below target, median hours, below-target streaks."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

import polars as pl

from m2if_analytics.calendar import iso_week_label
from m2if_analytics.engagement.cohort import report_week, weekly
from m2if_analytics.warehouse.workspace import Workspace


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
