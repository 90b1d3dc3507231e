"""Risk model: sign-constrained logistic regression on activity and assessment features.

Trained per cutoff day on past presentations (OULAD), validated by :func:`backtest` against
a plain logistic regression on cumulative clicks. Its probability and top contributing
features are shown beside the programme's rules, never instead of them (docs/model.md).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.oulad import ATTRIBUTION, ingest_oulad_file, presentation_files
from m2if_analytics.outputs import csv_text, write_text
from m2if_analytics.risk.model.estimator import SignedLogisticRegression
from m2if_analytics.risk.model.features import DIRECTIONS, FEATURES, oulad_features
from m2if_analytics.warehouse.migrations import migrate
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.sql import run

#: counts are compressed with log(1 + x) before standardising (heavy-tailed click counts)
LOG_FEATURES = frozenset({"clicks_total", "active_days", "clicks_w1", "clicks_w2", "clicks_w3",
                          "clicks_w4", "active_days_2w", "days_since_last", "n_submitted",
                          "n_late", "n_missed"})
MISSING = "mean_score_missing"  # 1 when no submitted assessment has a score yet
PREDICTION_COLUMNS = ("presentation", "student", "day", "probability", "label")
SIGNS = (*(float(DIRECTIONS[f]) for f in FEATURES), 1.0)  # the last one: MISSING
C = 0.5  # inverse L2 strength of the logistic regression
TOP = 3


class TruncatedClicksWarning(UserWarning):
    """A cutoff day lies after the end of a presentation's click stream (e.g. BBB_2013J)."""


@dataclass(frozen=True)
class RiskModel:
    """A fitted model for one cutoff day: transform parameters and the logistic regression."""

    day: int
    trained_on: tuple[str, ...]
    n_train: int
    positive_rate: float
    medians: dict[str, float]   # imputation of mean_score
    means: np.ndarray           # of the transformed columns (FEATURES + MISSING)
    scales: np.ndarray
    estimator: SignedLogisticRegression

    @property
    def columns(self) -> tuple[str, ...]:
        return (*FEATURES, MISSING)

    def standardised(self, frame: pl.DataFrame) -> np.ndarray:
        """Transformed, imputed and standardised feature matrix of ``frame``."""
        return (_transform(frame, self.medians) - self.means) / self.scales

    def predict(self, frame: pl.DataFrame) -> np.ndarray:
        """Probability of Fail or Withdrawn for each row of a features frame."""
        return self.estimator.predict_proba(self.standardised(frame))[:, 1]


@dataclass(frozen=True)
class BacktestResult:
    """Predictions for the test presentation and ROC-AUC / PR-AUC per cutoff day."""

    train: tuple[str, ...]
    test: str
    predictions: pl.DataFrame  # presentation, student, day, probability, label
    metrics: pl.DataFrame      # day, n, positives, model/baseline roc_auc and pr_auc

    def table(self) -> str:
        return format_metrics(self)


def _transform(frame: pl.DataFrame, medians: dict[str, float]) -> np.ndarray:
    missing = [c for c in FEATURES if c not in frame.columns]
    if missing:
        raise ValueError(f"features frame lacks {missing}; build it with model_features")
    cols = []
    for name in FEATURES:
        values = frame[name].cast(pl.Float64).to_numpy(allow_copy=True).astype(float)
        if name in medians:
            values = np.where(np.isnan(values), medians[name], values)
        if name in LOG_FEATURES:
            values = np.log1p(np.clip(values, 0, None))
        cols.append(values)
    cols.append(frame["mean_score"].is_null().cast(pl.Float64).to_numpy())
    return np.column_stack(cols)


