"""Faults: a killed ingestion leaves the warehouse as it was; a busy warehouse says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


ROWS = 1_500_000  # every phase lasts a few tenths of a second: long enough to be caught
# One DuckDB thread for the killed runs, whatever the machine's cores: the records are stored
# by one writer, which writes its first row groups to the warehouse file at 40 % of them
# (614,400 rows); with many threads each could hold its share in memory until the commit.
KILLED_CONFIG = "[ingest]\nlatest = 2030-01-01\n[warehouse]\nthreads = 1\n"


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_dump(tmp_path_factory.mktemp("dump") / "big.csv", ROWS)


def stage_files(db: Path, pid: int) -> list[Path]:
    """The Parquet stage of process ``pid`` in the warehouse's temp directory (<db>.tmp)."""
    return list(Path(f"{db}.tmp").glob(f"m2if-stage-{pid}-*.parquet"))


def kill_when(proc: subprocess.Popen, reached: Callable[[], bool], phase: str) -> None:
    """SIGKILL ``proc`` as soon as ``reached()`` (polled every 2 ms) says it is in ``phase``."""
    deadline = time.monotonic() + 120
    while not reached():
        assert proc.poll() is None, f"ingestion finished before it could be killed {phase}"
        assert time.monotonic() < deadline, f"ingestion never got to {phase}"
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_readable_warehouse_and_rerun_completes(
        dump: Path, env: dict[str, str]):
    """Killed while DuckDB writes the stage (reading the dump), then killed again in a second
    run while it writes the records into the warehouse file (storing, before the commit): each
    time the warehouse opens with nothing of the file; a third run loads every row."""
    db = Path(env["M2IF_DB"])
    killed = Path(env["M2IF_CONFIG"]).with_name("killed.toml")
    killed.write_text(KILLED_CONFIG, encoding="utf-8")
    for phase in ("while reading", "while storing"):
        proc = subprocess.Popen([*M2IF, "--config", str(killed), "ingest", "moodle", str(dump)],
                                env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before: list[int] = []

        def reached(proc: subprocess.Popen = proc, before: list[int] = before,
                    phase: str = phase) -> bool:
            if not stage_files(db, proc.pid):
                return False
            if phase == "while reading":
                return True
            if not before:  # the warehouse's size once the file is being read
                before.append(db.stat().st_size)
            return db.stat().st_size > before[0] + (4 << 20)  # row groups written: storing

        kill_when(proc, reached, phase)
        assert stage_files(db, proc.pid)  # killed mid-way: its stage file is left behind
        con = duckdb.connect(str(db))
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        assert "raw_events" in tables
        assert con.execute("SELECT count(*) FROM raw_events").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM ingest_files").fetchall() == [(0,)]
        con.close()
    done = run(["ingest", "moodle", str(dump), "--json"], env)
    assert done.returncode == 0, done.stderr
    account = json.loads(done.stdout)
    assert (account["read"], account["loaded"], account["duplicates"]) == (ROWS, ROWS, 0)
    assert not list(Path(f"{db}.tmp").glob("m2if-stage-*"))  # the killed runs' stages removed


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
