"""Notes of the follow-up log: free text never enters the warehouse. They live in
``followup-notes.csv`` beside the re-identification mapping (mode 0600, same protection as
the names), one row per note: note_id, student, date, note."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from pathlib import Path

from m2if_analytics.errors import M2IFError
from m2if_analytics.outputs import neutral_rows, write_text

NOTES_NAME = "followup-notes.csv"
HEADER = ["note_id", "student", "date", "note"]


def notes_file(mapping: Path) -> Path:
    """Where the notes live: beside the mapping file, which must exist."""
    if not mapping.is_file():
        raise M2IFError(f"re-identification mapping {mapping} not found: notes are kept "
                        "beside it (create it with m2if reidentify)")
    return mapping.parent / NOTES_NAME


def read_notes(mapping: Path) -> dict[str, str]:
    """note_id → note (empty when there is no notes file yet)."""
    path = notes_file(mapping)
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["note_id"]: r["note"] for r in csv.DictReader(fh)}


def new_note_id() -> str:
    return f"n{secrets.token_hex(6)}"


def add_notes(mapping: Path, notes: list[tuple[str, dt.date, str]],
              ids: list[str] | None = None) -> list[str]:
    """Append (student, date, note) rows to the notes file (rewritten atomically, 0600),
    under ``ids`` (default: new ones); their note ids, in order."""
    path = notes_file(mapping)
    rows: list[list[object]] = []
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [list(r.values()) for r in csv.DictReader(fh)]
    ids = ids or [new_note_id() for _ in notes]
    rows += [[i, s, d.isoformat(), " ".join(n.split())]
             for i, (s, d, n) in zip(ids, notes, strict=True)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(neutral_rows(rows))
    write_text(path, buffer.getvalue(), mode=0o600)
    return ids
