"""Polars frames in and out of DuckDB through the Arrow C stream interface: the same values
and types as DuckDB's own Polars path, and no pyarrow import in a command."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.warehouse.sql import frame, register, registered
from tests.conftest import SAMPLES

FRAME = pl.DataFrame(
    {"i": [1, None, -3], "small": [1, 2, None], "x": [0.5, None, float("inf")],
     "s": ["é", None, ""], "b": [True, None, False],
     "d": [dt.date(2026, 10, 5), None, dt.date(1970, 1, 1)],
     "ts": [dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC), None,
            dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)],
     "l": [[1, 2], [], None]},
    schema={"i": pl.Int64, "small": pl.Int32, "x": pl.Float64, "s": pl.String,
            "b": pl.Boolean, "d": pl.Date, "ts": pl.Datetime("us", "UTC"),
            "l": pl.List(pl.Int64)})


def test_a_registered_frame_reads_back_as_it_was_and_as_duckdb_reads_polars():
    con = duckdb.connect()
    register(con, "t", FRAME)
    con.register("t_polars", FRAME)  # DuckDB's own Polars path (through pyarrow)
    assert con.execute("DESCRIBE t").fetchall() == con.execute("DESCRIBE t_polars").fetchall()
    assert con.execute("SELECT * FROM t").fetchall() == con.execute(
        "SELECT * FROM t_polars").fetchall()
    back = frame(con, "SELECT * FROM t")
    assert back.schema == con.sql("SELECT * FROM t_polars").pl().schema
    assert back.equals(FRAME.with_columns(pl.col("ts").dt.convert_time_zone(
        back.schema["ts"].time_zone)))  # type: ignore[union-attr]


def test_a_frame_is_scanned_as_often_as_a_query_reads_it_and_empty_ones_keep_their_types():
    con = duckdb.connect()
    with registered(con, {"t": FRAME, "e": FRAME.clear()}):
        assert con.execute("SELECT count(*) FROM t AS a JOIN t AS b ON a.i = b.i"
                           ).fetchall() == [(2,)]
        assert frame(con, "SELECT * FROM e").schema == frame(con, "SELECT * FROM t").schema
    assert "t" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}


def test_ingesting_and_computing_the_weekly_table_never_imports_pyarrow(tmp_path: Path):
    """DuckDB's Polars path converts frames to pyarrow tables (0.1 s of import in every
    command); register() and frame() pass Arrow C streams instead."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from m2if_analytics.cli import app\n"
        "db = ['--db', sys.argv[1]]\n"
        "for args in (['ingest', 'roster', sys.argv[2]], ['ingest', 'moodle', sys.argv[3]],\n"
        "             ['weekly', '--out', sys.argv[4]]):\n"
        "    done = CliRunner().invoke(app, [*db, *args])\n"
        "    assert done.exit_code == 0, done.output\n"
        "print('pyarrow' in sys.modules)\n")
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "w.duckdb"), str(SAMPLES / "roster.csv"),
         str(SAMPLES / "logstore_standard_log.csv"), str(tmp_path / "weekly.csv")],
        capture_output=True, text=True, timeout=120,
        env={"M2IF_PSEUDONYM_KEY": "k", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "False"
    assert (tmp_path / "weekly.csv").stat().st_size > 0
