"""Incremental refresh of weekly engagement after new event files (``build`` decides).

After a build, the warehouse records its *base* (configuration without the engine settings,
schema version, the text of every pipeline and refresh query) and the highest file id the
derived tables cover. At the next build, when the base is unchanged and every file ingested
since only adds events or programme tables (never a roster, which can move identities between
persons), ``30_weekly_engagement.sql`` is replaced by ``queries/incremental/``: the persons
with new events get their weeks recomputed from the local week of (their earliest new event −
the inactivity timeout), everyone else keeps their stored weeks, and the flags that depend on
the latest event are re-derived. Every other pipeline file runs as usual.

The refresh has no rule of its own: it calls the pipeline's macros (``event_credits`` of
20, ``student_weeks`` and ``weekly_rows`` of 30) with a lower bound, so the two cannot drift.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from m2if_analytics.config import Config
from m2if_analytics.progress import Bar
from m2if_analytics.warehouse import meta
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.migrations import schema_version

REPLACED = "30_weekly_engagement.sql"
EVENT_KINDS = frozenset({"moodle", "xapi"})  # files that only add raw_events and identities
NEUTRAL_KINDS = frozenset({"grades", "deadlines", "submissions", "internship",
                           "mission_letters", "forum", "oulad",
                           "followup"})  # not read by 10–30 (follow-ups by no derived table)


@dataclass(frozen=True)
class RefreshStats:
    """What one refresh recomputed: persons, their weekly rows, the events it read."""

    persons: int
    rows_recomputed: int
    rows_total: int
    events_recomputed: int
    since_file_id: int


def refresh_files() -> list[sqlfiles.SqlFile]:
    """The refresh queries, in the order they run."""
    return [sqlfiles.query(f"incremental/{name}")
            for name in ("weekly_affected.sql", "weekly_refresh.sql")]


def base(con: duckdb.DuckDBPyConnection, cfg: Config) -> str:
    """What the derived tables depend on besides the raw data."""
    settings = asdict(cfg)
    settings.pop("source", None)
    settings.pop("warehouse", None)  # memory, threads, spill folder: same results
    files = [*sqlfiles.pipeline_files(), *refresh_files()]
    state = {"cfg": settings, "schema": schema_version(con),
             "queries": [(s.path.name, s.statements) for s in files]}
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


def covered_file(con: duckdb.DuckDBPyConnection, cfg: Config) -> int | None:
    """The highest file id the stored weekly table covers, when a refresh may replace the
    full run of 30_weekly_engagement.sql; None when a full build is needed."""
    last = meta.get(con, "weekly_file")
    if last is None or meta.get(con, "weekly_base") != base(con, cfg):
        return None
    kinds = {r[0] for r in sqlfiles.run(con, "incremental/file_kinds.sql",
                                        {"last_file_id": int(last)})}
    if not kinds <= EVENT_KINDS | NEUTRAL_KINDS:
        return None
    stored = meta.table_exists(con, "weekly_engagement") and meta.table_exists(
        con, "weekly_activity")
    return int(last) if stored else None


def refresh(con: duckdb.DuckDBPyConnection, params: dict[str, Any], last_file_id: int,
            bar: Bar | None = None, start: float = 0.0) -> RefreshStats:
    """Replace the affected persons' weeks of weekly_activity, then weekly_engagement
    (``bar`` moves from ``start`` by one while the recomputation runs)."""
    bar = bar or Bar()
    affected, refreshed = refresh_files()
    sqlfiles.run_sql(con, affected, {**params, "last_file_id": last_file_id})
    [(persons, from_week, read_from)] = sqlfiles.run(con, "incremental/refresh_bounds.sql",
                                                     params)
    values = {**params, "from_week": from_week, "read_from": read_from}
    share = 1 / len(refreshed.statements)
    for n, statement in enumerate(refreshed.statements):
        bound = refreshed.bind(statement, values)
        bar.follow(con, lambda st=statement, v=bound: con.execute(st, v).fetchall(),
                   start=start + n * share, span=share)
    [counts] = sqlfiles.run(con, "incremental/refresh_counts.sql")
    con.execute("DROP TABLE IF EXISTS _refresh_persons")
    stats = RefreshStats(int(persons), int(counts[0]), int(counts[1]), int(counts[2]),
                         last_file_id)
    meta.put(con, "weekly_refresh", json.dumps(asdict(stats)))
    return stats


def record(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """After a build: what the derived tables now cover (base and highest file id)."""
    [(last,)] = sqlfiles.run(con, "warehouse/last_file.sql")
    meta.put(con, "weekly_base", base(con, cfg))
    meta.put(con, "weekly_file", str(last))


def last_refresh(con: duckdb.DuckDBPyConnection) -> RefreshStats | None:
    """Figures of the latest incremental refresh (None when every build was full)."""
    text = meta.get(con, "weekly_refresh")
    return RefreshStats(**json.loads(text)) if text else None
