"""Execution engines for the SQL of ``queries/``: DuckDB (default) or Spark.

Both run the same pipeline files: DuckDB in the warehouse itself, Spark on SQL transpiled
from the DuckDB dialect with sqlglot (:mod:`.transpile`), fed with Parquet exports of the
warehouse. See docs/engines.md.

Owns: choosing and running an engine. May import: ``warehouse`` and the ground floor.

    from m2if_analytics.engines import get_engine
    frame = get_engine("spark").run(ws, "SELECT * FROM weekly_engagement", {},
                                    target="weekly_engagement")
"""

from __future__ import annotations

from typing import Any, Protocol

import polars as pl

from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.workspace import Workspace

ENGINES = ("duckdb", "spark")


class Engine(Protocol):
    """Runs the pipeline up to the file that creates ``target``, then one query over it."""

    name: str

    def run(self, ws: Workspace, query: str, params: dict[str, Any],
            target: str) -> pl.DataFrame:
        """``query`` is DuckDB SQL with named parameters (``$name``) taken from ``params``."""
        ...


def get_engine(name: str) -> Engine:
    """The engine called ``name`` (``duckdb`` or ``spark``); M2IFError for any other name."""
    key = name.strip().lower() if isinstance(name, str) else ""
    if key == "duckdb":
        from m2if_analytics.engines.duckdb_engine import DuckDBEngine

        return DuckDBEngine()
    if key == "spark":
        from m2if_analytics.engines.spark_engine import SparkEngine

        return SparkEngine()
    raise M2IFError(f"unknown engine {name!r}: use one of {', '.join(ENGINES)}")
