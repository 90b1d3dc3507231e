"""The SQL pipeline: configuration tables, then the derived tables rebuilt from the raw layer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

import duckdb
import polars as pl

from m2if_analytics import progress
from m2if_analytics.calendar import programme_weeks
from m2if_analytics.config import Config
from m2if_analytics.warehouse import incremental
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.migrations import schema_version
from m2if_analytics.warehouse.sql import one, transaction


def pipeline_params(cfg: Config) -> dict[str, Any]:
    """The named parameters the pipeline's SQL files may use."""
    return {
        "tz": cfg.programme.timezone,
        "timeout_seconds": float(cfg.time_on_task.inactivity_timeout_minutes) * 60.0,
        "last_event_seconds": float(cfg.time_on_task.last_event_seconds),
    }

def sync_config_tables(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """Write the cohorts and their calendar weeks (config → tables the SQL joins to)."""
    cohorts = pl.DataFrame(
        {"cohort_id": [c.id for c in cfg.cohorts], "start_date": [c.start for c in cfg.cohorts],
         "end_date": [c.end for c in cfg.cohorts]},
        schema={"cohort_id": pl.String, "start_date": pl.Date, "end_date": pl.Date})
    weeks = [w for c in cfg.cohorts for w in programme_weeks(c, cfg.programme.weekly_target_hours)]
    calendar = pl.DataFrame(
        {"cohort_id": [w.cohort_id for w in weeks], "week_start": [w.week_start for w in weeks],
         "iso_week": [w.iso_week for w in weeks], "holiday": [w.holiday for w in weeks],
         "target_hours": [w.target_hours for w in weeks]},
        schema={"cohort_id": pl.String, "week_start": pl.Date, "iso_week": pl.String,
                "holiday": pl.Boolean, "target_hours": pl.Float64})
    con.register("_cohorts_df", cohorts)
    con.register("_calendar_df", calendar)
    con.execute("CREATE OR REPLACE TABLE cfg_cohorts AS SELECT * FROM _cohorts_df")
    con.execute("CREATE OR REPLACE TABLE cfg_calendar_weeks AS SELECT * FROM _calendar_df")
    con.unregister("_cohorts_df")
    con.unregister("_calendar_df")
    _sync_programme_tables(con, cfg)

def _sync_programme_tables(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """The teaching units, the programme's rules (one row) and each cohort's mission-letter
    deadline, for the indicator SQL (queries/pipeline/40_* to 49_*)."""
    units = pl.DataFrame(
        {"code": [u.code for u in cfg.units], "title": [u.title for u in cfg.units],
         "semester": [u.semester for u in cfg.units],
         "coefficient": [u.coefficient for u in cfg.units],
         "position": list(range(1, len(cfg.units) + 1))},
        schema={"code": pl.String, "title": pl.String, "semester": pl.Int32,
                "coefficient": pl.Float64, "position": pl.Int32})
    p, h = cfg.programme, cfg.honours
    rules = pl.DataFrame(
        {"timezone": [p.timezone], "pass_mark": [p.pass_mark], "total_hours": [p.total_hours],
         "internship_min_days": [p.internship_min_days],
         "internship_pace_ratio": [cfg.risk.internship_pace_ratio],
         "honours_passable": [h.passable], "honours_assez_bien": [h.assez_bien],
         "honours_bien": [h.bien], "honours_tres_bien": [h.tres_bien]},
        schema={"timezone": pl.String, **dict.fromkeys(
            ["pass_mark", "total_hours", "internship_min_days", "internship_pace_ratio",
             "honours_passable", "honours_assez_bien", "honours_bien", "honours_tres_bien"],
            pl.Float64)})
    letters = pl.DataFrame(
        {"cohort_id": [c.id for c in cfg.cohorts],
         "mission_letter_deadline": [cfg.mission_letter_deadline(c.id) for c in cfg.cohorts]},
        schema={"cohort_id": pl.String, "mission_letter_deadline": pl.Date})
    for name, df in (("cfg_units", units), ("cfg_programme", rules),
                     ("cfg_cohort_rules", letters)):
        con.register("_cfg_df", df)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _cfg_df")
        con.unregister("_cfg_df")

def _stamp(con: duckdb.DuckDBPyConnection, cfg: Config) -> str:
    files = one(con.execute("SELECT count(*), coalesce(max(file_id), 0) FROM ingest_files"))
    state = {"cfg": asdict(cfg), "files": files, "schema": schema_version(con),
             "queries": [(s.path.name, s.statements) for s in sqlfiles.pipeline_files()]}
    state["cfg"].pop("source", None)
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()

def build(con: duckdb.DuckDBPyConnection, cfg: Config, force: bool = False) -> bool:
    """Rebuild the derived tables from the raw layer unless nothing changed since last time.

    When only event files were added since the last build (same configuration and queries),
    weekly engagement is refreshed for the affected persons only (:mod:`.incremental`);
    ``force`` always runs everything. Returns True when the pipeline ran.
    """

    stamp = _stamp(con, cfg)
    row = one(con.execute("SELECT value FROM meta WHERE key = 'pipeline_stamp'"))
    if not force and row is not None and row[0] == stamp:
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
        con.execute("INSERT OR REPLACE INTO meta VALUES ('pipeline_stamp', $s)", {"s": stamp})
    return True
