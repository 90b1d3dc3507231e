"""A logstore dump's event strings, staged as one hash and read once per distinct event:
from the records' own lines, or by DuckDB when a line cannot tell them."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from m2if_analytics.ingest.logstore_names import records_by_id, resolve
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.moodle_logstore import _declared, columns
from m2if_analytics.warehouse.sql import query, run_sql
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import LOGSTORE_HEADER, local, logstore_row, write_dump

T0 = int(local("2026-11-02 09:00:00").timestamp())
TRICKY = [("\\mod_forum\\event\\post_created", "mod_forum", "web"),
          ('a "quoted", name', "NULL", "\\N"),  # NULL and \N are empty values
          ("évènement\nsur deux lignes", "", "cli"),
          ("\\core\\event\\course_viewed", "core", "ws")]


def dump(path: Path, triples: list[tuple[str, str, str]], ids: list[int] | None = None,
         header: list[str] | None = None) -> Path:
    """One record per triple, a minute apart; ``header`` reorders the columns."""
    rows = [logstore_row(i, 7, T0 + 60 * n, eventname=e, component=c, origin=o)
            for n, (i, (e, c, o)) in enumerate(zip(ids or range(1, len(triples) + 1),
                                                   triples, strict=True))]
    if header is None:
        return write_dump(path, rows)
    order = [LOGSTORE_HEADER.index(h) for h in header]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([[r[k] for k in order] for r in rows])
    return path


def names(path: Path, stage: Path) -> tuple[str, set[tuple], set[tuple]]:
    """(how resolve read the strings, its _ls_names, what DuckDB's own read of the file finds)."""
    con = duckdb.connect()
    present = columns(path.open(encoding="utf-8").readline().rstrip("\r\n"), ",")
    params = {"path": str(path), "delim": ",", "columns": _declared(present),
              "stage": str(stage), "earliest": 0, "latest": 2**34 - 1}
    run_sql(con, query("ingest/logstore_stage.sql"), params)
    run_sql(con, query("ingest/logstore_types.sql"), params)
    method = resolve(con, path, ",", present, params["columns"])
    got = set(con.execute("SELECT * FROM _ls_names").fetchall())
    run_sql(con, query("ingest/logstore_names.sql"), params)
    return method, got, set(con.execute("SELECT * FROM _ls_names").fetchall())


def as_read(triples: list[tuple[str, str, str]]) -> set[tuple]:
    """The triples as the reader's nullstr list sees them."""
    return {tuple(None if v in ("", "NULL", "\\N") else v for v in t) for t in triples}


def test_records_are_found_by_id_in_one_search_whatever_their_order(tmp_path: Path):
    path = tmp_path / "d.csv"
    path.write_bytes(b'id,x,y\r\n12,a,b\r\n123,"c\r\nd",e\r\n5,f,g\r\n"7",h,i\r\n9,j\r\n')
    found = records_by_id(path, [123, 5, 12, 7, 9, 40], ",", 3)
    assert found == {12: ["12", "a", "b"], 123: ["123", "c\r\nd", "e"], 5: ["5", "f", "g"]}


def test_the_strings_come_from_the_records_own_lines(tmp_path: Path):
    method, got, reference = names(dump(tmp_path / "d.csv", TRICKY * 3), tmp_path / "s.pq")
    assert method == "lines"
    assert got == reference
    assert {t[1:] for t in got} == as_read(TRICKY)


def test_a_dump_whose_first_column_is_not_the_id_is_read_by_duckdb(tmp_path: Path):
    header = ["userid", *[h for h in LOGSTORE_HEADER if h != "userid"]]
    method, got, reference = names(dump(tmp_path / "d.csv", TRICKY, header=header),
                                   tmp_path / "s.pq")
    assert method == "read"
    assert got == reference and {t[1:] for t in got} == as_read(TRICKY)


def test_an_id_carried_by_two_different_events_is_read_by_duckdb(tmp_path: Path):
    method, got, _ = names(dump(tmp_path / "d.csv", TRICKY[:2], ids=[3, 3]), tmp_path / "s.pq")
    assert method == "read"  # id 3's first line holds only the first event's strings
    assert {t[1:] for t in got} == as_read(TRICKY[:2])


def test_each_stored_event_keeps_its_own_strings(ws: Workspace, tmp_path: Path):
    path = dump(tmp_path / "d.csv", [*TRICKY, ("   ", "core", "web")])
    account = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.loaded, account.quarantined) == (4, 1)  # a blank name is no name
    stored = ws.con.execute("SELECT event_name, component, origin FROM raw_events ORDER BY ts"
                            ).fetchall()
    assert stored == [tuple(None if v in ("", "NULL", "\\N") else v for v in t)
                      for t in TRICKY]
    assert ws.con.execute("SELECT reason FROM quarantine").fetchall() == [("empty eventname",)]


TEXT = st.text(st.sampled_from('ab,"\n\r \\éNUL;\t'), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=5),
       st.lists(st.integers(0, 4), min_size=1, max_size=12),
       st.lists(st.integers(1, 6), min_size=1, max_size=12))
def test_the_lines_give_what_duckdb_reads(tmp_path_factory, pool, picks, ids):
    """Whatever the strings (delimiters, quotes, line breaks, blanks, null markers) and ids
    (repeated, out of order), resolve's names are the ones DuckDB reads from the file."""
    folder = tmp_path_factory.mktemp("names")
    triples = [pool[p % len(pool)] for p in picks]
    ids = (ids * len(triples))[:len(triples)]
    _, got, reference = names(dump(folder / "d.csv", triples, ids=ids), folder / "s.pq")
    assert got == reference
