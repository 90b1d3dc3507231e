"""OULAD ingestion: accounts on the real files, no raw id_student, re-ingestion, bad rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.oulad import ingest_oulad, ingest_oulad_file, student_pseudonym
from m2if_analytics.warehouse.migrations import migrate
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from tests.conftest import SAMPLES

OULAD = SAMPLES / "oulad"  # the repository's gzip copy of the official files
PSEUDO = Pseudonymiser(b"oulad-test-key")


def readme_files() -> dict[str, tuple[int, str, str]]:
    """data_samples/oulad/README.md's file table: name → (rows, sha256 gz, sha256 csv)."""
    out = {}
    for line in (OULAD / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].endswith(".csv.gz"):
            out[cells[0]] = (int(cells[1].replace(",", "")), cells[2], cells[3])
    return out


README_ROWS = {name: rows for name, (rows, _, _) in readme_files().items()}
OULAD_TABLES = ("oulad_courses", "oulad_assessments", "oulad_vle", "oulad_students",
                "oulad_registrations", "oulad_student_assessments", "oulad_clicks")
# columns holding other OULAD ids, whose numbers may coincide with some id_student
OTHER_IDS = {"id_site", "id_assessment"}

H_COURSES = ["code_module", "code_presentation", "module_presentation_length"]
H_ASSESSMENTS = ["code_module", "code_presentation", "id_assessment", "assessment_type", "date",
                 "weight"]
H_INFO = ["code_module", "code_presentation", "id_student", "gender", "region",
          "highest_education", "imd_band", "age_band", "num_of_prev_attempts",
          "studied_credits", "disability", "final_result"]
H_REG = ["code_module", "code_presentation", "id_student", "date_registration",
         "date_unregistration"]
H_SA = ["id_assessment", "id_student", "date_submitted", "is_banked", "score"]
H_VLE = ["code_module", "code_presentation", "id_student", "id_site", "date", "sum_click"]


def write_table(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A CSV in the official release's format: every field quoted, CRLF, "" for missing."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    return path


def info(student: int, result: str) -> list[object]:
    return ["AAA", "2013J", student, "M", "Scotland", "HE Qualification", "20-30%", "35-55", 0,
            60, "N", result]


def tiny_oulad(folder: Path, clicks: list[tuple[int, int, int, int]] | None = None,
               submissions: list[tuple[int, int, int, float | None]] | None = None,
               vle_name: str = "studentVle_AAA_2013J.csv") -> Path:
    """A hand-made one-presentation OULAD folder (AAA_2013J); the features are in test_model.

    Students 101 Pass, 102 Withdrawn (unregistered day 21), 103 Fail, 104 Distinction
    (registered day 25), 105 Pass (unregistered day 5). Assessments 1 (due 10), 2 (due 18),
    3 (exam, no date), 4 (due 30). ``clicks``: (student, site, day, clicks);
    ``submissions``: (assessment, student, day, score).
    """
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder / "courses.csv", H_COURSES, [["AAA", "2013J", 200]])
    write_table(folder / "assessments.csv", H_ASSESSMENTS, [
        ["AAA", "2013J", 1, "TMA", 10, 50], ["AAA", "2013J", 2, "TMA", 18, 50],
        ["AAA", "2013J", 3, "Exam", None, 100], ["AAA", "2013J", 4, "TMA", 30, 0]])
    write_table(folder / "studentInfo.csv", H_INFO, [
        info(101, "Pass"), info(102, "Withdrawn"), info(103, "Fail"),
        info(104, "Distinction"), info(105, "Pass")])
    write_table(folder / "studentRegistration.csv", H_REG, [
        ["AAA", "2013J", 101, -10, None], ["AAA", "2013J", 102, -5, 21],
        ["AAA", "2013J", 103, 0, None], ["AAA", "2013J", 104, 25, None],
        ["AAA", "2013J", 105, -3, 5]])
    if submissions is None:
        submissions = [(1, 101, 9, 80), (2, 101, 20, 60), (4, 101, 21, 100),
                       (1, 102, 12, 40), (1, 103, 25, 90)]
    write_table(folder / "studentAssessment.csv", H_SA,
                [[a, s, d, 0, score] for a, s, d, score in submissions])
    if clicks is None:
        clicks = [(101, 1, -3, 5), (101, 1, 2, 3), (101, 2, 2, 4), (101, 1, 10, 2),
                  (101, 1, 10, 2), (101, 1, 15, 6), (101, 1, 20, 1), (101, 1, 21, 50),
                  (101, 2, 30, 9), (102, 1, 1, 10), (102, 1, 3, 10)]
    write_table(folder / vle_name, H_VLE,
                [["AAA", "2013J", s, site, d, c] for s, site, d, c in clicks])
    write_table(folder / "vle.csv", ["id_site", "code_module", "code_presentation",
                                     "activity_type", "week_from", "week_to"],
                [[1, "AAA", "2013J", "resource", None, None],
                 [2, "AAA", "2013J", "forumng", 1, 2]])
    return folder


