"""Logstore dumps read once: copies in or out of id order, events already stored, records
without id, the Parquet stage's lifetime, the spill folder, and bars that stay silent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from m2if_analytics import progress
from m2if_analytics.config import config_from_dict
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.stage import remove_stale, temp_folder
from m2if_analytics.warehouse.connection import temp_directory
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import TEST_CONFIG, local, logstore_row, write_dump

T0 = local("2026-11-02 09:00:00")


def rows(ids: list[int], user: int = 7) -> list[list[str]]:
    """One record per id, a minute apart in id order."""
    return [logstore_row(i, user, int(T0.timestamp()) + 60 * i) for i in ids]


def account(ws: Workspace, path: Path, strict: bool = False) -> tuple[int, int, int, int]:
    a = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo, strict=strict)
    return a.read, a.loaded, a.duplicates, a.quarantined


def stored(ws: Workspace) -> list[tuple]:
    return ws.con.execute("SELECT event_key, ts, cmid FROM raw_events ORDER BY ts").fetchall()


def test_adjacent_copies_in_an_id_ordered_dump_count_once(ws: Workspace, tmp_path: Path):
    dump = write_dump(tmp_path / "d.csv", rows([1, 2, 2, 3, 3, 3, 4]))
    assert account(ws, dump) == (7, 4, 3, 0)
    assert len(stored(ws)) == 4


def test_copies_out_of_id_order_count_once_and_keep_the_first(ws: Workspace, tmp_path: Path):
    records = rows([5, 1, 3, 1, 2, 5, 4])
    records[3][13] = "99"  # the later copy of id 1 differs in courseid only: same event
    dump = write_dump(tmp_path / "u.csv", records)
    assert account(ws, dump) == (7, 5, 2, 0)
    courses = ws.con.execute("SELECT course_id FROM raw_events ORDER BY ts").fetchall()
    assert courses[0] == (42,)  # id 1: the first copy in the file


def test_reingesting_and_overlapping_dumps_add_only_new_events(ws: Workspace, tmp_path: Path):
    assert account(ws, write_dump(tmp_path / "a.csv", rows(list(range(1, 11))))) == (
        10, 10, 0, 0)
    assert account(ws, write_dump(tmp_path / "a2.csv", rows(list(range(1, 11))))) == (
        10, 0, 10, 0)
    assert account(ws, write_dump(tmp_path / "b.csv", rows(list(range(6, 16))))) == (
        10, 5, 5, 0)
    assert len(stored(ws)) == 15


def test_records_without_id_are_keyed_by_their_content(ws: Workspace, tmp_path: Path):
    records = rows([1, 2, 3])
    for r in records:
        r[0] = ""
    dump = write_dump(tmp_path / "n.csv", [*records, records[1]])
    assert account(ws, dump) == (4, 3, 1, 0)


def quarantined(ws: Workspace) -> list[tuple]:
    return ws.con.execute("SELECT line, reason FROM quarantine ORDER BY line NULLS LAST, reason"
                          ).fetchall()


def test_bad_records_get_their_line_from_their_position(ws: Workspace, tmp_path: Path):
    records = rows([1, 2, 3, 4, 5])
    records[1][12] = "0"  # line 3: no user
    records[3][1] = ""  # line 6: no event name
    records[2][17] = "soon"  # line 5: refused by the reader
    lines = [",".join(r) for r in [*records, records[1]]]  # line 8 repeats line 3
    lines.insert(2, "99,too,few")  # line 4
    dump = write_dump(tmp_path / "q.csv", [])
    dump.write_text(dump.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    assert account(ws, dump) == (7, 2, 0, 5)
    got = quarantined(ws)
    assert [g[0] for g in got] == [3, 4, 5, 6, 8]
    assert "userid 0" in got[0][1] and "userid 0" in got[4][1]
    assert got[3][1] == "empty eventname"


def test_multiline_fields_fall_back_to_ids_and_name_repeated_ones(ws: Workspace,
                                                                  tmp_path: Path):
    records = rows([1, 2, 3, 4])
    records[0][16] = "a\nb"  # line 2 and 3: a quoted field over two lines
    records[1][12] = "0"  # line 4: no user
    records[2][1] = ""  # line 5: no event name
    dump = write_dump(tmp_path / "m.csv", [*records, records[1]])  # line 7 repeats id 2
    assert account(ws, dump) == (5, 2, 0, 3)
    got = quarantined(ws)
    assert got[0] == (5, "empty eventname")
    assert [g[0] for g in got[1:]] == [None, None]
    assert all("record id 2" in g[1] and "userid 0" in g[1] for g in got[1:])


def test_strict_mode_refuses_a_dump_before_writing(ws: Workspace, tmp_path: Path):
    records = rows([1, 2, 3])
    records[2][12] = "-1"
    with pytest.raises(IngestError, match=r"s\.csv, line 4: no user: userid -1 .*--strict"):
        account(ws, write_dump(tmp_path / "s.csv", records), strict=True)
    assert ws.con.execute("SELECT count(*) FROM raw_events").fetchall() == [(0,)]


def test_the_stage_lives_in_the_spill_folder_only_during_the_load(ws: Workspace,
                                                                   tmp_path: Path):
    folder = temp_folder(ws.con)
    assert folder == tmp_path / "w.duckdb.tmp"
    stale = folder / "m2if-stage-999999999-abcdef.parquet"  # left by a killed process
    stale.write_bytes(b"x")
    mine = folder / f"m2if-stage-{os.getpid()}-abcdef.parquet"  # a live process's
    mine.write_bytes(b"x")
    account(ws, write_dump(tmp_path / "a.csv", rows([1, 2])))
    assert sorted(p.name for p in folder.glob("m2if-stage-*")) == [mine.name]
    with pytest.raises(IngestError):
        account(ws, write_dump(tmp_path / "b.csv", [*rows([3]), ["x"] * 2]), strict=True)
    remove_stale(folder)
    assert sorted(p.name for p in folder.glob("m2if-stage-*")) == [mine.name]


def test_the_spill_folder_is_configurable(tmp_path: Path):
    cfg = config_from_dict({**TEST_CONFIG, "warehouse": {"temp_directory": str(tmp_path / "s")}})
    assert temp_directory(tmp_path / "w.duckdb", cfg) == tmp_path / "s"
    default = config_from_dict(TEST_CONFIG)
    assert temp_directory(tmp_path / "w.duckdb", default) == tmp_path / "w.duckdb.tmp"
    assert temp_directory(":memory:", default) is None


def test_warehouse_sets_the_spill_folder(ws: Workspace, tmp_path: Path):
    setting = ws.con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
    assert setting == str(tmp_path / "w.duckdb.tmp")


def test_bars_are_silent_off_a_terminal_and_follow_a_query_on_one(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]):
    dump = write_dump(tmp_path / "a.csv", rows(list(range(1, 50))))
    assert account(ws, dump) == (49, 49, 0, 0)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(progress, "enabled", lambda: True)
    with progress.bar("outer", 1) as outer, progress.bar("inner", 10) as inner:
        assert inner.follow(ws.con, lambda: ws.con.execute("SELECT 42").fetchall(),
                            span=10) == [(42,)]
        outer.advance()
    assert account(ws, write_dump(tmp_path / "b.csv", rows(list(range(50, 60))))) == (
        10, 10, 0, 0)


def test_a_record_with_another_event_name_is_not_a_copy_in_or_across_files(ws, tmp_path):
    from m2if_analytics.ingest.moodle import ingest_moodle_file
    from tests.conftest import local, logstore_row, write_dump

    when = local("2026-10-05 09:00:00")
    rows = [logstore_row(1, 7, when), logstore_row(1, 7, when),  # a true copy
            logstore_row(1, 7, when, eventname="\\mod_forum\\event\\post_created")]
    account = ingest_moodle_file(ws.con, write_dump(tmp_path / "a.csv", rows), ws.cfg,
                                 ws.pseudo)
    assert (account.loaded, account.duplicates) == (2, 1)
    again = [logstore_row(1, 7, when, eventname="\\mod_assign\\event\\submission_created")]
    other = ingest_moodle_file(ws.con, write_dump(tmp_path / "b.csv", again), ws.cfg,
                               ws.pseudo)
    assert (other.loaded, other.duplicates) == (1, 0)
