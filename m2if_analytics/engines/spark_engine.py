"""The Spark engine: the pipeline's SQL, transpiled, on Parquet exports of the warehouse.

One run: parse the pipeline files up to the wanted table (:mod:`.spark_plan`), export the
tables they read to Parquet (the raw layer from the warehouse, the ``cfg_*`` tables written
fresh from the configuration), register them as temporary views, create every pipeline
table as a cached temporary view, collect the final query through Arrow into Polars, then
drop the views and the Parquet folder. The warehouse itself is only read.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.engines import spark_plan, transpile
from m2if_analytics.engines.spark_session import run_settings, spark_session
from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.config_tables import sync_config_tables
from m2if_analytics.warehouse.pipeline import pipeline_params
from m2if_analytics.warehouse.workspace import Workspace

EXCHANGE_ENV = "M2IF_SPARK_EXCHANGE"


class SparkEngine:
    """Runs the transpiled pipeline on the session :func:`spark_session` gives."""

    name = "spark"

    def run(self, ws: Workspace, query: str, params: dict[str, Any],
            target: str) -> pl.DataFrame:
        con, cfg = ws.con, ws.cfg  # Spark recomputes from the raw tables
        statements = spark_plan.pipeline_statements(target)
        tables = spark_plan.input_tables(statements, query)
        with config_tables(cfg) as cfg_con, exchange_folder() as folder:
            sources = {t: _source(con, cfg_con, t) for t in tables}
            exports = {t: _exported_columns(sources[t], t) for t in tables}
            schema = {t: {c: kind for c, (_, kind) in cols.items()} for t, cols in exports.items()}
            plan = spark_plan.build_plan(statements, pipeline_params(cfg), query, params, schema,
                                         prefix=f"m2if_{secrets.token_hex(4)}_")
            files, ddl = {}, {}
            for t in tables:
                used = plan.columns[t]
                files[t] = export_parquet(sources[t], t, [exports[t][c][0] for c in used], folder)
                ddl[t] = ", ".join(f"`{c.replace('`', '``')}` {transpile.spark_type(schema[t][c])}"
                                   for c in used)
            with spark_errors():
                spark = spark_session()
                with run_settings(spark):
                    arrow = _execute(spark, plan, files, ddl)
        return pl.from_arrow(arrow)  # type: ignore[return-value]


def _execute(spark: Any, plan: spark_plan.SparkPlan, files: dict[str, Path],
             ddl: dict[str, str]) -> Any:
    """Register the inputs, create the views, collect the query as an Arrow table. The
    Parquet schemas are given (``ddl``), which spares Spark a schema-inference job each."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas",
                                FutureWarning)  # pandas is not used on this path
        try:
            for table, view in plan.inputs.items():
                reader = spark.read.schema(ddl[table]) if ddl[table] else spark.read
                reader.parquet(files[table].as_uri()).createOrReplaceTempView(view)
            for step in plan.steps:
                spark.sql(step.sql)
                if step.cache:  # read several times later: computed once, on first use
                    spark.sql(f"CACHE LAZY TABLE `{step.view}`")
            return spark.sql(plan.query).toArrow()
        finally:
            _drop_views(spark, plan)


def _drop_views(spark: Any, plan: spark_plan.SparkPlan) -> None:
    """Uncache the cached steps, then drop every view of the run. In that order: dropping a
    view while cached plans remain makes Spark check each of them for a dependency on it
    (0.5 s of a run on a few hundred rows, against 0.1 s)."""
    for step in plan.steps:
        if step.cache:  # IF EXISTS: the run may have failed before creating it
            spark.sql(f"UNCACHE TABLE IF EXISTS `{step.view}`")
    for view in plan.views:
        spark.catalog.dropTempView(view)


@contextmanager
def config_tables(cfg: Config) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB holding the ``cfg_*`` tables of ``cfg`` (the warehouse's copies
    are only refreshed by a DuckDB build)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        sync_config_tables(con, cfg)
        yield con
    finally:
        con.close()


@contextmanager
def exchange_folder() -> Iterator[Path]:
    """A fresh folder for this run's Parquet files, removed afterwards. It is made under
    ``$M2IF_SPARK_EXCHANGE`` when set (a path the Spark executors can read), else in the
    system's temporary folder (enough for a local master)."""
    base = os.environ.get(EXCHANGE_ENV) or None
    if base is not None:
        Path(base).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="m2if-spark-", dir=base))
    try:
        yield folder.resolve()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    rows = con.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema = 'main' AND lower(table_name) = $t",
                       {"t": table}).fetchall()
    return bool(rows[0][0])


def _source(con: duckdb.DuckDBPyConnection, cfg_con: duckdb.DuckDBPyConnection,
            table: str) -> duckdb.DuckDBPyConnection:
    for candidate in (cfg_con, con):
        if _has_table(candidate, table):
            return candidate
    raise M2IFError(f"the pipeline reads table {table}, which the warehouse does not have")


def _exported_columns(con: duckdb.DuckDBPyConnection,
                      table: str) -> dict[str, tuple[str, str]]:
    """Column → (export expression, DuckDB type for the transpiler), in table order."""
    rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND lower(table_name) = $t "
                       "ORDER BY ordinal_position", {"t": table}).fetchall()
    return {name.lower(): transpile.parquet_column(name, kind) for name, kind in rows}


def export_parquet(con: duckdb.DuckDBPyConnection, table: str, columns: list[str],
                   folder: Path) -> Path:
    """``COPY (SELECT columns FROM table) TO folder/table.parquet`` and return that path."""
    path = folder / f"{table}.parquet"
    select = ", ".join(columns) or "NULL AS m2if_no_column"
    target = "'" + str(path).replace("'", "''") + "'"
    name = '"' + table.replace('"', '""') + '"'
    con.execute(f"COPY (SELECT {select} FROM {name}) TO {target} (FORMAT parquet)")
    return path


@contextmanager
def spark_errors() -> Iterator[None]:
    """PySpark and JVM failures as one-line M2IFErrors (the cause stays chained)."""
    try:
        yield
    except M2IFError:
        raise
    except Exception as exc:
        if not type(exc).__module__.startswith(("pyspark", "py4j")):
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise M2IFError(f"spark engine: {first}") from exc
