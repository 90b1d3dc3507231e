"""Document coverage: documents available per UE, those each student opened, and the
documents nobody opens — hand-computed, and counted independently on the sample cohort."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.config import Config
from m2if_analytics.engagement import coverage as cov
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.resources_list import read_resources_list
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.workspace import open_workspace
from tests.conftest import SAMPLE_CONFIG, SAMPLES, local, logstore_row, write_dump
from tests.engagement.test_weekly_split import SPLIT_TOML

pytestmark = pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
UE3_TOML = SPLIT_TOML.replace('code = "UE2"', 'code = "UE3"')


def opened(n: int, user: int, course: int, cmid: int, component: str = "mod_resource"
           ) -> list[str]:
    return logstore_row(n, user, local(f"2026-10-0{5 + n % 3} 09:{n:02d}:00"),
                        component=component, courseid=course, contextlevel=70,
                        contextinstanceid=cmid,
                        eventname=f"\\{component}\\event\\course_module_viewed")


def test_coverage_counts_each_students_documents_per_ue_and_finds_the_unopened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "cov-key")
    config = tmp_path / "m2if.toml"
    config.write_text(UE3_TOML, encoding="utf-8")
    rows = [opened(1, 101, 10, 501), opened(2, 101, 10, 502), opened(3, 101, 10, 502),
            opened(4, 102, 10, 501, "mod_page"),  # 102 never opens a UE3 document
            opened(5, 103, 20, 601),
            opened(6, 103, 20, 700, "mod_forum"),  # a forum is not a document
            opened(7, 102, 30, 801)]  # course 30: no UE lists it
    resources = tmp_path / "resources.csv"
    resources.write_text("cmid,course_id\n601,20\n602,20\n", encoding="utf-8")
    with open_workspace(tmp_path / "w.duckdb", config) as ws:
        ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
        who = {u: pseudonym(ws.pseudo.id_ident(str(u))) for u in (101, 102, 103)}
        listed = read_resources_list(resources, ws.cfg)
        table = cov.coverage(ws, resources=listed)
        docs = cov.documents(ws, resources=listed)
        only_ue3 = cov.coverage(ws, ue="ue3", resources=listed)
        with pytest.raises(M2IFError, match="no document of 'UE9'"):
            cov.coverage(ws, ue="UE9")
    got = {(r["student"], r["ue"]): (r["opened"], r["documents"])
           for r in table.iter_rows(named=True)}
    assert got == {
        (who[101], "UE1"): (2, 2), (who[101], "UE3"): (0, 2), (who[101], "course 30"): (0, 1),
        (who[102], "UE1"): (1, 2), (who[102], "UE3"): (0, 2), (who[102], "course 30"): (1, 1),
        (who[103], "UE1"): (0, 2), (who[103], "UE3"): (1, 2), (who[103], "course 30"): (0, 1)}
    assert table.columns == ["student", "ue", "documents", "opened", "share"]
    assert table.filter(pl.col("student") == who[102])["share"].to_list() == [0.5, 0.0, 1.0]
    assert set(only_ue3["ue"]) == {"UE3"} and only_ue3.height == 3
    by_doc = {r["cmid"]: (r["opened_by"], r["rare"]) for r in docs.iter_rows(named=True)}
    assert by_doc == {501: (2, False), 502: (1, False), 601: (1, False), 602: (0, True),
                      801: (1, False)}
    assert docs["cmid"][0] == 602  # nobody opened it: first


def test_an_ingested_resources_list_is_the_cohorts_own_and_its_ue_wins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """m2if ingest resources stores the list (bad rows quarantined with their line); coverage
    and --documents then count the listed documents nobody opened without --resources, and a
    listed UE overrides the course's; forgetting the file forgets the list."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "cov-key")
    config = tmp_path / "m2if.toml"
    config.write_text(UE3_TOML, encoding="utf-8")
    dump = write_dump(tmp_path / "log.csv", [opened(1, 101, 10, 501), opened(2, 102, 30, 801)])
    listed = tmp_path / "ressources.csv"
    listed.write_text("Cours;CMID;UE;Nom\n"
                      "10;501;;Guide\n"            # course 10 → UE1
                      "30;801;ue3;Étude de cas\n"  # course 30 has no UE: the list's wins
                      "20;602;;Annexe\n"           # course 20 → UE3; nobody opens it
                      "20;abc;;Bad id\n"           # line 5: no cmid
                      "20;603;UE9;Unknown UE\n",   # line 6: no such UE
                      encoding="utf-8")
    base = ["--db", str(tmp_path / "w.duckdb"), "--config", str(config)]
    runner = CliRunner()
    assert runner.invoke(app, [*base, "ingest", "moodle", str(dump)]).exit_code == 0
    result = runner.invoke(app, [*base, "ingest", "resources", str(listed), "--json"])
    assert result.exit_code == 0, result.output
    account = json.loads(result.stdout)
    assert (account["read"], account["loaded"], account["quarantined"]) == (5, 3, 2)
    again = runner.invoke(app, [*base, "ingest", "resources", str(listed), "--json"])
    assert json.loads(again.stdout)["loaded"] == 0
    reasons = runner.invoke(app, [*base, "quarantine"]).stdout
    assert "cmid 'abc'" in reasons and "unknown UE 'UE9'" in reasons
    out = tmp_path / "docs.csv"
    assert runner.invoke(app, [*base, "coverage", "--documents", "--out", str(out)]
                         ).exit_code == 0
    docs = pl.read_csv(out)
    assert docs.select("ue", "cmid", "opened_by", "name").rows() == [
        ("UE3", 602, 0, "Annexe"), ("UE1", 501, 1, "Guide"), ("UE3", 801, 1, "Étude de cas")]
    with open_workspace(tmp_path / "w.duckdb", config) as ws:
        who = pseudonym(ws.pseudo.id_ident("102"))
        table = cov.coverage(ws)
    assert table.filter(pl.col("student") == who).select("ue", "documents", "opened").rows() == [
        ("UE1", 1, 0), ("UE3", 2, 1)]
    assert runner.invoke(app, [*base, "forget", "--file", "ressources.csv"]).exit_code == 0
    with open_workspace(tmp_path / "w.duckdb", config) as ws:
        assert cov.stored_resources(ws) is None
        assert set(cov.coverage(ws)["ue"]) == {"UE1", "course 30"}


