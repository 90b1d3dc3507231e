"""``m2if pull lrs`` against a real LRS (Ralph) filled through its statements API: the same
warehouse as ``m2if ingest xapi`` of the same statements, the ``more`` links, incremental
pulls, voiding, one-line errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from tests.conftest import SAMPLES
from tests.ingest.xapi_samples import account, logstore_statements, write_lines
from tests.pull.conftest import assert_same_content
from tests.pull.lrs_server import PASSWORD, USER, ralph

runner = CliRunner()
ENV = {"M2IF_LRS_PASSWORD": PASSWORD}


def config(tmp_path: Path, page_limit: int = 20000) -> Path:
    """The sample configuration (latest plausible date two years ahead: the incremental
    tests post statements stamped now) and the LRS user."""
    latest = dt.date.today() + dt.timedelta(days=730)
    text = (SAMPLES / "m2if.toml").read_text(encoding="utf-8").replace(
        "latest = 2027-07-31", f"latest = {latest.isoformat()}")
    path = tmp_path / "m2if.toml"
    path.write_text(text + f'\n[lrs]\nuser = "{USER}"\npage_limit = {page_limit}\n',
                    encoding="utf-8")
    return path


def cli(tmp_path: Path, *args: str, db: str = "pulled.duckdb", env: dict | None = None):
    cfg = tmp_path / "m2if.toml"
    if not cfg.exists():
        config(tmp_path)
    return runner.invoke(app, ["--db", str(tmp_path / db), "--config", str(cfg), *args],
                         env={**ENV, **(env or {})})


def pulled(result) -> dict:
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    return json.loads(line)


@pytest.fixture(scope="module")
def sample_statements() -> list[dict]:
    """The sample cohort's log up to the Christmas holidays (the first term: 11 weeks,
    15,111 statements, enough for the equivalence and quick to post) as xAPI statements,
    without those an LRS refuses: records without a user (no actor) and, for Ralph 5.1,
    statements whose object is an Agent (a profile viewed; valid xAPI, but Ralph's model
    requires an object id)."""
    return [s for s in logstore_statements(SAMPLES / "logstore_standard_log.csv")
            if "actor" in s and s["object"].get("objectType") != "Agent"
            and _instant(s["timestamp"]) < dt.datetime(2026, 12, 19, tzinfo=dt.UTC)]


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_pull_gives_the_same_warehouse_as_ingesting_the_statements(
        ralph_server, sample_statements: list[dict], tmp_path: Path):
    ralph_server.post(sample_statements)
    config(tmp_path, page_limit=5000)  # three pages: two more links followed
    file = write_lines(tmp_path / "statements.jsonl", sample_statements)
    for db in ("pulled.duckdb", "ingested.duckdb"):
        assert cli(tmp_path, "ingest", "roster", str(SAMPLES / "roster.csv"),
                   db=db).exit_code == 0
    assert cli(tmp_path, "ingest", "xapi", str(file), db="ingested.duckdb").exit_code == 0
    account_ = pulled(cli(tmp_path, "pull", "lrs", "--endpoint", ralph_server.endpoint,
                          "--json"))
    assert account_["source"] == "statements" and account_["read"] == len(sample_statements)
    assert account_["read"] == account_["loaded"] + account_["duplicates"] + account_[
        "quarantined"] + account_["voiding"]
    assert account_["loaded"] > 10000
    assert_same_content(tmp_path / "pulled.duckdb", tmp_path / "ingested.duckdb", "raw_events")
    weekly = [cli(tmp_path, "weekly", db=db) for db in ("pulled.duckdb", "ingested.duckdb")]
    assert weekly[0].exit_code == 0 and weekly[0].stdout == weekly[1].stdout
    assert len(weekly[0].stdout.splitlines()) > 20 * 10
    again = pulled(cli(tmp_path, "pull", "lrs", "--endpoint", ralph_server.endpoint,
                       "--json"))
    assert again["loaded"] == 0


def _viewed(user: int, when: dt.datetime, n: int) -> dict:
    return {"id": str(uuid.uuid4()), "actor": account(str(user)),
            "verb": {"id": "http://id.tincanapi.com/verb/viewed"},
            "object": {"id": f"https://moodle.example.org/mod/page/view.php?id={n}",
                       "objectType": "Activity"},
            "timestamp": when.isoformat()}


def test_a_second_pull_loads_exactly_the_new_statements_and_voiding_removes_events(
        tmp_path: Path):
    """Ralph applies since to timestamp rather than stored (xAPI 1.0.3 says stored): the
    new statements are stamped after the first pull, as live statements are."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    first = [_viewed(101 + n % 5, now - dt.timedelta(days=2, minutes=n), n) for n in range(40)]
    stack = contextlib.ExitStack()
    try:
        server = stack.enter_context(ralph())
    except (FileNotFoundError, RuntimeError) as exc:
        pytest.skip(f"Ralph LRS unavailable: {exc}")
    with stack:
        config(tmp_path, page_limit=15)  # three pages
        server.post(first)
        one = pulled(cli(tmp_path, "pull", "lrs", "--endpoint", server.endpoint, "--json"))
        assert (one["read"], one["loaded"]) == (40, 40)
        second = [_viewed(102, now + dt.timedelta(minutes=5 + n), 100 + n) for n in range(7)]
        server.post(second)
        two = pulled(cli(tmp_path, "pull", "lrs", "--endpoint", server.endpoint, "--json"))
        assert two["loaded"] == 7 and two["read"] == 7 and two["mark"] > one["mark"]
        void = {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:tutor@example.org"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                "object": {"objectType": "StatementRef", "id": second[0]["id"]},
                "timestamp": (now + dt.timedelta(hours=1)).isoformat()}
        server.post([void])
        result = cli(tmp_path, "pull", "lrs", "--endpoint", server.endpoint, "--json")
        three = pulled(result)
        assert (three["voiding"], three["removed"]) == (1, 1)
        assert three["read"] == three["loaded"] + three["duplicates"] + three[
            "quarantined"] + three["voiding"]
        assert "1 voiding statement(s) read, 1 stored event(s) removed" in result.stderr
        events = cli(tmp_path, "pull", "status")
        assert f"{server.endpoint} statements: mark {three['mark']}" in events.stdout
        import duckdb

        con = duckdb.connect(str(tmp_path / "pulled.duckdb"), read_only=True)
        [(n,)] = con.execute("SELECT count(*) FROM raw_events").fetchall()
        con.close()
        assert n == 40 + 7 - 1


def test_wrong_password_and_refused_connection_are_one_line_without_the_password(
        ralph_server, tmp_path: Path):
    from tests.pull.servers import free_port

    result = cli(tmp_path, "pull", "lrs", "--endpoint", ralph_server.endpoint,
                 env={"M2IF_LRS_PASSWORD": "wrong-lrs-pw"})
    message = str(result.exception)
    assert result.exit_code != 0 and "\n" not in message
    assert message == (f"LRS {ralph_server.endpoint}: the server answered HTTP 401 "
                       "Unauthorized: check [lrs] user and the password ($M2IF_LRS_PASSWORD "
                       "or [lrs] password_file)")
    closed = f"http://{USER}:inline-pw@127.0.0.1:{free_port()}/xAPI"
    result = cli(tmp_path, "pull", "lrs", "--endpoint", closed)
    message = str(result.exception)
    assert message.startswith("cannot reach the LRS http://127.0.0.1:")
    assert "inline-pw" not in message and "\n" not in message
    result = cli(tmp_path, "pull", "lrs", "--endpoint", ralph_server.endpoint, "--since",
                 "yesterday")
    assert "--since 'yesterday' is not an ISO 8601 instant" in str(result.exception)
