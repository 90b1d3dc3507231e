"""Weekly engagement against the weekly target, as Polars DataFrames."""

from __future__ import annotations

import warnings
from pathlib import Path

import polars as pl

from m2if_analytics.engines import get_engine
from m2if_analytics.errors import M2IFError
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


def check_output(out: Path) -> None:
    """Refuse an output path that is not a .csv/.parquet file name (before any work)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise M2IFError(f"{out}: the output must end in .csv or .parquet")
    if out.is_dir():
        raise M2IFError(f"{out} is a folder; give a file name ending in {suffix}")


def write_table(frame: pl.DataFrame, out: Path) -> None:
    """Write CSV (``week_start`` as YYYY-MM-DD, booleans true/false) or Parquet by extension."""
    check_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".parquet":
        frame.write_parquet(out)
    else:
        frame.write_csv(out)
