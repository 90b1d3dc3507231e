"""What the numbers rest on: data freshness, ingestion accounts, silent students."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from m2if_analytics.engagement.cohort import report_week, weekly
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.identities import unmatched
from m2if_analytics.warehouse.workspace import Workspace


@dataclass(frozen=True)
class DataQuality:
    """What the numbers rest on: freshness, set-aside rows, silent students."""

    last_event: dt.datetime | None  # local wall-clock time of the latest event
    files: pl.DataFrame  # file_name, kind, format, read, loaded, duplicates, quarantined
    quarantined: int
    silent_students: list[str]  # no event at all in the cohort's weeks so far
    inactive_last_week: list[str]  # no event in the report week
    unmatched: pl.DataFrame = field(default_factory=pl.DataFrame)  # in no roster


def data_quality(ws: Workspace, cohort: str | None = None,
                 week: str | dt.date | None = None) -> DataQuality:
    """Freshness of the data, ingestion accounts and students without activity."""
    tz = ws.cfg.programme.timezone
    last = sql.run(ws.tables, "engagement/latest_event.sql", {"tz": tz})[0][0]
    files = sql.select(ws.tables, "engagement/ingest_accounts.sql")
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
                       silent_students=silent, inactive_last_week=inactive,
                       unmatched=unmatched(ws))
