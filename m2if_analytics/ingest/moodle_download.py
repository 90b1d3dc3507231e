"""Moodle "Logs" report downloads (English or French, any column order, CSV/TSV)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import header_roles as roles_of_header
from m2if_analytics.ingest.common import (
    register_idents,
    register_names,
)
from m2if_analytics.ingest.csvfile import Export, read_export
from m2if_analytics.ingest.moodle_time import TimeReader, YearInferenceError
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.sql import query, register, run_sql

# folded header → role; see fold_header (case, accents, apostrophes, spaces)
ALIASES = {
    "time": {"time", "heure", "date", "date/heure", "date et heure", "temps"},
    "user": {"user full name", "nom complet de l'utilisateur", "nom complet", "user",
             "utilisateur"},
    "related": {"affected user", "utilisateur concerne"},
    "context": {"event context", "contexte de l'evenement"},
    "component": {"component", "composant"},
    "event": {"event name", "nom de l'evenement", "evenement"},
    "description": {"description"},
    "origin": {"origin", "origine"},
    "ip": {"ip address", "adresse ip", "ip"},
    "course": {"course", "cours"},
}
REQUIRED = ("time", "user", "event")
_USER_CONTEXT = re.compile(r"^\s*(user|utilisateur)\s*:", re.IGNORECASE)
_CMID = re.compile(r"course module id '(\d+)'")
_COURSE = re.compile(r"course with id '(\d+)'")


def header_roles(header: list[str]) -> dict[str, int]:
    """Column index of each recognised role; unknown columns are ignored."""
    return roles_of_header(header, ALIASES)


def is_download(header: list[str]) -> bool:
    return all(r in header_roles(header) for r in REQUIRED)


def scrub_context(context: str) -> str:
    """Event contexts name the user for profile events ('User: Jean Dupont'): keep the type."""
    return "User" if _USER_CONTEXT.match(context) else context


@dataclass
class _Rows:
    line: list[int]
    fields: list[list[str]]


def _split(export: Export) -> tuple[_Rows, list[tuple[int | None, str]]]:
    """The records with the header's number of fields, and every other line set aside."""
    rows = _Rows([], [])
    bad: list[tuple[int | None, str]] = list(export.bad)
    width = len(export.header)
    for line, fields in export.records:
        if len(fields) != width:
            bad.append((line, f"expected {width} fields, found {len(fields)}"))
        else:
            rows.line.append(line)
            rows.fields.append(fields)
    return rows, bad


def _column(rows: _Rows, index: int | None) -> list[str]:
    if index is None:
        return [""] * len(rows.line)
    return [f[index].strip() for f in rows.fields]


def _first_int(pattern: re.Pattern[str], texts: Iterable[str]) -> list[int | None]:
    out = []
    for t in texts:
        m = pattern.search(t)
        out.append(int(m.group(1)) if m else None)
    return out


def load(con: duckdb.DuckDBPyConnection, path: Path, pseudo: Pseudonymiser, reader: TimeReader,
         file_id: int) -> tuple[int, list[tuple[int | None, str]], int, int]:
    """Insert a download's new valid rows; return (rows read, quarantined rows, rows
    inserted, lines recoded from Windows-1252)."""
    export = read_export(path, default_delimiter=None)
    header = export.header
    roles = header_roles(header)
    missing = [r for r in REQUIRED if r not in roles]
    if missing:
        raise IngestError(f"{path}: line 1 lacks the column(s) {missing}; expected a Moodle "
                          "Logs download (Time/Heure, User full name/Nom complet de "
                          "l'utilisateur, Event name/Nom de l'événement, ...)")
    rows, bad = _split(export)
    col = {role: _column(rows, roles.get(role)) for role in ALIASES}

    try:
        times = reader.read_all(col["time"])
    except YearInferenceError as exc:
        first = next(i for i, t in enumerate(col["time"]) if str(exc).startswith(f"time {t!r}"))
        raise IngestError(f"{path}, line {rows.line[first]}: {exc}") from None
    users = pseudo.map_distinct("name", col["user"] + col["related"])

    keep: list[int] = []
    for i, line in enumerate(rows.line):
        when = times[col["time"][i]]
        if isinstance(when, str):
            bad.append((line, when))
        elif users[col["user"][i]] is None:
            bad.append((line, f"no user: the user name column holds {col['user'][i]!r} "
                              "(system, guest or anonymous event)"))
        else:
            keep.append(i)

    def pick(values: list) -> list:
        return [values[i] for i in keep]

    idents = [users[col["user"][i]] for i in keep]
    material = [
        "\x1f".join((idents[n] or "", str(times[col["time"][i]]), col["event"][i],
                     col["component"][i], col["context"][i], col["description"][i],
                     col["origin"][i], col["ip"][i], col["related"][i], col["course"][i]))
        for n, i in enumerate(keep)]
    frame = pl.DataFrame(
        {
            "key_material": material,
            "line": pick(rows.line),
            "k": idents,
            "related_k": [users[col["related"][i]] for i in keep],
            "ts": [times[col["time"][i]] for i in keep],
            "event_name": pick(col["event"]),
            "component": pick(col["component"]),
            "context": [scrub_context(col["context"][i]) for i in keep],
            "course_id": _first_int(_COURSE, pick(col["description"])),
            "cmid": _first_int(_CMID, pick(col["description"])),
            "origin": pick(col["origin"]),
        },
        schema={"key_material": pl.String, "line": pl.Int64, "k": pl.String,
                "related_k": pl.String, "ts": pl.Datetime("us"), "event_name": pl.String,
                "component": pl.String, "context": pl.String, "course_id": pl.Int64,
                "cmid": pl.Int64, "origin": pl.String},
    )
    register_idents(con, {v: v for v in users.values() if v}, pl.String)
    register_names(con, pseudo, [n for n, v in users.items() if v])
    register(con, "_download_df", frame)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _staged AS SELECT md5_number(key_material) AS event_key, "
        "line, k, related_k, timezone('UTC', ts) AS ts, event_name, component, context, "
        "course_id, cmid, origin FROM _download_df")
    con.unregister("_download_df")
    inserted = run_sql(con, query("ingest/load_events.sql"), {"file_id": file_id})
    con.execute("DROP TABLE _staged")
    return (export.read, sorted(bad, key=lambda b: b[0] or 0),
            int(inserted[0][0]) if inserted else 0, len(export.recoded))
