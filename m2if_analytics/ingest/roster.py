"""``m2if ingest roster``: who is who (ids ↔ names, hashed) and who is a student."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    fold_header,
    header_roles,
    new_file_id,
    quarantine,
    record_file,
    register_idents,
    register_names,
)
from m2if_analytics.ingest.csvfile import read_export, with_header
from m2if_analytics.text import shown
from m2if_analytics.warehouse.pseudonyms import (
    Pseudonymiser,
    is_number_text,
    name_rotations,
    normalise_id,
    normalise_name,
    pseudonym,
)
from m2if_analytics.warehouse.sql import query, register, run_sql, transaction

ALIASES = {
    "full_name": {"full name", "fullname", "nom complet", "name", "nom et prenom"},
    "first_name": {"first name", "firstname", "prenom"},
    "last_name": {"last name", "lastname", "surname", "nom de famille", "nom"},
    "user_id": {"user id", "userid", "id", "identifiant", "moodle id"},
    "role": {"role", "roles"},
    "group": {"group", "groupe", "groups", "groupes"},
    "email": {"email", "e-mail", "mail", "courriel", "adresse de courriel", "adresse email"},
    "cohort": {"cohort", "cohorte", "promotion"},
    "tutor": {"tutor", "tuteur", "tutrice", "referent", "referente", "suivi par"},
}
TUTOR = re.compile(r"[A-Za-z0-9._-]{1,32}")
ROLES = {
    "student": {"student", "etudiant", "etudiante", "etudiant(e)", "apprenant", "apprenante",
                "learner", "stagiaire"},
    "teacher": {"teacher", "editingteacher", "editing teacher", "non-editing teacher",
                "enseignant", "enseignante", "tuteur", "tutrice", "tutor", "formateur",
                "formatrice"},
    # the director of studies (staff in the collaboration metrics) and the professional
    # tutor of the internship (outside the university: never in them, not even as staff)
    "director": {"director", "director of studies", "directeur d'etudes",
                 "directrice d'etudes", "directeur des etudes", "directrice des etudes",
                 "directeur de memoire", "directrice de memoire", "responsable pedagogique"},
    "professional_tutor": {"professional tutor", "workplace tutor", "internship tutor",
                           "tuteur professionnel", "tutrice professionnelle",
                           "tuteur en entreprise", "tutrice en entreprise", "maitre de stage",
                           "maitresse de stage", "maitre d'apprentissage"},
}


def _role(value: str) -> str:
    folded = fold_header(value)
    for role, names in ROLES.items():
        if folded in names:
            return role
    return folded


@dataclass(frozen=True)
class RosterRow:
    """One valid roster row as read (nothing hashed yet); ``cohort`` is '' when absent."""

    line: int
    user_id: str
    name: str
    email: str
    role: str
    group: str | None
    cohort: str
    tutor: str | None = None  # a tutor code (initials, staff id), never a name


def read_roster(path: Path) -> tuple[list[RosterRow], list[tuple[int | None, str]], int, int]:
    """Parse a roster CSV: (valid rows, bad rows as (line, reason), rows read, lines
    recoded from Windows-1252).

    Column names in French or English, any order; the name is ``full_name`` or first and
    last names joined. Raises :class:`IngestError` when the header cannot be a roster.
    """
    check_input(path)
    export = read_export(path)
    rows = with_header(export)
    header = rows[0][1]
    cols = header_roles(header, ALIASES)
    has_name = "full_name" in cols or {"first_name", "last_name"} <= set(cols)
    if "role" not in cols or not (has_name or "user_id" in cols):
        raise IngestError(f"{path}, line 1: a roster needs a role column and full_name and/or "
                          f"user_id (found {header}); see README 'Roster'")

    def get(fields: list[str], role: str) -> str:
        return fields[cols[role]].strip() if role in cols else ""

    good: list[RosterRow] = []
    bad: list[tuple[int | None, str]] = list(export.bad)
    first_of_id: dict[str, RosterRow] = {}
    for line, fields in rows[1:]:
        if len(fields) != len(header):
            bad.append((line, f"expected {len(header)} fields, found {len(fields)}"))
            continue
        name = get(fields, "full_name") or " ".join(
            p for p in (get(fields, "first_name"), get(fields, "last_name")) if p)
        uid, email, role = get(fields, "user_id"), get(fields, "email"), get(fields, "role")
        if not name and not uid:
            bad.append((line, "no identity: both full_name and user_id are empty"))
            continue
        if not role:
            bad.append((line, "empty role (write student, teacher, ...)"))
            continue
        number = normalise_id(uid) if uid else ""
        if uid and not (is_number_text(number) and int(number) > 0):
            bad.append((line, f"user id {shown(uid)} is not a Moodle user id (a whole number "
                              "from 1); fix it or leave it empty and give the full name"))
            continue
        tutor = get(fields, "tutor") or None
        if tutor is not None and not TUTOR.fullmatch(tutor):
            bad.append((line, f"tutor {shown(tutor)} should be a code of 1 to 32 letters, "
                              "digits, dots, dashes or underscores (initials or a staff id), "
                              "not a name"))
            continue
        row = RosterRow(line, uid, name, email, _role(role), get(fields, "group") or None,
                        get(fields, "cohort"), tutor)
        earlier = first_of_id.get(normalise_id(uid)) if uid else None
        if earlier is not None and (normalise_name(earlier.name) != normalise_name(name)
                                    or earlier.email.casefold() != email.casefold()):
            bad.append((line, f"user id {uid} is already on line {earlier.line} with another "
                              "name or e-mail; one person per id: keep the right row"))
            continue
        if uid:
            first_of_id.setdefault(normalise_id(uid), row)
        good.append(row)
    return good, bad, export.read, len(export.recoded)


def person_idents(pseudo: Pseudonymiser, row: RosterRow) -> list[str]:
    """The row's hashed identities, canonical first (user id, else name, else e-mail): the
    person's pseudonym is ``pseudonym(person_idents(...)[0])``."""
    return [i for i in (pseudo.id_ident(row.user_id) if row.user_id else None,
                        pseudo.name_ident(row.name) if row.name else None,
                        pseudo.mail_ident(row.email) if row.email else None) if i]


