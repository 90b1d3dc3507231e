"""The rules measured on the finished 2025-2026 sample cohort (``m2if risk evaluate``):
outcomes and lead times checked by hand on two students, the table's arithmetic, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.risk import evaluation as ev
from tests.conftest import SAMPLE_CONFIG, SAMPLES

COHORT = "2025-2026"
PARIS = ZoneInfo("Europe/Paris")


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@pytest.fixture(scope="module")
def measured(full_sample_warehouse: Path) -> tuple[dict[str, ev.Outcome], pl.DataFrame,
                                                  dict[str, str]]:
    from m2if_analytics.warehouse.pseudonyms import pseudonym
    from m2if_analytics.warehouse.workspace import open_workspace

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(full_sample_warehouse, SAMPLE_CONFIG, create=False) as ws:
            who = {str(u): pseudonym(ws.pseudo.id_ident(str(u))) for u in range(301, 321)}
            return ev.outcomes(ws, COHORT), ev.evaluate_rules(ws, COHORT), who


def test_outcomes_of_the_planted_students(measured):
    outcomes, _, who = measured
    bad = {uid for uid, p in who.items() if outcomes[p].outcome != "validated"}
    assert bad == {"304", "309"}
    assert outcomes[who["309"]].outcome == "dropped"
    assert outcomes[who["304"]].outcome == "not_validated"
    # 304's UE5 "Projet de mémoire": 8/20 on Friday 24/04/2026 (grades.csv): that week
    assert outcomes[who["304"]].visible == dt.date(2026, 4, 20)


def _last_event_of(uid: str) -> dt.date:
    """The user's last event in the dump, read with the csv module (local date)."""
    with (SAMPLES / COHORT / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        stamps = [int(r["timecreated"]) for r in csv.DictReader(fh) if r["userid"] == uid]
    return dt.datetime.fromtimestamp(max(stamps), PARIS).date()


def test_lead_times_by_hand_for_the_drop_out_and_the_low_student(measured):
    outcomes, table, who = measured
    rows = {(r["rule"], r["level"]): r for r in table.iter_rows(named=True)}
    # 309 drops out: visible the Monday after the week of the last event (profile: no
    # activity from week 20, 2026-02-16)
    last = _last_event_of("309")
    visible = monday(last) + dt.timedelta(days=7)
    assert visible == dt.date(2026, 2, 16) == outcomes[who["309"]].visible
    # inactivity fires at the first Sunday 10 or more days after the last event
    sunday = last + dt.timedelta(days=(6 - last.weekday()))
    while (sunday - last).days < 10:
        sunday += dt.timedelta(days=7)
    lead = (visible - monday(sunday)).days / 7
    inactivity = rows[("inactivity", "amber")]
    assert inactivity["true_positives"] == 1 and inactivity["median_lead_weeks"] == lead
    # 304 (5-10 h every week): below target from the second teaching week (2025-10-13),
    # 27 weeks before the UE5 mark of 2026-04-20
    below = rows[("below_target", "amber")]
    assert (dt.date(2026, 4, 20) - dt.date(2025, 10, 13)).days / 7 == 27
    assert below["true_positives"] == 2 and below["recall"] == 1.0


def test_the_table_adds_up(measured):
    _, table, _ = measured
    assert table.height == 2 * 8  # (level + 7 rules) × (amber, red)
    for r in table.iter_rows(named=True):
        assert r["bad_outcomes"] == 2 and r["true_positives"] <= r["flagged"]
        if r["flagged"]:
            assert r["precision"] == pytest.approx(r["true_positives"] / r["flagged"])
        assert r["recall"] == pytest.approx(r["true_positives"] / 2)
    red = table.filter(pl.col("level") == "red")
    amber = table.filter(pl.col("level") == "amber")
    assert (red["flagged"] <= amber["flagged"]).all()  # red is a subset of amber or red


def test_the_stored_weeks_give_the_table_that_replaying_the_rules_gives(
        full_sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The evaluation reads the stored levels (judged once per week) instead of judging every
    week again: the same table as replaying the rules week by week, and a second evaluation
    judges no week."""
    import shutil

    from m2if_analytics.risk import history
    from m2if_analytics.risk.levels import results_over_time
    from m2if_analytics.warehouse.workspace import open_workspace

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        ws.con.execute("DELETE FROM risk_history; DELETE FROM risk_history_weeks")
        replayed = ev.score(ev.first_flags([(monday, results) for monday, _, results
                                            in results_over_time(ws, COHORT)]),
                            ev.outcomes(ws, COHORT))
        stored = ev.evaluate_rules(ws, COHORT)
        again = history.refresh(ws, COHORT)
    assert again.weeks > 30 and again.judged == 0
    assert stored.equals(replayed)
    red = stored.filter(pl.col("level") == "red")
    assert red.filter(pl.col("rule") != "level")["flagged"].sum() > 0  # rules fired at red


def test_score_is_pure_and_handles_no_flags():
    outcomes = {"a": ev.Outcome("dropped", dt.date(2026, 3, 2)),
                "b": ev.Outcome("validated", None), "c": ev.Outcome("not_validated",
                                                                     dt.date(2026, 5, 4))}
    first = {("level", "amber"): {"a": dt.date(2026, 2, 2), "b": dt.date(2026, 1, 5)},
             ("below_target", "amber"): {"c": dt.date(2026, 5, 18)}}
    table = ev.score(first, outcomes)
    rows = {(r["rule"], r["level"]): r for r in table.iter_rows(named=True)}
    assert (rows[("level", "amber")]["precision"], rows[("level", "amber")]["recall"],
            rows[("level", "amber")]["median_lead_weeks"]) == (0.5, 0.5, 4.0)
    assert rows[("below_target", "amber")]["median_lead_weeks"] == -2.0  # flagged after
    assert rows[("inactivity", "red")]["precision"] is None


def test_risk_evaluate_command_writes_the_table(full_sample_warehouse: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    out = tmp_path / "evaluation.csv"
    result = CliRunner().invoke(app, ["--db", str(full_sample_warehouse), "--config",
                                      str(SAMPLE_CONFIG), "risk", "evaluate", "--cohort", COHORT,
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pl.read_csv(out)
    assert table.columns == list(ev.SCHEMA)
    assert table.filter(pl.col("rule") == "chronic_under_work").height == 2


@pytest.mark.parametrize(("cohort", "uids"), [("2025-2026", ["309"]),
                                              ("2026-2027", ["105", "112", "118"])])
def test_drop_outs_are_never_on_track_once_they_stopped(full_sample_warehouse: Path,
                                                        cohort: str, uids: list[str]):
    from m2if_analytics.programme import indicators as ind
    from m2if_analytics.reports.overview.data import forecast_concerns, forecast_status
    from m2if_analytics.warehouse.pseudonyms import pseudonym
    from m2if_analytics.warehouse.workspace import open_workspace

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(full_sample_warehouse, SAMPLE_CONFIG, create=False) as ws:
            outcomes = ev.outcomes(ws, cohort)
            end = ws.cfg.cohort(cohort).end
            for uid in uids:
                student = pseudonym(ws.pseudo.id_ident(uid))
                assert outcomes[student].outcome == "dropped"
                day = outcomes[student].visible + dt.timedelta(days=13)  # 2 weeks on
                while day <= end + dt.timedelta(days=7):
                    status = forecast_status(ind.year_validation(ws, cohort, day),
                                             ind.ue_results(ws, cohort, day),
                                             forecast_concerns(ws, cohort, day))
                    got = status.filter(pl.col("student") == student)["status"][0]
                    assert got in ("compromised", "blocked"), (uid, day, got)
                    day += dt.timedelta(days=28)


def test_weeks_judged_together_read_the_same_indicators_as_one_week_alone(
        full_sample_warehouse: Path):
    """The reads shared by the weeks of one cohort (UE results reused in a week without a
    grade date; submissions and internship read for every Sunday in one query each, forum
    participation read once as of the last Sunday) give every week the frames a week judged
    alone reads."""
    from m2if_analytics import engagement
    from m2if_analytics.programme import indicators
    from m2if_analytics.risk import data
    from m2if_analytics.warehouse.workspace import open_workspace

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(full_sample_warehouse, SAMPLE_CONFIG, create=False) as ws:
            reads = data.cohort_reads(ws, COHORT, engagement.weekly(ws, COHORT))
            dates = indicators.grade_dates(ws, COHORT)
            assert dates == sorted(set(dates)) and len({monday(d) for d in dates}) >= 3
            start = monday(ws.cfg.cohort(COHORT).start)
            mondays = [start + dt.timedelta(weeks=n) for n in range(40)]
            assert set(reads.by_sunday) == set(indicators.OVER_DAYS)
            changed = 0
            previous = None
            assert reads.collective is not None
            changing = (*indicators.OVER_DAYS, "collective_participation")
            seen: dict[str, list] = {name: [] for name in changing}
            for day in mondays:
                shared = data.indicator_frames(ws, COHORT, day, reads)
                alone = data.indicator_frames(ws, COHORT, day)
                assert shared.keys() == alone.keys()
                for name, frame in alone.items():
                    other = shared[name]
                    assert (frame is None) == (other is None), (day, name)
                    if frame is not None and other is not None:
                        assert frame.equals(other), (day, name)
                for name in changing:
                    if alone[name] is not None and (not seen[name]
                                                    or not alone[name].equals(seen[name][-1])):
                        seen[name].append(alone[name])
                ue = alone["ue_results"]
                if previous is not None and ue is not None and not ue.equals(previous):
                    changed += 1
                previous = ue
            assert changed >= 2  # the UE results did change along the year
            # and so did the indicators read over every Sunday at once
            assert all(len(frames) >= 3 for frames in seen.values()), seen.keys()
            # read once per change, not once per week
            assert changed + 1 <= len(reads.ue_results) < len(mondays)


def test_a_cohort_not_finished_or_without_activity_is_refused_in_one_line(
        full_sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The sample's current cohort has not ended with the data: every student would count as
    dropped out (no event in its last 28 days, still to come) and each rule that fired would
    show a precision of 1. A finished cohort without any activity (a roster without logs, or
    here nobody at all) would count everyone dropped out too."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    config = tmp_path / "m2if.toml"
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8")
                      + '\n[[cohorts]]\nid = "2023-2024"\nstart = 2023-10-02\n'
                        'end = 2024-06-28\n', encoding="utf-8")
    base = ["--db", str(full_sample_warehouse), "--config", str(config), "risk", "evaluate"]
    running = CliRunner().invoke(app, [*base, "--cohort", "2026-2027"])
    assert running.exit_code != 0
    message = str(running.exception)
    assert message.startswith("cohort 2026-2027 has not ended with the data: its calendar "
                              "ends on 2027-07-02, the latest data is of ")
    assert "\n" not in message
    empty = CliRunner().invoke(app, [*base, "--cohort", "2023-2024"])
    assert empty.exit_code != 0
    assert str(empty.exception).startswith("cohort 2023-2024 has no student: ")
    from m2if_analytics.warehouse.workspace import open_workspace

    with open_workspace(full_sample_warehouse, config, create=False) as ws:
        assert ev.not_measurable(ws, COHORT) is None  # the finished sample cohort is measured
