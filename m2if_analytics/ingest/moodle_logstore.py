"""Moodle ``logstore_standard_log`` table dumps (CSV), streamed by DuckDB in two passes.

Pass 1 (``logstore_scan.sql``) collects the distinct users, the row count and the bad rows;
Python hashes each distinct user id once; pass 2 (``logstore_insert.sql``) streams the valid
rows into ``raw_events``. No full copy of the dump is held in memory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import fold_header, register_idents, sniff_delimiter
from m2if_analytics.pseudonymise import Pseudonymiser
from m2if_analytics.warehouse import ingest_sql, run_sql

REQUIRED = ("userid", "timecreated", "eventname")
TYPES = {"id": "BIGINT", "userid": "BIGINT", "timecreated": "BIGINT", "eventname": "VARCHAR",
         "component": "VARCHAR", "contextid": "BIGINT", "contextlevel": "VARCHAR",
         "contextinstanceid": "BIGINT", "courseid": "BIGINT", "relateduserid": "BIGINT",
         "origin": "VARCHAR"}


def columns(header: str, delimiter: str) -> list[str]:
    """Header names as DuckDB's ``normalize_names`` sees them (lower case, no quotes)."""
    return [fold_header(h).strip('"').replace(" ", "_") for h in header.split(delimiter)]


def is_logstore(header: str) -> bool:
    """True when the header names the logstore table's key columns."""
    names = set()
    for delimiter in (",", ";", "\t"):
        names |= set(columns(header, delimiter))
    return set(REQUIRED) <= names


def _types(present: list[str]) -> dict[str, str]:
    return {name: TYPES[name] for name in present if name in TYPES}


def locate_lines(path: Path, ids: list[int], delim: str, first_column: str) -> dict[int, int]:
    """Line numbers of records by their id (the first column), in one pass over the file.

    Dumps list records in id order, so the search for each id resumes where the previous
    one stopped, reading the file in chunks (no copy of it in memory). Ids found out of
    order or not at all are left out (their quarantine row names the record id instead).
    """
    found: dict[int, int] = {}
    if first_column != "id" or not ids:
        return found
    targets = iter(sorted(set(ids)))
    target = next(targets, None)
    sep = delim.encode()
    line, carry = 0, b"\n"  # the leading newline lets the first line match too
    with path.open("rb") as fh:
        while target is not None:
            chunk = fh.read(1 << 24)
            if not chunk:
                break
            data = carry + chunk
            start = 0
            while target is not None:
                hit = data.find(b"\n%d%s" % (target, sep), start)
                if hit < 0:
                    break
                line += data.count(b"\n", start, hit + 1)
                found[target] = line
                start = hit + 1
                target = next(targets, None)
            keep = 32  # enough for a newline, an id and a delimiter
            line += data.count(b"\n", start, max(start, len(data) - keep))
            carry = data[max(start, len(data) - keep):]
    return found


def load(con: duckdb.DuckDBPyConnection, path: Path, header: str, pseudo: Pseudonymiser,
         file_id: int) -> tuple[int, list[tuple[int | None, str]], int]:
    """Insert a dump's new valid rows; return (rows read, quarantined rows, rows inserted)."""
    delim = sniff_delimiter(header, path)
    present = columns(header, delim)
    missing_select = [c for c in TYPES if c not in present]
    if any(c in REQUIRED for c in missing_select):
        raise IngestError(f"{path}, line 1: a logstore dump needs {list(REQUIRED)}")
    if missing_select:
        raise IngestError(
            f"{path}, line 1: columns {missing_select} are missing; export the whole "
            "logstore_standard_log table (SELECT *)")
    params = {"path": str(path), "delim": delim, "types": _types(present)}
    try:
        run_sql(con, ingest_sql("logstore_scan.sql"), params)
        summary = con.execute("SELECT userid, relateduserid, reason, bad_id, n "
                              "FROM _ls_summary").fetchall()
        rejects = con.execute(
            """SELECT line, first(CASE
                   WHEN error_type = 'CAST' THEN column_name || ' is not a whole number'
                   WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') THEN error_message
                   ELSE lower(CAST(error_type AS VARCHAR)) END ORDER BY column_idx)
               FROM _ls_rejects GROUP BY line ORDER BY line""").fetchall()
    finally:
        for table in ("_ls_rejects", "_ls_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    users = {u for row in summary if row[2] is None for u in row[:2] if u is not None and u > 0}
    register_idents(con, {u: pseudo.id_ident(str(u)) for u in users}, pl.Int64)
    bad: list[tuple[int | None, str]] = [
        (int(line), f"malformed line ({message})") for line, message in rejects]
    bad_rows = [(r[2], r[3], int(r[4])) for r in summary if r[2] is not None]
    lines = locate_lines(path, [b[1] for b in bad_rows if b[1] is not None and b[2] == 1],
                         delim, present[0])
    for reason, bad_id, n in bad_rows:
        line = lines.get(bad_id) if bad_id is not None else None
        suffix = f" (record id {bad_id})" if bad_id is not None and line is None else ""
        bad.extend([(line, reason + suffix)] * n)
    read = sum(int(row[4]) for row in summary) + len(rejects)
    inserted = run_sql(con, ingest_sql("logstore_insert.sql"), {**params, "file_id": file_id})
    con.execute("DROP TABLE IF EXISTS _ls_summary")
    return read, bad, int(inserted[0][0]) if inserted else 0
