"""``m2if ingest moodle``: detect the export's format, stage it, load it in one transaction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from m2if_analytics import sqlfiles
from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest import moodle_download, moodle_logstore
from m2if_analytics.ingest.common import (
    IngestAccount,
    file_sha256,
    first_line,
    new_file_id,
    quarantine,
    record_file,
    sniff_delimiter,
)
from m2if_analytics.ingest.moodle_time import TimeReader
from m2if_analytics.pseudonymise import Pseudonymiser
from m2if_analytics.warehouse import one, run_sql, transaction


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
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    fmt = detect_format(path)
    sha = file_sha256(path)
    cohorts = (cfg.cohort(cohort_id),) if cohort_id else cfg.cohorts
    reader = TimeReader(cfg.programme.timezone, cohorts, cfg.ingest.year_inference_margin_days,
                        wide=cohort_id is not None, time_format=time_format)
    with transaction(con):
        if fmt == "logstore":
            read, bad = moodle_logstore.stage(con, path, first_line(path), pseudo)
        else:
            read, bad = moodle_download.stage(con, path, pseudo, reader)
        if strict and bad:
            line, reason = bad[0]
            raise IngestError(f"{path}, line {line}: {reason} (--strict: nothing loaded; "
                              f"{len(bad)} bad row(s) in all)")
        file_id = new_file_id(con)
        before = _count(con)
        load = sqlfiles.read_sql(sqlfiles.queries_dir() / "ingest" / "load_events.sql")
        run_sql(con, load, {"file_id": file_id})
        loaded = _count(con) - before
        staged = one(con.execute("SELECT count(*) FROM _staged"))
        valid = int(staged[0]) if staged else 0
        account = IngestAccount(path.name, read, loaded, valid - loaded, len(bad))
        quarantine(con, file_id, path, bad)
        record_file(con, file_id, path, sha, "moodle", fmt, account)
        con.execute("DROP TABLE IF EXISTS _staged")
        moodle_logstore.cleanup(con)
    return account


def _count(con: duckdb.DuckDBPyConnection) -> int:
    row = one(con.execute("SELECT count(*) FROM raw_events"))
    return int(row[0]) if row else 0
