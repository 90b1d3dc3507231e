"""``m2if ingest oulad``: the Open University Learning Analytics Dataset into the warehouse.

OULAD (Kuzilek, Hlosta, Zdrahal 2017, Scientific Data 4:170171, CC BY 4.0) is the public data
the risk model is trained and validated on. Seven tables; the click stream (studentVle) may
be one file or one per presentation (``studentVle_AAA_2013J.csv``). DuckDB reads each file
(``queries/oulad/read_source.sql``), a per-table SQL file types and checks every record,
then new rows are inserted and the rest counted as duplicates or quarantined. id_student is
hashed once per distinct value and never stored: ``student`` is its pseudonym.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    first_line,
    new_file_id,
    quarantine,
    reading,
    record_file,
)
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser, pseudonym
from m2if_analytics.warehouse.sql import register, run_sql, transaction

ATTRIBUTION = ("OULAD: Kuzilek J., Hlosta M., Zdrahal Z. (2017). Open University Learning "
               "Analytics dataset. Scientific Data 4:170171. "
               "https://doi.org/10.1038/sdata.2017.171 (CC BY 4.0)")


@dataclass(frozen=True)
class Kind:
    """One OULAD table: its file, its columns, its warehouse table and the row key."""

    name: str               # stage_<name>.sql
    pattern: str            # file name (regular expression, case-insensitive)
    header: tuple[str, ...]  # columns the file must have
    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]  # the table's columns except file_id, in order

    @property
    def has_student(self) -> bool:
        return "id_student" in self.header


_PRES = ("code_module", "code_presentation")
KINDS = (
    Kind("courses", r"courses\.csv(\.gz)?", (*_PRES, "module_presentation_length"), "oulad_courses",
         ("presentation",), ("presentation", *_PRES, "length_days")),
    Kind("assessments", r"assessments\.csv(\.gz)?",
         (*_PRES, "id_assessment", "assessment_type", "date", "weight"), "oulad_assessments",
         ("id_assessment",),
         ("id_assessment", "presentation", *_PRES, "assessment_type", "due_day", "weight")),
    Kind("vle", r"vle\.csv(\.gz)?", ("id_site", *_PRES, "activity_type", "week_from", "week_to"),
         "oulad_vle", ("id_site",),
         ("id_site", "presentation", *_PRES, "activity_type", "week_from", "week_to")),
    Kind("students", r"studentinfo\.csv(\.gz)?",
         (*_PRES, "id_student", "gender", "region", "highest_education", "imd_band", "age_band",
          "num_of_prev_attempts", "studied_credits", "disability", "final_result"),
         "oulad_students", ("presentation", "student"),
         ("presentation", "student", *_PRES, "gender", "region", "highest_education",
          "imd_band", "age_band", "num_of_prev_attempts", "studied_credits", "disability",
          "final_result")),
    Kind("registrations", r"studentregistration\.csv(\.gz)?",
         (*_PRES, "id_student", "date_registration", "date_unregistration"),
         "oulad_registrations", ("presentation", "student"),
         ("presentation", "student", *_PRES, "date_registration", "date_unregistration")),
    Kind("student_assessments", r"studentassessment\.csv(\.gz)?",
         ("id_assessment", "id_student", "date_submitted", "is_banked", "score"),
         "oulad_student_assessments", ("id_assessment", "student"),
         ("id_assessment", "student", "presentation", "date_submitted", "is_banked", "score")),
    Kind("clicks", r"studentvle(_[^/]+)?\.csv(\.gz)?",
         (*_PRES, "id_student", "id_site", "date", "sum_click"), "oulad_clicks",
         ("presentation", "student", "id_site", "day"),
         ("presentation", "student", "id_site", "day", "clicks", "source_rows")),
)
_TEMP = ("_oulad_src", "_oulad_stage", "_oulad_status", "_oulad_groups", "_oulad_ids",
         "_oulad_rejects", "_oulad_scans")


def kind_of(path: Path) -> Kind | None:
    """The OULAD table a file holds, from its name (None for any other file)."""
    for kind in KINDS:
        if re.fullmatch(kind.pattern, path.name, re.IGNORECASE):
            return kind
    return None


def oulad_files(folder: Path) -> list[tuple[Path, Kind]]:
    """The OULAD files of a folder in load order (assessments before studentAssessment)."""
    if not folder.is_dir():
        raise IngestError(f"{folder}: not a folder; give the folder holding the OULAD CSVs")
    found = [(p, k) for p in sorted(folder.iterdir()) if (k := kind_of(p)) is not None]
    if not found:
        raise IngestError(f"{folder}: no OULAD file (courses.csv, assessments.csv, vle.csv, "
                          "studentInfo.csv, studentRegistration.csv, studentAssessment.csv, "
                          "studentVle.csv or studentVle_<MODULE>_<PRESENTATION>.csv)")
    order = {k.name: i for i, k in enumerate(KINDS)}
    return sorted(found, key=lambda pk: (order[pk[1].name], pk[0].name))


def presentation_files(folder: Path, presentations: set[str]) -> list[tuple[Path, Kind]]:
    """The OULAD files of ``folder`` needed for some presentations: every table, and of a
    click stream split per presentation (``studentVle_AAA_2013J.csv[.gz]``) only theirs."""
    wanted = {p.upper() for p in presentations}
    out = []
    for path, kind in oulad_files(folder):
        name = re.sub(r"\.csv(\.gz)?$", "", path.name, flags=re.IGNORECASE)
        split = name[len("studentVle_"):] if kind.name == "clicks" else ""
        if not split or split.upper() in wanted:
            out.append((path, kind))
    return out


def ingest_oulad(con: duckdb.DuckDBPyConnection, folder: Path,
                 pseudo: Pseudonymiser) -> list[IngestAccount]:
    """Load every OULAD file of ``folder``, each in its own transaction; one account each."""
    return [ingest_oulad_file(con, path, pseudo, kind) for path, kind in oulad_files(folder)]


def ingest_oulad_file(con: duckdb.DuckDBPyConnection, path: Path, pseudo: Pseudonymiser,
                      kind: Kind | None = None) -> IngestAccount:
    """Load one OULAD file (its table known from its name); the file is one transaction."""
    check_input(path)
    kind = kind or kind_of(path)
    if kind is None:
        raise IngestError(f"{path}: not an OULAD file name (e.g. studentInfo.csv)")
    _check_header(path, kind)
    try:
        with transaction(con):
            file_id = new_file_id(con)
            account, bad = _load(con, path, kind, pseudo, file_id)
            quarantine(con, file_id, path, bad)
            record_file(con, file_id, path, "oulad", kind.name, account)
    finally:
        for table in _TEMP:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return account


def _check_header(path: Path, kind: Kind) -> None:
    names = {h.strip().lstrip("\ufeff").strip('"').strip().lower()
             for h in first_line(path).split(",")}
    missing = [c for c in kind.header if c.lower() not in names]
    if missing:
        raise IngestError(f"{path}, line 1: an OULAD {kind.name} file needs the columns "
                          f"{list(kind.header)}; missing {missing} (is it the right file?)")


def _load(con: duckdb.DuckDBPyConnection, path: Path, kind: Kind, pseudo: Pseudonymiser,
          file_id: int) -> tuple[IngestAccount, list[tuple[int | None, str]]]:
    run_sql(con, sqlfiles.query("oulad/read_source.sql"), {"path": str(path)})
    rejects = con.execute(
        """SELECT line, first(CASE WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')
                                   THEN error_message
                                   ELSE lower(CAST(error_type AS VARCHAR)) END
                              ORDER BY column_idx)
           FROM _oulad_rejects GROUP BY line ORDER BY line""").fetchall()
    if kind.has_student:
        _register_students(con, pseudo)
    run_sql(con, sqlfiles.query(f"oulad/stage_{kind.name}.sql"), {})
    if kind.name == "clicks":
        run_sql(con, sqlfiles.query("oulad/load_clicks.sql"), {"file_id": file_id})
        counts = dict(con.execute("SELECT status, sum(source_rows) FROM _oulad_groups "
                                  "GROUP BY status").fetchall())
        conflicts = con.execute("""
            SELECT s.rn, 'clicks of this student, site and day were loaded from '
                   || f.file_name || ' with another total (' || g.loaded_clicks
                   || '); build a new warehouse to replace them'
            FROM _oulad_stage AS s
            JOIN _oulad_groups AS g USING (presentation, student, id_site, day)
            JOIN ingest_files AS f ON f.file_id = g.loaded_file_id
            WHERE s.reason IS NULL AND g.status = 'conflict'""").fetchall()
    else:
        for statement in _dedup_sql(kind):
            con.execute(statement, {"file_id": file_id} if "$file_id" in statement else {})
        counts = dict(con.execute("SELECT status, count(*) FROM _oulad_status "
                                  "GROUP BY status").fetchall())
        conflicts = con.execute("SELECT rn, reason FROM _oulad_status "
                                "WHERE status = 'conflict' ORDER BY rn").fetchall()
    invalid = con.execute("SELECT rn, reason FROM _oulad_stage WHERE reason IS NOT NULL "
                          "ORDER BY rn").fetchall()
    records = _count(con, "SELECT count(*) FROM _oulad_src")
    by_rn = sorted([*invalid, *conflicts])
    lines = _lines(path, [int(r[0]) for r in by_rn], [int(r[0]) for r in rejects])
    bad: list[tuple[int | None, str]] = [(line, str(r[1])) for line, r in zip(lines, by_rn,
                                                                              strict=True)]
    bad += [(int(line), f"malformed line ({msg})") for line, msg in rejects]
    bad.sort(key=lambda b: b[0] or 0)
    loaded, duplicates = int(counts.get("new") or 0), int(counts.get("duplicate") or 0)
    account = IngestAccount(path.name, records + len(rejects), loaded, duplicates, len(bad))
    return account, bad


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    rows = con.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0


def _register_students(con: duckdb.DuckDBPyConnection, pseudo: Pseudonymiser) -> None:
    """``_oulad_ids``: each distinct well-formed id_student text → its pseudonym."""
    texts = [r[0] for r in con.execute("SELECT DISTINCT trim(id_student) FROM _oulad_src "
                                       "WHERE id_student IS NOT NULL").fetchall()]
    pairs = [(t, student_pseudonym(pseudo, int(t))) for t in texts if re.fullmatch(r"\d+", t)]
    frame = pl.DataFrame({"id_text": [p[0] for p in pairs], "student": [p[1] for p in pairs]},
                         schema={"id_text": pl.String, "student": pl.String})
    register(con, "_oulad_ids_df", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE _oulad_ids AS SELECT * FROM _oulad_ids_df")
    con.unregister("_oulad_ids_df")


def student_pseudonym(pseudo: Pseudonymiser, id_student: int) -> str:
    """The warehouse's ``student`` for an OULAD id_student ('p' + 12 hex digits)."""
    ident = pseudo.id_ident(f"oulad:{id_student}")
    assert ident is not None
    return pseudonym(ident)


