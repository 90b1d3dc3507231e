"""Competence sets: per student, each set's mean over its UEs and its coverage.

A UE counts for the sets its ``[[units]] competences`` lists. A set's mean is the
coefficient-weighted mean of its graded UEs' means (null while none is graded); its coverage
the share of its UEs (by coefficient) that have a grade."""

from __future__ import annotations

import datetime as dt

import polars as pl

from m2if_analytics.programme import indicators as ind
from m2if_analytics.warehouse.workspace import Workspace


def competence_sets(ws: Workspace, cohort: str | None = None,
                    as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × competence set (order of first appearance in the units):
    student, competence, ues (its UE codes), mean, coverage (0 to 1)."""
    schema = {"student": pl.String, "competence": pl.String, "ues": pl.List(pl.String),
              "mean": pl.Float64, "coverage": pl.Float64}
    sets = list(dict.fromkeys(c for u in ws.cfg.units for c in u.competences))
    if not sets:
        return pl.DataFrame(schema=schema)
    members = pl.DataFrame([{"competence": c, "ue": u.code} for u in ws.cfg.units
                            for c in u.competences])
    results = ind.ue_results(ws, cohort, as_of).select("student", "ue", "coefficient", "mean")
    joined = results.join(members, on="ue")
    graded = pl.col("mean").is_not_null()
    table = joined.group_by("student", "competence").agg(
        pl.col("ue").alias("ues"),
        ((pl.col("mean") * pl.col("coefficient")).filter(graded).sum()
         / pl.col("coefficient").filter(graded).sum()).alias("mean"),
        (pl.col("coefficient").filter(graded).sum() / pl.col("coefficient").sum())
        .alias("coverage"))
    order = {c: i for i, c in enumerate(sets)}
    return (table.with_columns(pl.col("mean").fill_nan(None))
            .sort(pl.col("student"), pl.col("competence").replace_strict(order))
            .select(list(schema)).cast(schema))
