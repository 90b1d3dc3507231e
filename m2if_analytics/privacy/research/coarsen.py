"""``--coarsen``: fewer distinct values, so that a row is harder to match with other data.

Hours are rounded to the half hour; counts of the individual-level tables are replaced by a
band (``0``, ``1-4``, ``5-9``, ``10-19``, ``20+``); network measures are rounded to one
decimal; weeks are kept as ISO weeks only (``week_start`` is dropped). Aggregated tables
(group and week × group rows, already k-suppressed) keep their exact values.
"""

from __future__ import annotations

import polars as pl

BANDS = ("0", "1-4", "5-9", "10-19", "20+")
# individual-level tables: the columns whose values are banded, rounded or dropped
COUNTS = {
    "weekly_engagement": ("sessions", "active_days", "events"),
    "student_metrics": ("posts", "replies_sent", "replies_received", "partners", "in_degree",
                        "out_degree", "discussions_started"),
    "edges": ("weight",),
}
HOURS = {"weekly_engagement": ("hours",)}
MEASURES = {"student_metrics": ("betweenness", "clustering", "cross_group_share")}
DROPPED = {"weekly_engagement": ("week_start",)}


def band(column: str) -> pl.Expr:
    """A count as its band (null stays null)."""
    c = pl.col(column)
    return (pl.when(c.is_null()).then(None)
            .when(c <= 0).then(pl.lit(BANDS[0]))
            .when(c <= 4).then(pl.lit(BANDS[1]))
            .when(c <= 9).then(pl.lit(BANDS[2]))
            .when(c <= 19).then(pl.lit(BANDS[3]))
            .otherwise(pl.lit(BANDS[4])).alias(column))


def coarsen(name: str, table: pl.DataFrame) -> pl.DataFrame:
    """``table`` (export table ``name``) with its counts banded, hours to the half hour,
    network measures to one decimal, exact dates dropped."""
    present = set(table.columns)
    table = table.with_columns(
        [band(c) for c in COUNTS.get(name, ()) if c in present]
        + [((pl.col(c) * 2).round(0) / 2).alias(c) for c in HOURS.get(name, ()) if c in present]
        + [pl.col(c).round(1).alias(c) for c in MEASURES.get(name, ()) if c in present])
    return table.drop([c for c in DROPPED.get(name, ()) if c in present])