def ingest_roster_file(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                       pseudo: Pseudonymiser, cohort_id: str | None = None,
                       strict: bool = False) -> IngestAccount:
    """Load a roster CSV; the file is one transaction. Names and e-mails are only hashed."""
    default_cohort = cfg.cohort(cohort_id).id
    known_cohorts = {c.id for c in cfg.cohorts}
    rows, bad, read, recoded = read_roster(path)
    people: list[tuple[int, str, str, str, str | None, list[str], str | None]] = []
    keys: set[tuple[str, str]] = set()  # (folded name, person)
    name_owner: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        cohort = row.cohort or default_cohort
        if cohort not in known_cohorts:
            bad.append((row.line, f"unknown cohort {cohort!r}; add it to the config"))
            continue
        ids = person_idents(pseudo, row)
        person = pseudonym(ids[0])
        names = []
        if row.name:
            norm = normalise_name(row.name)
            names = [pseudo.ident("name", n) for n in [norm, *name_rotations(norm)]]
            for n in names:
                name_owner[n].add(person)
        people.append((row.line, person, cohort, row.role, row.group, ids + names, row.tutor))
        folded = pseudo.folded_ident(row.name) if row.name else None
        if folded is not None:
            keys.add((folded, person))
    bad.sort(key=lambda b: b[0] or 0)
    if strict and bad:
        raise IngestError(f"{path}, line {bad[0][0]}: {bad[0][1]} (--strict: nothing loaded)")

    homonyms = {n for n, owners in name_owner.items() if len(owners) > 1}
    links = {(i, p[1]) for p in people for i in p[5] if i not in homonyms}
    if homonyms:
        print(f"warning: {path.name}: some full names (or their reversed order) belong to "
              "several people; log rows with those names cannot be attributed (use user ids)",
              file=sys.stderr)
    frame = pl.DataFrame(
        {"line": [p[0] for p in people], "person": [p[1] for p in people],
         "cohort_id": [p[2] for p in people], "role": [p[3] for p in people],
         "group_name": [p[4] for p in people], "tutor": [p[6] for p in people]},
        schema={"line": pl.Int64, "person": pl.String, "cohort_id": pl.String,
                "role": pl.String, "group_name": pl.String, "tutor": pl.String})
    link_frame = pl.DataFrame({"ident": [x[0] for x in links], "person": [x[1] for x in links]},
                              schema={"ident": pl.String, "person": pl.String})
    key_frame = pl.DataFrame({"folded": [k[0] for k in keys], "person": [k[1] for k in keys]},
                             schema={"folded": pl.String, "person": pl.String})
    with transaction(con):
        file_id = new_file_id(con)
        for name, df in (("_roster_df", frame), ("_links_df", link_frame),
                         ("_keys_df", key_frame)):
            register(con, name, df)
        [(loaded,)] = run_sql(con, query("ingest/roster_load.sql"),
                              {"id": file_id, "name": path.name})
        register_idents(con, {i: i for i, _ in links}, pl.String)
        register_names(con, pseudo, [r.name for r in rows if r.name])
        account = IngestAccount(path.name, read, loaded, len(people) - loaded, len(bad),
                                recoded)
        quarantine(con, file_id, path, bad)
        record_file(con, file_id, path, "roster", "roster", account)
    return account
