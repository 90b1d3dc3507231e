"""``m2if followup import FILE.csv``: contacts from a spreadsheet, every row accounted.

Columns (English or French, any order): student|etudiant, date, by|tutor|par|tuteur,
channel|canal, outcome|resultat, next|suite (optional), note (optional). Bad rows are
quarantined with their line and reason; a contact already recorded counts as a duplicate.
"""

from __future__ import annotations

from pathlib import Path

from m2if_analytics.errors import IngestError
from m2if_analytics.followup.notes import add_notes
from m2if_analytics.followup.store import check_students, store
from m2if_analytics.followup.values import Contact, ContactError
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    header_roles,
    new_file_id,
    quarantine,
    record_file,
)
from m2if_analytics.ingest.csvfile import read_export, with_header
from m2if_analytics.warehouse.sql import transaction
from m2if_analytics.warehouse.workspace import Workspace

ALIASES = {
    "student": {"student", "etudiant", "etudiante", "pseudonym", "pseudonyme"},
    "date": {"date", "contact date", "date du contact", "le"},
    "by": {"by", "tutor", "par", "tuteur", "tutrice", "qui"},
    "channel": {"channel", "canal", "moyen"},
    "outcome": {"outcome", "resultat", "issue"},
    "next": {"next", "next step", "suite", "prochaine etape", "relance"},
    "note": {"note", "notes", "commentaire", "remarque"},
}
REQUIRED = ("student", "date", "by", "channel", "outcome")


def _columns(header: list[str], path: Path) -> dict[str, int]:
    cols = header_roles(header, ALIASES)
    missing = [r for r in REQUIRED if r not in cols]
    if missing:
        raise IngestError(f"{path}, line 1: a follow-up file needs the column(s) "
                          f"{', '.join(missing)} (found {header}); see the README, "
                          "'Follow-up log'")
    return cols


def import_file(ws: Workspace, path: Path, cohort: str | None = None,
                mapping: Path | None = None) -> tuple[IngestAccount, int]:
    """Load one file of contacts in one transaction: its account and the number of notes
    dropped (notes are kept only with ``mapping``)."""
    check_input(path)
    c = ws.cfg.cohort(cohort)
    export = read_export(path)
    rows = with_header(export)
    header = rows[0][1]
    cols = _columns(header, path)
    bad: list[tuple[int | None, str]] = list(export.bad)
    good: list[tuple[int, Contact, str]] = []
    for line, fields in rows[1:]:
        if len(fields) != len(header):
            bad.append((line, f"expected {len(header)} fields, found {len(fields)}"))
            continue
        get = {role: fields[i].strip() for role, i in cols.items()}
        try:
            good.append((line, Contact.parse(get["student"], get["date"], get["by"],
                                             get["channel"], get["outcome"],
                                             get.get("next", "")), get.get("note", "")))
        except ContactError as exc:
            bad.append((line, str(exc)))
    unknown = set(check_students(ws, c.id, [g[1].student for g in good]))
    bad += [(line, f"{contact.student} is not a student of cohort {c.id}")
            for line, contact, _ in good if contact.student in unknown]
    good = [g for g in good if g[1].student not in unknown]
    with_notes = [(i, g) for i, g in enumerate(good) if g[2]]
    note_ids: list[str | None] = [None] * len(good)
    if mapping is not None and with_notes:
        ids = add_notes(mapping, [(g[1].student, g[1].date, g[2]) for _, g in with_notes])
        for (i, _), note_id in zip(with_notes, ids, strict=True):
            note_ids[i] = note_id
    with transaction(ws.con):
        file_id = new_file_id(ws.con)
        inserted = store(ws, c.id, [g[1] for g in good], note_ids, file_id)
        account = IngestAccount(path.name, export.read, inserted, len(good) - inserted,
                                len(bad), len(export.recoded))
        quarantine(ws.con, file_id, path, sorted(bad, key=lambda b: b[0] or 0))
        record_file(ws.con, file_id, path, "followup", "csv", account)
    return account, 0 if mapping is not None else len(with_notes)