def test_coverage_on_the_sample_equals_an_independent_count_of_the_dump(
        full_sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    """Counted here from the dump and the resources list: per student and UE, the documents
    provided and the distinct document modules opened; the planted cases show."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with (SAMPLES / "resources.csv").open(encoding="utf-8") as fh:
        listed = {row["cmid"]: row["ue"] for row in csv.DictReader(fh)}
    with (SAMPLES / "roster.csv").open(encoding="utf-8") as fh:
        students = [r["user_id"] for r in csv.DictReader(fh) if r["role"] == "student"]
    opened: dict[tuple[str, str], set[str]] = {}
    with (SAMPLES / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["component"] in ("mod_resource", "mod_page") and row["contextlevel"] == "70":
                cmid = row["contextinstanceid"]
                opened.setdefault((row["userid"], listed[cmid]), set()).add(cmid)
    provided = Counter(listed.values())
    with open_workspace(full_sample_warehouse, SAMPLE_CONFIG) as ws:
        table, docs = cov.coverage(ws), cov.documents(ws)
        ids = {u: pseudonym(ws.pseudo.id_ident(u)) for u in students}
    expected = {(ids[u], ue): (provided[ue], len(opened.get((u, ue), ()))) for u in students
                for ue in provided}
    got = {(r["student"], r["ue"]): (r["documents"], r["opened"])
           for r in table.iter_rows(named=True)}
    assert got == expected and len(students) == 20 and len(provided) == 4
    # planted: student 113 never opens UE3's documents (every other student does) ...
    assert [s for (s, ue), (_, n) in got.items() if ue == "UE3" and n == 0] == [ids["113"]]
    # ... and nobody opens UE1's "Recueil de textes réglementaires" (known from the list only)
    assert docs.filter(pl.col("opened_by") == 0).select("ue", "cmid", "name").rows() == [
        ("UE1", 318, "Recueil de textes réglementaires")]
    assert docs["cmid"][0] == 318 and docs.filter(pl.col("rare")).height == 1


def test_a_resources_list_without_cmid_or_with_a_bad_one_is_refused_with_its_line(
        tmp_path: Path, cfg: Config):
    bad = tmp_path / "list.csv"
    bad.write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(M2IFError, match=r"list\.csv: no cmid column"):
        read_resources_list(bad, cfg)
    bad.write_text("cmid\n12\nabc\n", encoding="utf-8")
    with pytest.raises(M2IFError, match=r"list\.csv, line 3: cmid 'abc' is not a number"):
        read_resources_list(bad, cfg)
    bad.write_text("cmid,ue\n12,UE9\n", encoding="utf-8")
    with pytest.raises(M2IFError, match=r"list\.csv, line 2: unknown UE 'UE9'"):
        read_resources_list(bad, cfg)


def test_coverage_reads_a_list_the_way_ingest_resources_does(tmp_path: Path, cfg: Config):
    """French headers, semicolons, Windows-1252 and a UE typed in lower case: the same list
    `m2if ingest resources` takes is taken by `m2if coverage --resources`."""
    listed = tmp_path / "ressources.csv"
    listed.write_bytes("Id du module;Cours;UE;Nom\r\n318;43;ue1;Recueil réglementaire\r\n"
                       "311;;;\r\n".encode("cp1252"))
    frame = read_resources_list(listed, cfg)
    assert frame.rows() == [(43, 318, "UE1", "Recueil réglementaire"), (None, 311, None, None)]
    assert frame.columns == ["course_id", "cmid", "listed_ue", "name"]
