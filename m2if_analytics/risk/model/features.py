"""Risk-model features at a cutoff day, from data strictly before it (``queries/oulad``).

One SQL file (``features.sql``) computes them from four generic inputs (students, daily
activity, assessments, submissions), which ``inputs.sql`` builds over the OULAD tables and
:func:`features_from_frames` builds from any platform's frames, so a model trained on OULAD
scores the programme's cohort with the very same definitions.
"""

from __future__ import annotations

import duckdb
import polars as pl

from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.sql import register, run_sql

FEATURES: tuple[str, ...] = (
    "clicks_total", "active_days", "clicks_w1", "clicks_w2", "clicks_w3", "clicks_w4",
    "active_days_2w", "trend", "days_since_last", "clicks_total_rank", "clicks_2w_rank",
    "n_submitted", "mean_score", "n_late", "n_missed", "share_missed",
)
DESCRIPTIONS: dict[str, str] = {
    "clicks_total": "clicks (events) before the cutoff",
    "active_days": "days with activity before the cutoff",
    "clicks_w1": "clicks in the last week before the cutoff",
    "clicks_w2": "clicks in the second-to-last week",
    "clicks_w3": "clicks in the third-to-last week",
    "clicks_w4": "clicks in the fourth-to-last week",
    "active_days_2w": "active days in the last two weeks",
    "trend": "log ratio of the last two weeks' daily clicks to the earlier daily clicks",
    "days_since_last": "days since the last activity",
    "clicks_total_rank": "rank of total clicks within the cohort (0 lowest, 1 highest)",
    "clicks_2w_rank": "rank of the last two weeks' clicks within the cohort",
    "n_submitted": "assessments submitted before the cutoff",
    "mean_score": "mean score (0-100) of those submissions",
    "n_late": "submissions made after their due day",
    "n_missed": "assessments due before the cutoff and not submitted",
    "share_missed": "share of the assessments due before the cutoff not submitted",
}
#: +1: a higher value may only raise the risk; -1: it may only lower it (model_estimator)
DIRECTIONS: dict[str, int] = {
    "clicks_total": -1, "active_days": -1, "clicks_w1": -1, "clicks_w2": -1, "clicks_w3": -1,
    "clicks_w4": -1, "active_days_2w": -1, "trend": -1, "days_since_last": +1,
    "clicks_total_rank": -1, "clicks_2w_rank": -1, "n_submitted": -1, "mean_score": -1,
    "n_late": +1, "n_missed": +1, "share_missed": +1,
}
KEYS = ("presentation", "student", "day")
_REQUIRED = {"activity": ("student", "day", "clicks"), "students": ("student",),
             "assessments": ("assessment", "due_day"),
             "submissions": ("student", "assessment", "submitted_day")}
_INPUTS = {
    "_f_students": {"presentation": pl.String, "student": pl.String,
                    "registered_day": pl.Int32, "unregistered_day": pl.Int32,
                    "label": pl.Int32},
    "_f_activity": {"presentation": pl.String, "student": pl.String, "day": pl.Int32,
                    "clicks": pl.Float64},
    "_f_assessments": {"presentation": pl.String, "assessment": pl.String,
                       "due_day": pl.Int32},
    "_f_submissions": {"presentation": pl.String, "student": pl.String,
                       "assessment": pl.String, "submitted_day": pl.Int32,
                       "score": pl.Float64},
}


def _features(con: duckdb.DuckDBPyConnection, day: int) -> pl.DataFrame:
    sql = sqlfiles.query("oulad/features.sql")
    (statement,) = sql.statements
    return pl.DataFrame(con.sql(statement, params=sql.bind(statement, {"cutoff": int(day)})))


def oulad_features(con: duckdb.DuckDBPyConnection, presentations: list[str],
                   day: int) -> pl.DataFrame:
    """Features and label of the given OULAD presentations' population at ``day``.

    Columns: presentation, student, day, the :data:`FEATURES`, label.
    """
    run_sql(con, sqlfiles.query("oulad/inputs.sql"), {})
    frame = _features(con, day)
    return frame.filter(pl.col("presentation").is_in(list(presentations)))


def features_from_frames(activity: pl.DataFrame, day: int,
                         students: pl.DataFrame | None = None,
                         assessments: pl.DataFrame | None = None,
                         submissions: pl.DataFrame | None = None,
                         presentation: str = "cohort") -> pl.DataFrame:
    """The same features from a platform's frames, e.g. the programme's current cohort.

    ``activity``: student, day, clicks (events; several rows per day are summed);
    ``students``: student [, registered_day, unregistered_day, label] — default: every
    student of ``activity``; ``assessments``: assessment, due_day; ``submissions``: student,
    assessment, submitted_day [, score 0-100]. Days are whole days since the cohort's start;
    a ``presentation`` column, when absent, is filled with ``presentation``. Rows on or after
    ``day`` are ignored, exactly as for OULAD.
    """
    if students is None:
        students = activity.select("student").unique()
    frames = {"activity": activity, "students": students, "assessments": assessments,
              "submissions": submissions}
    for what, needed in _REQUIRED.items():
        got = frames[what]
        missing = [c for c in needed if got is not None and c not in got.columns]
        if missing:
            raise ValueError(f"{what} frame lacks the columns {missing} (has {got.columns})")
    frames = {"_f_students": students, "_f_activity": activity,
              "_f_assessments": assessments, "_f_submissions": submissions}
    con = duckdb.connect()
    try:
        for name, schema in _INPUTS.items():
            register(con, f"{name}_df", _conform(frames[name], schema, presentation))
        sqlfiles.run(con, "risk/model_inputs.sql")
        return _features(con, day)
    finally:
        con.close()


def _conform(frame: pl.DataFrame | None, schema: dict[str, pl.DataType],
             presentation: str) -> pl.DataFrame:
    """``frame`` with exactly ``schema``'s columns: missing optional ones are null."""
    if frame is None:
        return pl.DataFrame(schema=schema)
    columns = []
    for name, dtype in schema.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype))
        elif name == "presentation":
            columns.append(pl.lit(presentation, pl.String).alias(name))
        else:
            columns.append(pl.lit(None, dtype).alias(name))
    return frame.select(columns)
