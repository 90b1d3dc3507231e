"""Re-identification for the programme's managers: a separate pseudonym → name file.

    summary = build_mapping(Path("roster.csv"), Path("~/private/mapping.csv").expanduser())
    names = load_mapping(Path("~/private/mapping.csv").expanduser())   # {"p0123…": "Léa …"}

The warehouse never holds a name (README: "Privacy"). To put a name back on a pseudonym, the
manager runs ``m2if reidentify`` on the roster they already hold: each roster person's
pseudonym is computed with the warehouse's key exactly as roster ingestion computes it
(:func:`m2if_analytics.ingest.roster.person_idents`), and ``pseudonym,display_name[,group]``
rows are written to a **new file, mode 0600**, kept apart from the analytics tables. The
warehouse is opened read-only: nothing is written into it.

Where the file goes is the manager's choice. Writing it into the warehouse's folder is
allowed (the default warehouse, ``./m2if.duckdb``, makes the working folder that folder) but
draws a warning: that folder is often shared with people who may read the analytics and
should not read names. The file never overwrites the roster, the warehouse or its key, and
replaces an existing mapping only with ``force``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from m2if_analytics.errors import KeyMismatchError, M2IFError, WarehouseBusyError
from m2if_analytics.ingest.common import decode, fold_header, records, sniff_delimiter
from m2if_analytics.ingest.roster import person_idents, read_roster
from m2if_analytics.outputs import neutral_rows, plain_cell, write_text
from m2if_analytics.paths import resolve_paths
from m2if_analytics.warehouse import meta
from m2if_analytics.warehouse.pseudonyms import (
    KEY_ENV,
    Pseudonymiser,
    load_or_create_key,
    pseudonym,
)
from m2if_analytics.warehouse.sql import run

HEADER = ("pseudonym", "display_name", "group")
PSEUDONYM = re.compile(r"p[0-9a-f]{12}")
_FIX = "regenerate it with: m2if reidentify --roster ROSTER.csv --out FILE --force"


class MappingError(M2IFError):
    """A re-identification mapping file is missing or malformed."""


@dataclass(frozen=True)
class Person:
    """One line of the mapping."""

    pseudonym: str
    display_name: str
    group: str | None
    role: str


@dataclass
class MappingSummary:
    """What :func:`build_mapping` wrote, and what the manager should know about it."""

    path: Path
    people: int
    in_warehouse: int
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"wrote {self.people} people to {self.path} (mode 0600; "
                f"{self.in_warehouse} of them are in the warehouse's roster)")


def warehouse_key(db: Path, key_file: Path) -> tuple[Pseudonymiser, set[str]]:
    """The key (``M2IF_PSEUDONYM_KEY``, else ``key_file``; never created here) checked
    against the fingerprint the warehouse recorded, and the roster's pseudonyms. Read-only."""
    if not db.is_file():
        raise M2IFError(f"warehouse {db} not found: pass --db (the warehouse the roster was "
                        "ingested into)")
    if not os.environ.get(KEY_ENV) and not key_file.is_file():
        raise KeyMismatchError(f"no pseudonymisation key: {KEY_ENV} is not set and {key_file} "
                               "does not exist; give the warehouse's key with --key-file")
    pseudo = load_or_create_key(key_file, announce=False)
    origin = KEY_ENV if os.environ.get(KEY_ENV) else str(key_file)
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(f"warehouse {db} is in use by another process; try again "
                                     "when it has finished") from None
        raise M2IFError(f"cannot open warehouse {db}: {exc}") from None
    try:
        recorded = meta.get(con, "key_fingerprint") if meta.table_exists(con, "meta") else None
        persons = ({r[0] for r in run(con, "privacy/roster_persons.sql")}
                   if meta.table_exists(con, "roster") else set())
    finally:
        con.close()
    if recorded is None:
        raise M2IFError(f"warehouse {db} has no pseudonymisation key recorded yet: ingest the "
                        "roster first (m2if ingest roster FILE)")
    if recorded != pseudo.fingerprint:
        raise KeyMismatchError(
            f"the pseudonymisation key from {origin} (fingerprint {pseudo.fingerprint}) is not "
            f"the one warehouse {db} was built with (fingerprint {recorded}); use the original "
            "key file (--key-file) or M2IF_PSEUDONYM_KEY")
    return pseudo, persons


