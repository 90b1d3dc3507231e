"""The strings of a logstore dump's events, read once per distinct event.

The stage keeps each record's event name, component and origin as one 64-bit hash
(``event_hash``, ``logstore_stage.sql``): writing the strings of millions of records cost a third
of the stage, while a dump has a few hundred distinct (name, component, origin) triples.
``_ls_types`` (``logstore_types.sql``) names, for each hash, the smallest record id carrying
it. This module finds those records' lines in the file (a dump lists its
records in id order, so one forward search finds them all), parses them as DuckDB's reader
does, and keeps a triple only when DuckDB's hash of its strings is the staged hash.

When one triple cannot be read that way (the first column is not ``id``, an id is quoted or
missing, a record's line does not parse, two records share an id but not their event), every
triple is read by DuckDB from the file instead (``logstore_names.sql``): a second read of the
whole file, slower and always right.

Two different triples of one dump with the same 64-bit hash would be stored under the first:
for k distinct triples the chance is about k²/2^65 (3e-14 for 1,000 event kinds).
"""

from __future__ import annotations

import csv
import io
import mmap
from pathlib import Path

import duckdb

from m2if_analytics.errors import IngestError
from m2if_analytics.warehouse.sql import one, query, run_sql

__all__ = ["records_by_id", "resolve"]

FIELDS = ("eventname", "component", "origin")
NULLS = frozenset({"\\N", "NULL", ""})  # the stage's nullstr list
MAX_LINES = 64  # a record over more lines is left to DuckDB's read


def _parse(text: bytes, delim: str, width: int) -> list[str] | None:
    """The fields of one CSV record, or None when the text is not one whole record of
    ``width`` fields (an open quote, too few or too many fields, not UTF-8)."""
    try:
        rows = list(csv.reader(io.StringIO(text.decode("utf-8"), newline=""),
                               delimiter=delim, quotechar='"', doublequote=True, strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    return rows[0] if len(rows) == 1 and len(rows[0]) == width else None


def _record(mm: mmap.mmap, start: int, delim: str, width: int) -> list[str] | None:
    """The record that starts at byte ``start``, read up to the end of its line, or of the
    following lines while a quoted field stays open."""
    end = start
    for _ in range(MAX_LINES):
        stop = mm.find(b"\n", end)
        end = len(mm) if stop < 0 else stop + 1
        row = _parse(mm[start:end], delim, width)
        if row is not None or stop < 0:
            return row
    return None


def records_by_id(path: Path, ids: list[int], delim: str, width: int
                  ) -> dict[int, list[str]]:
    """The fields of the first record of each id (the file's first column), found by one
    search forward through the file for ids in ascending order; an id out of order is
    searched again from the start, an id not found or whose line does not parse is left out."""
    found: dict[int, list[str]] = {}
    sep = delim.encode()
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        resume = 0
        for record_id in sorted(set(ids)):
            needle = b"\n%d%s" % (record_id, sep)
            at = mm.find(needle, resume)
            if at < 0:
                at = mm.find(needle, 0, resume + len(needle))
            if at < 0:
                continue
            row = _record(mm, at + 1, delim, width)
            if row is not None:
                found[record_id] = row
            resume = at + 1
    return found


def _from_lines(con: duckdb.DuckDBPyConnection, source: Path, delim: str,
                present: list[str], types: dict[int, int | None]) -> bool:
    """Fill _ls_names from the records named by _ls_types (event hash → record id); False when
    one triple is missing or its strings do not hash to the staged hash."""
    ids = {event_hash: i for event_hash, i in types.items() if i is not None}
    if present[0] != "id" or len(ids) < len(types):
        return False
    records = records_by_id(source, list(ids.values()), delim, len(present))
    if not set(ids.values()) <= records.keys():
        return False
    columns = [present.index(field) for field in FIELDS]
    rows = [[event_hash, *(None if records[i][c] in NULLS else records[i][c] for c in columns)]
            for event_hash, i in ids.items()]
    hashes, names, components, origins = (list(column) for column in zip(*rows, strict=True))
    con.execute(
        "INSERT INTO _ls_names SELECT unnest($h::UBIGINT[]), unnest($e::VARCHAR[]), "
        "unnest($c::VARCHAR[]), unnest($o::VARCHAR[])",
        {"h": hashes, "e": names, "c": components, "o": origins})
    wrong = one(con.execute("SELECT count(*) FROM _ls_names "
                            "WHERE hash(eventname, component, origin) <> event_hash"))
    return wrong is not None and wrong[0] == 0


def resolve(con: duckdb.DuckDBPyConnection, source: Path, delim: str, present: list[str],
            columns: dict[str, str]) -> str:
    """Create ``_ls_names`` (event_hash → eventname, component, origin) for every hash of
    ``_ls_types``, from the named records' lines or else from a DuckDB read of ``source``;
    return which one (``"lines"`` or ``"read"``)."""
    types = dict(con.execute("SELECT event_hash, id FROM _ls_types").fetchall())
    con.execute("CREATE OR REPLACE TEMP TABLE _ls_names (event_hash UBIGINT, "
                "eventname VARCHAR, component VARCHAR, origin VARCHAR)")
    if not types or _from_lines(con, source, delim, present, types):
        return "lines"
    run_sql(con, query("ingest/logstore_names.sql"),
            {"path": str(source), "delim": delim, "columns": columns})
    missing, shared = one(con.execute(
        "SELECT (SELECT count(*) FROM _ls_types ANTI JOIN _ls_names USING (event_hash)), "
        "(SELECT count(*) - count(DISTINCT event_hash) FROM _ls_names)")) or (0, 0)
    if missing or shared:
        raise IngestError(
            f"{source}: {missing or shared} event kind(s) could not be told apart on a second "
            "read of the file; nothing loaded: please report this file's event names")
    return "read"
