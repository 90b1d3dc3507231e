"""Risk model: hand-computed features, no leakage past the cutoff, backtest beats the baseline."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.oulad import ingest_oulad, student_pseudonym
from m2if_analytics.risk.model.backtest import (
    PREDICTION_COLUMNS,
    backtest,
    backtest_from_folder,
    score,
    train_model,
)
from m2if_analytics.risk.model.features import (
    DIRECTIONS,
    FEATURES,
    features_from_frames,
    oulad_features,
)
from tests.ingest.test_oulad import OULAD, PSEUDO, new_warehouse, tiny_oulad

AAA = "AAA_2013J"


def tiny_features(folder: Path, day: int = 21, **changes: object) -> pl.DataFrame:
    con = new_warehouse()
    ingest_oulad(con, tiny_oulad(folder, **changes), PSEUDO)  # type: ignore[arg-type]
    return oulad_features(con, [AAA], day)


def by_student(frame: pl.DataFrame) -> dict[int, dict[str, object]]:
    ids = {student_pseudonym(PSEUDO, i): i for i in range(101, 106)}
    return {ids[row["student"]]: row for row in frame.iter_rows(named=True)}


def test_hand_made_presentation_gives_the_hand_computed_features(tmp_path):
    rows = by_student(tiny_features(tmp_path))
    # 104 registers on day 25, 105 unregistered on day 5: not in the population at day 21;
    # 102 unregisters on day 21 itself: still present
    assert set(rows) == {101, 102, 103}
    expected = {
        101: {"clicks_total": 23, "active_days": 5, "clicks_w1": 7, "clicks_w2": 4,
              "clicks_w3": 7, "clicks_w4": 5, "active_days_2w": 3,
              "trend": math.log(1 + 11 / 14) - math.log(1 + 7 / 7), "days_since_last": 1,
              "clicks_total_rank": 1.0, "clicks_2w_rank": 1.0, "n_submitted": 2,
              "mean_score": 70.0, "n_late": 1, "n_missed": 0, "share_missed": 0.0, "label": 0},
        102: {"clicks_total": 20, "active_days": 2, "clicks_w1": 0, "clicks_w2": 0,
              "clicks_w3": 20, "clicks_w4": 0, "active_days_2w": 0,
              "trend": -math.log(1 + 20 / 7), "days_since_last": 18,
              "clicks_total_rank": 0.5, "clicks_2w_rank": 0.0, "n_submitted": 1,
              "mean_score": 40.0, "n_late": 1, "n_missed": 1, "share_missed": 0.5, "label": 1},
        103: {"clicks_total": 0, "active_days": 0, "clicks_w1": 0, "clicks_w2": 0,
              "clicks_w3": 0, "clicks_w4": 0, "active_days_2w": 0, "trend": 0.0,
              "days_since_last": 21 + 31, "clicks_total_rank": 0.0, "clicks_2w_rank": 0.0,
              "n_submitted": 0, "mean_score": None, "n_late": 0, "n_missed": 2,
              "share_missed": 1.0, "label": 1},
    }
    for student, values in expected.items():
        for name, value in values.items():
            got = rows[student][name]
            if isinstance(value, float):
                assert got == pytest.approx(value), (student, name)
            else:
                assert got == value, (student, name)


def test_changing_data_on_or_after_the_cutoff_leaves_the_features_identical(tmp_path):
    before = tiny_features(tmp_path / "a")
    after = tiny_features(
        tmp_path / "b",
        clicks=[(101, 1, -3, 5), (101, 1, 2, 3), (101, 2, 2, 4), (101, 1, 10, 2),
                (101, 1, 10, 2), (101, 1, 15, 6), (101, 1, 20, 1),
                (101, 1, 21, 999), (103, 1, 21, 40), (103, 2, 22, 7), (102, 1, 60, 3),
                (102, 1, 1, 10), (102, 1, 3, 10)],
        submissions=[(1, 101, 9, 80), (2, 101, 20, 60), (1, 102, 12, 40),
                     (2, 102, 21, 10), (1, 103, 21, 100), (2, 103, 22, 100)])
    assert_frame_equal(before, after)


@pytest.fixture(scope="module")
def real() -> Iterator[duckdb.DuckDBPyConnection]:
    con = new_warehouse()
    ingest_oulad(con, OULAD, PSEUDO)
    yield con
    con.close()


@pytest.mark.parametrize("day", [28, 56, 84])
def test_on_oulad_post_cutoff_changes_leave_every_feature_identical(real, day: int):
    con = real
    presentations = ["AAA_2013J", "AAA_2014J", "BBB_2013J"]
    before = oulad_features(con, presentations, day).drop("label")
    con.begin()
    try:
        con.execute("UPDATE oulad_clicks SET clicks = clicks * 7 + 3 WHERE day >= $d", {"d": day})
        con.execute("DELETE FROM oulad_clicks WHERE day >= $d AND id_site % 3 = 0", {"d": day})
        con.execute("""INSERT INTO oulad_clicks
                       SELECT presentation, student, 1, $d + (hash(student) % 30)::INTEGER,
                              50, 1, 0
                       FROM oulad_students""", {"d": day})
        con.execute("UPDATE oulad_student_assessments SET score = 100 - coalesce(score, 0), "
                    "date_submitted = date_submitted + 1 WHERE date_submitted >= $d", {"d": day})
        con.execute("""INSERT INTO oulad_student_assessments
                       SELECT a.id_assessment, s.student, s.presentation, $d, FALSE, 0, 0
                       FROM oulad_students AS s JOIN oulad_assessments AS a USING (presentation)
                       WHERE NOT EXISTS (SELECT 1 FROM oulad_student_assessments AS x
                                         WHERE x.id_assessment = a.id_assessment
                                           AND x.student = s.student)""", {"d": day})
        con.execute("UPDATE oulad_registrations SET date_unregistration = $d "
                    "WHERE date_unregistration > $d OR date_unregistration IS NULL", {"d": day})
        con.execute("UPDATE oulad_students SET final_result = 'Withdrawn'")
        after = oulad_features(con, presentations, day).drop("label")
    finally:
        con.rollback()
    assert before.height > 2000
    assert_frame_equal(before, after)


def test_backtest_beats_the_cumulative_clicks_baseline_on_every_day(tmp_path):
    out = tmp_path / "predictions.csv"
    started = time.perf_counter()
    result = backtest_from_folder(OULAD, ["AAA_2013J", "BBB_2013J"], "AAA_2014J",
                                  [28, 56, 84], out)
    print(f"\n{result.table()}\n({time.perf_counter() - started:.1f} s)")
    for row in result.metrics.iter_rows(named=True):
        assert row["model_roc_auc"] > row["baseline_roc_auc"], row
        assert row["model_pr_auc"] > row["baseline_pr_auc"], row
    written = pl.read_csv(out)
    assert tuple(written.columns) == PREDICTION_COLUMNS
    assert set(written["presentation"]) == {"AAA_2014J"}
    assert written.height == result.metrics["n"].sum()
    assert written["probability"].is_between(0, 1).all()


def test_backtest_works_for_any_presentations_of_the_folder(real):
    result = backtest(real, ["AAA_2014J"], "AAA_2013J", [28, 84])
    assert result.metrics["day"].to_list() == [28, 84]
    assert all(0.5 < v <= 1 for v in result.metrics["model_roc_auc"])
    assert result.predictions.filter(pl.col("day") == 28).height == result.metrics["n"][0]


def test_unknown_presentations_or_ones_without_clicks_are_refused(real):
    with pytest.raises(M2IFError, match="not in the OULAD tables"):
        backtest(real, ["AAA_2013J"], "ZZZ_2099J", [28])
    with pytest.raises(M2IFError, match="no clicks for"):
        backtest(real, ["AAA_2013J"], "CCC_2014J", [28])
    with pytest.raises(M2IFError, match="both a training and the test"):
        backtest(real, ["AAA_2013J"], "AAA_2013J", [28])


def test_a_cohort_scored_from_plain_daily_activity_gets_scores_and_reasons(real):
    model = train_model(real, ["AAA_2013J", "AAA_2014J", "BBB_2013J"], 56)
    activity = pl.DataFrame({
        "student": ["steady"] * 50 + ["silent"] * 10,
        "day": list(range(50)) + list(range(10)),
        "clicks": [30] * 50 + [5] * 10})
    assessments = pl.DataFrame({"assessment": ["a1", "a2"], "due_day": [19, 47]})
    submissions = pl.DataFrame({"student": ["steady", "steady", "silent"],
                                "assessment": ["a1", "a2", "a1"],
                                "submitted_day": [18, 46, 25], "score": [75.0, 80.0, 40.0]})
    features = features_from_frames(activity, 56, assessments=assessments,
                                    submissions=submissions)
    scored = score(model, features)
    assert scored.columns == ["student", "score", "top_features"]
    risk = dict(zip(scored["student"], scored["score"], strict=True))
    assert risk["silent"] > 0.5 > risk["steady"]
    reasons = dict(zip(scored["student"], scored["top_features"], strict=True))
    named = [part.split("=")[0] for part in reasons["silent"].split("; ")]
    assert len(named) == 3
    # every reason points the documented way: the silent student is worse than the steady one
    silent, steady = (features.filter(pl.col("student") == s).row(0, named=True)
                      for s in ("silent", "steady"))
    for feature in named:
        assert (silent[feature] - steady[feature]) * DIRECTIONS[feature] > 0, feature
    assert "days_since_last=47.0" in reasons["silent"] or "n_missed=1.0" in reasons["silent"]


def test_contributions_follow_the_documented_direction_of_each_feature(real):
    model = train_model(real, ["AAA_2013J", "BBB_2013J"], 28)
    signs = dict(zip(model.columns, model.estimator.coef_[0], strict=True))
    assert all(signs[f] * DIRECTIONS[f] >= 0 for f in FEATURES)
    assert sum(abs(v) > 0 for v in signs.values()) >= 5


def test_plain_frames_and_oulad_tables_give_the_same_features(tmp_path):
    con = new_warehouse()
    ingest_oulad(con, tiny_oulad(tmp_path), PSEUDO)
    from_tables = oulad_features(con, [AAA], 21).drop("label")
    frames = {name: con.sql(f"SELECT * FROM {name}").pl()
              for name in ("_f_students", "_f_activity", "_f_assessments", "_f_submissions")}
    from_frames = features_from_frames(
        frames["_f_activity"].drop("presentation"), 21,
        students=frames["_f_students"].drop("presentation", "label"),
        assessments=frames["_f_assessments"], submissions=frames["_f_submissions"],
        presentation=AAA).drop("label")
    assert_frame_equal(from_tables, from_frames.select(from_tables.columns),
                       check_dtypes=False)
    assert set(FEATURES) <= set(from_frames.columns)


def test_a_frame_missing_a_column_is_refused_by_name():
    with pytest.raises(ValueError, match=r"activity frame lacks the columns \['clicks'\]"):
        features_from_frames(pl.DataFrame({"student": ["a"], "day": [1]}), 7)