def roster_people(roster: Path, pseudo: Pseudonymiser) -> list[Person]:
    """Every valid roster row as (pseudonym, display name, group, role), one per pseudonym
    (the last row wins, as in ingestion), sorted by group then name. The display name is the
    full name, else the e-mail, else the user id."""
    rows, _, _, _ = read_roster(roster)
    people: dict[str, Person] = {}
    for row in rows:
        ident = person_idents(pseudo, row)[0]
        shown = row.name or row.email or f"user {row.user_id}"
        people[pseudonym(ident)] = Person(pseudonym(ident), shown, row.group, row.role)
    return sorted(people.values(), key=lambda p: (p.group is None, p.group or "",
                                                  p.display_name.casefold(), p.pseudonym))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_destination(out: Path, roster: Path, db: Path, key_file: Path,
                      force: bool) -> list[str]:
    """Refuse a destination that is the roster, the warehouse or its key, a folder, or an
    existing file without ``force``; return warnings (inside the warehouse's folder)."""
    target = out.expanduser().resolve()
    for what, path in (("the roster", roster), ("the warehouse", db), ("the key file", key_file)):
        if target == path.expanduser().resolve():
            raise M2IFError(f"--out {out} is {what}; write the mapping to a file of its own")
    if target.is_dir():
        raise M2IFError(f"--out {out} is a folder; give a file name such as mapping.csv")
    if target.exists() and not force:
        raise M2IFError(f"{out} already exists; pass --force to replace it")
    warehouse_folder = db.expanduser().resolve().parent
    if _inside(target, warehouse_folder):
        return [f"the mapping is in the warehouse's folder {warehouse_folder}: anyone who can "
                "read the analytics there can read the names; keep it in a private folder "
                "(e.g. your home directory) and give its path with --mapping"]
    return []


def write_mapping(people: list[Person], out: Path) -> Path:
    """Write ``pseudonym,display_name,group`` to ``out``, created 0600 (then renamed into
    place, so a reader never sees half a file and an existing file is replaced whole)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(neutral_rows((p.pseudonym, p.display_name, p.group or "")
                                  for p in people))
    return write_text(out, buffer.getvalue(), mode=0o600)


def build_mapping(roster: Path, out: Path, db: str | Path | None = None,
                  config: str | Path | None = None, key_file: str | Path | None = None,
                  force: bool = False) -> MappingSummary:
    """Compute every roster person's pseudonym with the warehouse's key and write the
    mapping (see the module docstring). The warehouse is only read."""
    paths = resolve_paths(db, config, key_file)
    warnings = check_destination(out, roster, paths.db, paths.key_file, force)
    pseudo, known = warehouse_key(paths.db, paths.key_file)
    people = roster_people(roster, pseudo)
    if not people:
        raise M2IFError(f"{roster}: no valid person in the roster; nothing written")
    missing = [p for p in people if p.pseudonym not in known]
    if missing:
        warnings.append(f"{len(missing)} of the {len(people)} people are not in the warehouse's "
                        "roster (another roster, or not ingested yet): their lines will match "
                        "nothing")
    written = write_mapping(people, out)
    return MappingSummary(written, len(people), len(people) - len(missing), warnings)


def load_mapping(path: str | Path) -> dict[str, str]:
    """pseudonym → display name from a mapping file written by ``m2if reidentify``.

    Comma, semicolon or tab (a spreadsheet may re-save it), UTF-8 with or without BOM; a
    header with ``pseudonym`` and ``display_name`` (``group`` optional). Raises
    :class:`MappingError` naming the file, the line, what is wrong and what to do. Warns on
    standard error when the file is readable by other users.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise MappingError(f"re-identification mapping {path} not found; create it with: "
                           "m2if reidentify --roster ROSTER.csv --out FILE")
    text = decode(path.read_bytes(), path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise MappingError(f"{path}, line 1: empty file, expected the header "
                           f"{','.join(HEADER)}; {_FIX}")
    rows = list(records(text, sniff_delimiter(lines[0], path, ",")))
    header = [fold_header(h) for h in rows[0][1]]
    where = {name: header.index(name.replace("_", " ")) for name in HEADER
             if name.replace("_", " ") in header}
    if "pseudonym" not in where or "display_name" not in where:
        raise MappingError(f"{path}, line 1: the header needs pseudonym and display_name "
                           f"(found {rows[0][1]}); {_FIX}")
    names: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for line, fields in rows[1:]:
        if len(fields) != len(header):
            raise MappingError(f"{path}, line {line}: expected {len(header)} fields, found "
                               f"{len(fields)} (a name with a comma must be quoted); {_FIX}")
        key = fields[where["pseudonym"]].strip()
        name = plain_cell(fields[where["display_name"]].strip())
        if not PSEUDONYM.fullmatch(key):
            raise MappingError(f"{path}, line {line}: {key!r} is not a pseudonym (p followed "
                               f"by 12 hexadecimal digits); {_FIX}")
        if not name:
            raise MappingError(f"{path}, line {line}: empty display_name for {key}; {_FIX}")
        if key in names and names[key] != name:
            raise MappingError(f"{path}, line {line}: {key} already has another name on line "
                               f"{first_line[key]}; keep one line per pseudonym")
        names[key] = name
        first_line.setdefault(key, line)
    if not names:
        raise MappingError(f"{path}: a header and no person; {_FIX}")
    _warn_if_shared(path)
    return names


def _warn_if_shared(path: Path) -> None:
    mode = path.stat().st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(f"warning: {path} is readable by other users (mode {stat.S_IMODE(mode):o}); "
              f"restrict it with: chmod 600 {path}", file=sys.stderr)
