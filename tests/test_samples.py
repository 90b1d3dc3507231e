"""The sample cohort in every format: same pseudonyms, same weekly tables, no identities kept."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics.context import Workspace, open_workspace
from m2if_analytics.engagement import weekly_engagement
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from tests.conftest import SAMPLES

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
            ws = open_workspace(base / f"{name}.duckdb", None)
            ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
            ingest_moodle_file(ws.con, SAMPLES / file, ws.cfg, ws.pseudo)
            out[name] = ws
        yield out
    for ws in out.values():
        ws.close()


def weekly(ws: Workspace) -> pl.DataFrame:
    return weekly_engagement(ws.con, ws.cfg).sort("student", "week_start")


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


def identities() -> dict[str, set[str]]:
    """Every name, e-mail and IP address that the sample inputs contain."""
    names, mails, ips = set(), set(), set()
    with (SAMPLES / "roster.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names.add(row["full_name"])
            names.update(p for p in re.split(r"[ -]", row["full_name"]) if len(p) > 3)
            mails.add(row["email"])
    with (SAMPLES / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        ips.update(row["ip"] for row in csv.DictReader(fh) if row["ip"])
    return {"name": names, "mail": mails, "ip": ips}


def test_no_name_email_or_ip_in_any_warehouse_table(built: dict[str, Workspace]):
    needles = identities()
    assert needles["ip"] and needles["mail"]
    for ws in built.values():
        tables = ws.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
        assert tables
        for table, column in tables:
            values = {r[0] for r in ws.con.execute(
                f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall() if r[0]}
            text = "\n".join(values).casefold()
            for kind, items in needles.items():
                found = [i for i in items if i.casefold() in text]
                assert not found, f"{kind} {found[:3]} found in {table}.{column}"
            assert "the user with id" not in text, f"description text in {table}.{column}"


def test_generator_reproduces_the_committed_samples(tmp_path: Path):
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("roster.csv", "profiles.csv", "logstore_standard_log.csv",
                 "moodle_logs_en.csv", "moodle_logs_fr.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name
