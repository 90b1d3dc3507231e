"""The pipeline files of ``queries/`` as a list of Spark SQL steps (pure Python, no JVM).

The plan reads the same SQL files as the DuckDB warehouse, up to the file that creates the
wanted table, and turns each ``CREATE TABLE`` into a Spark temporary view (dialect fixes in
:mod:`.transpile`). Every table the plan reads or creates gets a per-run prefix, so that
two runs, or a user's own views, never collide in a shared Spark session.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from m2if_analytics.engines import transpile
from m2if_analytics.engines.transpile import Schema, TranspileError
from m2if_analytics.warehouse import sql as sqlfiles


@dataclass(frozen=True)
class Statements:
    """The parsed pipeline files needed for one table: macros and CREATE TABLE statements."""

    macros: dict[str, transpile.Macro]
    tables: list[tuple[str, exp.Query]]  # (created table, DuckDB query), in file order

    @property
    def created(self) -> set[str]:
        return {name.lower() for name, _ in self.tables}


@dataclass(frozen=True)
class Step:
    """One pipeline table as a Spark temporary view."""

    view: str
    sql: str  # CREATE OR REPLACE TEMPORARY VIEW ...
    cache: bool  # read more than once later: worth materialising


@dataclass(frozen=True)
class SparkPlan:
    """What a Spark run does: load ``inputs``, create ``steps`` in order, collect ``query``."""

    inputs: dict[str, str]  # warehouse table → Spark view name
    columns: dict[str, list[str]]  # warehouse table → the columns the pipeline may read
    steps: list[Step]
    query: str  # the final SELECT, in Spark SQL

    @property
    def views(self) -> list[str]:
        """Every temporary view the run creates (to drop them afterwards)."""
        return [*self.inputs.values(), *(step.view for step in self.steps)]


def pipeline_statements(target: str, files: list[sqlfiles.SqlFile] | None = None) -> Statements:
    """Parse the pipeline files in order until one creates ``target`` (error if none does)."""
    macros: dict[str, transpile.Macro] = {}
    tables: list[tuple[str, exp.Query]] = []
    for sql in sqlfiles.pipeline_files() if files is None else files:
        for text in sql.statements:
            tree = transpile.parse(text)
            macro = transpile.as_macro(tree)
            table = transpile.as_table(tree)
            if macro is not None:
                macros[macro.name] = macro
            elif table is not None:
                tables.append(table)
            else:
                raise TranspileError(f"{sql.path.name}: only CREATE TABLE ... AS and table "
                                     f"macros run on Spark, not {text.split()[0]} ...")
        if any(name.lower() == target.lower() for name, _ in tables):
            return Statements(macros, tables)
    raise TranspileError(f"no pipeline file creates the table {target}")


def input_tables(statements: Statements, query: str) -> list[str]:
    """Tables the pipeline and ``query`` read without creating them (exported to Parquet)."""
    trees: list[exp.Expression] = [q for _, q in statements.tables]
    trees += [m.body for m in statements.macros.values()]
    trees.append(transpile.parse(query))
    found: set[str] = set()
    for tree in trees:
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        found |= {t.name.lower() for t in tree.find_all(exp.Table)
                  if isinstance(t.this, exp.Identifier)} - ctes
    return sorted(found - statements.created - set(statements.macros))


def used_columns(statements: Statements, query: str, schema: Schema) -> dict[str, list[str]]:
    """For each input table, its columns whose name appears anywhere in the SQL as an
    identifier (a safe superset: also USING columns and names that are not columns)."""
    names: set[str] = set()
    trees = [q for _, q in statements.tables] + [m.body for m in statements.macros.values()]
    for tree in [*trees, transpile.parse(query)]:
        names |= {i.name.lower() for i in tree.find_all(exp.Identifier)}
        if any(s.is_star for select in tree.find_all(exp.Select) for s in select.expressions):
            names.add("*")  # SELECT * or t.*: every column may be read
    return {table: [c for c in cols if "*" in names or c.lower() in names]
            for table, cols in schema.items()}


def build_plan(statements: Statements, params: Mapping[str, Any], query: str,
               query_params: Mapping[str, Any], input_schema: Schema, prefix: str) -> SparkPlan:
    """Bind, expand and transpile every step; ``input_schema`` has the DuckDB column types."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", prefix):
        raise ValueError(f"view prefix {prefix!r} is not a plain identifier")
    columns = used_columns(statements, query, input_schema)
    schema: Schema = {t: {c: input_schema[t][c] for c in cols} for t, cols in columns.items()}
    names = {table: prefix + table for table in input_schema}
    inputs = dict(names)
    final = transpile.bind(transpile.parse(query), query_params)
    if not isinstance(final, exp.Query):
        raise TranspileError("the final statement must be a SELECT")
    trees = [(name.lower(), transpile.expand_macros(transpile.bind(q, params), statements.macros))
             for name, q in statements.tables]
    steps = []
    for n, (name, tree) in enumerate(trees):
        typed = transpile.typed(tree, schema)
        schema[name] = transpile.output_types(typed)
        names[name] = prefix + name
        later = [t for _, t in trees[n + 1:]] + [final]
        reads = sum(_reads(t, name) for t in later)
        steps.append(Step(names[name], transpile.create_view(
            names[name], transpile.rename_tables(typed, names)), cache=reads > 1))
    typed_final = transpile.typed(final, schema)
    return SparkPlan(inputs, columns, steps,
                     transpile.to_spark(transpile.rename_tables(typed_final, names)))


def _reads(tree: exp.Expression, table: str) -> int:
    """How many times ``tree`` (macros expanded) reads ``table``."""
    return sum(1 for t in tree.find_all(exp.Table)
               if isinstance(t.this, exp.Identifier) and t.name.lower() == table)