def fit(frame: pl.DataFrame) -> RiskModel:
    """Fit the model on a features frame with a ``label`` column (one cutoff day)."""
    days = frame["day"].unique().to_list()
    if len(days) != 1:
        raise ValueError(f"train one model per cutoff day (frame has days {sorted(days)})")
    labels = frame["label"].to_numpy()
    if len(set(labels.tolist())) < 2:
        raise M2IFError(f"cannot train at day {days[0]}: the training rows have one outcome only")
    median = frame["mean_score"].median()
    medians = {"mean_score": float(median) if median is not None else 0.0}  # type: ignore[arg-type]
    x = _transform(frame, medians)
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales = np.where(scales > 0, scales, 1.0)
    estimator = SignedLogisticRegression(signs=SIGNS, C=C)
    estimator.fit((x - means) / scales, labels)
    presentations = tuple(sorted(frame["presentation"].unique().to_list()))
    return RiskModel(int(days[0]), presentations, frame.height, float(labels.mean()), medians,
                     means, scales, estimator)


def train_model(con: duckdb.DuckDBPyConnection, presentations: list[str], day: int) -> RiskModel:
    """Fit the model on OULAD presentations' students present at ``day``."""
    check_presentations(con, presentations, [day])
    return fit(oulad_features(con, presentations, day))


def contributions(model: RiskModel, frame: pl.DataFrame) -> pl.DataFrame:
    """Long frame (row, student, feature, value, contribution): coefficient × standardised value.

    A contribution is how far the feature moves the student's log-odds from those of an
    average training student; positive raises the risk, and by construction only a value on
    the feature's risky side (DIRECTIONS) can raise it. mean_score's includes its
    missing-score indicator (value null when no score yet). ``row`` is the frame's row index.
    """
    parts = model.standardised(frame) * model.estimator.coef_[0]
    parts[:, FEATURES.index("mean_score")] += parts[:, -1]
    n, k = frame.height, len(FEATURES)
    return pl.DataFrame({
        "row": np.repeat(np.arange(n), k),
        "student": np.repeat(frame["student"].to_numpy(), k),
        "feature": list(FEATURES) * n,
        "value": frame.select(pl.col(list(FEATURES)).cast(pl.Float64)).to_numpy().reshape(-1),
        "contribution": parts[:, :k].reshape(-1),
    }).with_columns(pl.col("value").fill_nan(None))


def score(model: RiskModel, features: pl.DataFrame, top: int = TOP) -> pl.DataFrame:
    """student, score (probability of Fail or Withdrawn), top_features (what raises it most).

    One row per row of ``features``, in its order. ``top_features`` reads
    ``"days_since_last=47.0 (+0.84); n_missed=1.0 (+0.40)"``: up to ``top`` features whose
    contribution raises the log-odds by at least 0.005, largest first; empty when none.
    """
    probabilities = model.predict(features)
    text = pl.format("{}={} (+{})", "feature",
                     pl.col("value").round(2).cast(pl.String).fill_null("none"),
                     pl.col("contribution").round(2))
    ranked = (contributions(model, features).filter(pl.col("contribution") >= 0.005)
              .sort(["row", "contribution"], descending=[False, True])
              .group_by("row", maintain_order=True).head(top)
              .group_by("row", maintain_order=True)
              .agg(top_features=text.str.join("; ")))
    out = pl.DataFrame({"row": np.arange(features.height), "student": features["student"],
                        "score": probabilities})
    return (out.join(ranked, on="row", how="left")
            .select("student", "score", pl.col("top_features").fill_null("")))


def check_presentations(con: duckdb.DuckDBPyConnection, presentations: list[str],
                        days: list[int]) -> None:
    """Refuse unknown presentations or ones without clicks; warn past a truncated stream."""
    rows = run(con, "risk/oulad_presentations.sql")
    last = dict(rows)
    unknown = [p for p in presentations if p not in last]
    if unknown:
        raise M2IFError(f"presentation(s) {unknown} not in the OULAD tables (known: "
                        f"{sorted(last)}); write them like AAA_2013J")
    no_clicks = [p for p in presentations if last[p] is None]
    if no_clicks:
        raise M2IFError(f"no clicks for {no_clicks}: add studentVle_<MODULE>_<PRESENTATION>.csv"
                        " (or the official studentVle.csv) to the OULAD folder")
    for p in presentations:
        late = [d for d in days if d > last[p]]
        if late:
            warnings.warn(f"clicks of {p} end at day {last[p]} (that day may be partial): "
                          f"features at day(s) {late} miss its later activity",
                          TruncatedClicksWarning, stacklevel=3)


