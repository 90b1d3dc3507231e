"""The warehouse's bookkeeping (table ``meta``): schema version, key fingerprint, stamps."""

from __future__ import annotations

import duckdb

from m2if_analytics.warehouse.sql import one, query, run


def get(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """The value recorded under ``key``, or None."""
    sql = query("warehouse/meta_get.sql")
    row = one(con.execute(sql.statements[0], {"key": key}))
    return row[0] if row else None


def put(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Record ``value`` under ``key`` (replacing it)."""
    run(con, "warehouse/meta_set.sql", {"key": key, "value": value})


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the warehouse holds a table called ``name``."""
    sql = query("warehouse/table_exists.sql")
    row = one(con.execute(sql.statements[0], {"name": name}))
    return bool(row and row[0])
