"""The sample cohorts: every format gives the same pseudonyms and weekly tables, no identity is
kept, the generators reproduce the files, and the earlier cohort 2025-2026 shows its mix."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import duckdb
import polars as pl
import pytest

from m2if_analytics.config import load_config
from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.risk import assess
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import EARLIER_COHORT, EARLIER_SAMPLES, SAMPLE_CONFIG, SAMPLES

FORMATS = {"logstore": "logstore_standard_log.csv", "en": "moodle_logs_en.csv",
           "fr": "moodle_logs_fr.csv"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Workspace]]:
    """One warehouse per log format, each with the sample roster."""
    out: dict[str, Workspace] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-test-key")
        base = tmp_path_factory.mktemp("samples")
        for name, file in FORMATS.items():
            ws = open_workspace(base / f"{name}.duckdb", SAMPLE_CONFIG)
            ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
            ingest_moodle_file(ws.con, SAMPLES / file, ws.cfg, ws.pseudo)
            out[name] = ws
        yield out
    for ws in out.values():
        ws.close()


def weekly(ws: Workspace) -> pl.DataFrame:
    return weekly_engagement(ws).sort("student", "week_start")


def test_every_format_gives_one_pseudonym_per_student(built: dict[str, Workspace]):
    students = {name: set(weekly(ws)["student"]) for name, ws in built.items()}
    assert len(students["logstore"]) == 20
    assert students["logstore"] == students["en"] == students["fr"]


def test_english_download_equals_logstore_exactly(built: dict[str, Workspace]):
    assert weekly(built["en"]).equals(weekly(built["logstore"]))


def test_french_download_equals_logstore_up_to_minute_rounding(built: dict[str, Workspace]):
    a, b = weekly(built["logstore"]), weekly(built["fr"])
    keys = ["student", "week_start", "iso_week", "sessions", "active_days", "events",
            "target_hours", "holiday", "in_progress"]
    assert a.select(keys).equals(b.select(keys))
    # every session's first and last event move by < 60 s each: |Δ| < 2 min per session
    tolerance = (a["sessions"] * 2 / 60).to_list()
    diffs = (a["hours"] - b["hours"]).abs().to_list()
    assert all(d <= t + 1e-9 for d, t in zip(diffs, tolerance, strict=True))
    assert a["below_target"].to_list() == b["below_target"].to_list()


def test_sample_profiles_show_in_the_weekly_table(built: dict[str, Workspace]):
    ws = built["logstore"]
    table = weekly(ws)
    profiles = {r["user_id"]: r["profile"] for r in csv.DictReader(
        (SAMPLES / "profiles.csv").open(encoding="utf-8"))}
    mean = {}
    for uid, profile in profiles.items():
        pseudo = "p" + ws.pseudo.id_ident(uid)[:12]
        rows = table.filter((pl.col("student") == pseudo) & ~pl.col("holiday"))
        if profile != "teacher":
            mean[uid] = (profile, rows["hours"].mean())
    steady = [m for p, m in mean.values() if p == "steady"]
    low = [m for p, m in mean.values() if p == "low"]
    assert min(steady) > 14 and max(low) < 11
    assert len(table) == 20 * 39


def identities(*folders: Path) -> dict[str, set[str]]:
    """Every name, e-mail and IP address that the sample inputs of ``folders`` contain."""
    names, mails, ips = set(), set(), set()
    for folder in folders or (SAMPLES,):
        with (folder / "roster.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names.add(row["full_name"])
                names.update(p for p in re.split(r"[ -]", row["full_name"]) if len(p) > 3)
                mails.add(row["email"])
        with (folder / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
            ips.update(row["ip"] for row in csv.DictReader(fh) if row["ip"])
    return {"name": names, "mail": mails, "ip": ips}


def assert_no_identity(con: duckdb.DuckDBPyConnection, needles: dict[str, set[str]]) -> None:
    """No VARCHAR value of the warehouse contains a name, an e-mail or an IP address."""
    assert needles["ip"] and needles["mail"]
    tables = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
    assert tables
    for table, column in tables:
        values = {r[0] for r in con.execute(
            f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall() if r[0]}
        text = "\n".join(values).casefold()
        for kind, items in needles.items():
            found = [i for i in items if i.casefold() in text]
            assert not found, f"{kind} {found[:3]} found in {table}.{column}"
        assert "the user with id" not in text, f"description text in {table}.{column}"


def test_no_name_email_or_ip_in_any_warehouse_table(built: dict[str, Workspace]):
    needles = identities()
    for ws in built.values():
        assert_no_identity(ws.con, needles)


def test_no_name_email_or_ip_of_either_cohort_in_the_full_sample_warehouse(
        full_sample_warehouse: Path):
    with duckdb.connect(str(full_sample_warehouse), read_only=True) as con:
        assert_no_identity(con, identities(SAMPLES, EARLIER_SAMPLES))


def test_generator_reproduces_the_committed_samples(tmp_path: Path):
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("roster.csv", "profiles.csv", "logstore_standard_log.csv", "resources.csv",
                 "moodle_logs_en.csv", "moodle_logs_fr.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name
    earlier = tmp_path / EARLIER_COHORT  # both cohorts by default, laid out as data_samples/
    for name in ("roster.csv", "profiles.csv", "logstore_standard_log.csv", "resources.csv"):
        assert (earlier / name).read_bytes() == (EARLIER_SAMPLES / name).read_bytes(), name
    assert not list(earlier.glob("moodle_logs_*")) and not list(EARLIER_SAMPLES.glob("moodle_*"))


def test_programme_and_forum_generators_reproduce_the_earlier_cohort(tmp_path: Path):
    for script in ("generate_programme.py", "generate_forum.py"):
        subprocess.run([sys.executable, str(SAMPLES / script), "--cohort", EARLIER_COHORT,
                        "--out", str(tmp_path)], check=True, capture_output=True)
    assert not (tmp_path / "grades.csv").exists()  # --cohort: that cohort only
    for name in ("grades.csv", "deadlines.csv", "submissions.csv", "internship.csv",
                 "mission_letters.csv", "forum_posts.csv"):
        made = (tmp_path / EARLIER_COHORT / name).read_bytes()
        assert made == (EARLIER_SAMPLES / name).read_bytes(), name


# --- the earlier cohort, 2025-2026 --------------------------------------------------------

EARLIER_PROFILES = {uid: "steady" for uid in range(301, 321)} | {
    304: "low", 317: "low", 309: "dropping_out", 313: "late_start", 307: "irregular"}


def read_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def cohort_specs() -> ModuleType:
    """data_samples/cohorts.py, the generators' description of each cohort."""
    sys.path.insert(0, str(SAMPLES))
    try:
        spec = importlib.util.spec_from_file_location("sample_cohorts", SAMPLES / "cohorts.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while being built
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SAMPLES))
    return module


