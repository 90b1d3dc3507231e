"""Every command's options, fuzzed: a command either works or stops with a one-line error
(what ``m2if``'s entry point prints for M2IFError and OSError, or click's usage error), never
a traceback; the warehouse is never changed by a read command and still opens afterwards."""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path

import click
import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.errors import M2IFError
from tests.conftest import SAMPLE_CONFIG
from tests.ingest.fuzz_inputs import SPECIAL, fuzz

runner = CliRunner()
_runs = itertools.count()

text = st.one_of(st.sampled_from(SPECIAL[:-8]), st.text(max_size=16),
                 st.sampled_from(["2026-W48", "2027-W05", "2026-11-25", "2025-W99", "lundi",
                                  "2026-2027", "2025-2026", "A", "B", "fr", "en", "de",
                                  "duckdb", "sparkle", "0", "-1", "2026-13-01", "9999-W52"]))
suffix = st.sampled_from([".csv", ".parquet", ".txt", "", "/", ".CSV"])


@st.composite
def command(draw: st.DrawFn, out: Path) -> list[str]:
    """A read command with some of its options, each given fuzzed text."""
    target = str(out / f"o{next(_runs)}{draw(suffix)}")
    choices = {
        "weekly": [["--cohort", draw(text)], ["--out", target], ["--engine", draw(text)],
                   ["--by", draw(text)]],
        "coverage": [["--cohort", draw(text)], ["--ue", draw(text)], ["--documents"],
                     ["--resources", draw(text)], ["--out", target]],
        "risk": [["--week", draw(text)], ["--lang", draw(text)], ["--cohort", draw(text)],
                 ["--out", target]],
        "collab": [["--from", draw(text)], ["--to", draw(text)], ["--group", draw(text)],
                   ["--cohort", draw(text)], ["--groups"], ["--edges"], ["--out", target]],
        "quarantine": [],
        "identities": [["--roster", draw(text)]],
        "report weekly": [["--week", draw(text).replace("W", "Q") + "x"],
                          ["--lang", draw(text) + "x"], ["--out", target]],
        "risk evaluate": [["--cohort", draw(text) + "x"], ["--out", target]],
        "followup list": [["--student", draw(text)], ["--open"], ["--cohort", draw(text)],
                          ["--out", target], ["--mapping", draw(text)]],
        "alerts": [["--week", draw(text)], ["--lang", draw(text)], ["--out", target],
                   ["--mapping", draw(text)], ["--cohort", draw(text)]],
        "alerts send": [["--out", target], ["--dry-run"]],
    }
    name = draw(st.sampled_from(sorted(choices)))
    picked = draw(st.lists(st.sampled_from(choices[name]), unique_by=tuple, max_size=3)
                  ) if choices[name] else []
    if name == "report weekly" and not any(o[0] in ("--week", "--lang") for o in picked):
        picked.append(["--lang", "xx"])  # never render a whole report here (seconds each)
    return [*name.split(), *[part for option in picked for part in option]]


@pytest.fixture(scope="module")
def copy(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the sample warehouse, its derived tables built and both cohorts'
    risk levels stored, as after ``m2if run weekly`` (a read refreshes them when stale)."""
    from m2if_analytics.risk import history
    from m2if_analytics.warehouse.workspace import open_workspace

    folder = tmp_path_factory.mktemp("optfuzz")
    db = folder / "w.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    result = runner.invoke(app, ["--db", str(db), "--config", str(SAMPLE_CONFIG), "weekly"],
                           env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    assert result.exit_code == 0, result.output
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(db, SAMPLE_CONFIG) as ws:
            for cohort in ws.cfg.cohorts:
                history.refresh(ws, cohort.id)
    return db


def tables_digest(db: Path) -> str:
    """Every table's name and row count, in one query."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() "
                                           "ORDER BY 1").fetchall()]
        counts = con.execute(" UNION ALL ".join(
            f"SELECT {n} AS n, '{t}' AS t, count(*) FROM \"{t}\"" for n, t in enumerate(names)
        ) + " ORDER BY n").fetchall()
    return hashlib.sha256(repr(counts).encode()).hexdigest()


@fuzz("command_options", 40)
@given(data=st.data())
def test_read_commands_never_traceback_and_change_nothing(copy: Path, data: st.DataObject,
                                                          tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.getbasetemp() / "optfuzz-out"
    out.mkdir(exist_ok=True)
    args = data.draw(command(out))
    before = tables_digest(copy)
    result = runner.invoke(app, ["--db", str(copy), "--config", str(SAMPLE_CONFIG), *args],
                           env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    exc = result.exception
    if result.exit_code != 0:
        one_line = isinstance(exc, M2IFError | OSError | click.ClickException) or (
            isinstance(exc, SystemExit) and exc.code == 2)  # click's usage error
        assert one_line, (args, repr(exc))
        if isinstance(exc, M2IFError):
            assert str(exc).strip() and "Traceback" not in str(exc)
    assert tables_digest(copy) == before, args
    shutil.rmtree(out)
