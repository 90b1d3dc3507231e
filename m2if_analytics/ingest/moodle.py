"""``m2if ingest moodle``: detect the export's format and load it in one transaction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest import moodle_download, moodle_logstore
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    first_line,
    new_file_id,
    quarantine,
    record_file,
    sniff_delimiter,
)
from m2if_analytics.ingest.moodle_time import TimeReader
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.sql import query, run_sql, transaction


def detect_format(path: Path) -> str:
    """'logstore' or 'download', from the header line; IngestError otherwise."""
    header = first_line(path)
    if moodle_logstore.is_logstore(header):
        return "logstore"
    delimiter = sniff_delimiter(header, path)
    if moodle_download.is_download(header.split(delimiter)):
        return "download"
    raise IngestError(
        f"{path}, line 1: not a Moodle log export (expected the Logs report's columns "
        "Time, User full name, Event name... in English or French, or a logstore_standard_log "
        "dump with userid, timecreated, eventname); check the file or its header row")


def ingest_moodle_file(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                       pseudo: Pseudonymiser, cohort_id: str | None = None,
                       time_format: str | None = None, strict: bool = False) -> IngestAccount:
    """Load one Moodle export; the whole file is one transaction."""
    check_input(path)
    fmt = detect_format(path)
    cohorts = (cfg.cohort(cohort_id),) if cohort_id else cfg.cohorts
    window = cfg.time_window()
    reader = TimeReader(cfg.programme.timezone, cohorts, cfg.ingest.year_inference_margin_days,
                        wide=cohort_id is not None, time_format=time_format, window=window)

    def refuse(bad: list[tuple[int | None, str]]) -> None:
        line, reason = bad[0]
        where = f", line {line}" if line is not None else ""
        raise IngestError(f"{path}{where}: {reason} (--strict: nothing loaded; "
                          f"{len(bad)} bad row(s) in all)")

    with transaction(con):
        file_id = new_file_id(con)
        if fmt == "logstore":  # leaves in-file copies out itself, before --strict writes
            read, bad, loaded, recoded = moodle_logstore.load(
                con, path, first_line(path), pseudo, file_id, refuse if strict else None,
                window)
        else:
            read, bad, inserted, recoded = moodle_download.load(con, path, pseudo, reader,
                                                                file_id)
            if strict and bad:
                refuse(bad)
            removed = run_sql(con, query("ingest/dedup_file.sql"), {"file_id": file_id})
            loaded = inserted - (int(removed[0][0]) if removed else 0)
        account = IngestAccount(path.name, read, loaded, read - len(bad) - loaded, len(bad),
                                recoded)
        quarantine(con, file_id, path, bad)
        record_file(con, file_id, path, "moodle", fmt, account)
    return account


def overlapping_formats(con: duckdb.DuckDBPyConnection) -> str | None:
    """A warning when downloads and dumps cover the same period (their events count twice)."""
    spans = con.execute("""
        SELECT f.format, min(e.ts), max(e.ts) FROM raw_events AS e
        JOIN ingest_files AS f USING (file_id) GROUP BY f.format""").fetchall()
    ranges = {fmt: (lo, hi) for fmt, lo, hi in spans}
    if {"download", "logstore"} <= set(ranges):
        (a_lo, a_hi), (b_lo, b_hi) = ranges["download"], ranges["logstore"]
        if a_lo <= b_hi and b_lo <= a_hi:
            return ("this warehouse holds Logs downloads and logstore dumps over the same "
                    f"period ({max(a_lo, b_lo):%Y-%m-%d} to {min(a_hi, b_hi):%Y-%m-%d}); "
                    "the same events then count twice: load one format per period")
    return None
