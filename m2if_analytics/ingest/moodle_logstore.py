"""Moodle ``logstore_standard_log`` table dumps (CSV), read once into a Parquet stage.

1. ``logstore_stage.sql``: DuckDB reads the CSV once, in parallel, into a compact typed
   Parquet file in the warehouse's temp directory (malformed lines → rejects with their line);
   meanwhile one pass over the bytes (:mod:`.filescan`) counts lines, checks the line endings
   and hashes the file. Mixed endings or a line count that does not add up (a record over
   several lines, a Windows-1252 line) → the file is staged again from a repaired copy.
2. ``logstore_types.sql`` lists the distinct events (name, component, origin: staged as one
   hash) and :mod:`.logstore_names` reads each one's strings once; ``logstore_checks.sql``:
   cheap scans of the stage find the bad records, the distinct users and the in-file copies
   (adjacent in an id-ordered dump; ``logstore_copies.sql`` otherwise).
3. Python hashes each distinct user id once (``identities.sql``).
4. ``logstore_insert.sql``: only the valid, new, first copies are written to ``raw_events``,
   so nothing is deleted inside the transaction afterwards.

Quarantined records get their line from their position in the stage, checked by one count of
the file's line breaks while the insert runs (``logstore_lines``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics import progress
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest import filescan, logstore_names
from m2if_analytics.ingest.common import fold_header, register_idents, sniff_delimiter
from m2if_analytics.ingest.csvfile import Repair, repair_copy
from m2if_analytics.ingest.logstore_lines import (
    count_lines,
    irregular_endings,
    locate_lines,
    quarantine_rows,
)
from m2if_analytics.ingest.stage import repaired_copy, stage_file
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.sql import cleanup, one, query, run_sql

__all__ = ["columns", "is_logstore", "load", "locate_lines"]

REQUIRED = ("userid", "timecreated", "eventname")
TYPES = {"id": "BIGINT", "userid": "BIGINT", "timecreated": "BIGINT", "eventname": "VARCHAR",
         "component": "VARCHAR", "contextid": "BIGINT", "contextlevel": "VARCHAR",
         "contextinstanceid": "BIGINT", "courseid": "BIGINT", "relateduserid": "BIGINT",
         "origin": "VARCHAR"}
TEMP_TABLES = ("_ls_rejects", "_ls_scans", "_ls_bad", "_ls_users", "_ls_order", "_ls_skip",
               "_ls_window", "_ls_types", "_ls_names")
BadRows = list[tuple[int | None, str]]


def columns(header: str, delimiter: str) -> list[str]:
    """Header names as DuckDB's ``normalize_names`` sees them (lower case, no quotes)."""
    return [fold_header(h).strip('"').replace(" ", "_") for h in header.split(delimiter)]


def is_logstore(header: str) -> bool:
    """True when the header names the logstore table's key columns."""
    names = set()
    for delimiter in (",", ";", "\t"):
        names |= set(columns(header, delimiter))
    return set(REQUIRED) <= names


def _declared(present: list[str]) -> dict[str, str]:
    """Every header column in order → its type (VARCHAR unless checked); a repeated name gets
    a numbered suffix, so the reader sees as many columns as the header has."""
    out: dict[str, str] = {}
    for name in present:
        unique, n = name, 1
        while unique in out:
            n += 1
            unique = f"{name}_{n}"
        out[unique] = TYPES.get(name, "VARCHAR") if unique == name else "VARCHAR"
    return out


def _check_columns(path: Path, present: list[str]) -> None:
    missing = [c for c in TYPES if c not in present]
    if any(c in REQUIRED for c in missing):
        raise IngestError(f"{path}, line 1: a logstore dump needs {list(REQUIRED)}")
    if missing:
        raise IngestError(
            f"{path}, line 1: columns {missing} are missing; export the whole "
            "logstore_standard_log table (SELECT *)")