def test_the_sample_config_declares_both_cohorts_as_the_generators_built_them():
    cfg = load_config(SAMPLE_CONFIG)
    specs = cohort_specs().COHORTS
    assert sorted(c.id for c in cfg.cohorts) == sorted(specs) == ["2025-2026", "2026-2027"]
    assert cfg.cohort().id == "2026-2027"  # the default: the latest to start
    for cohort in cfg.cohorts:
        spec = specs[cohort.id]
        assert (cohort.start, cohort.end, cohort.holidays, cohort.mission_letter_deadline) == (
            spec.start, spec.end, spec.holidays, spec.letter_deadline)
    defaults = load_config(None)
    assert (cfg.programme, cfg.time_on_task, cfg.risk) == (
        defaults.programme, defaults.time_on_task, defaults.risk)
    # the default units, each with the competence sets it counts for and its course each year
    assert [replace(u, competences=(), courses=()) for u in cfg.units] == list(defaults.units)
    assert {u.code: u.courses for u in cfg.units} == {
        u.code: tuple(sorted(s.ue_courses[u.code] for s in specs.values())) for u in cfg.units}
    assert {c for u in cfg.units for c in u.competences} == {"C1", "C2", "C3", "C4"}
    assert [m.id for m in cfg.milestones] == ["lettre", "projet", "intermediaire", "depot",
                                              "soutenance"]


def test_the_earlier_cohort_has_its_own_people_and_the_same_teachers():
    earlier, later = read_rows(EARLIER_SAMPLES / "roster.csv"), read_rows(SAMPLES / "roster.csv")
    students = [r for r in earlier if r["role"] == "student"]
    assert [int(r["user_id"]) for r in students] == list(range(301, 321))
    assert [r["group"] for r in students] == [g for g in "ABCD" for _ in range(5)]
    assert not {r["full_name"] for r in students} & {r["full_name"] for r in later}
    assert [r for r in earlier if r["role"] == "teacher"] == [
        r for r in later if r["role"] == "teacher"]
    profiles = {int(r["user_id"]): r["profile"]
                for r in read_rows(EARLIER_SAMPLES / "profiles.csv")}
    assert profiles == EARLIER_PROFILES | {201: "teacher", 202: "teacher"}
    assert all(r["email"].endswith("@example.org") for r in earlier)


