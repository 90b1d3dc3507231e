"""The default engine: the pipeline runs inside the DuckDB warehouse (derived tables kept)."""

from __future__ import annotations

from typing import Any

import polars as pl

from m2if_analytics.warehouse.sql import frame
from m2if_analytics.warehouse.workspace import Workspace


class DuckDBEngine:
    """Queries the warehouse's derived tables, brought up to date by ``ws.tables``."""

    name = "duckdb"

    def run(self, ws: Workspace, query: str, params: dict[str, Any],
            target: str) -> pl.DataFrame:
        return frame(ws.tables, query, params)  # ``target`` is one of the pipeline's tables
