"""m2if forget: one ingested file's data, or one person everywhere (right to erasure), in one
transaction, printing what was removed; the derived tables follow."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.config import load_config
from m2if_analytics.engagement.cohort import weekly
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.connection import connect
from m2if_analytics.warehouse.forget import forget_file, forget_person
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLE_CONFIG, local, logstore_row, write_dump

runner = CliRunner()


def _listed(name: str) -> set[str]:
    statements = sql.query(f"warehouse/{name}").statements
    return {m.group(2) for s in statements
            for m in re.finditer(r"^\s*(DELETE FROM|UPDATE)\s+(\w+)", s, re.MULTILINE)}


def _columns(tmp_path: Path) -> dict[str, set[str]]:
    """The raw tables a new warehouse has (migrations only) and their columns."""
    con = connect(tmp_path / "fresh.duckdb", load_config(None))
    rows = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = 'main'").fetchall()
    con.close()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def test_every_table_with_a_file_or_a_person_is_covered(tmp_path: Path):
    tables = _columns(tmp_path)
    with_file = {t for t, cols in tables.items() if "file_id" in cols}
    assert with_file <= _listed("forget_file.sql")
    about_people = {t for t, cols in tables.items()
                    if cols & {"ident_id", "ident", "person", "related_ident_id"}}
    assert about_people <= _listed("forget_person.sql")


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("user_id,full_name,email,role,group\n5,Ana Test,ana@example.org,student,A\n"
                    "6,Bo Test,bo@example.org,student,A\n", encoding="utf-8")
    return path


def _dump(path: Path, start: int, rows: list[tuple[int, str]]) -> Path:
    return write_dump(path, [logstore_row(start + n, user, local(when))
                             for n, (user, when) in enumerate(rows)])


def test_forgetting_a_file_gives_the_tables_of_a_warehouse_that_never_had_it(tmp_path: Path,
                                                                             config_file: Path):
    a = _dump(tmp_path / "a.csv", 1, [(5, "2026-10-06 10:00:00"), (5, "2026-10-06 10:20:00"),
                                      (6, "2026-10-07 09:00:00")])
    a.write_text(a.read_text(encoding="utf-8") + "x,bad,row\n", encoding="utf-8")
    b = _dump(tmp_path / "b.csv", 100, [(6, "2026-10-13 10:00:00"), (6, "2026-10-13 10:10:00")])
    with open_workspace(tmp_path / "both.duckdb", config_file) as ws, \
            open_workspace(tmp_path / "only_b.duckdb", config_file) as ref:
        for target, files in ((ws, (a, b)), (ref, (b,))):
            ingest_roster_file(target.con, _roster(tmp_path), target.cfg, target.pseudo)
            for path in files:
                ingest_moodle_file(target.con, path, target.cfg, target.pseudo)
        before = weekly(ws)
        removal = forget_file(ws, str(a))  # a path is reduced to its base name
        assert removal.rows["raw_events"] == 3 and removal.rows["quarantine"] == 1
        assert removal.rows["ingest_files"] == 1 and removal.total == 5
        after = weekly(ws)
        assert after.equals(weekly(ref))
        assert not after.equals(before)
        names = ws.con.execute("SELECT file_name FROM ingest_files ORDER BY 1").fetchall()
        assert names == [("b.csv",), ("roster.csv",)]
        again = ingest_moodle_file(ws.con, a, ws.cfg, ws.pseudo)  # a forgotten file loads again
        assert (again.loaded, again.duplicates, again.quarantined) == (3, 0, 1)
        assert weekly(ws).equals(before)


def test_forgetting_a_roster_file_unlinks_its_people(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, _roster(tmp_path), ws.cfg, ws.pseudo)
    ingest_moodle_file(ws.con, _dump(tmp_path / "a.csv", 1, [(5, "2026-10-06 10:00:00")]),
                       ws.cfg, ws.pseudo)
    assert len(weekly(ws)["student"].unique()) == 2
    removal = forget_file(ws, "roster.csv")
    assert removal.rows["roster"] == 2 and removal.rows["identity_links"] >= 2
    assert ws.con.execute("SELECT count(*) FROM roster").fetchone() == (0,)


def test_an_unknown_file_name_lists_the_ingested_ones(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, _roster(tmp_path), ws.cfg, ws.pseudo)
    with pytest.raises(M2IFError, match=r"no file named 'logs\.csv' was ingested .*roster\.csv"):
        forget_file(ws, "logs.csv")


@pytest.fixture
def sample_copy(full_sample_warehouse: Path, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Workspace:
    db = tmp_path / "full.duckdb"
    shutil.copy(full_sample_warehouse, db)
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    return open_workspace(db, SAMPLE_CONFIG)


def _about(con: duckdb.DuckDBPyConnection, idents: list[int], person: str) -> dict[str, int]:
    ids = ",".join(map(str, idents))
    checks = {
        "raw_events": f"ident_id IN ({ids}) OR related_ident_id IN ({ids})",
        "grades": f"ident_id IN ({ids})", "submissions": f"ident_id IN ({ids})",
        "internship_days": f"ident_id IN ({ids})", "mission_letters": f"ident_id IN ({ids})",
        "milestones_done": f"ident_id IN ({ids})",
        "forum_posts": f"ident_id IN ({ids})", "identities": f"ident_id IN ({ids})",
        "roster": f"person = '{person}'", "name_keys": f"person = '{person}'",
        "identity_links": f"person = '{person}'"}
    return {t: con.execute(f"SELECT count(*) FROM {t} WHERE {w}").fetchone()[0]  # type: ignore[index]
            for t, w in checks.items()}


def test_forgetting_a_student_erases_them_everywhere_and_leaves_the_others(
        sample_copy: Workspace):
    ws = sample_copy
    table = weekly(ws)
    person = table.group_by("student").agg(pl.col("hours").sum()).sort("hours")["student"][-1]
    idents = [r[0] for r in ws.tables.execute(
        "SELECT ident_id FROM persons WHERE person = $p", {"p": person}).fetchall()]
    held = _about(ws.con, idents, person)
    assert held["raw_events"] > 0 and held["grades"] > 0 and held["forum_posts"] > 0
    [(acting,)] = ws.con.execute(
        f"SELECT count(*) FROM raw_events WHERE ident_id IN ({','.join(map(str, idents))})"
    ).fetchall()
    removal = forget_person(ws, person)
    assert removal.rows["raw_events"] == acting
    assert acting + removal.rows["raw_events (unlinked)"] == held["raw_events"]
    assert removal.rows["grades"] == held["grades"]
    assert removal.rows["forum_posts"] == held["forum_posts"]
    assert set(_about(ws.con, idents, person).values()) == {0}
    after = weekly(ws)
    assert person not in set(after["student"])
    others = table.filter(pl.col("student") != person)
    assert after.sort("student", "week_start").equals(others.sort("student", "week_start"))
    ws.close()


def test_forget_by_command_line_prints_what_it_removed(sample_copy: Workspace):
    db = str(sample_copy.paths.db)
    person = weekly(sample_copy)["student"][0]
    sample_copy.close()
    both = runner.invoke(app, ["--db", db, "forget", "--file", "x", "--student", person])
    assert both.exit_code != 0 and "either --file NAME or --student" in str(both.exception)
    bad = runner.invoke(app, ["--db", db, "forget", "--student", "Noémie"])
    assert bad.exit_code != 0 and "is not a pseudonym" in str(bad.exception)
    unknown = runner.invoke(app, ["--db", db, "forget", "--student", "p000000000000"])
    assert unknown.exit_code != 0 and "no person p000000000000" in str(unknown.exception)
    done = runner.invoke(app, ["--db", db, "--config", str(SAMPLE_CONFIG), "forget",
                               "--student", person])
    assert done.exit_code == 0, done.output
    assert re.search(r"^raw_events: \d+$", done.stdout, re.MULTILINE)
    assert f"for person {person}; derived tables rebuilt" in done.stdout
    forum = runner.invoke(app, ["--db", db, "--config", str(SAMPLE_CONFIG), "forget",
                                "--file", "forum_posts.csv"])
    assert forum.exit_code == 0, forum.output
    assert "2 ingestion(s) of forum_posts.csv" in forum.stdout  # both sample cohorts'


def test_reingesting_a_file_does_not_list_its_bad_rows_twice(ws: Workspace, tmp_path: Path):
    path = _dump(tmp_path / "a.csv", 1, [(5, "2026-10-06 10:00:00")])
    path.write_text(path.read_text(encoding="utf-8") + "x,bad,row\n", encoding="utf-8")
    first = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
    second = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
    assert first.quarantined == second.quarantined == 1  # each account adds up
    assert ws.con.execute("SELECT count(*) FROM quarantine").fetchone() == (1,)
    path.write_text(path.read_text(encoding="utf-8") + "y,bad,row\n", encoding="utf-8")
    ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)  # other bytes: its rows are listed
    assert ws.con.execute("SELECT count(*) FROM quarantine").fetchone() == (3,)


def test_a_failed_statement_is_reported_not_the_aborted_transaction(ws: Workspace):
    """DuckDB refuses every statement after a failure in a transaction; clean-up steps must
    not replace the real cause with "Current transaction is aborted"."""
    frames = {"_t": pl.DataFrame({"a": [1]})}
    with pytest.raises(duckdb.Error) as caught, sql.transaction(ws.con), \
            sql.registered(ws.con, frames):
        ws.con.execute("SELECT * FROM no_such_table")
    assert "no_such_table" in str(caught.value)
    assert "aborted" not in str(caught.value)


def test_forget_by_command_line_leaves_nothing_of_the_person_in_the_file_bytes(
        sample_copy: Workspace, tmp_path: Path):
    """DuckDB reuses freed blocks without zeroing them: the erased pseudonym and identity
    hashes stayed readable in the file. The command rewrites the file; it still opens with
    the same key, the same tables and ids that go on from where they were."""
    ws = sample_copy
    db = ws.paths.db
    person = weekly(ws)["student"][0]
    idents = [i for (i,) in ws.con.execute(
        "SELECT i.ident FROM identities i JOIN persons p USING (ident_id) WHERE p.person = ?",
        [person]).fetchall()]
    others = weekly(ws).filter(pl.col("student") != person).sort("student", "week_start")
    next_file = ws.con.execute("SELECT max(file_id) FROM ingest_files").fetchone()[0] + 1
    ws.close()
    db.chmod(0o600)
    assert person.encode() in db.read_bytes() and idents
    done = runner.invoke(app, ["--db", str(db), "--config", str(SAMPLE_CONFIG), "forget",
                               "--student", person])
    assert done.exit_code == 0, done.output
    assert "warehouse file rewritten" in done.stdout
    data = db.read_bytes()
    assert person.encode() not in data
    assert not [i for i in idents if i.encode() in data]
    assert db.stat().st_mode & 0o777 == 0o600 and not list(tmp_path.glob("*.rewrite"))
    with open_workspace(db, SAMPLE_CONFIG) as again:
        assert weekly(again).sort("student", "week_start").equals(others)
        account = ingest_moodle_file(again.con, _dump(tmp_path / "new.csv", 5000, [
            (5, "2026-10-06 10:00:00")]), again.cfg, again.pseudo)
        assert account.loaded == 1
        assert again.con.execute("SELECT max(file_id) FROM ingest_files").fetchone()[0] == (
            next_file)