def test_the_two_cohorts_moodle_ids_never_collide():
    def ids(folder: Path) -> dict[str, set[int]]:
        logs = read_rows(folder / "logstore_standard_log.csv")
        posts = read_rows(folder / "forum_posts.csv")
        return {"log": {int(r["id"]) for r in logs},
                "course": {int(r["courseid"]) for r in logs} - {0},
                "cmid": {int(r["contextinstanceid"]) for r in logs if r["contextlevel"] == "70"},
                "post": {int(r["id"]) for r in posts},
                "discussion": {int(r["discussion"]) for r in posts},
                "forum": {int(r["forum"]) for r in posts}}

    earlier, later = ids(EARLIER_SAMPLES), ids(SAMPLES)
    for kind, values in earlier.items():
        assert values and not values & later[kind], kind
    specs = cohort_specs().COHORTS
    # the programme's course, and the UE courses holding the documents and deliverables
    assert earlier["course"] == {41, *(specs["2025-2026"].ue_courses[ue] for ue in
                                       set(specs["2025-2026"].module_ue.values()))}
    assert later["course"] == {42, *(specs["2026-2027"].ue_courses[ue] for ue in
                                     set(specs["2026-2027"].module_ue.values()))}
    assert max(earlier["log"]) < min(later["log"])  # an earlier year, lower log ids
    deadlines = read_rows(EARLIER_SAMPLES / "deadlines.csv")
    assert {r["cohort"] for r in deadlines} == {EARLIER_COHORT}
    assert {int(r["cmid"]) for r in deadlines if r["cmid"]} <= earlier["cmid"]


@pytest.fixture(scope="module")
def earlier(sample_warehouse: Path) -> Iterator[tuple[Workspace, dict[str, int]]]:
    """The shared sample warehouse (both cohorts) and the earlier cohort's pseudonyms."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        ws = open_workspace(sample_warehouse, SAMPLE_CONFIG)
        who = {"p" + ws.pseudo.id_ident(str(uid))[:12]: uid for uid in EARLIER_PROFILES}
        yield ws, who
        ws.close()


def test_the_earlier_cohort_shows_its_profiles_in_the_weekly_table(earlier):
    ws, who = earlier
    table = weekly_engagement(ws, EARLIER_COHORT)
    assert len(table) == 20 * 39 and set(table["student"]) == set(who)
    assert table["week_start"].min() == dt.date(2025, 10, 6)
    assert table["week_start"].max() == dt.date(2026, 6, 29)
    assert table.filter(pl.col("holiday"))["week_start"].unique().sort().to_list() == [
        dt.date(2025, 12, 22), dt.date(2025, 12, 29), dt.date(2026, 4, 20), dt.date(2026, 4, 27)]
    teaching = table.filter(~pl.col("holiday"))
    mean = {who[s]: h for s, h in teaching.group_by("student").agg(pl.col("hours").mean())
            .iter_rows()}
    steady = [mean[u] for u, p in EARLIER_PROFILES.items() if p == "steady"]
    assert min(steady) > 16 and max(mean[304], mean[317]) < 8
    below = {who[s] for s in teaching.filter(pl.col("week_start") == dt.date(2026, 6, 29))
             .filter(pl.col("below_target"))["student"]}
    assert below == {304, 309, 317}  # the last complete week: both low students, the drop-out
    late = teaching.filter(pl.col("student") == next(s for s, u in who.items() if u == 313))
    assert late.filter(pl.col("week_start") < dt.date(2025, 10, 27))["hours"].sum() == 0
    assert late.filter(pl.col("week_start") >= dt.date(2025, 10, 27))["hours"].min() > 15
    gone = teaching.filter(pl.col("student") == next(s for s, u in who.items() if u == 309))
    assert gone.filter(pl.col("week_start") >= dt.date(2026, 2, 16))["hours"].sum() == 0
    assert weekly_engagement(ws)["cohort"].unique().to_list() == ["2026-2027"]


def test_the_earlier_cohort_ends_with_fewer_students_at_risk(earlier):
    ws, who = earlier
    table = assess(ws, EARLIER_COHORT, None, "en")
    assert table["week_start"].unique().to_list() == [dt.date(2026, 6, 29)]
    red = {who[s] for s in table.filter(pl.col("level") == "red")["student"]}
    assert red == {304, 309, 317}
    amber = {who[s] for s in table.filter(pl.col("level") == "amber")["student"]}
    assert amber == {307}  # the alternating student: chronic under-work
    assert (table["level"] == "green").sum() == 16
