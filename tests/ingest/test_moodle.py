"""Moodle exports: format detection, dialects, quarantine, dedup, strictness, privacy of text."""

from __future__ import annotations

from pathlib import Path

import pytest

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import local, write_logstore

EN_HEADER = ["Time", "User full name", "Affected user", "Event context", "Component",
             "Event name", "Description", "Origin", "IP address"]
FR_HEADER = ["Heure", "Nom complet de l'utilisateur", "Utilisateur concerné",
             "Contexte de l'événement", "Composant", "Nom de l'événement", "Description",
             "Origine", "Adresse IP"]
ROWS = [  # newest first, as Moodle writes them
    ["28/11/26, 14:20", "Jeanne Élodie Martin", "-", "Forum: Groupe A", "Forum",
     "Post created", "The user with id '7' has created the post with id '1' in the forum "
     "with course module id '33'.", "web", "192.0.2.7"],
    ["28/11/26, 14:10", "Jeanne Élodie Martin", "Paul Durand", "User: Paul Durand", "System",
     "User profile viewed", "The user with id '7' viewed the profile for the user with id "
     "'8' in the course with id '42'.", "web", "192.0.2.7"],
    ["28/11/26, 14:00", "Jeanne Élodie Martin", "-", "Course: M2 IF", "System",
     "Course viewed", "The user with id '7' viewed the course with id '42'.", "web",
     "192.0.2.7"],
]


def write_download(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",",
                   newline: str = "\n", encoding: str = "utf-8", order: list[int] | None = None
                   ) -> Path:
    """A Logs download with the columns in ``order`` (default as given)."""
    order = order or list(range(len(header)))

    def line(fields: list[str]) -> str:
        cells = [fields[i] for i in order if i < len(fields)]
        return delimiter.join(f'"{c}"' if delimiter in c or '"' in c else c for c in cells)

    text = newline.join([line(header), *[line(r) for r in rows]]) + newline
    path.write_bytes(text.encode(encoding))
    return path


def events(ws: Workspace) -> list[tuple]:
    return ws.con.execute(
        "SELECT i.ident, e.ts, e.event_name, e.context, e.cmid FROM raw_events AS e "
        "JOIN identities AS i USING (ident_id) ORDER BY e.ts").fetchall()


def test_english_download_loads_every_row_with_utc_times(ws: Workspace, tmp_path: Path):
    account = ingest_moodle_file(ws.con, write_download(tmp_path / "en.csv", EN_HEADER, ROWS),
                                 ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.duplicates, account.quarantined) == (3, 3, 0, 0)
    rows = events(ws)
    assert [r[1].strftime("%H:%M") for r in rows] == ["13:00", "13:10", "13:20"]  # CET = UTC+1
    assert rows[2][4] == 33  # course module id kept from the description
    assert {r[0] for r in rows} == {ws.pseudo.name_ident("jeanne élodie martin")}


@pytest.mark.parametrize(
    ("delimiter", "newline", "encoding", "order"),
    [
        ("\t", "\r", "cp1252", [8, 7, 6, 5, 4, 3, 2, 1, 0]),
        (";", "\r\n", "utf-8-sig", [2, 0, 1, 3, 4, 5, 6, 7, 8]),
        (",", "\n", "utf-8", None),
    ],
)
def test_dialects_give_identical_events(ws: Workspace, tmp_path: Path, delimiter: str,
                                        newline: str, encoding: str, order: list[int] | None):
    path = write_download(tmp_path / "x.csv", FR_HEADER, ROWS, delimiter, newline, encoding,
                          order)
    account = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
    assert account.loaded == 3
    with open_workspace(tmp_path / "ref.duckdb", None) as ref:
        ingest_moodle_file(ref.con, write_download(tmp_path / "ref.csv", EN_HEADER, ROWS),
                           ref.cfg, ref.pseudo)
        assert [r[:2] for r in events(ws)] == [r[:2] for r in events(ref)]


