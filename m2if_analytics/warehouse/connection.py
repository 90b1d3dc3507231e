"""Opening the DuckDB warehouse file: engine settings, spill folder, migrations, key check."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path

import duckdb

from m2if_analytics import progress
from m2if_analytics.config import Config
from m2if_analytics.errors import KeyMismatchError, M2IFError, WarehouseBusyError
from m2if_analytics.warehouse import meta
from m2if_analytics.warehouse.migrations import migrate, pending_migrations
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser

_PID = re.compile(r"PID (\d+)")


def connect(db: str | Path, cfg: Config, create: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file (creating it when ``create``), apply pending migrations, set
    engine options. Without ``create`` (read commands) a missing file is an error, and a file
    this user cannot write is opened read-only (no migration: it must be current)."""
    db = str(db)
    read_only = False
    if db != ":memory:":
        if not create and not Path(db).is_file():
            raise M2IFError(f"warehouse {db} does not exist: build it with "
                            f"m2if --db {db} ingest moodle FILE (or pass the right --db)")
        read_only = not create and not _writable(Path(db))
        if not read_only:
            Path(db).parent.mkdir(parents=True, exist_ok=True)
    try:
        try:
            con = duckdb.connect(db, read_only=read_only)
        except duckdb.IOException as exc:  # a read-only file system, an immutable file
            if create or read_only or not _denied(exc):
                raise
            read_only = True
            con = duckdb.connect(db, read_only=True)
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
    spill = None if read_only else temp_directory(db, cfg)
    if spill is not None:
        con.execute("SET temp_directory = $d", {"d": str(spill)})
    if read_only:
        _check_current(con, db)
    else:
        migrate(con)
    return con


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse was opened read-only (a file this user cannot write)."""
    [mode] = con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone() or (False,)
    return bool(mode)


def _writable(path: Path) -> bool:
    """Whether this user may write the file and create its WAL beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _denied(exc: duckdb.IOException) -> bool:
    text = str(exc).lower()
    return "permission denied" in text or "read-only file system" in text or (
        "operation not permitted" in text)


def _check_current(con: duckdb.DuckDBPyConnection, db: str) -> None:
    """A read-only warehouse cannot be migrated: refuse one this version would change."""
    pending = pending_migrations(con)
    if pending:
        raise M2IFError(f"warehouse {db} is read-only and needs schema upgrade(s) {pending}: "
                        "open it once with write access (any m2if command) to upgrade it")

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

def check_key(con: duckdb.DuckDBPyConnection, pseudo: Pseudonymiser, key_origin: str) -> None:
    """Record the key's fingerprint on first use; refuse a different key afterwards."""
    recorded = meta.get(con, "key_fingerprint")
    if recorded is None and is_read_only(con):
        return
    if recorded is None:
        meta.put(con, "key_fingerprint", pseudo.fingerprint)
    elif recorded != pseudo.fingerprint:
        raise KeyMismatchError(
            f"the pseudonymisation key from {key_origin} (fingerprint {pseudo.fingerprint}) is not "
            f"the one this warehouse was built with (fingerprint {recorded}); use the original key "
            "file or M2IF_PSEUDONYM_KEY, or build a new warehouse with --db")
