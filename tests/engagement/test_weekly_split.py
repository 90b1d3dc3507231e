"""Where the hours go: the weekly hours split by UE and by activity kind add up to the weekly
table, on a hand-computed case and on both sample cohorts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.config import config_from_dict
from m2if_analytics.engagement.split import parts as split_parts
from m2if_analytics.engagement.split import weekly_split, with_ue
from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.errors import ConfigError, M2IFError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import ingest_deadlines, ingest_resources
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import (
    EARLIER_COHORT,
    SAMPLE_CONFIG,
    SAMPLES,
    TEST_TOML,
    local,
    logstore_row,
    write_dump,
)

SPLIT_TOML = TEST_TOML + (
    '[[units]]\ncode = "UE1"\ntitle = "Un"\nsemester = 3\ncoefficient = 1\ncourses = [10]\n'
    '[[units]]\ncode = "UE2"\ntitle = "Deux"\nsemester = 3\ncoefficient = 1\n'
    "courses = [20]\n"
    '[activity_kinds]\n"mod_customcert" = "document"\n')


@pytest.fixture
def split_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SPLIT_TOML written beside the test's warehouse, with the test's pseudonym key set."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "split-key")
    config = tmp_path / "m2if.toml"
    config.write_text(SPLIT_TOML, encoding="utf-8")
    return config


def event(n: int, when: str, component: str, course: int, name: str) -> list[str]:
    return logstore_row(n, 101, local(when), component=component, courseid=course,
                        eventname=name, contextlevel=70, contextinstanceid=500 + n)


@pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
def test_each_event_credit_goes_to_its_course_and_kind_and_the_parts_add_up(
        tmp_path: Path, split_config: Path):
    config = split_config
    rows = [
        # 10 min on a UE1 file, 15 min in a UE2 forum, then a custom module of course 30
        # (a document by [activity_kinds]) that ends the session (65 min gap: 60 s), then the
        # site front page, the last event (60 s)
        event(1, "2026-10-05 09:00:00", "mod_resource", 10,
              "\\mod_resource\\event\\course_module_viewed"),
        event(2, "2026-10-05 09:10:00", "mod_forum", 20,
              "\\mod_forum\\event\\discussion_viewed"),
        event(3, "2026-10-05 09:25:00", "mod_customcert", 30,
              "\\mod_customcert\\event\\course_module_viewed"),
        event(4, "2026-10-05 10:30:00", "core", 1, "\\core\\event\\course_viewed"),
    ]
    with open_workspace(tmp_path / "w.duckdb", config) as ws:
        ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
        by_ue = weekly_split(ws, by="ue")
        by_kind = weekly_split(ws, by="activity")
        weekly = weekly_engagement(ws)
    seconds = {r["ue"]: round(r["hours"] * 3600, 6) for r in by_ue.iter_rows(named=True)}
    assert seconds == {"UE1": 600, "UE2": 900, "course 30": 60, "site": 60}
    kinds = {r["activity"]: round(r["hours"] * 3600, 6) for r in by_kind.iter_rows(named=True)}
    assert kinds == {"document": 660, "forum": 900, "other": 60}
    week = weekly.filter(pl.col("hours") > 0).row(0, named=True)
    assert round(week["hours"] * 3600, 6) == 1620 == sum(seconds.values())
    assert by_ue["events"].sum() == by_kind["events"].sum() == week["events"] == 4


@pytest.mark.parametrize("cohort", [None, EARLIER_COHORT])
@pytest.mark.parametrize("by", ["ue", "activity"])
def test_the_parts_add_up_to_the_weekly_table_on_the_sample_cohorts(
        full_sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch, cohort: str | None,
        by: str):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with open_workspace(full_sample_warehouse, SAMPLE_CONFIG) as ws:
        parts = weekly_split(ws, cohort, by)
        weekly = weekly_engagement(ws, cohort)
    sums = parts.group_by("student", "week_start").agg(pl.col("hours").sum().alias("parts"),
                                                       pl.col("events").sum().alias("n"))
    joined = weekly.join(sums, on=["student", "week_start"], how="left").with_columns(
        pl.col("parts").fill_null(0.0), pl.col("n").fill_null(0))
    active = weekly.filter(pl.col("events") > 0).height
    assert joined.height == weekly.height and parts.height >= active > 0
    assert (joined["hours"] - joined["parts"]).abs().max() * 3600 < 1  # to the second
    assert (joined["events"] == joined["n"]).all()
    assert set(parts[by]) >= ({"document", "forum", "other"} if by == "activity" else set())


def test_the_configuration_overrides_a_built_in_kind_and_each_component_has_one_kind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """component_kinds (migration 017), read by the split and by coverage: a configured kind
    wins over the built-in one, and no component has two rows (a join would count its hours
    twice)."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "split-key")
    config = tmp_path / "m2if.toml"
    config.write_text(SPLIT_TOML + '"mod_forum" = "document"\n', encoding="utf-8")
    rows = [event(1, "2026-10-05 09:00:00", "mod_forum", 10, "\\mod_forum\\event\\a"),
            event(2, "2026-10-05 09:10:00", "mod_chat", 10, "\\mod_chat\\event\\b")]
    with open_workspace(tmp_path / "w.duckdb", config) as ws:
        ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
        con = ws.tables
        kinds = dict(con.execute("SELECT component, kind FROM component_kinds").fetchall())
        twice = con.execute("SELECT component FROM component_kinds GROUP BY component "
                            "HAVING count(*) > 1").fetchall()
        parts = weekly_split(ws, by="activity")
    assert twice == []
    assert kinds["mod_forum"] == "document" and kinds["mod_chat"] == "forum"  # built-in kept
    assert kinds["mod_customcert"] == "document" and kinds["mod_resource"] == "document"
    week = parts.filter(pl.col("week_start") == dt.date(2026, 10, 5))
    assert dict(week.select("activity", "hours").rows()) == pytest.approx(
        {"document": 600 / 3600, "forum": 60 / 3600})  # 10 min to the next event, then 60 s


