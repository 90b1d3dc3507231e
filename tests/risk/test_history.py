"""Risk levels over time, stored: the same as judging every week again, refreshed only where
the inputs changed, forgotten with the person."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics.risk import history
from m2if_analytics.risk.levels import results_over_time
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLE_CONFIG, local, write_logstore


@pytest.fixture
def sample_copy(full_sample_warehouse: Path, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A writable copy of the full sample warehouse without stored levels (other tests
    reading flags from the shared warehouse store them)."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        ws.con.execute("DELETE FROM risk_history; DELETE FROM risk_history_weeks")
        yield ws


def judged_now(ws: Workspace) -> dict[str, pl.DataFrame]:
    """Every complete week judged directly, without the stored table: {lang: frame}."""
    rows: dict[str, list[dict]] = {"fr": [], "en": []}
    for monday, holiday, results in results_over_time(ws):
        for r in results:
            for lang, out in rows.items():
                out.append({"student": r.student, "week_start": monday, "holiday": holiday,
                            "level": r.level, "rules": [x.rule for x in r.fired],
                            "red_rules": [x.rule for x in r.fired if x.severity == "red"],
                            "reasons": r.reasons(lang)})
    return {lang: pl.DataFrame(out).sort("week_start", "student") for lang, out in rows.items()}


def judged_alone(ws: Workspace) -> pl.DataFrame:
    """Every complete week judged as ``m2if risk --week`` judges one week: its own reads and
    a weekly frame of its own (nothing shared between weeks), reasons in English."""
    from m2if_analytics.risk.data import risk_inputs
    from m2if_analytics.risk.levels import evaluate

    rows = []
    programme = ws.cfg.programme
    for monday, holiday, _ in results_over_time(ws):
        inputs, week = risk_inputs(ws, week=monday)
        assert week == monday
        for r in evaluate(inputs, ws.cfg.risk, monday, programme.weekly_target_hours,
                          programme.pass_mark):
            rows.append({"student": r.student, "week_start": monday, "holiday": holiday,
                         "level": r.level, "rules": [x.rule for x in r.fired],
                         "reasons": r.reasons("en")})
    return pl.DataFrame(rows).sort("week_start", "student")


def stored_rows(ws: Workspace) -> int:
    return ws.con.execute("SELECT count(*) FROM risk_history").fetchone()[0]


def assert_same_as_judging_again(ws: Workspace) -> None:
    for lang, direct in judged_now(ws).items():
        stored = history.levels(ws, lang=lang).drop("iso_week")
        assert stored.height == direct.height > 0
        levels = direct.drop("red_rules")
        assert stored.select(levels.columns).to_dicts() == levels.to_dicts()
    fired = history.flags(ws)
    assert fired.columns == ["student", "week_start", "level", "rules", "red_rules"]
    assert fired.to_dicts() == direct.select(fired.columns).to_dicts()
    assert fired["red_rules"].list.len().sum() > 0  # rules at red compared, not only empty lists


def test_stored_levels_are_the_rules_judged_week_by_week_and_a_second_read_judges_nothing(
        sample_copy: Workspace):
    ws = sample_copy
    first = history.refresh(ws)
    assert first.weeks == first.checked == first.judged > 30
    assert stored_rows(ws) == 20 * first.weeks  # 20 students in the default cohort
    assert history.refresh(ws) == history.HistoryStats(first.weeks, 0, 0)
    assert_same_as_judging_again(ws)
    alone = judged_alone(ws)  # the weeks judged in a row share reads; one week alone not
    stored = history.levels(ws, lang="en").drop("iso_week")
    assert stored.select(alone.columns).to_dicts() == alone.to_dicts()
    assert alone["level"].n_unique() == 3  # green, amber and red weeks all compared
    until = dt.date(2026, 12, 7)
    part = history.levels(ws, until=until)
    assert part["week_start"].max() <= until and part["week_start"].min() == dt.date(2026, 10, 5)
    assert part["iso_week"].to_list()[0] == "2026-W41"


def test_new_events_judge_again_only_the_weeks_from_theirs_on(sample_copy: Workspace,
                                                               tmp_path: Path):
    from m2if_analytics.ingest.detect import ingest_any

    ws = sample_copy
    before = history.refresh(ws)
    old = history.levels(ws, lang="en")
    # student 105 stopped on 2026-12-21; events on Wednesday 2027-03-10 (week 2027-W10)
    when = [local("2027-03-10 09:00:00") + dt.timedelta(minutes=m) for m in range(0, 180, 10)]
    dump = write_logstore(tmp_path / "late.csv", [(105, w) for w in when], start_id=9_000_000)
    ingest_any(ws.con, dump, ws.cfg, ws.pseudo)
    after = history.refresh(ws)
    monday = dt.date(2027, 3, 8)
    later = old.filter(pl.col("week_start") >= monday)["week_start"].n_unique()
    assert after.weeks == before.weeks
    assert after.checked == before.weeks  # every week's inputs read again (new file)...
    assert after.judged == later  # ...but only weeks from 2027-W10 on judged again
    assert_same_as_judging_again(ws)
    new = history.levels(ws, lang="en")
    assert new.filter(pl.col("week_start") < monday).equals(
        old.filter(pl.col("week_start") < monday))
    changed = new.join(old, on=["student", "week_start"]).filter(
        pl.col("reasons") != pl.col("reasons_right"))
    assert changed.height > 0 and changed["week_start"].min() >= monday


def test_other_rule_settings_judge_every_week_again(sample_copy: Workspace):
    ws = sample_copy
    weeks = history.refresh(ws).weeks
    ws.cfg = dataclasses.replace(ws.cfg, risk=dataclasses.replace(ws.cfg.risk,
                                                                  inactivity_days=2))
    assert history.refresh(ws) == history.HistoryStats(weeks, weeks, weeks)
    assert_same_as_judging_again(ws)


def test_forgetting_a_person_removes_their_stored_levels(sample_copy: Workspace):
    from m2if_analytics.warehouse.forget import forget_person

    ws = sample_copy
    history.refresh(ws)
    student = history.levels(ws)["student"][0]
    forget_person(ws, student)
    left = ws.con.execute("SELECT count(*) FROM risk_history WHERE student = ?",
                          [student]).fetchone()[0]
    assert left == 0 and stored_rows(ws) > 0


def test_a_read_only_warehouse_judges_in_memory_and_stores_nothing(sample_copy: Workspace):
    ws = sample_copy
    ws.tables  # noqa: B018 (derived tables current for this configuration)
    ws.read_only = True  # as when the user cannot write the file
    assert_same_as_judging_again(ws)
    assert stored_rows(ws) == 0


def test_levels_stored_before_the_rules_at_red_were_are_judged_again(
        full_sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Migration 18 adds red_rules to the stored levels: rows stored before it are cleared (a
    week whose inputs did not change would keep its row without them) and judged again."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    db = tmp_path / "old.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        weeks = history.refresh(ws).weeks
        assert stored_rows(ws) > 0
        ws.con.execute("ALTER TABLE risk_history DROP COLUMN red_rules")  # as in version 17
        ws.con.execute("UPDATE meta SET value = '17' WHERE key = 'schema_version'")
        ws.con.execute("UPDATE meta SET value = regexp_replace(value, ',18\\b', '') "
                       "WHERE key = 'migrations_applied'")
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        assert stored_rows(ws) == 0
        assert history.refresh(ws) == history.HistoryStats(weeks, weeks, weeks)
        assert_same_as_judging_again(ws)


def test_a_read_only_warehouse_leaves_out_the_stored_weeks_of_forgotten_events(
        sample_copy: Workspace, tmp_path: Path):
    """Weeks stored from a file forgotten since are no longer complete weeks: a writable
    warehouse prunes them at its next read, a read-only one must leave them out (they fed
    `m2if risk evaluate` and the comparison)."""
    from m2if_analytics.ingest.detect import ingest_any
    from m2if_analytics.warehouse.forget import forget_file

    ws = sample_copy
    weeks = history.refresh(ws).weeks
    last = history.levels(ws)["week_start"].max()
    # student 105 back for three weeks after the sample's last complete week
    when = [local(f"{last + dt.timedelta(days=d)} 09:00:00") for d in range(14, 35)]
    ingest_any(ws.con, write_logstore(tmp_path / "late.csv", [(105, w) for w in when],
                                      start_id=9_000_000), ws.cfg, ws.pseudo)
    assert history.refresh(ws).weeks > weeks  # the late weeks are stored...
    forget_file(ws, "late.csv")  # ...and outlive their events until the next writable read
    ws.read_only = True  # as when the user cannot write the file
    assert history.levels(ws)["week_start"].max() == last
    assert_same_as_judging_again(ws)


def test_forget_by_command_line_judges_the_stored_levels_again_at_once(
        full_sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`m2if forget` leaves no stored level resting on what it removed: the weeks whose
    inputs changed are judged again and the weeks no longer complete dropped, before any
    read."""
    from typer.testing import CliRunner

    from m2if_analytics.cli import app
    from m2if_analytics.ingest.detect import ingest_any

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        weeks = history.refresh(ws).weeks
        last = history.levels(ws)["week_start"].max()
        when = [local(f"{last + dt.timedelta(days=d)} 09:00:00") for d in range(14, 35)]
        ingest_any(ws.con, write_logstore(tmp_path / "late.csv", [(105, w) for w in when],
                                          start_id=9_000_000), ws.cfg, ws.pseudo)
        assert history.refresh(ws).weeks > weeks
    done = CliRunner().invoke(app, ["--db", str(db), "--config", str(SAMPLE_CONFIG), "forget",
                                    "--file", "late.csv"])
    assert done.exit_code == 0, done.output
    assert f"stored risk levels of 2026-2027: 0 of {weeks} complete week(s)" in done.stdout
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        stored = ws.con.execute("SELECT max(week_start) FROM risk_history "
                                "WHERE cohort_id = '2026-2027'").fetchone()[0]
        assert stored == last  # dropped by the command, not by a read
        assert history.refresh(ws) == history.HistoryStats(weeks, 0, 0)
        assert_same_as_judging_again(ws)
