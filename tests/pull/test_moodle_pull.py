"""``m2if pull moodle`` against real PostgreSQL and MariaDB servers holding the sample
cohort in Moodle's tables: the same warehouse as the CSV ingestion, incremental pulls,
one-line errors, a pull killed mid-way."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from tests.pull.conftest import (
    READER_PASSWORD,
    MoodleDb,
    assert_same_content,
    make_moodle,
    pull_config,
    read_only_moodle,
)

runner = CliRunner()
TABLES = ("roster", "raw_events", "grades", "deadlines", "submissions", "forum_posts")


@pytest.fixture(params=["postgresql", "mariadb"])
def moodle(request: pytest.FixtureRequest) -> MoodleDb:
    """The shared sample database of each server (the tests using it only read it)."""
    return read_only_moodle(request.getfixturevalue(f"{request.param}_server"))


def pull(tmp_path: Path, dsn: str, *extra: str, env: dict | None = None):
    config = tmp_path / "m2if.toml"
    if not config.exists():
        pull_config(config)
    return runner.invoke(
        app, ["--db", str(tmp_path / "pulled.duckdb"), "--config", str(config), "pull",
              "moodle", "--dsn", dsn, "--cohort", "2026-2027", *extra],
        env={"M2IF_MOODLE_PASSWORD": READER_PASSWORD, **(env or {})})


def test_a_pull_gives_the_same_warehouse_as_the_csv_files(moodle: MoodleDb, tmp_path: Path,
                                                          csv_warehouse: Path):
    result = pull(tmp_path, moodle.dsn, "--json")
    assert result.exit_code == 0, result.output
    accounts = {a["source"]: a for a in map(json.loads, result.stdout.splitlines())}
    assert set(accounts) == {"mdl_role_assignments", "mdl_logstore_standard_log",
                             "mdl_grade_grades", "mdl_assign", "mdl_assign_submission",
                             "mdl_forum_posts"}
    for a in accounts.values():
        assert a["read"] == a["loaded"] + a["duplicates"] + a["quarantined"]
    log = accounts["mdl_logstore_standard_log"]
    assert log["read"] == 45383 and log["mark"] == str(500000 + 45383 - 1)
    for table in TABLES:
        assert_same_content(tmp_path / "pulled.duckdb", csv_warehouse, table)
    weekly = [runner.invoke(app, ["--db", str(db), "--config", str(tmp_path / "m2if.toml"),
                                  "weekly", "--cohort", "2026-2027"])
              for db in (tmp_path / "pulled.duckdb", csv_warehouse)]
    assert weekly[0].exit_code == 0 and weekly[0].stdout == weekly[1].stdout
    assert len(weekly[0].stdout.splitlines()) > 20 * 20


def _accounts(result) -> dict[str, dict]:
    assert result.exit_code == 0, result.output
    return {a["source"]: a for a in map(json.loads, result.stdout.splitlines())}


@pytest.mark.parametrize("kind", ["postgresql", "mariadb"])
def test_a_second_pull_reads_exactly_the_new_rows(kind: str, request: pytest.FixtureRequest,
                                                  tmp_path: Path, csv_warehouse: Path):
    from tests.conftest import SAMPLES
    from tests.pull import moodle_fill

    server = request.getfixturevalue(f"{kind}_server")
    log = moodle_fill.logstore(SAMPLES)
    first, rest = log[:30000], log[30000:]
    moodle = make_moodle(server, first)
    config = pull_config(tmp_path / "m2if.toml")
    config.write_text(config.read_text() + "\n[moodle]\nbatch_rows = 7000\n")
    before = _accounts(pull(tmp_path, moodle.dsn, "--json"))
    assert before["mdl_logstore_standard_log"]["read"] == 30000
    assert before["mdl_logstore_standard_log"]["mark"] == str(first[-1]["id"])
    con = moodle.admin()
    moodle_fill._insert(con, server.kind, "logstore_standard_log", rest)
    with con.cursor() as cur:  # a grade corrected, one new submission
        cur.execute("UPDATE mdl_grade_grades SET finalgrade = 11, timemodified = 1900000000 "
                    "WHERE id = 1")
    con.close()
    after = _accounts(pull(tmp_path, moodle.dsn, "--json"))
    log_account = after["mdl_logstore_standard_log"]
    assert log_account["read"] == len(rest) and log_account["mark"] == str(rest[-1]["id"])
    assert log_account["read"] == (log_account["loaded"] + log_account["duplicates"]
                                   + log_account["quarantined"])
    grades = after["mdl_grade_grades"]  # the grade changed, and those of the mark's second
    last_day = before["mdl_grade_grades"]["mark"]
    assert grades["loaded"] == 1 and grades["duplicates"] == grades["read"] - 1 > 0
    assert grades["mark"] == "1900000000" and int(last_day) < 1900000000
    assert after["mdl_role_assignments"]["loaded"] == 0  # the roster again: all duplicates
    assert after["mdl_forum_posts"]["loaded"] == 0
    pulled = tmp_path / "pulled.duckdb"
    assert_same_content(pulled, csv_warehouse, "raw_events")
    assert_same_content(pulled, csv_warehouse, "forum_posts")
    third = _accounts(pull(tmp_path, moodle.dsn, "--json"))
    assert third["mdl_logstore_standard_log"]["read"] == 0


def test_connection_refused_and_wrong_password_are_one_line_without_the_password(
        postgresql_server, mariadb_server, tmp_path: Path):
    from tests.pull.servers import free_port

    closed = f"postgresql://m2if_reader:inline-secret@127.0.0.1:{free_port()}/moodle"
    result = pull(tmp_path, closed)
    assert result.exit_code != 0
    message = str(result.exception)
    assert message.startswith("cannot connect to postgresql://m2if_reader@127.0.0.1:")
    assert "inline-secret" not in message and "\n" not in message
    for server in (postgresql_server, mariadb_server):
        moodle = read_only_moodle(server)
        result = pull(tmp_path, moodle.dsn, env={"M2IF_MOODLE_PASSWORD": "wrong-pw-123"})
        message = str(result.exception)
        assert result.exit_code != 0 and message.startswith(f"cannot connect to {moodle.dsn}")
        assert "wrong-pw-123" not in message and READER_PASSWORD not in message
        assert "\n" not in message
    with duckdb.connect(str(tmp_path / "pulled.duckdb"), read_only=True) as con:
        for table in ("raw_events", "roster", "pull_marks", "ingest_files"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)], table


@pytest.mark.parametrize("kind", ["postgresql", "mariadb"])
def test_a_logstore_only_replica_is_enough_and_missing_tables_are_said_once(
        kind: str, request: pytest.FixtureRequest, tmp_path: Path):
    moodle = make_moodle(request.getfixturevalue(f"{kind}_server"))
    quote = '"' if kind == "postgresql" else "`"
    moodle.execute(*[f"DROP TABLE {quote}mdl_{t}{quote}" for t in (
        "role_assignments", "grade_grades", "assign", "forum_posts", "groups")])
    result = pull(tmp_path, moodle.dsn, "--json")
    accounts = _accounts(result)
    assert list(accounts) == ["mdl_logstore_standard_log"]
    assert accounts["mdl_logstore_standard_log"]["loaded"] == 45368
    for line in ("roster: skipped, the database has no table mdl_role_assignments",
                 "mdl_grade_grades: skipped, the database has no table mdl_grade_grades",
                 "deadlines: skipped, the database has no table mdl_assign",
                 "mdl_forum_posts: skipped, the database has no table mdl_forum_posts"):
        assert result.stderr.count(line) == 1, result.stderr


def test_no_logstore_is_a_one_line_error_naming_the_prefix(postgresql_server,
                                                           tmp_path: Path):
    moodle = read_only_moodle(postgresql_server)
    result = pull(tmp_path, moodle.dsn, "--prefix", "m_")
    assert result.exit_code != 0
    assert "no table m_logstore_standard_log (check the prefix" in str(result.exception)


def test_courses_limit_the_log_to_those_courses(postgresql_server,
                                               tmp_path: Path):
    moodle = make_moodle(postgresql_server)
    moodle.execute("UPDATE mdl_logstore_standard_log SET courseid = 77 WHERE id % 10 = 0")
    accounts = _accounts(pull(tmp_path, moodle.dsn, "--courses", "42", "--json"))
    con = moodle.admin()
    [(in_42,)] = con.execute("SELECT count(*) FROM mdl_logstore_standard_log "
                             "WHERE courseid = 42").fetchall()
    [(moved,)] = con.execute("SELECT count(*) FROM mdl_logstore_standard_log "
                             "WHERE courseid = 77").fetchall()
    con.close()
    assert moved > 4000 and accounts["mdl_logstore_standard_log"]["read"] == in_42


def test_the_reader_cannot_read_ip_addresses_messages_or_password_hashes(
        postgresql_server, mariadb_server):
    import psycopg
    import pymysql

    for server in (postgresql_server, mariadb_server):
        moodle = read_only_moodle(server)
        if server.kind == "postgresql":
            con = psycopg.connect(host="127.0.0.1", port=server.port, user="m2if_reader",
                                  password=READER_PASSWORD, dbname=moodle.name,
                                  autocommit=True)
            denied = psycopg.errors.InsufficientPrivilege
        else:
            con = pymysql.connect(host="127.0.0.1", port=server.port, user="m2if_reader",
                                  password=READER_PASSWORD, database=moodle.name)
            denied = pymysql.err.OperationalError
        for sql in ("SELECT ip FROM mdl_logstore_standard_log",
                    "SELECT message FROM mdl_forum_posts", "SELECT username FROM mdl_user"):
            with con.cursor() as cur, pytest.raises(denied):
                cur.execute(sql)
        with con.cursor() as cur, pytest.raises((denied, psycopg.errors.ReadOnlySqlTransaction)
                                                 if server.kind == "postgresql" else denied):
            cur.execute("DELETE FROM mdl_logstore_standard_log")
        con.close()


def test_a_pull_killed_mid_way_leaves_the_mark_and_the_rows_consistent(
        postgresql_server, tmp_path: Path, csv_warehouse: Path):
    """SIGKILL while batches are stored (after 1.5 s, then later if the first kill came too
    late): the mark covers exactly the stored batches' rows, and the next pull completes the
    warehouse to the CSV ingestion's content."""
    import os
    import signal
    import subprocess
    import sys
    import time

    moodle = read_only_moodle(postgresql_server)
    config = pull_config(tmp_path / "m2if.toml")
    config.write_text(config.read_text() + "\n[moodle]\nbatch_rows = 1000\n")
    db = tmp_path / "pulled.duckdb"
    env = {**os.environ, "M2IF_MOODLE_PASSWORD": READER_PASSWORD,
           "M2IF_PSEUDONYM_KEY": "test-key-not-secret"}
    command = [sys.executable, "-m", "m2if_analytics", "--db", str(db), "--config",
               str(config), "pull", "moodle", "--dsn", moodle.dsn, "--cohort", "2026-2027"]
    partial = False
    for delay in (1.5, 3.0, 4.5, 6.0):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if not db.exists():
            continue
        con = duckdb.connect(str(db), read_only=True)
        marks = dict(con.execute("SELECT item, mark FROM pull_marks").fetchall())
        mark = int(marks.get("mdl_logstore_standard_log", 0))
        [(read, loaded)] = con.execute(
            "SELECT coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0) "
            "FROM ingest_files WHERE file_name = 'mdl_logstore_standard_log.csv'").fetchall()
        [(events,)] = con.execute("SELECT count(*) FROM raw_events").fetchall()
        con.close()
        con = moodle.admin()
        [(upto,)] = con.execute("SELECT count(*) FROM mdl_logstore_standard_log WHERE id <= %s",
                                (mark,)).fetchall()
        con.close()
        assert read == upto and loaded == events, (delay, mark)
        if 0 < mark < 500000 + 45382:
            partial = True
            break
    assert partial, "no kill landed mid-way: the pull ended before the last delay"
    result = pull(tmp_path, moodle.dsn, "--json")
    account = _accounts(result)["mdl_logstore_standard_log"]
    assert account["read"] == 45383 - upto
    assert_same_content(db, csv_warehouse, "raw_events")


