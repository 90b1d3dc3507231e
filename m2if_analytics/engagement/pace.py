"""Cumulative online hours against the programme's pace to its total hours."""

from __future__ import annotations

import polars as pl

from m2if_analytics.calendar import programme_weeks
from m2if_analytics.engagement.cohort import weekly
from m2if_analytics.warehouse.workspace import Workspace


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
