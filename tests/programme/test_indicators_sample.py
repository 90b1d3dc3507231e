"""The indicators on the sample cohort: the planted facts of data_samples/README.md."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics.programme import indicators as ind
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLES
from tests.ingest.test_programme import student


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory,
           full_sample_warehouse: Path) -> Iterator[tuple[Workspace, dict[str, int], dict]]:
    """The sample warehouse with every programme table, in a copy kept open for the module."""
    db = tmp_path_factory.mktemp("programme") / "sample.duckdb"
    shutil.copy(full_sample_warehouse, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        ws = open_workspace(db, None)
        ids = {student(ws, u): u for u in range(101, 121)}
        with (SAMPLES / "profiles.csv").open(encoding="utf-8") as fh:
            profiles = {int(r["user_id"]): r["profile"] for r in csv.DictReader(fh)}
        yield ws, ids, profiles
        ws.close()


def keyed(ids: dict[str, int], table: pl.DataFrame) -> dict[int, dict]:
    return {ids[r["student"]]: r for r in table.iter_rows(named=True)}


def test_sample_grades_show_the_planted_blocks(sample):
    ws, ids, profiles = sample
    rows = keyed(ids, ind.year_validation(ws))
    assert {u: r["blocking_ues"] for u, r in rows.items() if r["blocking_ues"]} == {
        103: ["UE2"], 110: ["UE4"], 116: ["UE1", "UE3"]}
    assert all(rows[u]["validated"] is False for u in (103, 110, 116))
    assert all(rows[u]["validated"] is None for u in (105, 112, 118))
    fine = [u for u, p in profiles.items() if p in ("steady", "late_start", "irregular")]
    assert all(rows[u]["validated"] and rows[u]["honours"] for u in fine)
    ue4 = ind.ue_results(ws).filter(pl.col("ue") == "UE4")
    assert keyed(ids, ue4)[110]["mean"] == 9.5
    assert keyed(ids, ind.ue_results(ws).filter(pl.col("ue") == "UE3"))[120]["mean"] == 10.0


def test_sample_submissions_show_late_and_missing_work(sample):
    ws, ids, profiles = sample
    summary = keyed(ids, ind.submission_summary(ws))
    late = {u: r["late"] for u, r in summary.items() if r["late"]}
    missing = {u: r["missing"] for u, r in summary.items() if r["missing"]}
    assert late == {103: 2, 110: 2, 116: 3, 120: 1}
    assert missing == {105: 6, 112: 6, 118: 5}
    assert all(summary[u]["on_time"] == 8 for u, p in profiles.items()
               if p in ("steady", "late_start") and p != "teacher")
    status = ind.submission_status(ws)
    moodle = status.filter(pl.col("source") == "moodle")
    assert set(moodle["cmid"]) == {330, 331, 332} and set(moodle["status"]) == {"on_time"}
    edge = keyed(ids, status.filter(pl.col("assignment") == "Projet de mémoire"))[119]
    assert (edge["status"], edge["late_hours"]) == ("on_time", 0.0)
    minute = keyed(ids, status.filter(pl.col("ue") == "UE4"))[120]
    assert minute["status"] == "late" and minute["late_hours"] == pytest.approx(1 / 60)
    before_drop = keyed(ids, ind.submission_summary(ws, as_of=dt.date(2026, 12, 14)))
    assert {k: v for k, v in before_drop[105].items() if k != "student"} == {
        "late": 0, "missing": 0, "on_time": 2, "pending": 6}


def test_sample_internship_and_mission_letters(sample):
    ws, ids, profiles = sample
    on_pace = {u for u, p in profiles.items() if p in ("steady", "low", "irregular")}
    for day in (dt.date(2026, 10, 11), dt.date(2027, 1, 3), dt.date(2027, 3, 7),
                dt.date(2027, 5, 2), dt.date(2027, 7, 2)):
        behind = {u for u, r in keyed(ids, ind.internship_pace(ws, as_of=day)).items()
                  if r["behind"]}
        assert not behind & on_pace, day
    march = keyed(ids, ind.internship_pace(ws, as_of=dt.date(2027, 3, 7)))
    # the drop-outs who stopped; the late starters' pace starts at their first day (January)
    assert {u for u, r in march.items() if r["behind"]} == {105, 112}
    assert (march[108]["internship_start"], march[114]["internship_start"]) == (
        dt.date(2027, 1, 11), dt.date(2027, 1, 25))  # their letters' agreed starts
    new_year = keyed(ids, ind.internship_pace(ws, as_of=dt.date(2027, 1, 3)))
    assert {u for u, r in new_year.items() if r["no_internship"]} == {108, 114}
    may = keyed(ids, ind.internship_pace(ws, as_of=dt.date(2027, 5, 2)))
    assert {105, 112, 118} <= {u for u, r in may.items() if r["behind"]}
    on_deadline = keyed(ids, ind.internship_pace(ws, as_of=dt.date(2026, 12, 18)))
    assert not any(r["mission_letter_late"] for r in on_deadline.values())
    after = keyed(ids, ind.internship_pace(ws, as_of=dt.date(2026, 12, 19)))
    assert {u for u, r in after.items() if r["mission_letter_late"]} == {
        105, 108, 112, 114, 118}
    february = keyed(ids, ind.internship_pace(ws, as_of=dt.date(2027, 2, 1)))
    assert {u for u, r in february.items() if r["mission_letter_late"]} == {105, 112, 118}
    assert february[108]["mission_letter_on"] == dt.date(2027, 1, 11)


def test_sample_collective_participation(sample):
    ws, ids, profiles = sample
    table = ind.collective_participation(ws).sort("student", "week_start")
    assert table["collective_week"].all()
    longest: dict[int, int] = {}
    for (pseudo,), group in table.group_by("student", maintain_order=True):
        run = best = 0
        for silent in group["silent"]:
            run = run + 1 if silent else 0
            best = max(best, run)
        longest[ids[pseudo]] = best
    assert all(longest[u] < 3 for u, p in profiles.items() if p in ("steady", "low"))
    assert all(longest[u] >= 20 for u in (105, 112, 118))
    assert ind.available(ws, "grades") and ind.available(ws, "submissions")
