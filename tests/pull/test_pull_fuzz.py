"""`m2if pull`'s options, fuzzed: any DSN, endpoint, prefix, course list or instant either
works or stops with a one-line error naming the problem, never a traceback, never printing a
password, and leaves the warehouse unchanged. Hosts stay on the loopback interface (a port
nothing listens on): nothing reaches outside."""

from __future__ import annotations

from pathlib import Path

import click
import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.errors import M2IFError
from tests.conftest import SAMPLES
from tests.ingest.fuzz_inputs import SPECIAL, fuzz
from tests.pull.servers import free_port

runner = CliRunner()
SECRET = "pw-Zx9-never-shown"
text = st.one_of(st.sampled_from(SPECIAL[:-8]), st.text(max_size=12),
                 st.sampled_from(["mdl_", "", "42,43", "0", "-1", "a,b", "42,,43", "1e3",
                                  "2026-10-05T00:00:00Z", "2026-13-40", "now", "moodle"]))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pullfuzz")
    db = folder / "w.duckdb"
    assert runner.invoke(app, ["--db", str(db), "ingest", "roster",
                               str(SAMPLES / "roster.csv")]).exit_code == 0
    result = runner.invoke(app, ["--db", str(db), "pull", "status"])
    assert result.exit_code == 0 and "nothing pulled yet" in result.output
    return db


@st.composite
def command(draw: st.DrawFn, port: int) -> list[str]:
    scheme = draw(st.sampled_from(["postgresql", "mysql", "mariadb", "postgres", "http",
                                   draw(text)]))
    user = draw(st.sampled_from(["m2if_reader", f"m2if_reader:{SECRET}", draw(text)]))
    database = draw(text)
    query = draw(st.sampled_from(["", "?sslmode=disable", "?connect_timeout=1", "?x=" +
                                  draw(text)]))
    dsn = f"{scheme}://{user}@127.0.0.1:{port}/{database}{query}"
    endpoint = draw(st.sampled_from([f"http://{user}@127.0.0.1:{port}/xAPI",
                                     f"ftp://127.0.0.1:{port}/", draw(text)]))
    choices = {
        "pull moodle": [["--dsn", dsn], ["--prefix", draw(text)], ["--courses", draw(text)],
                        ["--cohort", draw(text)], ["--json"]],
        "pull lrs": [["--endpoint", endpoint], ["--since", draw(text)],
                     ["--until", draw(text)], ["--home-page", draw(text)]],
        "pull grants": [["--dialect", draw(text)], ["--user", draw(text)],
                        ["--prefix", draw(text)], ["--host", draw(text)]],
    }
    name = draw(st.sampled_from(sorted(choices)))
    picked = draw(st.lists(st.sampled_from(choices[name]), unique_by=tuple, max_size=4))
    if name == "pull moodle" and not any(o[0] == "--dsn" for o in picked):
        picked.append(["--dsn", dsn])
    if name == "pull lrs" and not any(o[0] == "--endpoint" for o in picked):
        picked.append(["--endpoint", endpoint])
    return [*name.split(), *[part for option in picked for part in option]]


@fuzz("pull_options", 60)
@given(data=st.data())
def test_pull_options_never_traceback_leak_or_change_the_warehouse(warehouse: Path,
                                                                   data: st.DataObject):
    args = data.draw(command(free_port()))
    result = runner.invoke(app, ["--db", str(warehouse), *args],
                           env={"M2IF_MOODLE_PASSWORD": "", "M2IF_LRS_PASSWORD": ""})
    exc = result.exception
    if result.exit_code != 0:
        one_line = isinstance(exc, M2IFError | OSError | click.ClickException) or (
            isinstance(exc, SystemExit) and exc.code == 2)
        assert one_line, (args, repr(exc))
        if isinstance(exc, M2IFError):
            assert "\n" not in str(exc).strip() and SECRET not in str(exc), args
    assert SECRET not in result.output
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM raw_events").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM pull_marks").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.parametrize("given", ["a\nb", "https://lrs\r\n.example.org/xAPI", "\x1b[31mx"])
def test_an_endpoint_or_dsn_with_control_characters_is_refused_on_one_line(warehouse: Path,
                                                                           given: str):
    """Found by `make fuzz`: an endpoint with a line break gave a two-line message."""
    for args in (["pull", "lrs", "--endpoint", given], ["pull", "moodle", "--dsn", given]):
        result = runner.invoke(app, ["--db", str(warehouse), *args])
        assert isinstance(result.exception, M2IFError), (args, repr(result.exception))
        message = str(result.exception).strip()
        assert message and "\n" not in message and "\r" not in message, (args, message)
        assert "\x1b" not in message, (args, message)