def test_headers_match_whatever_case_accents_and_apostrophes(ws: Workspace, tmp_path: Path):
    header = ["HEURE", "nom complet de l’utilisateur", "Utilisateur concerne",
              "Contexte de l'evenement", "COMPOSANT", "Nom De L'Événement", "Description",
              "origine", "adresse IP"]
    account = ingest_moodle_file(ws.con, write_download(tmp_path / "f.csv", header, ROWS),
                                 ws.cfg, ws.pseudo)
    assert account.loaded == 3


def test_optional_leading_course_column_is_accepted(ws: Workspace, tmp_path: Path):
    rows = [["M2IF", *r] for r in ROWS]
    path = write_download(tmp_path / "c.csv", ["Cours", *FR_HEADER], rows, ";")
    assert ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo).loaded == 3


def test_oldest_first_and_newest_first_give_the_same_events(ws: Workspace, tmp_path: Path):
    ingest_moodle_file(ws.con, write_download(tmp_path / "a.csv", EN_HEADER, ROWS[::-1]),
                       ws.cfg, ws.pseudo)
    again = ingest_moodle_file(ws.con, write_download(tmp_path / "b.csv", EN_HEADER, ROWS),
                               ws.cfg, ws.pseudo)
    assert (again.loaded, again.duplicates) == (0, 3)


def test_bad_rows_are_quarantined_with_line_and_reason(ws: Workspace, tmp_path: Path):
    rows = [*ROWS,
            ["yesterday", "Paul Durand", "-", "Course: M2 IF", "System", "Course viewed", "",
             "web", "192.0.2.8"],
            ["28/11/26, 15:00", "-", "-", "System", "System", "Cron run", "", "cli", ""],
            ["28/11/26, 15:01", "Paul Durand", "Course viewed"]]
    account = ingest_moodle_file(ws.con, write_download(tmp_path / "q.csv", EN_HEADER, rows),
                                 ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (6, 3, 3)
    got = ws.con.execute("SELECT file_name, line, reason FROM quarantine ORDER BY line").fetchall()
    assert [(g[0], g[1]) for g in got] == [("q.csv", 5), ("q.csv", 6), ("q.csv", 7)]
    assert "matches no Moodle time format" in got[0][2]
    assert "no user" in got[1][2]
    assert "expected 9 fields, found 3" in got[2][2]


def test_strict_mode_refuses_the_file_and_loads_nothing(ws: Workspace, tmp_path: Path):
    rows = [*ROWS, ["never", "Paul Durand", "-", "x", "x", "x", "x", "web", "192.0.2.8"]]
    path = write_download(tmp_path / "s.csv", EN_HEADER, rows)
    with pytest.raises(IngestError, match=r"s\.csv, line 5: .*--strict"):
        ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo, strict=True)
    assert ws.con.execute("SELECT count(*) FROM raw_events").fetchall() == [(0,)]
    assert ws.con.execute("SELECT count(*) FROM ingest_files").fetchall() == [(0,)]


def test_overlapping_export_adds_only_new_events(ws: Workspace, tmp_path: Path):
    first = write_download(tmp_path / "1.csv", EN_HEADER, ROWS[1:])
    second = write_download(tmp_path / "2.csv", EN_HEADER, ROWS[:2])
    ingest_moodle_file(ws.con, first, ws.cfg, ws.pseudo)
    account = ingest_moodle_file(ws.con, second, ws.cfg, ws.pseudo)
    assert (account.loaded, account.duplicates) == (1, 1)
    assert ws.con.execute("SELECT count(*) FROM raw_events").fetchall() == [(3,)]


def test_identical_rows_within_a_file_count_once(ws: Workspace, tmp_path: Path):
    path = write_download(tmp_path / "d.csv", EN_HEADER, [ROWS[0], ROWS[0], ROWS[1]])
    account = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.duplicates) == (3, 2, 1)


