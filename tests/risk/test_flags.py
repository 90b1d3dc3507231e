"""Chronic under-work, a flag's status week to week (new / worse / ongoing / resolved) and the
days a flag waits for a contact; the planted "irregular" students of both sample cohorts."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from m2if_analytics.risk import flag_states
from m2if_analytics.risk.flags import flag_table, uncontacted_days
from m2if_analytics.risk.levels import StudentRisk
from tests.conftest import SAMPLE_CONFIG, SAMPLES
from tests.risk.test_rules import NBSP, RiskInputs, run, week, weekly

ALTERNATING = [18, 1.5] * 4  # 8 teaching weeks: mean 9.75 h, 4 of 8 below 15 h


# --- chronic under-work -------------------------------------------------------------------

def test_alternating_weeks_fire_chronic_under_work_with_its_figures():
    inputs = RiskInputs(weekly=weekly({"s1": ALTERNATING}))
    r = run("chronic_under_work", inputs, 7)
    assert (r.status, r.severity) == ("fired", "amber")
    assert r.figures == {"weeks": 8, "below": 4, "mean_hours": 9.75, "target_hours": 15.0}
    assert r.reason_fr == (f"sous l'objectif 4 semaines sur les 8 dernières semaines "
                           f"d'enseignement, 9,8{NBSP}h/semaine en moyenne, objectif 15{NBSP}h")
    assert r.reason_en == (f"below target in 4 of the last 8 teaching weeks, "
                           f"9.8{NBSP}h/week on average, target 15{NBSP}h")
    assert not run("below_target", inputs, 7).fired  # the streak rule never sees it


def test_chronic_under_work_waits_for_eight_weeks_and_needs_share_and_mean():
    assert run("chronic_under_work", RiskInputs(weekly=weekly({"s1": ALTERNATING})),
               6).status == "clear"  # 7 weeks only
    # half the weeks below but a mean of 12.5 ≥ 0.8 × 15 = 12: clear
    assert run("chronic_under_work", RiskInputs(weekly=weekly({"s1": [20, 5] * 4})),
               7).status == "clear"
    # a mean of 11.75 < 12 with 4 of 8 below: fires
    assert run("chronic_under_work", RiskInputs(weekly=weekly({"s1": [20, 3.5] * 4})),
               7).fired
    # 3 of 8 below (share 0.375 < 0.5) even with a low mean: clear
    assert run("chronic_under_work", RiskInputs(weekly=weekly(
        {"s1": [16, 16, 16, 16, 16, 0, 0, 0]})), 7).status == "clear"


def test_chronic_under_work_leaves_a_single_run_of_short_weeks_to_the_streak_rule():
    low = RiskInputs(weekly=weekly({"s1": [8] * 8}))
    r = run("chronic_under_work", low, 7)
    assert r.status == "clear" and r.figures["consecutive"] is True
    assert run("below_target", low, 7).severity == "red"  # said once, by the streak rule
    # short weeks in two runs: the pattern the streak rule misses
    assert run("chronic_under_work", RiskInputs(weekly=weekly(
        {"s1": [18, 2, 2, 18, 18, 2, 2, 2]})), 7).fired


def test_chronic_under_work_is_red_under_half_the_target_and_can_be_switched_off():
    inputs = RiskInputs(weekly=weekly({"s1": [16, 4, 4, 4, 16, 2, 4, 8]}))  # mean 7.25
    assert run("chronic_under_work", inputs, 7).severity == "red"
    assert run("chronic_under_work", inputs, 7, chronic_weeks=0).status == "not_evaluated"
    assert run("chronic_under_work", inputs, 7, chronic_weeks=4).figures["weeks"] == 4


def test_chronic_under_work_counts_from_the_first_week_with_activity_and_skips_holidays():
    late = [0, 0, 0, 0, 17, 17, 17, 17, 17, 17, 17, 17]
    assert run("chronic_under_work", RiskInputs(weekly=weekly({"s1": late})), 7).status == "clear"
    holidays = [18, 1.5, 18, 0, 0, 1.5, 18, 1.5, 18, 1.5]  # weeks 3, 4 are holidays
    r = run("chronic_under_work", RiskInputs(weekly=weekly({"s1": holidays},
                                                           holidays=(3, 4))), 9)
    assert r.fired and r.figures["weeks"] == 8 and r.figures["below"] == 4


# --- flag states (pure) ---------------------------------------------------------------------

def history(*levels: str, student: str = "s") -> list[tuple[dt.date, dict[str, str]]]:
    return [(week(i), {student: lv}) for i, lv in enumerate(levels)]


@pytest.mark.parametrize(("levels", "status", "since"), [
    (("green",), "", None),
    (("amber",), "new", 0),
    (("green", "amber"), "new", 1),
    (("green", "red"), "new", 1),
    (("amber", "red"), "worse", 0),
    (("green", "amber", "amber", "amber"), "ongoing", 1),
    (("red", "amber"), "ongoing", 0),  # better, still flagged
    (("amber", "green"), "resolved", None),
    (("amber", "green", "green"), "", None),
    (("red", "green", "amber", "red"), "worse", 2),  # the run restarts after a green week
])
def test_flag_states_by_hand(levels: tuple[str, ...], status: str, since: int | None):
    state = flag_states(history(*levels))["s"]
    assert state.status == status
    assert state.since == (None if since is None else week(since))
    assert state.previous == (levels[-2] if len(levels) > 1 else None)


@given(st.lists(st.sampled_from(["green", "amber", "red"]), min_size=1, max_size=30))
def test_flag_states_agree_with_the_last_two_levels_and_the_flagged_run(levels: list[str]):
    state = flag_states(history(*levels))["s"]
    rank = {"green": 0, "amber": 1, "red": 2}
    now, before = rank[levels[-1]], rank[levels[-2]] if len(levels) > 1 else 0
    expected = ("resolved" if before else "") if now == 0 else (
        "new" if before == 0 else "worse" if now > before else "ongoing")
    assert state.status == expected
    if now:
        start = len(levels) - 1
        while start > 0 and levels[start - 1] != "green":
            start -= 1
        assert state.since == week(start)
    else:
        assert state.since is None


def test_uncontacted_days_count_from_the_flag_to_the_report_weeks_sunday():
    since, report = week(2), week(4)
    assert uncontacted_days(since, None, report) == 21  # weeks 2, 3 and 4
    assert uncontacted_days(since, week(1), report) == 21  # contacted before the flag
    assert uncontacted_days(since, week(2) + dt.timedelta(days=3), report) is None
    assert uncontacted_days(None, None, report) is None  # not flagged


def test_flag_table_joins_states_groups_and_contacts():
    def sr(student: str, level: str) -> StudentRisk:
        return StudentRisk(student, week(3), level, ())  # type: ignore[arg-type]

    states = flag_states([(week(2), {"a": "amber", "b": "green"}),
                          (week(3), {"a": "red", "b": "amber"})])
    table = flag_table([sr("a", "red"), sr("b", "amber")], states, "en",
                       pl.DataFrame({"student": ["a", "b"], "group": ["G1", None]}),
                       pl.DataFrame({"student": ["a"], "last_contact": [week(2)]}))
    rows = {r["student"]: r for r in table.iter_rows(named=True)}
    assert (rows["a"]["status"], rows["a"]["since"], rows["a"]["previous_level"]) == (
        "worse", week(2), "amber")
    assert (rows["a"]["last_contact"], rows["a"]["uncontacted_days"]) == (week(2), None)
    assert (rows["b"]["status"], rows["b"]["since"], rows["b"]["uncontacted_days"]) == (
        "new", week(3), 7)
    assert rows["a"]["group"] == "G1" and rows["b"]["group"] is None
    assert table.columns[:4] == ["student", "week_start", "level", "reasons"]


# --- the sample cohorts ---------------------------------------------------------------------

def _profiles(folder: Path, ws: object) -> dict[str, tuple[str, str]]:
    from m2if_analytics.warehouse.pseudonyms import pseudonym

    with (folder / "profiles.csv").open(encoding="utf-8") as fh:
        return {pseudonym(ws.pseudo.id_ident(r["user_id"])): (r["user_id"], r["profile"])  # type: ignore[attr-defined]
                for r in csv.DictReader(fh) if r["profile"] != "teacher"}


@pytest.fixture(scope="module")
def levels_by_week(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[str, dict[str, dict[str, list[str]]]]:
    """{cohort: {"on" | "off": {student: [level per complete week]}}}: the rules with the
    chronic rule, and with it switched off (chronic_weeks = 0)."""
    from m2if_analytics.risk import results_over_time
    from m2if_analytics.warehouse.workspace import open_workspace

    folder = tmp_path_factory.mktemp("chronic")
    off = folder / "off.toml"
    off.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8") + "\n[risk]\nchronic_weeks = 0\n",
                   encoding="utf-8")
    db = folder / "w.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        for name, config in (("on", SAMPLE_CONFIG), ("off", off)):
            with open_workspace(db, config) as ws:
                for cohort in ("2025-2026", "2026-2027"):
                    got = out.setdefault(cohort, {}).setdefault(name, {})
                    for _monday, _holiday, results in results_over_time(ws, cohort):
                        for r in results:
                            got.setdefault(r.student, []).append(r.level)
                    out[cohort].setdefault("profiles", _profiles(  # type: ignore[arg-type]
                        SAMPLES if cohort == "2026-2027" else SAMPLES / cohort, ws))
    return out


@pytest.mark.parametrize("cohort", ["2025-2026", "2026-2027"])
def test_the_alternating_student_is_flagged_by_week_8_and_no_one_else_changes(
        levels_by_week: dict, cohort: str):
    data = levels_by_week[cohort]
    profiles: dict[str, tuple[str, str]] = data["profiles"]
    for student, (uid, profile) in profiles.items():
        on, off = data["on"][student], data["off"][student]
        if profile == "irregular":
            assert on[7] in ("amber", "red"), (uid, on)  # programme week 8
            assert off[7] == "green" and off.count("green") > len(off) - 3, (uid, off)
            assert on[7:].count("green") <= 4, (uid, on)  # flagged most of the year
        else:
            assert on == off, (uid, profile)


def test_the_chronic_reason_names_the_irregular_students_figures(
        full_sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    from m2if_analytics.api import open_warehouse
    from m2if_analytics.risk import flags

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with open_warehouse(full_sample_warehouse) as ws:
        table = flags(ws, week="2026-W48", lang="en")  # programme week 8 of 2026-2027
        irregular = [s for s, (_, p) in _profiles(SAMPLES, ws).items() if p == "irregular"]
    row = table.filter(pl.col("student") == irregular[0]).row(0, named=True)
    assert row["level"] == "amber" and row["status"] == "new"
    assert row["since"] == dt.date(2026, 11, 23) and row["uncontacted_days"] == 7
    assert "below target in 4 of the last 8 teaching weeks" in row["reasons"]
