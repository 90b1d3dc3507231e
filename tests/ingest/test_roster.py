"""Roster: students vs staff, id ↔ name links, quarantine, one pseudonym across formats."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from m2if_analytics.engagement.table import NoRosterWarning, weekly_engagement
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import local, write_logstore
from tests.ingest.test_moodle import EN_HEADER, ROWS, write_download

ROSTER = ("user_id,full_name,email,role,group\n"
          "7,Jeanne Élodie Martin,jeanne.martin@example.org,student,A\n"
          "8,Paul Durand,paul.durand@example.org,Étudiant,B\n"
          "9,Claire Petit,claire.petit@example.org,editingteacher,\n")


def roster(tmp_path: Path, text: str = ROSTER, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_links_names_and_ids_to_one_pseudonym(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, roster(tmp_path), ws.cfg, ws.pseudo)
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", EN_HEADER, ROWS), ws.cfg,
                       ws.pseudo)
    ingest_moodle_file(ws.con, write_logstore(tmp_path / "l.csv",
                                              [(7, local("2026-11-28 16:00:00"))]),
                       ws.cfg, ws.pseudo)
    weekly = weekly_engagement(ws)
    jeanne = pseudonym(ws.pseudo.id_ident("7"))
    week = weekly.filter((weekly["student"] == jeanne)
                         & (weekly["iso_week"] == "2026-W48")).row(0, named=True)
    assert week["events"] == 4  # 3 from the download (by name) + 1 from the dump (by id)
    assert set(weekly["student"]) == {jeanne, pseudonym(ws.pseudo.id_ident("8"))}


def test_teachers_are_not_students(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, roster(tmp_path), ws.cfg, ws.pseudo)
    ingest_moodle_file(ws.con, write_logstore(tmp_path / "l.csv",
                                              [(9, local("2026-11-28 16:00:00"))]),
                       ws.cfg, ws.pseudo)
    students = set(weekly_engagement(ws)["student"])
    assert pseudonym(ws.pseudo.id_ident("9")) not in students


def test_without_roster_everyone_counts_with_a_warning(ws: Workspace, tmp_path: Path):
    ingest_moodle_file(ws.con, write_logstore(tmp_path / "l.csv",
                                              [(9, local("2026-11-28 16:00:00"))]),
                       ws.cfg, ws.pseudo)
    with pytest.warns(NoRosterWarning):
        students = set(weekly_engagement(ws)["student"])
    assert students == {pseudonym(ws.pseudo.id_ident("9"))}


def test_last_name_first_display_links_to_the_same_person(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, roster(tmp_path), ws.cfg, ws.pseudo)
    rows = [[ROWS[2][0], "MARTIN Jeanne Élodie", *ROWS[2][2:]]]
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", EN_HEADER, rows), ws.cfg,
                       ws.pseudo)
    weekly = weekly_engagement(ws)
    jeanne = weekly.filter(weekly["student"] == pseudonym(ws.pseudo.id_ident("7")))
    assert jeanne["events"].sum() == 1


def test_homonyms_are_not_linked_by_name(ws: Workspace, tmp_path: Path):
    text = ROSTER + "10,Paul Durand,paul.durand2@example.org,student,C\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ingest_roster_file(ws.con, roster(tmp_path, text), ws.cfg, ws.pseudo)
    link = ws.con.execute("SELECT count(*) FROM identity_links WHERE ident = $i",
                          {"i": ws.pseudo.name_ident("Paul Durand")}).fetchall()
    assert link == [(0,)]


def test_bad_roster_rows_are_quarantined(ws: Workspace, tmp_path: Path):
    text = ("full_name;user_id;role\n"
            "Ana Lopes;11;student\n"
            ";;student\n"
            "Marc Roy;12;\n"
            "Zoé Faure;13;student;extra\n")
    account = ingest_roster_file(ws.con, roster(tmp_path, text), ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (4, 1, 3)
    reasons = [r[0] for r in ws.con.execute(
        "SELECT reason FROM quarantine ORDER BY line").fetchall()]
    assert "no identity" in reasons[0] and "empty role" in reasons[1]
    assert "expected 3 fields" in reasons[2]


def test_reingesting_a_roster_counts_duplicates(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, roster(tmp_path), ws.cfg, ws.pseudo)
    again = ingest_roster_file(ws.con, roster(tmp_path), ws.cfg, ws.pseudo)
    assert (again.loaded, again.duplicates) == (0, 3)
    moved = ROSTER.replace("student,A", "student,B")
    changed = ingest_roster_file(ws.con, roster(tmp_path, moved, "r2.csv"), ws.cfg, ws.pseudo)
    assert (changed.loaded, changed.duplicates) == (1, 2)


def test_roster_without_role_column_is_refused(ws: Workspace, tmp_path: Path):
    with pytest.raises(IngestError, match="role column"):
        ingest_roster_file(ws.con, roster(tmp_path, "full_name\nAna\n"), ws.cfg, ws.pseudo)


def test_roster_with_first_and_last_name_columns(ws: Workspace, tmp_path: Path):
    text = "First name,Last name,Role\nJeanne Élodie,Martin,student\n"
    ingest_roster_file(ws.con, roster(tmp_path, text), ws.cfg, ws.pseudo)
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", EN_HEADER, ROWS[2:]), ws.cfg,
                       ws.pseudo)
    weekly = weekly_engagement(ws)
    assert weekly["events"].sum() == 1
