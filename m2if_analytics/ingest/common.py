"""What every ingestion shares: the per-file account, text decoding, header matching, loading."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import duckdb
import polars as pl

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest import filescan
from m2if_analytics.text import fold_header
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.sql import one, query, register, registered, run_sql


@dataclass(frozen=True)
class IngestAccount:
    """Rows read = loaded + duplicates + quarantined, for one file."""

    file: str
    read: int
    loaded: int
    duplicates: int
    quarantined: int
    recoded: int = 0  # lines read as Windows-1252 because they were not UTF-8

    def __post_init__(self) -> None:
        if self.read != self.loaded + self.duplicates + self.quarantined:
            raise AssertionError(f"row account does not balance for {self.file}: {self}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    def line(self) -> str:
        recoded = f", recoded {self.recoded} line(s) from Windows-1252" if self.recoded else ""
        return (f"{self.file}: read {self.read}, loaded {self.loaded}, "
                f"duplicates {self.duplicates}, quarantined {self.quarantined}{recoded}")


def check_input(path: Path) -> None:
    """Refuse a path that is missing, a folder, or empty, before reading it."""
    if path.is_dir():
        raise IngestError(f"{path} is a folder; give the export file(s) inside it")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise IngestError(f"{path}: empty file; expected a CSV export with a header row")


def file_fingerprint(path: Path) -> str:
    """Size and sha256 of the first MiB: identifies a file without reading gigabytes."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    return f"{path.stat().st_size}:{hashlib.sha256(head).hexdigest()}"


def file_sha256(path: Path) -> str:
    """sha256 of the whole file, read in blocks (never the whole file in memory); read once
    per file version (path, size, modification time) per process, in the same pass as its
    line count (:mod:`~m2if_analytics.ingest.filescan`)."""
    return filescan.scan(path).sha256


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel on Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: neither UTF-8 nor Windows-1252 text (byte {exc.start}); "
                          "re-export the file as CSV UTF-8") from None


GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """True when the file starts with gzip's magic bytes (whatever its name)."""
    with path.open("rb") as fh:
        return fh.read(2) == GZIP_MAGIC


@contextmanager
def reading(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes, decompressed when it is gzip; damaged gzip data is an IngestError."""
    fh: IO[bytes] = gzip.open(path, "rb") if is_gzip(path) else path.open("rb")  # noqa: SIM115
    try:
        yield fh
    except (EOFError, OSError, zlib.error) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile):
            raise
        raise IngestError(f"{path}: the gzip data is damaged or cut short ({exc}); "
                          "nothing loaded") from None
    finally:
        fh.close()


def first_line(path: Path) -> str:
    """The header line of a file (gzip or not), decoded, without reading the rest."""
    with reading(path) as fh:
        head = fh.read(1 << 16)
    line = re.split(rb"\r\n|\r|\n", head, maxsplit=1)[0]
    return decode(line, path)


def sniff_delimiter(header: str, path: Path, default: str | None = None) -> str:
    """The most frequent of comma, semicolon and tab in the header line."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0 and default is not None:
        return default
    if counts[best] == 0:
        raise IngestError(f"{path}: line 1 has no comma, semicolon or tab; "
                          "is it a CSV export with a header row?")
    return best


def header_roles(header: list[str], aliases: dict[str, set[str]]) -> dict[str, int]:
    """Column role → index of the first header field whose folded name (:func:`fold_header`)
    is one of the role's aliases."""
    out: dict[str, int] = {}
    for index, name in enumerate(header):
        folded = fold_header(name)
        for role, names in aliases.items():
            if folded in names and role not in out:
                out[role] = index
    return out


def records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(starting line number, fields) for every non-blank record; CR, LF or CRLF."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    for row in reader:
        start = previous + 1
        previous = reader.line_num
        if not row or (len(row) == 1 and row[0].strip() == ""):
            continue
        yield start, row


def new_file_id(con: duckdb.DuckDBPyConnection) -> int:
    row = one(con.execute("SELECT nextval('file_id_seq')"))
    assert row is not None
    return int(row[0])


def record_file(con: duckdb.DuckDBPyConnection, file_id: int, path: Path, kind: str,
                fmt: str, account: IngestAccount) -> None:
    """Write the file's ingestion record (inside the file's transaction)."""
    run_sql(con, query("ingest/record_file.sql"),
            {"id": file_id, "name": path.name, "fp": file_fingerprint(path),
             "sha256": file_sha256(path), "kind": kind, "fmt": fmt,
             "at": dt.datetime.now(dt.UTC), "r": account.read, "l": account.loaded,
             "d": account.duplicates, "q": account.quarantined})


def register_names(con: duckdb.DuckDBPyConnection, pseudo: Pseudonymiser,
                   names: Iterable[str]) -> None:
    """Record, for each full name (hashed once), its folded form and its words as keyed
    hashes: name variants then resolve to one roster person (queries/pipeline/10_persons.sql)
    and ``m2if identities`` can rank the closest roster names."""
    folds: dict[str, str] = {}
    tokens: list[tuple[str, str]] = []
    for name in set(names):
        ident, folded = pseudo.name_ident(name), pseudo.folded_ident(name)
        if ident is None or folded is None or ident in folds:
            continue
        folds[ident] = folded
        tokens += [(ident, token) for token in pseudo.token_idents(name)]
    register(con, "_name_folds", pl.DataFrame(
        {"ident": list(folds), "folded": list(folds.values())},
        schema={"ident": pl.String, "folded": pl.String}))
    register(con, "_name_tokens", pl.DataFrame(
        {"ident": [i for i, _ in tokens], "token": [t for _, t in tokens]},
        schema={"ident": pl.String, "token": pl.String}))
    run_sql(con, query("ingest/name_folds.sql"), {})
    con.unregister("_name_folds")  # not in a finally: in a failed transaction DuckDB would
    con.unregister("_name_tokens")  # refuse it and hide the real error


def register_idents(con: duckdb.DuckDBPyConnection, mapping: dict[Any, str | None],
                    key_type: pl.DataType) -> None:
    """Store new hashed identities and build temp table ``_idmap`` (source value → ident_id)."""
    pairs = [(k, v) for k, v in mapping.items() if v is not None]
    frame = pl.DataFrame({"k": [p[0] for p in pairs], "ident": [p[1] for p in pairs]},
                         schema={"k": key_type, "ident": pl.String})
    register(con, "_idents_df", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE _idents AS SELECT * FROM _idents_df")
    con.unregister("_idents_df")
    run_sql(con, query("ingest/identities.sql"), {})


def quarantine(con: duckdb.DuckDBPyConnection, file_id: int, path: Path,
               rows: list[tuple[int | None, str]]) -> None:
    """Insert (line, reason) rows for one file, but not those an earlier ingestion of the same
    bytes already quarantined."""
    if not rows:
        return
    frame = pl.DataFrame({"line": [r[0] for r in rows], "reason": [r[1] for r in rows]},
                         schema={"line": pl.Int64, "reason": pl.String})
    with registered(con, {"_quarantine_df": frame}):
        run_sql(con, query("ingest/quarantine_insert.sql"),
                {"id": file_id, "name": path.name, "sha256": file_sha256(path)})
