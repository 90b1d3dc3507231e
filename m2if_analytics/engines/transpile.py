"""DuckDB SQL → Spark SQL: every dialect difference the pipeline meets, in this one module.

``sqlglot.transpile(read="duckdb", write="spark")`` does most of the work. What it does not
do, or does differently from DuckDB, is fixed here on sqlglot's syntax tree, after the tree
has been qualified and typed with the DuckDB types of the input tables:

* table macros (``CREATE MACRO f(p) AS TABLE ...``) are expanded in place as subqueries with
  their arguments substituted; named parameters (``$tz``) become quoted literals;
* ``CREATE OR REPLACE TABLE t AS q`` becomes ``CREATE OR REPLACE TEMPORARY VIEW t AS q``;
* ``x AT TIME ZONE tz`` (and ``timezone(tz, x)``): a TIMESTAMPTZ gives its local wall time,
  ``from_utc_timestamp``; a naive TIMESTAMP is read as local wall time, ``to_utc_timestamp``
  (sqlglot writes ``from_utc_timestamp`` for both);
* ``epoch(ts)`` gives fractional seconds as a DOUBLE (sqlglot's ``unix_timestamp`` truncates);
* ``date_trunc('week', <DATE>)`` truncates the date itself (``trunc``) to the Monday;
* ``<DATE> ± INTERVAL`` is a TIMESTAMP in DuckDB (a DATE in Spark): the date is cast first;
* ``a / b`` is a DOUBLE in DuckDB even for integers and decimals (Spark keeps decimals):
  the dividend is cast to DOUBLE;
* types: TIMESTAMP and TIMESTAMPTZ are both Spark ``TIMESTAMP`` (the session time zone is
  UTC, so a naive timestamp is stored as its wall time in UTC); unsigned and 128-bit integers
  become the smallest Spark type that holds them.

Spark must run with ``spark.sql.session.timeZone = UTC`` (see ``spark_session``): casts
between DATE and TIMESTAMP, ``date_trunc`` and interval arithmetic on timestamps then follow
wall-clock time exactly as DuckDB's naive TIMESTAMP does. docs/engines.md has the details.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

from m2if_analytics.errors import M2IFError

READ = "duckdb"
WRITE = "spark"
Schema = dict[str, dict[str, str]]  # table → column → DuckDB type

T = exp.DataType.Type
INSTANT = {T.TIMESTAMPTZ, T.TIMESTAMPLTZ}
WALL_TIME = {T.TIMESTAMP, T.TIMESTAMPNTZ, T.DATETIME}
FLOATS = {T.DOUBLE, T.FLOAT}
SPARK_TIMESTAMP = exp.DataType.build("TIMESTAMP", dialect=WRITE)
SPARK_TYPES = {  # DuckDB types Spark lacks or names differently
    **dict.fromkeys(INSTANT | WALL_TIME, "TIMESTAMP"),
    T.UINT128: "DECIMAL(38, 0)",
    T.INT128: "DECIMAL(38, 0)",
    T.UBIGINT: "DECIMAL(20, 0)",
    T.UINT: "BIGINT",
    T.USMALLINT: "INT",
    T.UTINYINT: "SMALLINT",
}
DATE_UNITS = {"WEEK", "MONTH", "QUARTER", "YEAR"}  # what Spark's trunc(date, unit) knows
TIMESTAMP_UNITS = DATE_UNITS | {"DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND",
                                "MICROSECOND"}


class TranspileError(M2IFError):
    """A DuckDB construct this module cannot turn into equivalent Spark SQL."""


@dataclass(frozen=True)
class Macro:
    """A DuckDB table macro: its parameter names and its body (a query)."""

    name: str
    params: tuple[str, ...]
    body: exp.Expression


def parse(sql: str) -> exp.Expression:
    """One DuckDB statement as a sqlglot tree."""
    try:
        return sqlglot.parse_one(sql, read=READ)
    except sqlglot.errors.ParseError as exc:
        raise TranspileError(f"sqlglot cannot parse this DuckDB SQL: {exc}") from None


def as_macro(statement: exp.Expression) -> Macro | None:
    """The table macro a ``CREATE MACRO name(params) AS TABLE query`` defines, else None."""
    if not (isinstance(statement, exp.Create) and statement.kind == "MACRO"):
        return None
    signature = statement.this
    if not isinstance(statement.expression, exp.Query):
        raise TranspileError(f"macro {signature.sql(READ)}: only table macros "
                             "(AS TABLE SELECT ...) run on Spark")
    return Macro(signature.this.name.lower(), tuple(p.name for p in signature.expressions),
                 statement.expression)


def as_table(statement: exp.Expression) -> tuple[str, exp.Query] | None:
    """(name, query) of a ``CREATE [OR REPLACE] TABLE name AS query``, else None."""
    if (isinstance(statement, exp.Create) and statement.kind == "TABLE"
            and isinstance(statement.expression, exp.Query)):
        return statement.this.name, statement.expression
    return None


def literal(value: Any) -> exp.Expression:
    """A Python parameter value as a Spark literal (quoted and escaped by sqlglot)."""
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TranspileError(f"parameter value {value} has no Spark literal")
        return exp.cast(exp.Literal.number(repr(value)), T.DOUBLE)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat()), T.DATE)
    raise TranspileError(f"parameter value {value!r} ({type(value).__name__}) is not supported "
                         "on Spark: use a string, number, boolean, date or None")


def bind(tree: exp.Expression, values: Mapping[str, Any]) -> exp.Expression:
    """Replace the named parameters (``$name``) by literals of ``values``."""
    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name:
            if node.name not in values:
                raise TranspileError(f"parameter ${node.name} not supplied")
            return literal(values[node.name])
        return node

    return tree.transform(swap)


def expand_macros(tree: exp.Expression, macros: Mapping[str, Macro]) -> exp.Expression:
    """Replace every call of a table macro in FROM/JOIN by its body, arguments substituted."""
    def expand(node: exp.Expression) -> exp.Expression:
        call = node.this if isinstance(node, exp.Table) else None
        if not isinstance(call, exp.Anonymous) or call.name.lower() not in macros:
            return node
        macro = macros[call.name.lower()]
        if len(call.expressions) != len(macro.params):
            raise TranspileError(f"macro {macro.name} takes {len(macro.params)} arguments, "
                                 f"{len(call.expressions)} given")
        args = dict(zip(macro.params, call.expressions, strict=True))
        body = macro.body.copy().transform(
            lambda n: args[n.name].copy()
            if isinstance(n, exp.Column) and not n.table and n.name in args else n)
        alias = node.alias or macro.name
        return exp.Subquery(this=expand_macros(body, macros),
                            alias=exp.TableAlias(this=exp.to_identifier(alias)))

    return tree.transform(expand)


def rename_tables(tree: exp.Expression, names: Mapping[str, str]) -> exp.Expression:
    """Point table references at other names (keeping their aliases); CTEs are left alone."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}

    def rename(node: exp.Expression) -> exp.Expression:
        if (isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier)
                and node.name.lower() in names and node.name.lower() not in ctes):
            node = node.copy()
            if not node.alias:
                node.set("alias", exp.TableAlias(this=exp.to_identifier(node.name)))
            node.set("this", exp.to_identifier(names[node.name.lower()], quoted=True))
        return node

    return tree.transform(rename)