def _rejects(con: duckdb.DuckDBPyConnection) -> BadRows:
    """Malformed lines the CSV reader refused, one (line, reason) each."""
    rows = con.execute(
        """SELECT line, first(CASE
               WHEN error_type = 'CAST' THEN column_name || ' is not a whole number'
               WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') THEN error_message
               ELSE lower(CAST(error_type AS VARCHAR)) END ORDER BY column_idx)
           FROM _ls_rejects GROUP BY line ORDER BY line""").fetchall()
    return [(int(line), f"malformed line ({message})") for line, message in rows]


def _stage(con: duckdb.DuckDBPyConnection, source: Path, params: dict, present: list[str],
           bar: progress.Bar, size: int) -> tuple[BadRows, tuple]:
    """Read ``source`` into the Parquet stage and run the checks: (rejected lines, order
    row: valid, unsorted, first_time, last_time)."""
    for table in TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    # the read runs on a connection of its own: a file DuckDB refuses (mixed line endings
    # the file scan has not reported yet) leaves the ingestion's transaction usable
    reader = con.cursor()
    try:
        with _insertion_order(reader, keep=True):  # positions in the stage = file order
            bar.follow(reader, lambda: run_sql(reader, query("ingest/logstore_stage.sql"),
                                               {**params, "path": str(source)}),
                       span=size, detail=lambda done: f"{progress.mib(done)} of "
                       f"{progress.mib(size)}")
        rejects = _rejects(reader)
    except duckdb.InvalidInputException as exc:
        cause = str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
        raise IngestError(f"{source}: DuckDB's CSV reader cannot read this dump ({cause}); "
                          "nothing loaded: check it is a CSV export of "
                          "logstore_standard_log with a header row") from None
    finally:
        reader.close()
    run_sql(con, query("ingest/logstore_types.sql"),
            {"stage": params["stage"], "earliest": params["earliest"],
             "latest": params["latest"]})
    logstore_names.resolve(con, source, params["delim"], present, params["columns"])
    run_sql(con, query("ingest/logstore_checks.sql"), {"stage": params["stage"]})
    order = one(con.execute("SELECT valid, unsorted, first_time, last_time FROM _ls_order"))
    assert order is not None
    return rejects, order


