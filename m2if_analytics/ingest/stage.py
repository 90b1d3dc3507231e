"""Scratch files of one ingestion (a Parquet stage), kept in the warehouse's temp directory."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from m2if_analytics.warehouse.sql import one

_STAGE = re.compile(r"m2if-stage-(\d+)-[0-9a-f]+\.parquet(\.utf8\.csv)?")


def temp_folder(con: duckdb.DuckDBPyConnection) -> Path:
    """DuckDB's temp directory (where it spills), or the system's for an in-memory database."""
    row = one(con.execute("SELECT current_setting('temp_directory')"))
    setting = Path(row[0]) if row and row[0] else None
    folder = setting if setting is not None and setting.is_absolute() else Path(
        tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(folder: Path) -> None:
    """Delete stage files left by killed processes (a live process keeps its own)."""
    for path in folder.glob("m2if-stage-*"):
        match = _STAGE.fullmatch(path.name)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                path.unlink()


@contextmanager
def stage_file(con: duckdb.DuckDBPyConnection) -> Iterator[Path]:
    """A fresh Parquet path in the temp directory, deleted when the block ends."""
    folder = temp_folder(con)
    remove_stale(folder)
    path = folder / f"m2if-stage-{os.getpid()}-{secrets.token_hex(6)}.parquet"
    try:
        yield path
    finally:
        for scratch in (path, repaired_copy(path)):
            with contextlib.suppress(OSError):
                scratch.unlink()


def repaired_copy(stage: Path) -> Path:
    """Where a repaired (UTF-8, quote-safe) copy of the staged file is written."""
    return stage.with_name(stage.name + ".utf8.csv")