def typed(query: exp.Query, schema: Schema) -> exp.Query:
    """The query qualified and annotated with DuckDB types (needed by the fixes below)."""
    try:
        qualified = qualify(query.copy(), schema=schema, dialect=READ,
                            validate_qualify_columns=True, quote_identifiers=True)
    except sqlglot.errors.OptimizeError as exc:
        raise TranspileError(f"cannot resolve the columns of {query.sql(READ)[:80]}...: "
                             f"{exc}") from None
    return annotate_types(qualified, schema=schema, dialect=READ)


def output_types(query: exp.Query) -> dict[str, str]:
    """Column → DuckDB type of a typed query's result (the schema of a created table)."""
    return {s.alias_or_name: s.type.sql(READ) if s.type else "UNKNOWN" for s in query.selects}


def to_spark(query: exp.Query) -> str:
    """Spark SQL for a query typed by :func:`typed` (the fixes need its types)."""
    root = query.copy()
    for node in reversed(list(root.dfs())):  # children before their parent
        new = _fix(node)
        if new is not node:
            if new.type is None and node.type is not None:
                new.type = node.type  # same DuckDB meaning, so same type for the parent's fix
            node.replace(new)
    return root.sql(dialect=WRITE)


def create_view(name: str, query: exp.Query) -> str:
    """``CREATE TABLE name AS query`` in Spark: a session-scoped temporary view."""
    view = exp.to_identifier(name, quoted=True).sql(WRITE)
    return f"CREATE OR REPLACE TEMPORARY VIEW {view} AS {to_spark(query)}"