def new_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    migrate(con)
    return con


@pytest.fixture(scope="module")
def real() -> Iterator[tuple[duckdb.DuckDBPyConnection, list]]:
    con = new_warehouse()
    accounts = ingest_oulad(con, OULAD, PSEUDO)
    yield con, accounts
    con.close()


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


def test_real_files_load_whole_with_the_readme_row_counts(real):
    con, accounts = real
    assert {a.file: a.read for a in accounts} == README_ROWS
    for a in accounts:
        assert (a.loaded, a.duplicates, a.quarantined) == (a.read, 0, 0), a
    assert count(con, "SELECT count(*) FROM oulad_students") == 32593
    assert count(con, "SELECT count(*) FROM oulad_student_assessments") == 173912
    # every click row is summed into its (student, site, day), exact duplicates included
    assert count(con, "SELECT sum(source_rows) FROM oulad_clicks") == 645309
    assert count(con, "SELECT count(*) FROM oulad_clicks") == 492344
    assert count(con, "SELECT sum(rows_read) FROM ingest_files WHERE kind = 'oulad'") == sum(
        README_ROWS.values())


def test_the_repository_copy_matches_the_readme_checksums_of_the_official_files():
    import gzip
    import hashlib

    files = readme_files()
    assert len(files) == 9
    assert sorted(p.name for p in OULAD.glob("*.csv.gz")) == sorted(files)
    for name, (rows, sha_gz, sha_csv) in files.items():
        packed = (OULAD / name).read_bytes()
        raw = gzip.decompress(packed)
        assert hashlib.sha256(packed).hexdigest() == sha_gz, name
        assert hashlib.sha256(raw).hexdigest() == sha_csv, name
        assert raw.count(b"\n") - 1 == rows, name
    readme = (OULAD / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "10.1038/sdata.2017.171" in readme


def test_no_table_holds_a_raw_id_student(real):
    con, _ = real
    con.execute("CREATE TEMP TABLE _raw_ids AS SELECT DISTINCT CAST(id_student AS VARCHAR) "
                f"AS id FROM read_csv('{OULAD / 'studentInfo.csv.gz'}')")
    columns = con.execute("""
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'main' AND table_catalog = current_database()""").fetchall()
    scanned = 0
    for table, column in columns:
        if column in OTHER_IDS:
            continue
        hits = count(con, f'SELECT count(*) FROM "{table}" '
                          f'WHERE CAST("{column}" AS VARCHAR) IN (SELECT id FROM _raw_ids)')
        assert hits == 0, f"{table}.{column} holds raw id_student values"
        scanned += 1
    assert scanned > 50
    student = student_pseudonym(PSEUDO, 11391)  # the first student of studentInfo.csv
    assert count(con, f"SELECT count(*) FROM oulad_students WHERE student = '{student}'") == 1


def test_reingesting_the_folder_loads_nothing(real):
    con, _ = real
    before = [count(con, f"SELECT count(*) FROM {t}") for t in OULAD_TABLES]
    again = ingest_oulad(con, OULAD, PSEUDO)
    assert all(a.loaded == 0 and a.duplicates == a.read and a.quarantined == 0 for a in again)
    assert [count(con, f"SELECT count(*) FROM {t}") for t in OULAD_TABLES] == before


def test_the_official_single_studentvle_file_is_accepted_and_overlaps_count_once(tmp_path):
    folder = tiny_oulad(tmp_path / "split")
    whole = tiny_oulad(tmp_path / "whole", vle_name="studentVle.csv")
    con = new_warehouse()
    split = {a.file: a for a in ingest_oulad(con, folder, PSEUDO)}
    assert split["studentVle_AAA_2013J.csv"].loaded == 11
    again = ingest_oulad_file(con, whole / "studentVle.csv", PSEUDO)
    assert (again.read, again.loaded, again.duplicates) == (11, 0, 11)
    # the two identical rows (101, site 1, day 10, 2 clicks) are summed, not dropped
    assert con.execute("SELECT clicks, source_rows FROM oulad_clicks "
                       "WHERE id_site = 1 AND day = 10").fetchall() == [(4, 2)]


def test_bad_rows_are_quarantined_with_their_line_and_no_raw_id(tmp_path):
    folder = tiny_oulad(tmp_path)
    vle = folder / "studentVle_AAA_2013J.csv"
    vle.write_bytes(
        b'"code_module","code_presentation","id_student","id_site","date","sum_click"\r\n'
        b'"AAA","2013J","101","1","1","2"\r\n'
        b'"AAA","2013J","x101","1","1","2"\r\n'
        b"\r\n"
        b'"AAA","2013J","102","1","1","-2"\r\n'
        b'"AAA","2013J","102","1","1","4","9"\r\n'
        b'"AAA","2013J","102","1","","4"\r\n'
        b'"AAA","2013J","102","1","2","4"\r\n')
    con = new_warehouse()
    accounts = {a.file: a for a in ingest_oulad(con, folder, PSEUDO)}
    vle_account = accounts[vle.name]
    assert (vle_account.read, vle_account.loaded, vle_account.quarantined) == (6, 2, 4)
    rows = con.execute("SELECT line, reason FROM quarantine WHERE file_name = $f ORDER BY line",
                       {"f": vle.name}).fetchall()
    assert [r[0] for r in rows] == [3, 5, 6, 7]
    assert rows[0][1] == "id_student is empty or not a whole number"
    assert rows[1][1] == "sum_click '-2' is not a whole number >= 0"
    assert rows[2][1].startswith("malformed line")
    assert rows[3][1] == "empty date"
    assert not any("101" in r[1] or "102" in r[1] for r in rows)


def test_a_changed_row_on_reingestion_is_quarantined_not_overwritten(tmp_path):
    folder = tiny_oulad(tmp_path)
    con = new_warehouse()
    ingest_oulad(con, folder, PSEUDO)
    write_table(folder / "courses.csv", H_COURSES, [["AAA", "2013J", 201], ["AAA", "2013J", 201],
                                                   ["BBB", "2013J", 268]])
    account = ingest_oulad_file(con, folder / "courses.csv", PSEUDO)
    assert (account.loaded, account.duplicates, account.quarantined) == (1, 0, 2)
    reasons = [r[0] for r in con.execute("SELECT reason FROM quarantine").fetchall()]
    assert all(r.startswith("already loaded from courses.csv") for r in reasons)
    assert con.execute("SELECT length_days FROM oulad_courses WHERE presentation = 'AAA_2013J'"
                       ).fetchall() == [(200,)]


def test_a_file_that_fails_midway_leaves_the_warehouse_as_it_was(tmp_path, monkeypatch):
    folder = tiny_oulad(tmp_path)
    con = new_warehouse()

    def boom(*args: object) -> None:
        raise RuntimeError("crash after the insert")

    monkeypatch.setattr("m2if_analytics.ingest.oulad.record_file", boom)
    with pytest.raises(RuntimeError):
        ingest_oulad_file(con, folder / "studentInfo.csv", PSEUDO)
    assert count(con, "SELECT count(*) FROM oulad_students") == 0
    assert count(con, "SELECT count(*) FROM quarantine") == 0


def test_a_file_without_the_expected_columns_is_refused(tmp_path):
    path = write_table(tmp_path / "studentInfo.csv", ["code_module", "id_student"],
                       [["AAA", 1]])
    with pytest.raises(IngestError, match=r"line 1: .*missing \['code_presentation'"):
        ingest_oulad_file(new_warehouse(), path, PSEUDO)


def test_a_folder_without_oulad_files_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no OULAD file"):
        ingest_oulad(new_warehouse(), tmp_path, PSEUDO)
