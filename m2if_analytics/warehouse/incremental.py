"""Incremental refresh of weekly engagement after new event files (``build`` decides).

After a build, the warehouse records its *base* (configuration without the engine settings,
schema version, the text of every pipeline and refresh query) and the highest file id the
derived tables cover. At the next build, when the base is unchanged and every file ingested
since only adds events or programme tables (never a roster, which can move identities between
persons), ``30_weekly_engagement.sql`` is replaced by ``queries/incremental/``: the persons
with new events get their weeks recomputed from the local week of (their earliest new event −
the inactivity timeout), everyone else keeps their stored weeks, and only the flags that
depend on the latest event are re-derived. Every other pipeline file runs as usual.

The refresh SQL mirrors ``20_event_credits.sql`` and ``30_weekly_engagement.sql``. Their
texts (comments and spacing aside) are fingerprinted in ``MIRRORED``: when either changes, the
refresh is refused (full builds, still correct) until the refresh SQL has been checked
against it and the fingerprint updated (``tests/warehouse/test_incremental.py`` says so).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from m2if_analytics.config import Config
from m2if_analytics.progress import Bar
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.migrations import schema_version
from m2if_analytics.warehouse.sql import one, run_sql

REPLACED = "30_weekly_engagement.sql"
MIRRORED = {"20_event_credits.sql": "c9da19f263c16198", REPLACED: "c85704410c20f3f8"}
EVENT_KINDS = frozenset({"moodle", "xapi"})  # files that only add raw_events and identities
NEUTRAL_KINDS = frozenset({"grades", "deadlines", "submissions", "internship",
                           "mission_letters", "forum", "oulad"})  # not read by 10–30
_EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class RefreshStats:
    """What one refresh recomputed: persons, their weekly rows, the events it read."""

    persons: int
    rows_recomputed: int
    rows_total: int
    events_recomputed: int
    since_file_id: int


def fingerprint(sql: sqlfiles.SqlFile) -> str:
    """Hash of a file's statements without comments and spacing."""
    code = (line.split("--", 1)[0] for s in sql.statements for line in s.splitlines())
    return hashlib.sha256(" ".join(" ".join(code).split()).encode()).hexdigest()[:16]


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


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = one(con.execute("SELECT value FROM meta WHERE key = $k", {"k": key}))
    return row[0] if row else None


def mirrors_match() -> bool:
    """True while 20 and 30 are the versions the refresh SQL was written against."""
    files = {s.path.name: s for s in sqlfiles.pipeline_files()}
    return all(name in files and fingerprint(files[name]) == expected
               for name, expected in MIRRORED.items())


def covered_file(con: duckdb.DuckDBPyConnection, cfg: Config) -> int | None:
    """The highest file id the stored weekly table covers, when a refresh may replace the
    full run of 30_weekly_engagement.sql; None when a full build is needed."""
    last = _meta(con, "weekly_file")
    if last is None or _meta(con, "weekly_base") != base(con, cfg) or not mirrors_match():
        return None
    kinds = {r[0] for r in con.execute(
        "SELECT DISTINCT kind FROM ingest_files WHERE file_id > $f", {"f": int(last)}).fetchall()}
    if not kinds <= EVENT_KINDS | NEUTRAL_KINDS:
        return None
    exists = one(con.execute("SELECT count(*) FROM information_schema.tables "
                             "WHERE table_name = 'weekly_engagement'"))
    return int(last) if exists and exists[0] else None


def refresh(con: duckdb.DuckDBPyConnection, params: dict[str, Any], last_file_id: int,
            bar: Bar | None = None, start: float = 0.0) -> RefreshStats:
    """Replace weekly_engagement from its stored rows and the affected persons' events
    (``bar`` moves from ``start`` by one while the recomputation runs)."""
    bar = bar or Bar()
    affected, refreshed = refresh_files()
    run_sql(con, affected, {**params, "last_file_id": last_file_id})
    row = one(con.execute(
        """SELECT count(*), bool_or(from_week IS NULL),
                  min(CAST(from_week AS TIMESTAMP) AT TIME ZONE $tz) - to_seconds($timeout)
                      - INTERVAL 1 DAY
           FROM _refresh_persons""",
        {"tz": params["tz"], "timeout": params["timeout_seconds"]}))
    assert row is not None
    persons, newcomers, earliest = row
    scan_from = _EARLIEST if newcomers or earliest is None else earliest
    values, share = {**params, "scan_from": scan_from}, 1 / len(refreshed.statements)
    for n, statement in enumerate(refreshed.statements):
        bound = refreshed.bind(statement, values)
        bar.follow(con, lambda st=statement, v=bound: con.execute(st, v).fetchall(),
                   start=start + n * share, span=share)
    counts = one(con.execute(
        """SELECT
               (SELECT count(*) FROM weekly_engagement AS w JOIN _refresh_persons AS r
                    ON r.student = w.student
                WHERE r.from_week IS NULL OR w.week_start >= r.from_week),
               (SELECT count(*) FROM weekly_engagement),
               (SELECT coalesce(sum(events), 0) FROM _refresh_weeks)"""))
    assert counts is not None
    for table in ("_refresh_weeks", "_refresh_persons", "_weekly_before"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    stats = RefreshStats(int(persons), int(counts[0]), int(counts[1]), int(counts[2]),
                         last_file_id)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('weekly_refresh', $s)",
                {"s": json.dumps(asdict(stats))})
    return stats


def record(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """After a build: what the derived tables now cover (base and highest file id)."""
    last = one(con.execute("SELECT coalesce(max(file_id), 0) FROM ingest_files"))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('weekly_base', $b), ('weekly_file', $f)",
                {"b": base(con, cfg), "f": str(last[0] if last else 0)})


def last_refresh(con: duckdb.DuckDBPyConnection) -> RefreshStats | None:
    """Figures of the latest incremental refresh (None when every build was full)."""
    text = _meta(con, "weekly_refresh")
    return RefreshStats(**json.loads(text)) if text else None
