"""xAPI ingestion, acceptance: the sample cohort as statements gives the logstore's weekly
table; and the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import INGESTERS
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.ingest.xapi import ingest_xapi_file, overlapping_sources
from m2if_analytics.programme.indicators import submission_status
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLE_CONFIG, SAMPLES
from tests.ingest.test_xapi import stmt
from tests.ingest.xapi_samples import logstore_statements, write_array, write_lines

# ---- acceptance: the sample cohort as statements ------------------------------------------

@pytest.fixture(scope="module")
def sample_statements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample logstore dump as statements with mixed offsets: a JSON array and gzip JSON
    Lines."""
    folder = tmp_path_factory.mktemp("xapi-sample")
    rows = list(logstore_statements(SAMPLES / "logstore_standard_log.csv"))
    return {"array": write_array(folder / "sample.json", rows),
            "jsonl.gz": write_lines(folder / "sample.jsonl.gz", rows)}


@contextmanager
def _warehouse(db: Path, files: list[tuple[str, Path]]) -> Iterator[Workspace]:
    """A warehouse with the sample roster and deadlines, then ``files`` (moodle or xapi)."""
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
        INGESTERS["deadlines"](ws.con, SAMPLES / "deadlines.csv", ws.cfg, ws.pseudo)
        for kind, path in files:
            if kind == "moodle":
                ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo)
            else:
                ingest_xapi_file(ws.con, path, ws.cfg, ws.pseudo)
        yield ws


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Weekly table, submissions and forum days from the logstore dump itself."""
    db = tmp_path_factory.mktemp("xapi-ref") / "ref.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "test-key-not-secret")
        with _warehouse(db, [("moodle", SAMPLES / "logstore_standard_log.csv")]) as ws:
            return _outcomes(ws)


def _outcomes(ws: Workspace) -> dict[str, Any]:
    weekly = weekly_engagement(ws)
    categories = ws.con.execute(
        "SELECT p.person, e.ts, event_category(e.event_name) AS c, count(*) FROM raw_events AS e "
        "JOIN persons AS p USING (ident_id) GROUP BY ALL ORDER BY ALL").fetchall()
    forum = ws.con.execute("SELECT * FROM forum_daily ORDER BY ALL").fetchall()
    account_ = ws.con.execute("SELECT rows_read, rows_loaded, rows_duplicate, rows_quarantined "
                              "FROM ingest_files WHERE kind IN ('moodle', 'xapi')").fetchall()
    return {"weekly": weekly, "categories": categories, "forum": forum, "account": account_,
            "submissions": submission_status(ws).sort(["student", "assignment"]),
            "events": ws.con.execute("SELECT count(*) FROM raw_events").fetchall()}


@pytest.mark.parametrize("layout", ["array", "jsonl.gz"])
def test_sample_cohort_as_statements_gives_the_logstore_weekly_table(
        tmp_path: Path, sample_statements: dict[str, Path], reference: dict[str, Any],
        layout: str):
    with _warehouse(tmp_path / "x.duckdb", [("xapi", sample_statements[layout])]) as ws:
        got = _outcomes(ws)
        reasons = ws.con.execute("SELECT DISTINCT regexp_replace(reason, '^statement \\d+: ', "
                                 "'') FROM quarantine").fetchall()
    assert got["account"] == reference["account"]  # read, loaded, duplicates, quarantined
    assert reasons in ([], [("no actor",)])  # the dump's user-less rows (failed logins)
    assert got["events"] == reference["events"]
    assert got["weekly"].height == reference["weekly"].height > 0
    assert_frame_equal(got["weekly"], reference["weekly"], check_exact=False, abs_tol=1e-9,
                       rel_tol=0)
    assert got["categories"] == reference["categories"]
    assert got["forum"] == reference["forum"] != []
    assert_frame_equal(got["submissions"], reference["submissions"])
    assert (got["submissions"]["source"] == "moodle").sum() > 0  # from submit statements


def test_statements_repeating_moodle_logs_give_an_overlap_warning(
        tmp_path: Path, sample_statements: dict[str, Path]):
    files = [("moodle", SAMPLES / "logstore_standard_log.csv"),
             ("xapi", sample_statements["jsonl.gz"])]
    with _warehouse(tmp_path / "both.duckdb", files) as ws:
        message = overlapping_sources(ws.con)
    assert message is not None and "counts twice" in message


# ---- command line -------------------------------------------------------------------------

def test_command_prints_the_account_and_warnings(tmp_path: Path):
    path = write_lines(tmp_path / "c.jsonl", [
        stmt(1), stmt(1), stmt(2, ts=None),
        stmt(3, actor={"account": {"homePage": "https://other.example.net", "name": "9"}})])
    db = ["--db", str(tmp_path / "w.duckdb")]
    result = CliRunner().invoke(app, [*db, "ingest", "xapi", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"file": "c.jsonl", "read": 4, "loaded": 2,
                                         "duplicates": 1, "quarantined": 1, "recoded": 0}
    assert "warning: c.jsonl: accounts come from 2 homePages" in result.stderr
    plain = CliRunner().invoke(app, [*db, "ingest", "xapi", str(path)])
    assert plain.stdout.strip() == "c.jsonl: read 4, loaded 0, duplicates 3, quarantined 1"


def test_command_fails_with_one_line_on_a_broken_file(tmp_path: Path):
    path = tmp_path / "b.json"
    path.write_text("[{]", encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "w.duckdb"), "ingest", "xapi",
                                      str(path)])
    assert result.exit_code != 0
    assert "line 1: not valid JSON" in str(result.exception)
