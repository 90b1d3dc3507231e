"""High-water marks of the pulls (``pull_marks``): read one, move one inside the
transaction that stores the rows it covers, list them all."""

from __future__ import annotations

import datetime as dt

import duckdb

from m2if_analytics.warehouse.sql import query, run_sql


def get(con: duckdb.DuckDBPyConnection, source: str, item: str) -> str | None:
    """The item's mark, or None when it was never pulled."""
    rows = run_sql(con, query("pull/mark_get.sql"), {"source": source, "item": item})
    return str(rows[0][0]) if rows else None


def put(con: duckdb.DuckDBPyConnection, source: str, item: str, mark: str, rows: int) -> None:
    """Move the item's mark (call it inside the transaction that stores the rows)."""
    run_sql(con, query("pull/mark_set.sql"),
            {"source": source, "item": item, "mark": mark, "rows": rows,
             "at": dt.datetime.now(dt.UTC)})


def listing(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every mark: (source, item, mark, rows read, pulled at)."""
    return run_sql(con, query("pull/marks.sql"), {})
