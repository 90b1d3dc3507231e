"""``m2if ingest grades|deadlines|submissions|internship|milestones|resources``: the programme
tables (CSV).

Formats (columns recognised by name, case- and accent-insensitively, English or French, any
order, comma/semicolon/tab, UTF-8 with or without BOM, else Windows-1252) are documented in
the README ("Programme tables"). Each file is one transaction; bad rows are quarantined with their
line and reason; rows read = loaded + duplicates + quarantined. A row identical to one
already stored is a duplicate; a row with the same key and other values (a corrected grade,
a moved deadline) replaces the stored one and counts as loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    header_roles,
    new_file_id,
    quarantine,
    record_file,
    register_idents,
    register_names,
)
from m2if_analytics.ingest.csvfile import Export, read_export, with_header
from m2if_analytics.ingest.programme_specs import (
    COHORT_ALIASES,
    DEADLINES,
    GRADES,
    INTERNSHIP,
    MILESTONES,
    MISSION_LETTERS,
    RESOURCES,
    STUDENT_ALIASES,
    SUBMISSIONS,
    Spec,
)
from m2if_analytics.ingest.programme_values import (
    RowError,
    student_ident,
)
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.sql import one, register, transaction


def _read(path: Path) -> Export:
    check_input(path)
    return read_export(path)


def _load(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config, pseudo: Pseudonymiser,
          spec: Spec, cohort_id: str | None, strict: bool,
          export: Export | None = None) -> IngestAccount:
    export = export if export is not None else _read(path)
    rows = with_header(export)
    header = rows[0][1]
    aliases = {**spec.aliases, **COHORT_ALIASES,
               **(STUDENT_ALIASES if spec.student else {})}
    cols = header_roles(header, aliases)
    missing = [" or ".join(alt) for alt in spec.required if not any(a in cols for a in alt)]
    has_student = ("user_id" in cols or "full_name" in cols or "email" in cols
                   or {"first_name", "last_name"} <= set(cols))
    if spec.student and not has_student:
        missing.insert(0, "user_id and/or full_name")
    if missing:
        raise IngestError(f"{path}, line 1: a {spec.kind} file needs the column(s) "
                          f"{', '.join(missing)} (found {header}); see "
                          "the README, 'Programme tables'")
    known_cohorts = {c.id for c in cfg.cohorts}
    default_cohort = (cfg.cohort(cohort_id).id if cohort_id or not spec.student else None)

    bad: list[tuple[int | None, str]] = list(export.bad)
    names: list[str] = []
    kept: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    in_file_duplicates = 0
    for line, fields in rows[1:]:
        if len(fields) != len(header):
            bad.append((line, f"expected {len(header)} fields, found {len(fields)}"))
            continue

        def get(role: str, fields: list[str] = fields) -> str:
            return fields[cols[role]].strip() if role in cols else ""

        try:
            cohort = get("cohort") or default_cohort
            if cohort is not None and cohort not in known_cohorts:
                raise RowError(f"unknown cohort {cohort!r}; add it to the config")
            row = spec.parse(get, cfg)
            if spec.student:
                name = get("full_name") or " ".join(
                    p for p in (get("first_name"), get("last_name")) if p)
                row["k"] = student_ident(pseudo, get("user_id"), name, get("email"))
                if name and not get("user_id"):
                    names.append(name)
        except RowError as exc:
            bad.append((line, str(exc)))
            continue
        row["cohort_id"] = cohort
        key = (row.get("k"), cohort, *(row[c] for c in spec.key))
        if key in kept:
            first_line, first = kept[key]
            if all(first[c] == row[c] for c in spec.values):
                in_file_duplicates += 1
            else:
                bad.append((line, f"conflicts with line {first_line} (same {spec.describe_key},"
                                  " other values); keep one of them"))
            continue
        kept[key] = (line, row)
    if strict and bad:
        raise IngestError(f"{path}, line {bad[0][0]}: {bad[0][1]} (--strict: nothing loaded; "
                          f"{len(bad)} bad row(s) in all)")

    staged = [(line, row) for line, row in kept.values()]
    columns = ("cohort_id", *spec.key, *spec.values)
    frame = pl.DataFrame(
        {"line": [line for line, _ in staged], "k": [r.get("k") for _, r in staged],
         **{c: [r[c] for _, r in staged] for c in columns}},
        schema={"line": pl.Int64, "k": pl.String, "cohort_id": pl.String, **spec.schema})
    with transaction(con):
        file_id = new_file_id(con)
        register_names(con, pseudo, names)
        inserted = _merge(con, spec, frame, file_id)
        account = IngestAccount(path.name, export.read, inserted,
                                in_file_duplicates + len(staged) - inserted, len(bad),
                                len(export.recoded))
        quarantine(con, file_id, path, sorted(bad, key=lambda b: b[0] or 0))
        record_file(con, file_id, path, spec.kind, "csv", account)
    return account


def _merge(con: duckdb.DuckDBPyConnection, spec: Spec, frame: pl.DataFrame,
           file_id: int) -> int:
    """Insert the staged rows that differ from what is stored; replace rows with the same
    key and other values. Returns the number of rows inserted."""
    key = (("ident_id",) if spec.student else ()) + ("cohort_id", *spec.key)
    stored = ", ".join((*key, *spec.values))
    same_key = " AND ".join(f"t.{c} IS NOT DISTINCT FROM s.{c}" for c in key)
    same_values = " AND ".join(f"t.{c} IS NOT DISTINCT FROM s.{c}" for c in spec.values)
    if spec.student:
        register_idents(con, {k: k for k in frame["k"].unique().to_list()}, pl.String)
    register(con, "_programme_df", frame)
    # identifiers below come from the fixed Spec constants; values are never spliced in
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _programme_staged AS SELECT "
        + ("m.ident_id, " if spec.student else "")
        + "d.* EXCLUDE (k) FROM _programme_df AS d"
        + (" JOIN _idmap AS m ON m.k = d.k" if spec.student else ""))
    con.unregister("_programme_df")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _programme_new AS
        SELECT s.* FROM _programme_staged AS s
        WHERE NOT EXISTS (SELECT 1 FROM {spec.table} AS t WHERE {same_key} AND {same_values})
    """)
    con.execute(f"""
        DELETE FROM {spec.table} AS t
        WHERE EXISTS (SELECT 1 FROM _programme_new AS s WHERE {same_key})""")
    con.execute(f"INSERT INTO {spec.table} ({stored}, file_id, line) "
                f"SELECT {stored}, $file_id, line FROM _programme_new", {"file_id": file_id})
    count = one(con.execute("SELECT count(*) FROM _programme_new"))
    con.execute("DROP TABLE _programme_staged")
    con.execute("DROP TABLE _programme_new")
    return int(count[0]) if count else 0