def test_an_unknown_activity_kind_is_refused_with_its_place():
    with pytest.raises(ConfigError, match=r"\[activity_kinds\].*mod_x = 'reading'"):
        config_from_dict({"activity_kinds": {"mod_x": "reading"}}, source="m2if.toml")


def test_weekly_by_something_else_is_a_one_line_error(sample_warehouse: Path):
    result = CliRunner().invoke(app, ["--db", str(sample_warehouse), "--config",
                                      str(SAMPLE_CONFIG), "weekly", "--by", "room"],
                                env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    assert isinstance(result.exception, M2IFError)
    assert str(result.exception) == "--by 'room': use ue or activity"


def provided_by_ue(ws: Workspace) -> pl.DataFrame:
    """The hours spent on documents and assignments, per student, week and UE."""
    kinds = pl.col("activity").is_in(["document", "assignment"])
    parts = with_ue(ws, split_parts(ws).filter(kinds))
    return (parts.group_by("student", "week_start", "ue")
            .agg(pl.col("hours").sum(), pl.col("events").sum())
            .sort("student", "week_start", "ue"))


def test_a_download_with_the_resources_list_and_deadlines_splits_by_ue_as_the_dump(
        full_sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A Logs download names no course for a course module: without the programme's tables
    its documents and assignments are 'site'; with the cohort's resources list (documents)
    and deadlines (assignments by cmid), the English download's hours on them go to the same
    UEs as the dump's, part by part."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with open_workspace(tmp_path / "en.duckdb", SAMPLE_CONFIG) as ws:
        ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
        ingest_moodle_file(ws.con, SAMPLES / "moodle_logs_en.csv", ws.cfg, ws.pseudo)
        alone = provided_by_ue(ws)
        ingest_resources(ws.con, SAMPLES / "resources.csv", ws.cfg, ws.pseudo)
        ingest_deadlines(ws.con, SAMPLES / "deadlines.csv", ws.cfg, ws.pseudo)
        listed = provided_by_ue(ws)
    with open_workspace(full_sample_warehouse, SAMPLE_CONFIG) as ws:
        dump = provided_by_ue(ws)
    assert set(alone["ue"]) == {"site"}
    assert set(listed["ue"]) == set(dump["ue"]) == {"UE1", "UE3", "UE5", "UE6", "UE8"}
    key = ["student", "week_start", "ue", "events"]
    assert listed.select(key).equals(dump.select(key))
    assert (listed["hours"] - dump["hours"]).abs().max() < 1e-9


@pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
def test_a_deadline_naming_a_module_puts_its_events_in_the_deadlines_ue(
        tmp_path: Path, split_config: Path):
    config = split_config
    rows = [event(1, "2026-10-05 09:00:00", "mod_assign", 30,  # course 30: no UE lists it
                  "\\mod_assign\\event\\submission_status_viewed"),
            event(2, "2026-10-05 09:20:00", "mod_assign", 10,  # UE1's course, a deadline of UE2
                  "\\mod_assign\\event\\submission_status_viewed")]
    deadlines = tmp_path / "deadlines.csv"
    deadlines.write_text("ue,assignment,due,cmid\nUE2,Dossier,2026-10-20 23:59,501\n"
                         "UE2,Rapport,2026-10-27 23:59,502\n", encoding="utf-8")
    with open_workspace(tmp_path / "w.duckdb", config) as ws:
        ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
        before = weekly_split(ws, by="ue")
        ingest_deadlines(ws.con, deadlines, ws.cfg, ws.pseudo)
        after = weekly_split(ws, by="ue")
    seconds = {r["ue"]: round(r["hours"] * 3600, 6) for r in before.iter_rows(named=True)}
    assert seconds == {"course 30": 1200, "UE1": 60}
    seconds = {r["ue"]: round(r["hours"] * 3600, 6) for r in after.iter_rows(named=True)}
    assert seconds == {"UE2": 1260}  # cmid 501 (course 30) and 502 (course 10): both UE2


def test_the_resources_lists_ue_wins_over_a_deadlines_for_the_same_module(
        tmp_path: Path, split_config: Path):
    rows = [event(1, "2026-10-05 09:00:00", "mod_assign", 30,
                  "\\mod_assign\\event\\submission_status_viewed")]
    deadlines = tmp_path / "deadlines.csv"
    deadlines.write_text("ue,assignment,due,cmid\nUE1,Dossier,2026-10-20 23:59,501\n",
                         encoding="utf-8")
    resources = tmp_path / "resources.csv"
    resources.write_text("cmid,ue\n501,UE2\n", encoding="utf-8")
    with open_workspace(tmp_path / "w.duckdb", split_config) as ws:
        ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
        ingest_deadlines(ws.con, deadlines, ws.cfg, ws.pseudo)
        by_deadline = weekly_split(ws, by="ue")["ue"].to_list()
        ingest_resources(ws.con, resources, ws.cfg, ws.pseudo)
        by_list = weekly_split(ws, by="ue")["ue"].to_list()
    assert by_deadline == ["UE1"] and by_list == ["UE2"]