def _type(node: exp.Expression) -> exp.DataType.Type | None:
    return node.type.this if node.type is not None else None


def _fix(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.AtTimeZone):
        return _at_time_zone(node.this, node.args["zone"])
    if isinstance(node, exp.Anonymous) and node.name.lower() == "timezone" and len(
            node.expressions) == 2:
        zone, value = node.expressions
        return _at_time_zone(value, zone)
    if isinstance(node, exp.TimeToUnix):  # epoch(ts): fractional seconds, as DuckDB
        value = node.this
        if _type(value) == T.DATE:
            value = exp.cast(value, SPARK_TIMESTAMP)
        return exp.cast(value, T.DOUBLE)
    if isinstance(node, exp.TimestampTrunc | exp.DateTrunc):
        return _truncate(node)
    if isinstance(node, exp.Add | exp.Sub) and _type(node.this) == T.DATE and isinstance(
            node.expression, exp.Interval):
        return node.__class__(this=exp.cast(node.this, SPARK_TIMESTAMP),
                              expression=node.expression)
    if isinstance(node, exp.Div) and _type(node.this) not in FLOATS:
        return exp.Div(this=exp.cast(node.this, T.DOUBLE), expression=node.expression)
    if isinstance(node, exp.DataType) and node.this in SPARK_TYPES:
        return exp.DataType.build(SPARK_TYPES[node.this], dialect=WRITE)
    return node


def _at_time_zone(value: exp.Expression, zone: exp.Expression) -> exp.Expression:
    kind = _type(value)
    if kind in INSTANT:
        function = "from_utc_timestamp"  # instant → local wall time
    elif kind in WALL_TIME:
        function = "to_utc_timestamp"  # local wall time → instant
    else:
        raise TranspileError(f"{value.sql(READ)} AT TIME ZONE: cannot tell whether it is a "
                             "TIMESTAMP or a TIMESTAMPTZ; write an explicit CAST")
    return exp.Anonymous(this=function, expressions=[value, zone])


def _truncate(node: exp.Expression) -> exp.Expression:
    unit = node.args.get("unit")
    name = (unit.name if unit is not None else "").upper()
    value = node.this
    if _type(value) == T.DATE:  # DuckDB: date_trunc(unit, DATE) is a TIMESTAMP
        if name == "DAY":
            return exp.cast(value, SPARK_TIMESTAMP)
        if name in DATE_UNITS:
            return exp.cast(exp.Anonymous(this="trunc", expressions=[
                value, exp.Literal.string(name)]), SPARK_TIMESTAMP)
    elif name in TIMESTAMP_UNITS:
        return exp.Anonymous(this="date_trunc", expressions=[exp.Literal.string(name), value])
    raise TranspileError(f"date_trunc('{name.lower()}', ...) has no Spark equivalent here")


def parquet_column(name: str, duckdb_type: str) -> tuple[str, str]:
    """How the warehouse exports a column for Spark: (DuckDB select expression, the type the
    transpiler should assume). 128-bit integers go as text (Spark has no such integer; they
    are keys, compared for equality only); a naive TIMESTAMP goes as the instant of its wall
    time in UTC, which is how Spark (session time zone UTC) holds naive timestamps."""
    column = exp.to_identifier(name, quoted=True).sql(READ)
    kind = exp.DataType.build(duckdb_type, dialect=READ).this
    if kind in (T.INT128, T.UINT128):
        return f"CAST({column} AS VARCHAR) AS {column}", "VARCHAR"
    if kind in WALL_TIME:
        return f"{column} AT TIME ZONE 'UTC' AS {column}", duckdb_type
    return column, duckdb_type


def spark_type(duckdb_type: str) -> str:
    """The Spark type in which Spark reads back a Parquet column of this DuckDB type."""
    built = exp.DataType.build(duckdb_type, dialect=READ)
    return built.transform(lambda n: _fix(n) if isinstance(n, exp.DataType) else n).sql(WRITE)
