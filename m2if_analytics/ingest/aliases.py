"""``m2if ingest aliases FILE``: link name variants (or unmatched pseudonyms) to roster people.

The file has two columns: ``variant`` — a full name as typed in an export, a user id, an
e-mail, or a pseudonym ``p…`` that ``m2if identities`` lists — and ``person`` — the roster
person, by user id, e-mail, full name as in the roster, or pseudonym. Each row adds identity
links; nothing is re-ingested: the next build re-points the variant's stored events to the
person (a roster person's pseudonym never changes). A variant already linked to someone
else, or a person no roster names, is set aside with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    fold_header,
    new_file_id,
    quarantine,
    record_file,
    register_idents,
)
from m2if_analytics.ingest.csvfile import read_export
from m2if_analytics.text import shown
from m2if_analytics.warehouse.pseudonyms import (
    Pseudonymiser,
    is_number_text,
    name_rotations,
    normalise_name,
)
from m2if_analytics.warehouse.sql import query, register, run_sql, select, transaction

PSEUDONYM = re.compile(r"p[0-9a-f]{12}")
COLUMNS = {"variant": {"variant", "alias", "as typed", "tel que saisi", "variante"},
           "person": {"person", "roster person", "personne", "etudiant", "student"}}


def _idents(pseudo: Pseudonymiser, value: str) -> list[str]:
    """The identities a written value stands for: an id, an e-mail, or a name in every
    word order Moodle may show."""
    value = value.strip()
    if is_number_text(value):
        ident = pseudo.id_ident(value)
        return [ident] if ident and int(value) > 0 else []
    if "@" in value:
        ident = pseudo.mail_ident(value)
        return [ident] if ident else []
    norm = normalise_name(value)
    if norm in ("", "-"):
        return []
    return [pseudo.ident("name", n) for n in [norm, *name_rotations(norm)]]


def _person(con: duckdb.DuckDBPyConnection, pseudo: Pseudonymiser, value: str) -> str:
    """The roster person ``value`` names; IngestError-free: raises ValueError with why."""
    rostered = set(select(con, "ingest/roster_people.sql")["person"])
    if PSEUDONYM.fullmatch(value.strip()):
        if value.strip() in rostered:
            return value.strip()
        raise ValueError(f"{value.strip()} is not a roster person's pseudonym")
    idents = _idents(pseudo, value)
    links = select(con, "ingest/links_of.sql", {"idents": idents or [""]})
    owners = set(links["person"]) & rostered
    folded = pseudo.folded_ident(value) if not is_number_text(value.strip()) else None
    if not owners and folded:
        owners = set(select(con, "ingest/folded_owners.sql", {"folded": folded})["person"])
    if len(owners) == 1:
        return owners.pop()
    if owners:
        raise ValueError(f"{shown(value)} names several roster people; give a user id or "
                         "e-mail")
    raise ValueError(f"no roster person is {shown(value)} (give a user id, an e-mail, the name "
                     "as in the roster or a pseudonym; ingest the roster first)")


def _variant_idents(con: duckdb.DuckDBPyConnection, pseudo: Pseudonymiser,
                    value: str) -> list[str]:
    if PSEUDONYM.fullmatch(value.strip()):
        found = select(con, "ingest/idents_of_pseudonym.sql", {"p": value.strip()})["ident"]
        if found.is_empty():
            raise ValueError(f"no identity has the pseudonym {value.strip()} (see "
                             "m2if identities)")
        return found.to_list()
    idents = _idents(pseudo, value)
    if not idents:
        raise ValueError(f"{value!r} is empty or not a name, user id or e-mail")
    return idents


def ingest_aliases_file(con: duckdb.DuckDBPyConnection, path: Path,
                        pseudo: Pseudonymiser, strict: bool = False) -> IngestAccount:
    """Load an alias file; the file is one transaction."""
    check_input(path)
    export = read_export(path)
    folded = [fold_header(h) for h in export.header]
    where = {}
    for role, names in COLUMNS.items():
        hits = [i for i, h in enumerate(folded) if h in names]
        if not hits:
            raise IngestError(f"{path}, line 1: an alias file needs the columns variant and "
                              f"person (found {export.header}); see README 'When the data "
                              "is messy'")
        where[role] = hits[0]
    bad: list[tuple[int | None, str]] = list(export.bad)
    links: dict[str, tuple[str, int]] = {}
    duplicates = 0
    stored = dict(select(con, "ingest/all_links.sql").iter_rows())
    for line, fields in export.records:
        if len(fields) != len(export.header):
            bad.append((line, f"expected {len(export.header)} fields, found {len(fields)}"))
            continue
        try:
            person = _person(con, pseudo, fields[where["person"]])
            idents = _variant_idents(con, pseudo, fields[where["variant"]])
        except ValueError as exc:
            bad.append((line, str(exc)))
            continue
        others = {stored.get(i) for i in idents} - {None, person}
        if others:
            bad.append((line, f"this variant is already linked to {sorted(others)[0]}; remove "
                              "that link (m2if forget --file) before linking it again"))
            continue
        new = [i for i in idents if stored.get(i) != person and i not in links]
        duplicates += not new
        links.update({i: (person, line) for i in new})
    if strict and bad:
        raise IngestError(f"{path}, line {bad[0][0]}: {bad[0][1]} (--strict: nothing loaded)")
    frame = pl.DataFrame({"ident": list(links), "person": [p for p, _ in links.values()]},
                         schema={"ident": pl.String, "person": pl.String})
    loaded = len({line for _, line in links.values()})
    with transaction(con):
        file_id = new_file_id(con)
        register(con, "_links_df", frame)
        run_sql(con, query("ingest/alias_links.sql"), {"name": path.name})
        register_idents(con, {i: i for i in links}, pl.String)
        account = IngestAccount(path.name, export.read, loaded, duplicates, len(bad),
                                len(export.recoded))
        quarantine(con, file_id, path, sorted(bad, key=lambda b: b[0] or 0))
        record_file(con, file_id, path, "aliases", "csv", account)
    return account