def _dedup_sql(kind: Kind) -> list[str]:
    """Status of each valid staged row (new | duplicate | conflict), then insert the new ones.

    A row equal to one already loaded, or to an earlier row of the file, is a duplicate; a row
    whose key is already loaded (or earlier in the file) with other values is quarantined.
    Identifiers come from :data:`KINDS` only; values are bound.
    """
    key = f"struct_pack({', '.join(f'{c} := {c}' for c in kind.key)})"
    val = f"struct_pack({', '.join(f'{c} := {c}' for c in kind.columns)})"
    cols = ", ".join(kind.columns)
    status = f"""
        CREATE OR REPLACE TEMP TABLE _oulad_status AS
        WITH valid AS (
            SELECT rn, {key} AS k, {val} AS v FROM _oulad_stage WHERE reason IS NULL
        ), ranked AS (
            SELECT *, row_number() OVER w AS nth, first_value(v) OVER w AS v0
            FROM valid WINDOW w AS (PARTITION BY k ORDER BY rn)
        ), loaded AS (
            SELECT {key} AS k, {val} AS v, file_id FROM {kind.table}
        )
        SELECT r.rn,
            CASE WHEN l.k IS NOT NULL AND l.v = r.v THEN 'duplicate'
                 WHEN l.k IS NOT NULL THEN 'conflict'
                 WHEN r.nth > 1 AND r.v = r.v0 THEN 'duplicate'
                 WHEN r.nth > 1 THEN 'conflict'
                 ELSE 'new' END AS status,
            CASE WHEN l.k IS NOT NULL AND l.v <> r.v THEN 'already loaded from ' || f.file_name
                     || ' with other values for the same {"/".join(kind.key)}; build a new '
                     || 'warehouse to replace it'
                 WHEN l.k IS NULL AND r.nth > 1 AND r.v <> r.v0 THEN 'an earlier row of this '
                     || 'file has the same {"/".join(kind.key)} with other values' END AS reason
        FROM ranked AS r
        LEFT JOIN loaded AS l ON l.k = r.k
        LEFT JOIN ingest_files AS f ON f.file_id = l.file_id"""
    insert = f"""
        INSERT INTO {kind.table} ({cols}, file_id)
        SELECT {cols}, $file_id FROM _oulad_stage
        WHERE rn IN (SELECT rn FROM _oulad_status WHERE status = 'new')"""
    return [status, insert]


def _lines(path: Path, rns: list[int], rejected: list[int]) -> list[int | None]:
    """Physical line of each record number (rn): 1 + rn + the lines skipped before it.

    DuckDB numbers only the well-formed records; malformed lines (with their own line numbers)
    and blank lines are skipped, so both are counted back in. One record per line, as in OULAD.
    """
    if not rns:
        return []
    skipped = sorted(set(rejected) | set(_blank_lines(path)))
    # the j-th skipped line (1-based) comes after (line - 1 - j) well-formed records
    after = [line - 1 - j for j, line in enumerate(skipped, start=1)]
    return [rn + 1 + bisect.bisect_left(after, rn) for rn in rns]


def _blank_lines(path: Path) -> list[int]:
    """Line numbers of the empty lines of a file (CRLF or LF)."""
    with reading(path) as fh:
        return [n for n, raw in enumerate(fh, start=1) if raw in (b"\n", b"\r\n")]
