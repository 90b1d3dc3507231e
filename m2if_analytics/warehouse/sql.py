"""SQL files of ``queries/``: locate them, read their header, split statements, bind params."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

_PARAM = re.compile(r"(?<![:$\w])\$([A-Za-z_][A-Za-z0-9_]*)")


def queries_dir() -> Path:
    """The packaged ``queries`` folder (wheel) or the repository's (editable install)."""
    packaged = Path(__file__).resolve().parents[1] / "queries"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "queries"


@dataclass(frozen=True)
class SqlFile:
    """One SQL file: its header comment, statements and the named parameters they use."""

    path: Path
    header: str
    statements: tuple[str, ...]

    @property
    def params(self) -> set[str]:
        return {p for s in self.statements for p in _PARAM.findall(_strip_comments(s))}

    def bind(self, statement: str, values: dict[str, Any]) -> dict[str, Any]:
        """The subset of ``values`` a statement uses (DuckDB rejects extra parameters)."""
        wanted = set(_PARAM.findall(_strip_comments(statement)))
        missing = wanted - set(values)
        if missing:
            raise KeyError(f"{self.path.name}: parameters {sorted(missing)} not supplied")
        return {k: values[k] for k in wanted}


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def read_sql(path: Path) -> SqlFile:
    """Parse a file: leading ``--`` lines are the header; statements end with ``;`` at EOL."""
    text = path.read_text(encoding="utf-8")
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        header_lines.append(line[2:].strip())
    parts = re.split(r";[ \t]*(?:\n|$)", text)
    statements = tuple(p.strip() for p in parts if _strip_comments(p).strip())
    return SqlFile(path, "\n".join(header_lines), statements)


def pipeline_files(folder: Path | None = None) -> list[SqlFile]:
    """The transformation files (``NN_name.sql``) in file-name order."""
    folder = folder or queries_dir() / "pipeline"
    return [read_sql(p) for p in sorted(folder.glob("[0-9][0-9]_*.sql"))]


def migration_files(folder: Path | None = None) -> list[tuple[int, SqlFile]]:
    """Schema migrations ``migrations/NNN_name.sql`` as (version, file), ascending."""
    folder = (folder or queries_dir()) / "migrations"
    out = []
    for p in sorted(folder.glob("[0-9][0-9][0-9]_*.sql")):
        out.append((int(p.name[:3]), read_sql(p)))
    return out


def one(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of an executed query, consuming the whole result (DuckDB ≥ 2 requires it)."""
    rows = result.fetchall()
    return rows[0] if rows else None


def frame(con: duckdb.DuckDBPyConnection, sql: str,
          params: dict[str, Any] | None = None) -> pl.DataFrame:
    """Run a query and return its whole result as a Polars DataFrame (read through the Arrow
    C stream interface, as :func:`register` writes: no pyarrow import, 0.1 s a command)."""
    return pl.DataFrame(con.sql(sql, params=params or {}))


class _ArrowStream:
    """A Polars frame seen only as an Arrow C stream (PyCapsule): DuckDB scans it without
    converting it to a pyarrow table first (its Polars path imports pyarrow)."""

    __slots__ = ("frame",)

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self.frame.__arrow_c_stream__(requested_schema)


def register(con: duckdb.DuckDBPyConnection, name: str, data: Any) -> None:
    """Make ``data`` (a Polars frame, or anything DuckDB scans) visible to SQL as ``name``."""
    con.register(name, _ArrowStream(data) if isinstance(data, pl.DataFrame) else data)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One unit of work: committed whole or rolled back whole. Inside another transaction on
    the same connection it is part of that one (a pull stores a batch and its high-water
    mark together): the outermost block commits or rolls back."""
    if id(con) in _OPEN:
        yield
        return
    _OPEN.add(id(con))
    try:
        con.begin()
        try:
            yield
        except BaseException:
            con.rollback()
            raise
        con.commit()
    finally:
        _OPEN.discard(id(con))


_OPEN: set[int] = set()  # connections inside a transaction() block


@contextmanager
def cleanup(action: Callable[[], object]) -> Iterator[None]:
    """Run ``action`` after the block whatever happens, without masking the block's error:
    in a failed transaction DuckDB refuses every statement ("Current transaction is
    aborted"), and that message would replace the real cause."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            action()
        raise
    action()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, frames: dict[str, Any]) -> Iterator[None]:
    """Frames visible to SQL under their names for the block, then unregistered."""
    for name, data in frames.items():
        register(con, name, data)

    def drop() -> None:
        for name in frames:
            con.unregister(name)

    with cleanup(drop):
        yield


def run_sql(con: duckdb.DuckDBPyConnection, sql: SqlFile,
            params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Execute every statement of one file, binding only the parameters each one uses.

    Returns the rows of the last statement (for INSERT and DELETE: the row count).
    """
    rows: list[tuple[Any, ...]] = []
    for statement in sql.statements:
        rows = con.execute(statement, sql.bind(statement, params)).fetchall()
    return rows


@functools.cache
def query(name: str) -> SqlFile:
    """The SQL file ``queries/<name>`` (``"risk/last_events.sql"``), read once per process."""
    path = queries_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file {name} in {queries_dir()}")
    return read_sql(path)


def run(con: duckdb.DuckDBPyConnection, name: str,
        params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Execute every statement of ``queries/<name>``; the rows of the last one."""
    return run_sql(con, query(name), params or {})


def select(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None,
           schema: dict[str, Any] | None = None) -> pl.DataFrame:
    """The result of ``queries/<name>`` (one SELECT) as a Polars frame, cast to ``schema``."""
    sql = query(name)
    if len(sql.statements) != 1:
        raise ValueError(f"{name}: select() runs a file of one statement, not "
                         f"{len(sql.statements)}")
    statement = sql.statements[0]
    result = frame(con, statement, sql.bind(statement, params or {}))
    return result.cast(schema) if schema else result
