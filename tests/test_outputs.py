"""Outputs: CSV cells safe from formula injection (numbers untouched), written whole or not
at all; the one-line errors of issue 12 (weeks, deadlines at the calendar's edges, deep or
huge xAPI lines)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from m2if_analytics.calendar import parse_week
from m2if_analytics.errors import M2IFError, WeekError
from m2if_analytics.ingest import programme_values as pv
from m2if_analytics.ingest import xapi_read
from m2if_analytics.outputs import neutral_cell, neutralise, plain_cell, write_table


@pytest.mark.parametrize(("cell", "shown"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("@SUM(1)", "'@SUM(1)"), ("-x", "'-x"), ("\tA", "'\tA"), ("\rA", "'\rA"),
    ("-2.5", "-2.5"), ("+3", "+3"), ("Groupe Nord", "Groupe Nord"), ("", "")])
def test_cells_that_start_a_formula_get_an_apostrophe_numbers_do_not(cell: str, shown: str):
    assert neutral_cell(cell) == shown
    frame = neutralise(pl.DataFrame({"t": [cell], "n": [-1.5]}))
    assert frame.row(0) == (shown, -1.5)


@given(st.text().filter(lambda t: not t.startswith("'")))
def test_a_neutralised_cell_reads_back_as_it_was_and_never_starts_a_formula(cell: str):
    shown = neutral_cell(cell)
    assert plain_cell(shown) == cell
    assert not shown.startswith(("=", "+", "@", "\t", "\r")) or shown.lstrip("+-").replace(
        ".", "").isdigit()


def test_a_failed_write_leaves_the_previous_file_whole_and_no_temp_file(tmp_path):
    out = tmp_path / "weekly.csv"
    write_table(pl.DataFrame({"a": [1]}), out)
    good = out.read_bytes()

    class Boom(pl.DataFrame):
        def write_parquet(self, *a, **k):  # a write that fails midway
            raise OSError(28, "No space left on device")

    with pytest.raises(M2IFError, match=r"weekly\.parquet: not written \(No space left"):
        write_table(Boom({"a": [2]}), tmp_path / "weekly.parquet")
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weekly.csv"]


@pytest.mark.parametrize("text", ["2025-W99", "lundi", "0001-01-01", "9999-W52", "2026-W0"])
def test_weeks_that_are_not_one_are_a_week_error(text: str):
    with pytest.raises(WeekError):
        parse_week(text)


def test_risk_with_a_bad_week_is_one_line(sample_db_cli):
    result = CliRunner().invoke(*sample_db_cli(["risk", "--week", "2025-W99"]))
    assert result.exit_code != 0 and isinstance(result.exception, WeekError)


@pytest.fixture
def sample_db_cli(sample_warehouse, monkeypatch):
    from m2if_analytics.cli import app
    from tests.conftest import SAMPLE_CONFIG

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    return lambda args: (app, ["--db", str(sample_warehouse), "--config", str(SAMPLE_CONFIG),
                               *args])


@pytest.mark.parametrize("text", ["0001-01-01 00:00",
                                  "0001-01-01T00:00:00+05:00"])
def test_deadlines_at_the_calendars_edges_are_row_errors(text: str):
    with pytest.raises(pv.RowError, match="outside the years"):
        pv.local_datetime(text, "due", "Europe/Paris")


def test_deep_or_huge_xapi_lines_are_set_aside(tmp_path, monkeypatch):
    monkeypatch.setattr(xapi_read, "MAX_STATEMENT", 12000)
    path = tmp_path / "s.jsonl"
    path.write_text('{"a":' * 1500 + "1" + "}" * 1500 + "\n" + '{"b": "' + "x" * 15000
                    + '"}\n{"c": 1}\n', encoding="utf-8")
    items = list(xapi_read.statements(path, xapi_read.detect(path)))
    assert [(p, line) for p, line, _ in items] == [(1, 1), (2, 2), (3, 3)]
    assert isinstance(items[0][2], xapi_read.Malformed) and "deep" in items[0][2].reason
    assert isinstance(items[1][2], xapi_read.Malformed) and "longer" in items[1][2].reason
    assert items[2][2] == {"c": 1}