def ingest_grades(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                  pseudo: Pseudonymiser, cohort_id: str | None = None,
                  strict: bool = False) -> IngestAccount:
    """Load a grades CSV (student, ue, assessment, grade, scale, weight, date)."""
    return _load(con, Path(path), cfg, pseudo, GRADES, cohort_id, strict)


def ingest_deadlines(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                     pseudo: Pseudonymiser, cohort_id: str | None = None,
                     strict: bool = False) -> IngestAccount:
    """Load a deadlines CSV (ue, assignment, due local date-time, optional cmid, cohort).

    Rows without a cohort belong to ``cohort_id``, else to the latest configured cohort.
    """
    return _load(con, Path(path), cfg, pseudo, DEADLINES, cohort_id, strict)


def ingest_submissions(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                       pseudo: Pseudonymiser, cohort_id: str | None = None,
                       strict: bool = False) -> IngestAccount:
    """Load a submissions CSV (student, assignment, submitted_at local date-time)."""
    return _load(con, Path(path), cfg, pseudo, SUBMISSIONS, cohort_id, strict)


def is_mission_letters(header: list[str]) -> bool:
    """A mission-letters file has a validated_on column (and no days)."""
    roles = header_roles(header, {**INTERNSHIP.aliases, **MISSION_LETTERS.aliases})
    return "validated_on" in roles and not {"days", "half_days"} & set(roles)


def ingest_internship(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                      pseudo: Pseudonymiser, cohort_id: str | None = None,
                      strict: bool = False) -> IngestAccount:
    """Load internship days (student, date, days or half_days) — or, when the file has a
    ``validated_on`` column, mission-letter validations (student, validated_on)."""
    path = Path(path)
    export = _read(path)
    spec = MISSION_LETTERS if is_mission_letters(export.header) else INTERNSHIP
    return _load(con, path, cfg, pseudo, spec, cohort_id, strict, export)


def ingest_mission_letters(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                           pseudo: Pseudonymiser, cohort_id: str | None = None,
                           strict: bool = False) -> IngestAccount:
    """Load mission-letter validations (student, validated_on; empty = not yet)."""
    return _load(con, Path(path), cfg, pseudo, MISSION_LETTERS, cohort_id, strict)


def ingest_milestones(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                      pseudo: Pseudonymiser, cohort_id: str | None = None,
                      strict: bool = False) -> IngestAccount:
    """Load the mémoire's milestones done by hand (student, milestone id or title, done_on)."""
    return _load(con, Path(path), cfg, pseudo, MILESTONES, cohort_id, strict)


def ingest_resources(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                     pseudo: Pseudonymiser, cohort_id: str | None = None,
                     strict: bool = False) -> IngestAccount:
    """Load the list of documents provided (cmid, optional course_id, ue, name, cohort), so
    that coverage counts the documents nobody opened. Rows without a cohort belong to
    ``cohort_id``, else to the latest configured cohort."""
    return _load(con, Path(path), cfg, pseudo, RESOURCES, cohort_id, strict)


INGESTERS = {"grades": ingest_grades, "deadlines": ingest_deadlines,
             "submissions": ingest_submissions, "internship": ingest_internship,
             "mission_letters": ingest_mission_letters, "milestones": ingest_milestones,
             "resources": ingest_resources}