def _metric(fn, labels: np.ndarray, probabilities: np.ndarray) -> float:  # type: ignore[no-untyped-def]
    return float(fn(labels, probabilities)) if len(set(labels.tolist())) == 2 else math.nan


def backtest(con: duckdb.DuckDBPyConnection, train: list[str], test: str,
             days: list[int]) -> BacktestResult:
    """Per cutoff day: train on ``train``'s students, predict ``test``'s, compare to baseline.

    The baseline is a logistic regression on cumulative clicks only (``clicks_total``).
    """
    if test in train:
        raise M2IFError(f"{test} is both a training and the test presentation")
    check_presentations(con, [*train, test], days)
    predictions, metrics = [], []
    for day in sorted(set(days)):
        frame = oulad_features(con, [*train, test], day)
        learn = frame.filter(pl.col("presentation") != test)
        held = frame.filter(pl.col("presentation") == test)
        model = fit(learn)
        probability = model.predict(held)
        baseline = make_pipeline(StandardScaler(), LogisticRegression(random_state=0))
        baseline.fit(learn.select("clicks_total").to_numpy(), learn["label"].to_numpy())
        base_p = baseline.predict_proba(held.select("clicks_total").to_numpy())[:, 1]
        labels = held["label"].to_numpy()
        predictions.append(held.select("presentation", "student", "day", "label")
                           .with_columns(probability=pl.Series(probability)))
        metrics.append({
            "day": day, "n": held.height, "positives": int(labels.sum()),
            "model_roc_auc": _metric(roc_auc_score, labels, probability),
            "baseline_roc_auc": _metric(roc_auc_score, labels, base_p),
            "model_pr_auc": _metric(average_precision_score, labels, probability),
            "baseline_pr_auc": _metric(average_precision_score, labels, base_p)})
    preds = pl.concat(predictions).select(PREDICTION_COLUMNS).sort("day", "student")
    return BacktestResult(tuple(train), test, preds, pl.DataFrame(metrics))


def backtest_from_folder(folder: Path, train: list[str], test: str, days: list[int],
                         out_csv: Path | None = None) -> BacktestResult:
    """Ingest an OULAD folder into an in-memory warehouse, backtest, write the predictions.

    Only the click files of the presentations asked for are read (when split per presentation).
    """
    wanted = {*train, test}
    con = duckdb.connect()
    try:
        migrate(con)
        pseudo = Pseudonymiser(b"any key")
        for path, kind in presentation_files(Path(folder), wanted):
            ingest_oulad_file(con, path, pseudo, kind)
        result = backtest(con, train, test, days)
    finally:
        con.close()
    if out_csv is not None:
        write_text(Path(out_csv), csv_text(result.predictions))
    return result


def format_metrics(result: BacktestResult) -> str:
    """The per-day table printed by ``m2if model backtest``, with the OULAD attribution."""
    lines = [f"train {' + '.join(result.train)}, test {result.test}",
             f"{'day':>5} {'n':>6} {'at risk':>8} | {'ROC-AUC model':>13} {'baseline':>9} | "
             f"{'PR-AUC model':>12} {'baseline':>9}"]
    for row in result.metrics.iter_rows(named=True):
        lines.append(f"{row['day']:>5} {row['n']:>6} {row['positives']:>8} | "
                     f"{row['model_roc_auc']:>13.3f} {row['baseline_roc_auc']:>9.3f} | "
                     f"{row['model_pr_auc']:>12.3f} {row['baseline_pr_auc']:>9.3f}")
    lines.append("baseline: logistic regression on cumulative clicks; at risk: Fail or Withdrawn")
    lines.append(f"data: {ATTRIBUTION}")
    return "\n".join(lines)
