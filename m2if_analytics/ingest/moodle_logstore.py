"""Moodle ``logstore_standard_log`` table dumps (CSV), read by DuckDB at full speed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics import sqlfiles
from m2if_analytics.ingest.common import fold_header, sniff_delimiter
from m2if_analytics.pseudonymise import Pseudonymiser
from m2if_analytics.warehouse import one, run_sql

REQUIRED = ("userid", "timecreated", "eventname")
OPTIONAL = ("id", "component", "contextid", "contextlevel", "contextinstanceid", "courseid",
            "relateduserid", "origin")


def is_logstore(header: str) -> bool:
    """True when the header names the logstore table's key columns."""
    names = {fold_header(h).replace(" ", "") for h in header.replace(";", ",").replace(
        "\t", ",").split(",")}
    return set(REQUIRED) <= {n.strip('"') for n in names}


def _sql(name: str) -> sqlfiles.SqlFile:
    return sqlfiles.read_sql(sqlfiles.queries_dir() / "ingest" / name)


def _reject_lines(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.execute("SELECT DISTINCT line FROM _ls_rejects ORDER BY line").fetchall()
    return [int(r[0]) for r in rows]


def _lines_of(recs: list[int], rejected: list[int]) -> dict[int, int]:
    """Record number among well-formed records → line number counted by DuckDB."""
    out = {}
    for rec in sorted(recs):
        line = rec + 1
        for r in rejected:
            if r <= line:
                line += 1
        out[rec] = line
    return out


def stage(con: duckdb.DuckDBPyConnection, path: Path, header: str,
          pseudo: Pseudonymiser) -> tuple[int, list[tuple[int | None, str]]]:
    """Create temp table ``_staged`` from a dump; return (rows read, quarantined rows)."""
    delim = sniff_delimiter(header, path)
    run_sql(con, _sql("logstore_read.sql"), {"path": str(path), "delim": delim})
    present = {r[0] for r in con.execute("DESCRIBE _ls").fetchall()}
    for column in OPTIONAL:
        if column not in present:
            con.execute(f'ALTER TABLE _ls ADD COLUMN "{column}" VARCHAR')
    run_sql(con, _sql("logstore_typed.sql"), {})
    ids = con.execute(
        "SELECT uid FROM _ls_typed WHERE uid > 0 UNION "
        "SELECT TRY_CAST(relateduserid AS BIGINT) FROM _ls_typed "
        "WHERE TRY_CAST(relateduserid AS BIGINT) > 0").fetchall()
    idents = pl.DataFrame({"userid": [r[0] for r in ids],
                           "ident": [pseudo.id_ident(str(r[0])) for r in ids]},
                          schema={"userid": pl.Int64, "ident": pl.String})
    con.register("_ls_idents_df", idents)
    con.execute("CREATE OR REPLACE TEMP TABLE _ls_idents AS SELECT * FROM _ls_idents_df")
    con.unregister("_ls_idents_df")
    run_sql(con, _sql("logstore_stage.sql"), {})

    rejected = _reject_lines(con)
    bad = con.execute("SELECT rec, reason FROM _ls_bad ORDER BY rec").fetchall()
    lines = _lines_of([r[0] for r in bad], rejected)
    messages = {r[0]: r[1] for r in con.execute(
        "SELECT line, first(error_type::VARCHAR || ': ' || error_message) FROM _ls_rejects "
        "GROUP BY line").fetchall()}
    quarantined: list[tuple[int | None, str]] = [
        (line, f"malformed line ({messages[line]})") for line in rejected]
    quarantined += [(lines[rec], reason) for rec, reason in bad]
    well_formed = one(con.execute("SELECT count(*) FROM _ls"))
    read = int(well_formed[0] if well_formed else 0) + len(rejected)
    return read, quarantined


def cleanup(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables of a staging run (the next file starts clean)."""
    for table in ("_ls", "_ls_typed", "_ls_bad", "_ls_idents", "_ls_rejects", "_ls_scans"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
