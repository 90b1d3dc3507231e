"""`m2if jury`: the jury document of the 2025-2026 sample cohort, as HTML (opened in
Chromium) and XLSX (read back with openpyxl, cells checked against the indicators)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.programme import indicators as ind
from m2if_analytics.reports.jury.data import Column, JuryTable
from m2if_analytics.reports.jury.xlsx import workbook
from m2if_analytics.warehouse.workspace import open_workspace
from tests.browser import needs_chromium, shared_chromium
from tests.conftest import EARLIER_SAMPLES, SAMPLE_CONFIG

runner = CliRunner()
COHORT = "2025-2026"


@pytest.fixture(scope="module")
def jury(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("jury")
    db = folder / "w.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    result = runner.invoke(app, ["--db", str(db), "--config", str(SAMPLE_CONFIG), "jury",
                                 "--cohort", COHORT, "--out", str(folder / "out")],
                           env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    assert result.exit_code == 0, result.output
    return folder


def _sheet(folder: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(folder / "out" / f"jury-{COHORT}.xlsx")
    sheet = book[COHORT]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_workbook_holds_every_student_with_the_indicators_values(
        jury: Path, monkeypatch: pytest.MonkeyPatch):
    rows = _sheet(jury)
    groups, heads, body = rows[0], rows[1], rows[2:]
    assert len(body) == 20 and heads[0] == "Pseudonyme" and "UE1" in heads
    assert heads[-3:] == ["Décision", "Mention attribuée", "Observations"]
    assert groups[-1] == "Décision du jury"
    assert all(r[-3:] == [None, None, None] for r in body)  # left for the jury
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with open_workspace(jury / "w.duckdb", SAMPLE_CONFIG) as ws:
        c = ws.cfg.cohort(COHORT)
        as_of = min(ind.default_as_of(ws), c.end)
        ue = ind.ue_results(ws, COHORT, as_of)
        year = ind.year_validation(ws, COHORT, as_of)
        names = ws.cfg.milestones
    by = {r[0]: dict(zip(heads, r, strict=True)) for r in body}
    for student, code, mean in ue.select("student", "ue", "mean").iter_rows():
        assert by[student][code] == (round(mean, 2) if mean is not None else None)
    for r in year.iter_rows(named=True):
        want = "oui" if r["validated"] else "non" if r["validated"] is False else (
            "notes manquantes")
        assert by[r["student"]]["Année validée ?"] == want
    assert [m.title for m in names] == heads[heads.index("Lettre de mission"):][:5]
    # planted: 306 deposits the mémoire after its due day, 309 dropped out (never deposits)
    pseudo = _pseudonyms()
    assert by[pseudo[306]]["Dépôt du mémoire"] == "en retard (29/06/2026)"
    assert by[pseudo[309]]["Dépôt du mémoire"] == "manquant"
    assert by[pseudo[301]]["Dépôt du mémoire"] == "fait (24/06/2026)"
    assert by[pseudo[304]]["Année validée ?"] == "non"  # UE5 at 8/20


def _pseudonyms() -> dict[int, str]:
    from m2if_analytics.warehouse.pseudonyms import Pseudonymiser, pseudonym

    pseudo = Pseudonymiser(b"sample-key")
    return {u: pseudonym(pseudo.id_ident(str(u))) for u in range(301, 321)}


@needs_chromium
def test_the_page_opens_offline_in_chromium_without_names(jury: Path):
    page = jury / "out" / f"jury-{COHORT}.html"
    text = page.read_text(encoding="utf-8")
    roster = pl.read_csv(EARLIER_SAMPLES / "roster.csv")
    assert not any(name in text for name in roster["full_name"])
    with shared_chromium() as browser:
        loaded = browser.open(page, "document.querySelectorAll('tbody tr').length")
    assert loaded.errors == [] and loaded.remote_requests == []
    assert loaded.value == 20


def test_names_only_with_the_mapping(jury: Path):
    mapping = jury / "private" / "mapping.csv"
    result = runner.invoke(app, ["--db", str(jury / "w.duckdb"), "--config",
                                 str(SAMPLE_CONFIG), "reidentify", "--roster",
                                 str(EARLIER_SAMPLES / "roster.csv"), "--out", str(mapping)],
                           env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", str(jury / "w.duckdb"), "--config",
                                 str(SAMPLE_CONFIG), "jury", "--cohort", COHORT, "--out",
                                 str(jury / "named"), "--mapping", str(mapping), "--lang", "en"],
                           env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(jury / "named" / f"jury-{COHORT}.xlsx")
    heads = [c.value for c in book[COHORT][2]]
    assert heads[:3] == ["Pseudonym", "Name", "Group"]
    names = {r[1] for r in book[COHORT].iter_rows(min_row=3, values_only=True)}
    roster = pl.read_csv(EARLIER_SAMPLES / "roster.csv")
    assert names == set(roster.filter(pl.col("role") == "student")["full_name"])


def test_text_that_a_spreadsheet_would_run_is_neutralised():
    table = JuryTable("c", dt.date(2026, 7, 3), [Column("group", "Groupe", "who")],
                      [{"group": "=HYPERLINK(\"http://x\")"}, {"group": "+cmd|' /C calc'!A0"}])
    sheet = workbook(table).active
    values = [sheet.cell(row=r, column=1) for r in (3, 4)]
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in values)


def test_the_profile_shows_the_standing_competences_and_milestones(
        jury: Path, monkeypatch: pytest.MonkeyPatch):
    """306 (2025-2026) at the week of 29/06/2026: every UE validated, four competence sets
    fully graded, the mémoire deposited late (29/06 for 26/06)."""
    from m2if_analytics.reports.student import data as sp
    from m2if_analytics.reports.student import html

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with open_workspace(jury / "w.duckdb", SAMPLE_CONFIG) as ws:
        scope = sp.Scope(COHORT, _pseudonyms()[306], dt.date(2026, 6, 29))
        standing = sp.standing(ws, scope)
        sets = sp.competences(ws, scope)
        steps = sp.milestone_steps(ws, scope)
        expected = ind.ue_results(ws, COHORT, scope.as_of).filter(
            pl.col("student") == scope.student)
    assert standing["ue"].to_list() == [f"UE{n}" for n in range(1, 9)]
    assert standing["mean"].to_list() == pytest.approx(expected["mean"].to_list())
    assert set(standing["status"]) <= {"validated", "secured"}
    assert sets["competence"].to_list() == ["C1", "C2", "C3", "C4"]
    assert sets["coverage"].to_list() == [1.0] * 4
    depot = steps.filter(pl.col("title") == "Dépôt du mémoire").row(0, named=True)
    assert (depot["status"], depot["done_on"], depot["due"]) == (
        "late", dt.date(2026, 6, 29), dt.date(2026, 6, 26))
    page = html.milestones(steps, "fr") + html.standing(standing, "en")
    assert 'data-status="late"' in page and "en retard" in page and "validated" in page


def test_the_overview_counts_milestones_and_shows_competence_sets(
        jury: Path, monkeypatch: pytest.MonkeyPatch):
    """2025-2026 at the week of 29/06/2026: the deposit (due 26/06) done by 18, late for
    306, missing for the drop-out 309; four competence sets for each of the 20 students."""
    from m2if_analytics.reports.overview import data as ov
    from m2if_analytics.reports.overview import html

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with open_workspace(jury / "w.duckdb", SAMPLE_CONFIG) as ws:
        s = ov.scope(ws, COHORT, dt.date(2026, 6, 29))
        counts = ov.milestone_counts(ws, s)
        sets = ov.competences(ws, s)
    depot = counts.filter(pl.col("title") == "Dépôt du mémoire").row(0, named=True)
    assert (depot["due"], depot["done"], depot["late"], depot["missing"], depot["not_due"]) == (
        dt.date(2026, 6, 26), 18, 1, 1, 0)
    defence = counts.filter(pl.col("title") == "Soutenance").row(0, named=True)
    assert (defence["done"], defence["missing"]) == (19, 1)  # 01/07, before Sunday 05/07
    assert sets.height == 20 * 4 and set(sets["competence"]) == {"C1", "C2", "C3", "C4"}
    page = html.milestones_table(counts, "en") + html.competences_table(sets, "fr")
    assert "Dépôt du mémoire" in page and page.count("<tr>") >= 5 + 20


def test_a_cohort_with_only_logs_still_gets_its_document(ws, tmp_path: Path):
    """No grades, deadlines, internship or milestones: every mark empty, still 20 rows."""
    from m2if_analytics.ingest.moodle import ingest_moodle_file
    from m2if_analytics.ingest.roster import ingest_roster_file
    from m2if_analytics.reports.jury import write_jury
    from tests.conftest import SAMPLES, local, write_logstore

    ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
    ingest_moodle_file(ws.con, write_logstore(tmp_path / "l.csv", [
        (101, local("2026-10-06 10:00:00")), (102, local("2026-10-20 10:00:00"))]), ws.cfg,
        ws.pseudo)
    html, xlsx = write_jury(ws, None, tmp_path / "out", lang="en")
    rows = list(openpyxl.load_workbook(xlsx).active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 20
    heads = [c.value for c in openpyxl.load_workbook(xlsx).active[2]]
    ue1, validated = heads.index("UE1"), heads.index("Year validated?")
    assert {r[ue1] for r in rows} == {None} and {r[validated] for r in rows} == {"marks missing"}
    assert "Jury preparation" in html.read_text(encoding="utf-8")
