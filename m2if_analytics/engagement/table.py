"""Weekly engagement against the weekly target, as Polars DataFrames."""

from __future__ import annotations

import warnings

import polars as pl

from m2if_analytics.engines import get_engine
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.workspace import Workspace

CONTRACT_COLUMNS = ["student", "week_start", "iso_week", "hours", "sessions", "active_days",
                    "events", "target_hours", "below_target"]
EXTRA_COLUMNS = ["cohort", "holiday", "in_progress", "group"]


class NoRosterWarning(UserWarning):
    """Every user with events counts as a student because no roster covers the cohort."""


def weekly_engagement(ws: Workspace, cohort: str | None = None,
                      engine: str = "duckdb") -> pl.DataFrame:
    """One row per student × programme week of ``cohort`` (default: the latest cohort).

    Columns: the export contract (student, week_start, iso_week, hours, sessions,
    active_days, events, target_hours, below_target) then cohort, holiday, in_progress, group.
    ``engine``: ``duckdb`` (in the warehouse) or ``spark`` (the same SQL, transpiled; see
    docs/engines.md); both give the same table.
    """
    runner = get_engine(engine)
    cohort_id = ws.cfg.cohort(cohort).id
    result = runner.run(ws, sql.query("engagement/weekly.sql").statements[0], {"c": cohort_id},
                        target="weekly_engagement")
    [(rostered,)] = sql.run(ws.con, "engagement/rostered.sql", {"c": cohort_id})
    if rostered == 0:
        warnings.warn(f"no roster for cohort {cohort_id}: every user with events counts as a "
                      "student (ingest one with `m2if ingest roster FILE`)", NoRosterWarning,
                      stacklevel=2)
    return result.with_columns(pl.col("sessions", "active_days", "events").cast(pl.Int64))