def test_the_weekly_job_pulls_moodle_with_no_file(postgresql_server, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    """`m2if run weekly --pull moodle` reads [moodle] dsn and the password from the
    environment; its pull step is one line, and a broken source fails only that step."""
    from m2if_analytics.jobs.weekly import RunLog, pull_sources
    from m2if_analytics.warehouse.workspace import open_workspace

    moodle = read_only_moodle(postgresql_server)
    config = pull_config(tmp_path / "m2if.toml")
    config.write_text(config.read_text() + f'\n[moodle]\ndsn = "{moodle.dsn}"\n')
    monkeypatch.setenv("M2IF_MOODLE_PASSWORD", READER_PASSWORD)
    lines: list[str] = []
    log = RunLog(lines.append)
    with open_workspace(tmp_path / "w.duckdb", config) as ws:
        pull_sources(ws, ("moodle",), "2026-2027", log)
        pull_sources(ws, ("moodle",), "2026-2027", log)
        monkeypatch.setenv("M2IF_MOODLE_PASSWORD", "wrong")
        pull_sources(ws, ("moodle",), "2026-2027", log)
        [(events,)] = ws.con.execute("SELECT count(*) FROM raw_events").fetchall()
    assert events == 45368
    assert lines[0].startswith("pull moodle: 6 table(s): read ")
    assert ", loaded 0," in lines[1]  # nothing new the second time
    assert lines[2].startswith("pull moodle: cannot connect to") and log.failed
    result = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "run", "weekly"])
    assert result.exit_code != 0 and "give --inbox DIR, --pull moodle|lrs" in result.output
    result = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "run", "weekly",
                                 "--pull", "ftp"])
    assert result.exit_code != 0 and "use moodle or lrs" in result.output
