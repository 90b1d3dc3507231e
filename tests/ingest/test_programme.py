"""Programme tables: grades, deadlines, submissions, internship days, mission letters.

Accounts balance, bad rows are quarantined with line and reason, re-ingesting adds nothing,
corrections replace, local times become UTC, names never enter the warehouse.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest import programme
from m2if_analytics.ingest.programme import (
    ingest_deadlines,
    ingest_grades,
    ingest_internship,
    ingest_mission_letters,
    ingest_submissions,
)
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import SAMPLES

UTC = dt.UTC
ROSTER = ("user_id,full_name,role\n"
          "101,Jeanne Élodie Martin,student\n"
          "102,Paul Durand,student\n"
          "103,Nadia Benali,student\n"
          "201,Claire Petit,teacher\n")
NAMES = ["Jeanne Élodie Martin", "Paul Durand", "Nadia Benali", "Claire Petit"]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def with_roster(ws: Workspace, tmp_path: Path, text: str = ROSTER) -> None:
    ingest_roster_file(ws.con, write(tmp_path, "roster.csv", text), ws.cfg, ws.pseudo)


def student(ws: Workspace, user_id: int | str) -> str:
    """The pseudonym the roster gives a user id."""
    return pseudonym(ws.pseudo.id_ident(str(user_id)))


def counts(account: programme.IngestAccount) -> tuple[int, int, int, int]:
    return account.read, account.loaded, account.duplicates, account.quarantined


def rows(ws: Workspace, sql: str) -> list[tuple]:
    return ws.con.execute(sql).fetchall()


def quarantined(ws: Workspace, file_name: str) -> dict[int, str]:
    return dict(rows(ws, f"SELECT line, reason FROM quarantine WHERE file_name = '{file_name}'"))


GRADES = ("user_id,ue,assessment,grade,scale,weight,date\n"
          "101,UE1,Dossier,14,,2,2027-01-15\n"
          "101,ue1,Test,75,100,,15/01/2027\n"      # 75/100 → 15/20; lower-case UE code
          "102,UE2,Oral,15/20,,,\n"                # the scale written in the grade
          "102,UE9,Oral,12,,,\n"                   # unknown UE
          "103,UE1,Dossier,21,,,\n"                # above the scale
          "103,UE1,Test,ABI,,,\n"                  # not a number
          ",UE1,Dossier,12,,,\n"                   # no student
          "103,UE2,Oral,12,,,31/02/2027\n"         # no such date
          "103,UE2,Oral,12\n"                      # wrong field count
          "103,UE3,Dossier,12,,0,\n"               # weight 0
          "101,UE1,Dossier,14,,2,2027-01-15\n"     # exact copy of line 2: duplicate
          "101,UE1,dossier,13,,2,2027-01-15\n")    # same assessment, other grade: conflict


def test_grades_load_convert_scales_and_quarantine_bad_rows(ws: Workspace, tmp_path: Path):
    account = ingest_grades(ws.con, write(tmp_path, "grades.csv", GRADES), ws.cfg, ws.pseudo)
    assert counts(account) == (12, 3, 1, 8)
    stored = rows(ws, "SELECT ue, assessment, grade, scale, grade_on_20, weight, graded_on "
                      "FROM grades ORDER BY line")
    assert stored == [("UE1", "Dossier", 14.0, 20.0, 14.0, 2.0, dt.date(2027, 1, 15)),
                      ("UE1", "Test", 75.0, 100.0, 15.0, 1.0, dt.date(2027, 1, 15)),
                      ("UE2", "Oral", 15.0, 20.0, 15.0, 1.0, None)]
    reasons = quarantined(ws, "grades.csv")
    assert set(reasons) == {5, 6, 7, 8, 9, 10, 11, 13}
    assert "unknown UE 'UE9'" in reasons[5] and "UE1, UE2" in reasons[5]
    assert "outside 0..20" in reasons[6]
    assert "'ABI' is not a number" in reasons[7]
    assert "no student" in reasons[8]
    assert "not a date" in reasons[9]
    assert "expected 7 fields, found 4" in reasons[10]
    assert "weight 0 should be positive" in reasons[11]
    assert "conflicts with line 2" in reasons[13]


def test_grades_accept_french_headers_semicolons_and_decimal_commas(ws: Workspace,
                                                                    tmp_path: Path):
    text = ("\ufeffIdentifiant;UE;Épreuve;Note;Barème;Coefficient;Date\r\n"
            "101;UE3;Synthèse;12,5;20;1;04/03/2027\r\n"
            "101;UE3;QCM;37,5;50;1;04/03/2027\r\n")
    account = ingest_grades(ws.con, write(tmp_path, "notes.csv", text), ws.cfg, ws.pseudo)
    assert counts(account) == (2, 2, 0, 0)
    assert rows(ws, "SELECT grade_on_20 FROM grades ORDER BY line") == [(12.5,), (15.0,)]


def test_reingesting_a_file_adds_nothing_and_a_correction_replaces(ws: Workspace,
                                                                   tmp_path: Path):
    path = write(tmp_path, "grades.csv", GRADES)
    ingest_grades(ws.con, path, ws.cfg, ws.pseudo)
    again = ingest_grades(ws.con, path, ws.cfg, ws.pseudo)
    assert counts(again) == (12, 0, 4, 8)
    assert rows(ws, "SELECT count(*) FROM grades") == [(3,)]
    fixed = write(tmp_path, "grades_fixed.csv",
                  "user_id,ue,assessment,grade,weight,date\n"
                  "101,UE1,Dossier,16,2,2027-01-15\n"      # corrected grade
                  "101,UE1,Test,15,1,2027-01-15\n")        # 15/20 ≠ 75/100 as written
    account = ingest_grades(ws.con, fixed, ws.cfg, ws.pseudo)
    assert counts(account) == (2, 2, 0, 0)
    assert rows(ws, "SELECT assessment, grade, grade_on_20 FROM grades "
                    "WHERE ue = 'UE1' ORDER BY assessment") == [("Dossier", 16.0, 16.0),
                                                                 ("Test", 15.0, 15.0)]
    assert rows(ws, "SELECT count(*) FROM grades") == [(3,)]


def test_a_file_without_the_required_columns_is_refused_whole(ws: Workspace, tmp_path: Path):
    path = write(tmp_path, "g.csv", "user_id,ue,assessment\n101,UE1,Dossier\n")
    with pytest.raises(IngestError, match=r"g.csv, line 1: .*grade"):
        ingest_grades(ws.con, path, ws.cfg, ws.pseudo)
    nameless = write(tmp_path, "i.csv", "date,days\n2026-10-05,1\n")
    with pytest.raises(IngestError, match="user_id and/or full_name"):
        ingest_internship(ws.con, nameless, ws.cfg, ws.pseudo)
    assert rows(ws, "SELECT count(*) FROM ingest_files") == [(0,)]


def test_strict_refuses_a_file_with_a_bad_row(ws: Workspace, tmp_path: Path):
    with pytest.raises(IngestError, match=r"line 5: unknown UE .*--strict"):
        ingest_grades(ws.con, write(tmp_path, "grades.csv", GRADES), ws.cfg, ws.pseudo,
                      strict=True)
    assert rows(ws, "SELECT count(*) FROM grades") == [(0,)]


def test_a_failure_inside_the_transaction_leaves_the_warehouse_as_it_was(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def crash(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(programme, "record_file", crash)
    with pytest.raises(RuntimeError):
        ingest_grades(ws.con, write(tmp_path, "grades.csv", GRADES), ws.cfg, ws.pseudo)
    assert rows(ws, "SELECT (SELECT count(*) FROM grades), (SELECT count(*) FROM quarantine),"
                    " (SELECT count(*) FROM identities)") == [(0, 0, 0)]


def test_deadlines_turn_local_due_times_into_utc(ws: Workspace, tmp_path: Path):
    text = ("ue,assignment,due,cmid,cohort\n"
            "UE6,Lettre de mission,2026-11-22 23:59,330,\n"             # CET: UTC+1
            "UE8,Mémoire – version intermédiaire,06/06/2027 23:59,332,\n"  # CEST: UTC+2
            ",Rapport de stage,2027-06-20,,2026-2027\n"                  # date only → 23:59
            "UE1,Dossier,2026-12-13T23:59:00+01:00,,\n"                  # explicit offset
            "UE1,Dossier 2,2026-12-13 25:00,,\n"                          # no such time
            "UE1,Dossier 3,2026-12-13 23:59,abc,\n"                       # bad cmid
            "UE1,Dossier 4,2026-12-13 23:59,,2030-2031\n"                 # unknown cohort
            "UE1,,2026-12-13 23:59,,\n")                                 # no name
    account = ingest_deadlines(ws.con, write(tmp_path, "deadlines.csv", text), ws.cfg,
                               ws.pseudo)
    assert counts(account) == (8, 4, 0, 4)
    stored = rows(ws, "SELECT cohort_id, ue, assignment, due, cmid FROM deadlines ORDER BY line")
    assert stored == [
        ("2026-2027", "UE6", "Lettre de mission", dt.datetime(2026, 11, 22, 22, 59, tzinfo=UTC),
         330),
        ("2026-2027", "UE8", "Mémoire – version intermédiaire",
         dt.datetime(2027, 6, 6, 21, 59, tzinfo=UTC), 332),
        ("2026-2027", None, "Rapport de stage", dt.datetime(2027, 6, 20, 21, 59, tzinfo=UTC),
         None),
        ("2026-2027", "UE1", "Dossier", dt.datetime(2026, 12, 13, 22, 59, tzinfo=UTC), None)]
    reasons = quarantined(ws, "deadlines.csv")
    assert "is not a time" in reasons[6] and "cmid 'abc'" in reasons[7]
    assert "unknown cohort '2030-2031'" in reasons[8] and "empty assignment" in reasons[9]


def test_a_moved_deadline_replaces_the_old_one(ws: Workspace, tmp_path: Path):
    first = write(tmp_path, "d1.csv", "assignment,due\nDossier,2026-12-13 23:59\n")
    moved = write(tmp_path, "d2.csv", "assignment,due\ndossier,2026-12-20 23:59\n")
    ingest_deadlines(ws.con, first, ws.cfg, ws.pseudo)
    assert counts(ingest_deadlines(ws.con, moved, ws.cfg, ws.pseudo)) == (1, 1, 0, 0)
    assert rows(ws, "SELECT assignment, due FROM deadlines") == [
        ("dossier", dt.datetime(2026, 12, 20, 22, 59, tzinfo=UTC))]


def test_submissions_need_a_time_and_keep_every_submission(ws: Workspace, tmp_path: Path):
    text = ("full_name,assignment,submitted_at\n"
            "Paul Durand,Dossier,2026-12-13 23:59\n"
            "Paul Durand,Dossier,2026-12-14 08:00:30\n"      # a second submission
            "Paul Durand,Dossier,2026-12-13\n"               # no time
            "Paul Durand,Dossier,13/12/2026 23h59\n")        # same instant as line 2
    account = ingest_submissions(ws.con, write(tmp_path, "s.csv", text), ws.cfg, ws.pseudo)
    assert counts(account) == (4, 2, 1, 1)
    assert rows(ws, "SELECT submitted_at FROM submissions ORDER BY submitted_at") == [
        (dt.datetime(2026, 12, 13, 22, 59, tzinfo=UTC),),
        (dt.datetime(2026, 12, 14, 7, 0, 30, tzinfo=UTC),)]
    assert "has no time" in quarantined(ws, "s.csv")[4]


def test_internship_days_half_days_and_mission_letters(ws: Workspace, tmp_path: Path):
    days = ("user_id,date,days\n101,2026-10-05,1\n101,2026-10-06,0,5\n101,2026-10-07,1.5\n"
            '101,2026-10-08,"0,5"\n')
    account = ingest_internship(ws.con, write(tmp_path, "i.csv", days), ws.cfg, ws.pseudo)
    assert counts(account) == (4, 2, 0, 2)  # "0,5" unquoted splits into two fields
    halves = "user_id;date;demi-journées\n102;05/10/2026;1\n102;06/10/2026;2\n"
    assert counts(ingest_internship(ws.con, write(tmp_path, "h.csv", halves), ws.cfg,
                                    ws.pseudo)) == (2, 2, 0, 0)
    assert sorted(rows(ws, "SELECT day, days FROM internship_days")) == [
        (dt.date(2026, 10, 5), 0.5), (dt.date(2026, 10, 5), 1.0), (dt.date(2026, 10, 6), 1.0),
        (dt.date(2026, 10, 8), 0.5)]
    letters = "user_id,validated_on\n101,2026-11-16\n102,\n"
    account = ingest_internship(ws.con, write(tmp_path, "m.csv", letters), ws.cfg, ws.pseudo)
    assert counts(account) == (2, 2, 0, 0)
    assert rows(ws, "SELECT kind FROM ingest_files ORDER BY file_id") == [
        ("internship",), ("internship",), ("mission_letters",)]
    assert rows(ws, "SELECT validated_on FROM mission_letters ORDER BY line") == [
        (dt.date(2026, 11, 16),), (None,)]
    late = write(tmp_path, "m2.csv", "user_id,Lettre de mission validée le\n102,2027-01-11\n")
    assert counts(ingest_mission_letters(ws.con, late, ws.cfg, ws.pseudo)) == (1, 1, 0, 0)
    assert rows(ws, "SELECT count(*) FROM mission_letters WHERE validated_on IS NULL") == [
        (0,)]


def test_names_and_ids_resolve_to_the_roster_pseudonym(ws: Workspace, tmp_path: Path):
    with_roster(ws, tmp_path)
    ingest_grades(ws.con, write(tmp_path, "g.csv", "user_id,ue,grade\n101,UE1,12\n"), ws.cfg,
                  ws.pseudo)
    ingest_internship(ws.con, write(tmp_path, "i.csv",
                                    "full_name,date,days\njeanne  élodie MARTIN,2026-10-05,1\n"
                                    "Martin Jeanne Élodie,2026-10-06,1\n"),
                      ws.cfg, ws.pseudo)
    from m2if_analytics.warehouse.pipeline import build
    build(ws.con, ws.cfg)
    jeanne = student(ws, 101)
    assert rows(ws, "SELECT DISTINCT student FROM grade_records") == [(jeanne,)]
    assert rows(ws, "SELECT DISTINCT cs.student, count(*) FROM internship_records "
                    "JOIN cohort_students AS cs USING (cohort_id, person_key) "
                    "GROUP BY ALL") == [(jeanne, 2)]


def test_no_name_email_or_id_enters_a_table(ws: Workspace, tmp_path: Path):
    with_roster(ws, tmp_path)
    ingest_grades(ws.con, write(tmp_path, "g.csv", "full_name,email,ue,grade\n"
                                "Paul Durand,paul.durand@example.org,UE1,12\n"
                                ",nadia.benali@example.org,UE1,11\n"), ws.cfg, ws.pseudo)
    ingest_submissions(ws.con, write(tmp_path, "s.csv", "full_name,assignment,submitted_at\n"
                                     "Nadia Benali,Dossier,2026-12-13 10:00\n"),
                       ws.cfg, ws.pseudo)
    ingest_internship(ws.con, write(tmp_path, "i.csv", "full_name,date,days\n"
                                    "Jeanne Élodie Martin,2026-10-05,1\n"), ws.cfg, ws.pseudo)
    ingest_internship(ws.con, write(tmp_path, "m.csv", "full_name,validated_on\n"
                                    "Claire Petit,2026-11-16\n"), ws.cfg, ws.pseudo)
    from m2if_analytics.warehouse.pipeline import build
    build(ws.con, ws.cfg)
    needles = [n.casefold() for n in NAMES] + ["paul.durand@example.org", "nadia.benali"]
    columns = rows(ws, "SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE data_type = 'VARCHAR' AND table_schema = 'main'")
    for table, column in columns:
        text = "\n".join(str(r[0]) for r in rows(ws, f'SELECT DISTINCT "{column}" FROM "{table}"')
                         ).casefold()
        assert not [n for n in needles if n in text], f"{table}.{column}"
    assert rows(ws, "SELECT count(*) FROM grades") == [(2,)]


SAMPLE_FILES = ("grades.csv", "deadlines.csv", "submissions.csv", "internship.csv",
                "mission_letters.csv")


def test_generator_reproduces_the_committed_programme_samples(tmp_path: Path):
    subprocess.run([sys.executable, str(SAMPLES / "generate_programme.py"), "--out",
                    str(tmp_path)], check=True, capture_output=True)
    for name in SAMPLE_FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_sample_programme_files_load_without_quarantine(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
    loaders = {"grades.csv": ingest_grades, "deadlines.csv": ingest_deadlines,
               "submissions.csv": ingest_submissions, "internship.csv": ingest_internship,
               "mission_letters.csv": ingest_internship}
    for name, load in loaders.items():
        account = load(ws.con, SAMPLES / name, ws.cfg, ws.pseudo)
        assert account.quarantined == 0 and account.loaded == account.read, account
    assert rows(ws, "SELECT kind, rows_loaded FROM ingest_files WHERE kind <> 'roster' "
                    "ORDER BY file_id") == [("grades", 248), ("deadlines", 8),
                                            ("submissions", 89), ("internship", 1866),
                                            ("mission_letters", 20)]
