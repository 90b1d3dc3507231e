"""The DuckDB warehouse: connection, schema migrations, key fingerprint, pipeline runner."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from m2if_analytics import progress, sqlfiles
from m2if_analytics.calendar import programme_weeks
from m2if_analytics.config import Config
from m2if_analytics.errors import KeyMismatchError, M2IFError, WarehouseBusyError
from m2if_analytics.pseudonymise import Pseudonymiser

_PID = re.compile(r"PID (\d+)")


def one(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of an executed query, consuming the whole result (DuckDB ≥ 2 requires it)."""
    rows = result.fetchall()
    return rows[0] if rows else None


def frame(con: duckdb.DuckDBPyConnection, sql: str,
          params: dict[str, Any] | None = None) -> pl.DataFrame:
    """Run a query and return its whole result as a Polars DataFrame."""
    return con.sql(sql, params=params or {}).pl()


def connect(db: str | Path, cfg: Config) -> duckdb.DuckDBPyConnection:
    """Open (or create) the warehouse file, apply pending migrations, set engine options."""
    db = str(db)
    if db != ":memory:":
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(db)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            pid = _PID.search(str(exc))
            who = f" (process {pid.group(1)})" if pid else ""
            raise WarehouseBusyError(
                f"warehouse {db} is in use by another process{who}; "
                "try again when it has finished") from None
        raise M2IFError(f"cannot open warehouse {db}: {exc}") from None
    con.execute("SET TimeZone = 'UTC'")
    if progress.enabled():  # our bars (stderr) read DuckDB's progress; it must not draw its own
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
    elif not sys.stdout.isatty():  # DuckDB draws its own progress bar on standard output
        with contextlib.suppress(duckdb.Error):  # in Jupyter without ipywidgets it refuses
            con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{_safe_setting(cfg.warehouse.memory_limit)}'")
    if cfg.warehouse.threads > 0:
        con.execute(f"SET threads = {int(cfg.warehouse.threads)}")
    spill = temp_directory(db, cfg)
    if spill is not None:
        con.execute("SET temp_directory = $d", {"d": str(spill)})
    migrate(con)
    return con


def temp_directory(db: str | Path, cfg: Config) -> Path | None:
    """Where DuckDB spills beyond its memory limit (and ingestion stages dumps): the
    configured folder, else beside the warehouse file (``m2if.duckdb.tmp``); None in memory."""
    if cfg.warehouse.temp_directory:
        return Path(cfg.warehouse.temp_directory).expanduser().resolve()
    if str(db) == ":memory:":
        return None
    return Path(f"{Path(db).resolve()}.tmp")


def _safe_setting(value: str) -> str:
    if not re.fullmatch(r"[0-9.]+\s*[A-Za-z]*", value):
        raise M2IFError(f"warehouse.memory_limit {value!r} should look like '1GB'")
    return value


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The applied schema version (0 for an empty database)."""
    exists = one(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"))
    if not exists or not exists[0]:
        return 0
    row = one(con.execute("SELECT value FROM meta WHERE key = 'schema_version'"))
    return int(row[0]) if row else 0


def applied_migrations(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions of the migrations already applied to this warehouse."""
    version = schema_version(con)
    if version == 0:
        return set()
    row = one(con.execute("SELECT value FROM meta WHERE key = 'migrations_applied'"))
    if row is None:  # recorded before the list existed: everything up to the version
        return set(range(1, version + 1))
    return {int(v) for v in row[0].split(",") if v}


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration not applied yet, in version order, each in its own transaction
    (a migration that lands after a higher-numbered one is still applied)."""
    done = applied_migrations(con)
    for version, sql in sqlfiles.migration_files():
        if version in done:
            continue
        con.begin()
        try:
            for statement in sql.statements:
                con.execute(statement)
            done.add(version)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', $v), "
                        "('migrations_applied', $list)",
                        {"v": str(max(done)), "list": ",".join(map(str, sorted(done)))})
            con.commit()
        except Exception:
            con.rollback()
            raise
    return max(done, default=0)


def check_key(con: duckdb.DuckDBPyConnection, pseudo: Pseudonymiser, key_origin: str) -> None:
    """Record the key's fingerprint on first use; refuse a different key afterwards."""
    row = one(con.execute("SELECT value FROM meta WHERE key = 'key_fingerprint'"))
    if row is None:
        con.execute("INSERT INTO meta VALUES ('key_fingerprint', $f)", {"f": pseudo.fingerprint})
    elif row[0] != pseudo.fingerprint:
        raise KeyMismatchError(
            f"the pseudonymisation key from {key_origin} (fingerprint {pseudo.fingerprint}) is not "
            f"the one this warehouse was built with (fingerprint {row[0]}); use the original key "
            "file or M2IF_PSEUDONYM_KEY, or build a new warehouse with --db")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One unit of work: committed whole or rolled back whole."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def run_sql(con: duckdb.DuckDBPyConnection, sql: sqlfiles.SqlFile,
            params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Execute every statement of one file, binding only the parameters each one uses.

    Returns the rows of the last statement (for INSERT and DELETE: the row count).
    """
    rows: list[tuple[Any, ...]] = []
    for statement in sql.statements:
        rows = con.execute(statement, sql.bind(statement, params)).fetchall()
    return rows


def ingest_sql(name: str) -> sqlfiles.SqlFile:
    """One of the ingestion SQL files in ``queries/ingest/``."""
    return sqlfiles.read_sql(sqlfiles.queries_dir() / "ingest" / name)


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
    deadline, for the indicator SQL (queries/40_* to 49_*)."""
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
    from m2if_analytics import incremental

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
