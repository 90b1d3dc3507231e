"""Faults: a killed ingestion leaves the warehouse as it was; a busy warehouse says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES

M2IF = [sys.executable, "-m", "m2if_analytics"]


def big_dump(path: Path, rows: int) -> Path:
    """A logstore dump of ``rows`` events from 500 users, written by DuckDB."""
    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT i AS id, '\\core\\event\\course_viewed' AS eventname, 'core' AS component,
                     'viewed' AS action, 'course' AS target, '' AS objecttable, '' AS objectid,
                     'r' AS crud, 2 AS edulevel, 1 AS contextid, 50 AS contextlevel,
                     42 AS contextinstanceid, 1000 + i % 500 AS userid, 42 AS courseid,
                     '' AS relateduserid, 0 AS anonymous, 'N;' AS other,
                     1791180000 + i * 7 AS timecreated, 'web' AS origin,
                     '192.0.2.1' AS ip, '' AS realuserid
              FROM range({int(rows)}) t(i)) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()
    return path


def run(args: list[str], env: dict[str, str], **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run([*M2IF, *args], env=env, capture_output=True, text=True,
                          timeout=300, **kw)  # type: ignore[call-overload]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The dump runs to 2028: the configuration's plausible window reaches 2030."""
    config = tmp_path / "m2if.toml"
    config.write_text("[ingest]\nlatest = 2030-01-01\n", encoding="utf-8")
    return {**os.environ, "M2IF_PSEUDONYM_KEY": "k", "M2IF_DB": str(tmp_path / "w.duckdb"),
            "M2IF_CONFIG": str(config)}


ROWS = 6_000_000  # ingestion must still be running after the longer delay


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_dump(tmp_path_factory.mktemp("dump") / "big.csv", ROWS)


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_readable_warehouse_and_rerun_completes(
        dump: Path, env: dict[str, str]):
    """Killed while reading (0.7 s), then killed again later in a second run (2.5 s: checking
    or storing): each time the warehouse opens with nothing of the file; a third run loads
    every row."""
    for delay in (0.7, 2.5):
        proc = subprocess.Popen([*M2IF, "ingest", "moodle", str(dump)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        assert proc.poll() is None, f"ingestion finished before it could be killed ({delay} s)"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        con = duckdb.connect(env["M2IF_DB"]) if Path(env["M2IF_DB"]).exists() else None
        if con is not None:
            tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
            if "raw_events" in tables:
                assert con.execute("SELECT count(*) FROM raw_events").fetchall() == [(0,)]
                assert con.execute("SELECT count(*) FROM ingest_files").fetchall() == [(0,)]
            con.close()
    done = run(["ingest", "moodle", str(dump), "--json"], env)
    assert done.returncode == 0, done.stderr
    account = json.loads(done.stdout)
    assert (account["read"], account["loaded"], account["duplicates"]) == (ROWS, ROWS, 0)


def test_second_writer_gets_a_one_line_message(tmp_path: Path, env: dict[str, str]):
    assert run(["ingest", "roster", str(SAMPLES / "roster.csv")], env).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(30)", env["M2IF_DB"]], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        busy = run(["weekly"], env)
    finally:
        holder.kill()
        holder.wait()
    assert busy.returncode != 0
    lines = busy.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use by another process" in lines[0]
    assert "Traceback" not in busy.stderr
