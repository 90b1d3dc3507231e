"""``m2if ingest xapi``: xAPI statements (JSON array or JSON Lines, gzip or not) → raw_events.

The file is streamed (xapi_read), each statement turned into a row or a quarantine reason
(xapi_statement), and rows are loaded in batches by ``queries/ingest/xapi_insert.sql``, which
maps verbs and activities to Moodle-equivalent events (docs/xapi.md). Memory stays bounded by
the batch size whatever the file's size; the whole file is still one transaction.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import (
    IngestAccount,
    new_file_id,
    quarantine,
    record_file,
    register_idents,
)
from m2if_analytics.ingest.xapi_read import Layout, detect, statements
from m2if_analytics.ingest.xapi_statement import Rejected, Row, StatementReader, normalise_home
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.sql import query, registered, run_sql, transaction

BATCH_ROWS = 100_000
_SCHEMA = {"seq": pl.Int64, "line": pl.Int64, "key_material": pl.String, "k": pl.String,
           "related_k": pl.String, "ts": pl.Int64, "verb": pl.String, "object_kind": pl.String,
           "object_id": pl.String, "activity_type": pl.String, "context_ids": pl.String}


class XapiWarning(UserWarning):
    """Something the user should check after an xAPI ingestion (identities, overlaps)."""


class _Batch:
    """Rows waiting to be loaded, column by column."""

    def __init__(self) -> None:
        self.seq: list[int] = []
        self.line: list[int] = []
        self.rows: list[Row] = []

    def add(self, seq: int, line: int, row: Row) -> None:
        self.seq.append(seq)
        self.line.append(line)
        self.rows.append(row)

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self) -> pl.DataFrame:
        columns = list(zip(*self.rows, strict=True))
        data = {"seq": self.seq, "line": self.line,
                **{name: list(col) for name, col in zip(Row._fields, columns, strict=True)}}
        frame = pl.DataFrame(data, schema=_SCHEMA)
        return frame.with_columns(pl.col("ts").cast(pl.Datetime("us", "UTC")))


def _load(con: duckdb.DuckDBPyConnection, batch: _Batch, file_id: int) -> int:
    """Insert one batch's new events; the number inserted."""
    if not batch:
        return 0
    idents = {r.k for r in batch.rows} | {r.related_k for r in batch.rows if r.related_k}
    register_idents(con, {i: i for i in idents}, pl.String)
    with registered(con, {"_xapi_batch": batch.frame()}):
        inserted = run_sql(con, query("ingest/xapi_insert.sql"), {"file_id": file_id})
    return int(inserted[0][0]) if inserted else 0


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise IngestError(f"{path} is a folder; give the statement file(s) inside it")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise IngestError(f"{path}: empty file; expected xAPI statements (JSON array or JSON "
                          "Lines)")


def ingest_xapi_file(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                     pseudo: Pseudonymiser, strict: bool = False, home_page: str | None = None,
                     batch_rows: int = BATCH_ROWS) -> IngestAccount:
    """Load one statement file in one transaction; statements already stored count as
    duplicates, bad ones are quarantined with their line and reason (``strict``: refused).
    Times (which carry their own offset) outside ``cfg``'s plausible window are quarantined.
    """
    _check_path(path)
    layout = detect(path)
    reader = StatementReader(pseudo, home_page, cfg.time_window())
    read = loaded = quarantined = 0
    with transaction(con):
        file_id = new_file_id(con)
        batch, bad = _Batch(), []
        for seq, line, statement in statements(path, layout):
            read += 1
            try:
                row = reader.read(statement)
            except Rejected as exc:
                reason = f"statement {seq}: {exc}" if layout.kind == "array" else str(exc)
                if strict:
                    raise IngestError(f"{path}, line {line}: {reason} (--strict: nothing "
                                      "loaded)") from None
                bad.append((line, reason))
                if len(bad) >= batch_rows:
                    quarantine(con, file_id, path, bad)
                    quarantined, bad = quarantined + len(bad), []
                continue
            batch.add(seq, line, row)
            if len(batch) >= batch_rows:
                loaded, batch = loaded + _load(con, batch, file_id), _Batch()
        loaded += _load(con, batch, file_id)
        quarantine(con, file_id, path, bad)
        quarantined += len(bad)
        account = IngestAccount(path.name, read, loaded, read - loaded - quarantined, quarantined)
        record_file(con, file_id, path, "xapi", _format(layout), account)
    _warn_about_accounts(path, reader, home_page)
    return account


def _format(layout: Layout) -> str:
    return ("jsonl" if layout.kind == "jsonl" else "json") + (".gz" if layout.gzipped else "")


def _warn_about_accounts(path: Path, reader: StatementReader, home_page: str | None) -> None:
    homes = sorted(reader.home_pages)
    if home_page is None and len(homes) > 1:
        shown = ", ".join(h or "(none)" for h in homes[:3]) + (", ..." if len(homes) > 3 else "")
        warnings.warn(XapiWarning(
            f"{path.name}: accounts come from {len(homes)} homePages ({shown}); all were read "
            "as this platform's user ids: give --home-page URL so that other platforms' "
            "accounts stay separate people"), stacklevel=3)
    if home_page is not None and homes and normalise_home(home_page) not in homes:
        warnings.warn(XapiWarning(
            f"{path.name}: no account has the homePage {home_page}; none was read as a "
            "platform user id (check the URL)"), stacklevel=3)


def overlapping_sources(con: duckdb.DuckDBPyConnection) -> str | None:
    """A warning when xAPI statements repeat Moodle log events (same person, same second)."""
    rows = run_sql(con, query("ingest/xapi_overlap.sql"), {})
    shared, xapi_events = (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)
    if shared == 0:
        return None
    return (f"{shared} of {xapi_events} xAPI events have a Moodle log event of the same person "
            "at the same second: if the statements were emitted from those Moodle logs, the "
            "same activity counts twice; load one source per period")
