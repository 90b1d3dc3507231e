"""The default engine: the pipeline runs inside the DuckDB warehouse (derived tables kept)."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.warehouse.pipeline import build
from m2if_analytics.warehouse.sql import frame


class DuckDBEngine:
    """Rebuilds the derived tables when the raw layer or config changed, then queries them."""

    name = "duckdb"

    def run(self, con: duckdb.DuckDBPyConnection, cfg: Config, query: str,
            params: dict[str, Any], target: str) -> pl.DataFrame:
        build(con, cfg)  # the whole pipeline: ``target`` is one of its tables
        return frame(con, query, params)