def test_yearless_times_stop_when_two_cohorts_could_hold_them(tmp_path: Path):
    cfg = tmp_path / "two.toml"
    cfg.write_text('[ingest]\nlatest = 2027-12-31\n'
                   '[[cohorts]]\nid = "2025-2026"\nstart = 2025-10-06\nend = 2026-07-03\n'
                   '[[cohorts]]\nid = "2026-2027"\nstart = 2026-10-05\nend = 2027-07-02\n',
                   encoding="utf-8")
    rows = [["11 mai, 09:44", *ROWS[0][1:]]]
    path = write_download(tmp_path / "y.csv", EN_HEADER, rows)
    with open_workspace(tmp_path / "y.duckdb", cfg) as ws:
        with pytest.raises(IngestError, match=r"y\.csv, line 2: .*--cohort"):
            ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
        ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo, cohort_id="2025-2026")
        ts = ws.con.execute("SELECT ts FROM raw_events").fetchall()[0][0]
        assert (ts.year, ts.month, ts.day, ts.hour) == (2026, 5, 11, 7)


def test_unrecognised_file_is_refused_with_what_was_expected(ws: Workspace, tmp_path: Path):
    path = tmp_path / "notes.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not a Moodle log export"):
        ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)


def test_missing_file_is_refused(ws: Workspace, tmp_path: Path):
    with pytest.raises(IngestError, match="no such file"):
        ingest_moodle_file(ws.con, tmp_path / "absent.csv", ws.cfg, ws.pseudo)


def test_user_contexts_and_descriptions_are_not_stored(ws: Workspace, tmp_path: Path):
    ingest_moodle_file(ws.con, write_download(tmp_path / "p.csv", EN_HEADER, ROWS), ws.cfg,
                       ws.pseudo)
    contexts = {r[3] for r in events(ws)}
    assert contexts == {"Forum: Groupe A", "User", "Course: M2 IF"}
    related = ws.con.execute("SELECT i.ident FROM raw_events AS e JOIN identities AS i "
                             "ON i.ident_id = e.related_ident_id").fetchall()
    assert related == [(ws.pseudo.name_ident("Paul Durand"),)]


def test_logstore_dump_quarantines_malformed_and_userless_rows(ws: Workspace, tmp_path: Path):
    path = write_logstore(tmp_path / "ls.csv", [(7, local("2026-11-28 14:00:00")),
                                                (0, local("2026-11-28 14:05:00")),
                                                (8, local("2026-11-28 14:10:00"))])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "99,too,few,fields")
    lines.append(lines[1])  # an exact duplicate of the first record
    bad_time = lines[1].split(",")
    bad_time[0], bad_time[17] = "100", "not-a-time"
    lines.append(",".join(bad_time))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    account = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.duplicates, account.quarantined) == (6, 2, 1, 3)
    got = ws.con.execute("SELECT line, reason FROM quarantine ORDER BY line").fetchall()
    assert [g[0] for g in got] == [3, 4, 7]
    assert "malformed line" in got[0][1]
    assert "userid 0" in got[1][1]
    assert "timecreated is not a whole number" in got[2][1]


def test_logstore_and_download_give_the_same_instants(ws: Workspace, tmp_path: Path):
    ingest_moodle_file(ws.con, write_logstore(tmp_path / "ls.csv",
                                              [(7, local("2026-10-25 02:30:00"))]),
                       ws.cfg, ws.pseudo)
    ts = ws.con.execute("SELECT ts FROM raw_events").fetchall()[0][0]
    assert (ts.hour, ts.minute) == (0, 30)


def test_record_lines_are_found_across_chunks(tmp_path: Path):
    from m2if_analytics.ingest.moodle_logstore import locate_lines

    path = tmp_path / "ids.csv"
    path.write_text("id,x\n" + "".join(f"{i},v\n" for i in range(1, 3_000_000)), encoding="utf-8")
    got = locate_lines(path, [1, 2, 1_999_999, 2_999_999, 7_000_000], ",", "id")
    assert got == {1: 2, 2: 3, 1_999_999: 2_000_000, 2_999_999: 3_000_000}
    assert locate_lines(path, [5], ",", "userid") == {}
