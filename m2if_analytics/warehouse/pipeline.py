"""The SQL pipeline: configuration tables, then the derived tables rebuilt from the raw layer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

import duckdb

from m2if_analytics import progress
from m2if_analytics.config import Config
from m2if_analytics.warehouse import incremental, meta
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.config_tables import sync_config_tables
from m2if_analytics.warehouse.migrations import schema_version
from m2if_analytics.warehouse.sql import transaction


def pipeline_params(cfg: Config) -> dict[str, Any]:
    """The named parameters the pipeline's SQL files may use."""
    return {
        "tz": cfg.programme.timezone,
        "timeout_seconds": float(cfg.time_on_task.inactivity_timeout_minutes) * 60.0,
        "last_event_seconds": float(cfg.time_on_task.last_event_seconds),
    }


def _stamp(con: duckdb.DuckDBPyConnection, cfg: Config) -> str:
    files = list(sqlfiles.run(con, "warehouse/ingest_state.sql")[0])
    state = {"cfg": asdict(cfg), "files": files, "schema": schema_version(con),
             "queries": [(s.path.name, s.statements) for s in sqlfiles.pipeline_files()]}
    state["cfg"].pop("source", None)
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


def is_current(con: duckdb.DuckDBPyConnection, cfg: Config) -> bool:
    """Whether the derived tables reflect this raw layer, configuration and SQL."""
    return meta.get(con, "pipeline_stamp") == _stamp(con, cfg)


def build(con: duckdb.DuckDBPyConnection, cfg: Config, force: bool = False) -> bool:
    """Rebuild the derived tables from the raw layer unless nothing changed since last time.

    When only event files were added since the last build (same configuration and queries),
    weekly engagement is refreshed for the affected persons only (:mod:`.incremental`);
    ``force`` always runs everything. Returns True when the pipeline ran.
    """

    stamp = _stamp(con, cfg)
    if not force and meta.get(con, "pipeline_stamp") == stamp:
        return False
    params = pipeline_params(cfg)
    files = sqlfiles.pipeline_files()
    with transaction(con), progress.bar("building derived tables", len(files)) as bar:
        sync_config_tables(con, cfg)
        covered = None if force else incremental.covered_file(con, cfg)
        for done, sql in enumerate(files):
            bar.update(description=f"building {sql.path.stem}")
            if covered is not None and sql.path.name == incremental.REPLACED:
                incremental.refresh(con, params, covered, bar, done)
                continue
            for n, statement in enumerate(sql.statements):
                values, share = sql.bind(statement, params), 1 / len(sql.statements)
                bar.follow(con, lambda st=statement, v=values: con.execute(st, v).fetchall(),
                           start=done + n * share, span=share)
        incremental.record(con, cfg)
        meta.put(con, "pipeline_stamp", stamp)
    return True
