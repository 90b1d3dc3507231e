"""Score the programme's cohort with the OULAD-trained model, to show beside the rules.

The model (:mod:`.backtest`) is trained at the cutoff day that matches the report week (days
since the cohort's start to the end of that week) on OULAD presentations, then applied to
the cohort's daily activity (events per day standing in for clicks). It never replaces
the rules: ``m2if risk --oulad DIR`` adds ``score`` and ``top_features`` columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics import engagement
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.oulad import ingest_oulad_file, presentation_files
from m2if_analytics.risk.model.backtest import score, train_model
from m2if_analytics.risk.model.features import features_from_frames
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.migrations import migrate
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.workspace import Workspace

DEFAULT_TRAIN = ("AAA_2013J", "AAA_2014J")  # full click streams (BBB_2013J stops at day 132)


def cohort_activity(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """student, day (since the cohort's start), clicks (events that day)."""
    c = ws.cfg.cohort(cohort)
    return sqlfiles.select(ws.tables, "risk/daily_activity.sql",
                           {"tz": ws.cfg.programme.timezone, "cohort": c.id, "start": c.start})


def cutoff_day(ws: Workspace, cohort: str | None, week: str | dt.date | None) -> int:
    """Days from the cohort's start to the end of the report week."""
    c = ws.cfg.cohort(cohort)
    monday = engagement.report_week(ws, c.id, week)
    return (monday + dt.timedelta(days=7) - c.start).days


def cohort_scores(ws: Workspace, oulad: Path, cohort: str | None = None,
                  week: str | dt.date | None = None,
                  train: list[str] | None = None) -> pl.DataFrame:
    """student, score (probability of failing or withdrawing), top_features."""
    day = cutoff_day(ws, cohort, week)
    presentations = list(train or DEFAULT_TRAIN)
    con = duckdb.connect()
    try:
        migrate(con)
        pseudo = Pseudonymiser(b"model training only")
        for path, kind in presentation_files(Path(oulad), set(presentations)):
            ingest_oulad_file(con, path, pseudo, kind)
        try:
            model = train_model(con, presentations, day)
        except (M2IFError, ValueError) as exc:
            raise M2IFError(f"cannot train the model at day {day}: {exc}") from None
    finally:
        con.close()
    students = engagement.students(ws, cohort).select("student")
    features = features_from_frames(cohort_activity(ws, cohort), day, students=students)
    return score(model, features)