def _bad_records(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT n, id, reason FROM _ls_bad ORDER BY n").fetchall()


def _needs_repair(path: Path, rejects: BadRows, records: int, encoding: list[int]) -> bool:
    """Whether a line may be Windows-1252 (DuckDB refused it as invalid UTF-8) or a record
    spans lines (a quoted field over lines, or a stray quote swallowing the next lines)."""
    return bool(encoding) or count_lines(path) != 1 + records + len(rejects)


def load(con: duckdb.DuckDBPyConnection, path: Path, header: str, pseudo: Pseudonymiser,
         file_id: int, check_bad: Callable[[BadRows], None] | None = None,
         window: tuple[dt.datetime, dt.datetime] | None = None,
         ) -> tuple[int, BadRows, int, int]:
    """Insert a dump's new valid rows; return (rows read, quarantined rows, rows inserted,
    lines recoded from Windows-1252).

    ``check_bad`` sees the quarantined rows before anything is written (``--strict`` raises
    there). In-file copies and events already stored are left out, never deleted afterwards.
    A dump with invalid UTF-8 lines or with records over several lines is first copied line
    by line (:func:`~m2if_analytics.ingest.csvfile.repair_copy`: Windows-1252 lines recoded,
    a stray quote's line set aside) and the copy is read instead, with the same line numbers.
    """
    delim = sniff_delimiter(header, path)
    present = columns(header, delim)
    _check_columns(path, present)
    size = path.stat().st_size
    repaired = Repair()
    with progress.bar(f"reading {path.name}", total=size) as bar, stage_file(con) as stage:
        earliest, latest = window or (dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
                                      dt.datetime(2514, 5, 30, tzinfo=dt.UTC))
        params = {"delim": delim, "stage": str(stage), "earliest": int(earliest.timestamp()),
                  "latest": int(latest.timestamp()),
                  "columns": _declared(present)}
        source = path
        filescan.soon(path)  # sha256, lines and endings, read while DuckDB parses
        try:
            rejects, order = _stage(con, source, params, present, bar, size)
            unicode = [line for line, reason in rejects if "unicode" in reason.lower()]
        except IngestError:
            if not irregular_endings(path):
                raise
        irregular = irregular_endings(path)
        if irregular or _needs_repair(path, rejects, int(order[0]) + len(_bad_records(con)),
                                      unicode):
            source = repaired_copy(stage)
            repaired = repair_copy(path, source, delim, len(present))
            rejects, order = _stage(con, source, params, present, bar, size)
        valid, unsorted, first_time, last_time = order
        bar.update(description=f"checking {path.name}", detail="")
        if unsorted:
            run_sql(con, query("ingest/logstore_copies.sql"), {"stage": str(stage)})
        _skip_stored(con, stage, first_time, last_time)
        users = [row[0] for row in con.execute("SELECT k FROM _ls_users").fetchall()]
        register_idents(con, {u: pseudo.id_ident(str(u)) for u in users}, pl.Int64)
        records = _bad_records(con)
        set_aside = [line for line, _ in repaired.bad]
        where = (source, records, int(valid) + len(records),
                 sorted([r[0] for r in rejects] + set_aside), delim, present[0])
        if check_bad is not None and (rejects or records or repaired.bad):
            check_bad(_by_line(rejects + list(repaired.bad) + quarantine_rows(*where)))
        with ThreadPoolExecutor(1) as pool:  # line numbers while DuckDB writes
            located = pool.submit(quarantine_rows, *where)
            bar.update(description=f"storing {path.name}", completed=0, total=1)
            inserted = bar.follow(con, lambda: _insert(con, stage, file_id))
            bad = _by_line(rejects + list(repaired.bad) + located.result())
        for table in TEMP_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    read = int(valid) + len(records) + len(rejects) + len(repaired.bad)
    return read, bad, inserted, len(repaired.recoded)


def _by_line(rows: BadRows) -> BadRows:
    return sorted(rows, key=lambda b: (b[0] is None, b[0] or 0))


def _skip_stored(con: duckdb.DuckDBPyConnection, stage: Path, first_time: int | None,
                 last_time: int | None) -> None:
    """Add to _ls_skip the staged records the warehouse already holds. Only stored events in
    the dump's time span can be the same events: when there are none (a new period, a first
    load), no key is compared at all."""
    if first_time is None or last_time is None:
        return
    span = one(con.execute(
        "SELECT CAST(floor(min(epoch(ts))) AS BIGINT), CAST(ceil(max(epoch(ts))) AS BIGINT) "
        "FROM raw_events "
        "WHERE ts BETWEEN to_timestamp($first) AND to_timestamp($last)",
        {"first": first_time, "last": last_time}))
    if span is not None and span[0] is not None:
        run_sql(con, query("ingest/logstore_stored.sql"),
                {"stage": str(stage), "first_time": span[0], "last_time": span[1]})


def _insert(con: duckdb.DuckDBPyConnection, stage: Path, file_id: int) -> int:
    """Write the valid new records; row order in raw_events does not matter, so DuckDB may
    write in parallel without keeping the file's order (less memory at 100 M rows)."""
    with _insertion_order(con, keep=False):
        rows = run_sql(con, query("ingest/logstore_insert.sql"),
                       {"stage": str(stage), "file_id": file_id})
    return int(rows[0][0]) if rows else 0


@contextmanager
def _insertion_order(con: duckdb.DuckDBPyConnection, keep: bool) -> Iterator[None]:
    """DuckDB's preserve_insertion_order for one step, then its default again."""
    con.execute("SET preserve_insertion_order = true" if keep
                else "SET preserve_insertion_order = false")
    with cleanup(lambda: con.execute("RESET preserve_insertion_order")):
        yield
