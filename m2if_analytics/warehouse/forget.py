"""Removing data from the warehouse: one ingested file (``m2if forget --file``) or one person
everywhere (``m2if forget --student``, the right to erasure).

Each removal is one transaction over the raw tables (queries/warehouse/forget_*.sql); the
derived tables are then rebuilt from what is left, so no table keeps a forgotten row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse import meta, sql
from m2if_analytics.warehouse.workspace import Workspace

_TARGET = re.compile(r"^\s*(DELETE FROM|UPDATE)\s+(\w+)", re.MULTILINE)
PSEUDONYM = re.compile(r"p[0-9a-f]{12}")


@dataclass
class Removal:
    """What one removal did: rows per table (``table`` or ``table (unlinked)`` for updates)."""

    what: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def lines(self) -> list[str]:
        """One line per table that lost rows, then the total."""
        out = [f"{table}: {count}" for table, count in self.rows.items() if count]
        return [*out, f"removed {self.total} row(s) for {self.what}; derived tables rebuilt "
                      "(reports and exports made before still hold them: delete or re-render "
                      "them)"]


def _run(ws: Workspace, name: str, params: dict[str, object], what: str) -> Removal:
    """Every statement of ``queries/warehouse/<name>`` in one transaction, counted by table;
    then the derived tables rebuilt in full."""
    if ws.read_only:
        raise M2IFError(f"warehouse {ws.paths.db} is read-only: nothing can be forgotten in it")
    removal = Removal(what)
    file = sql.query(f"warehouse/{name}")
    with sql.transaction(ws.con):
        for statement in file.statements:
            rows = ws.con.execute(statement, file.bind(statement, params)).fetchall()
            target = _TARGET.search(statement)
            if target:
                label = target.group(2) + (" (unlinked)" if target.group(1) == "UPDATE" else "")
                removal.rows[label] = removal.rows.get(label, 0) + int(rows[0][0])
        meta.put(ws.con, "pipeline_stamp", "")  # a full rebuild, not an incremental one
        meta.put(ws.con, "weekly_base", "")
    ws.rebuild()
    return removal


def forget_file(ws: Workspace, name: str) -> Removal:
    """Remove everything the file(s) ingested under ``name`` (a base name; a path is reduced
    to its base name) loaded, with their quarantine rows and ingestion records."""
    base = Path(name).name
    [(count, names)] = sql.run(ws.con, "warehouse/files_named.sql", {"name": base})
    if not count:
        known = ", ".join(names or []) or "none"
        raise M2IFError(f"no file named {base!r} was ingested in {ws.paths.db}; ingested: "
                        f"{known} (m2if quarantine and --json accounts name them)")
    return _run(ws, "forget_file.sql", {"name": base}, f"{count} ingestion(s) of {base}")


def forget_person(ws: Workspace, person: str) -> Removal:
    """Erase ``person`` (a pseudonym) from every table."""
    person = person.strip()
    if not PSEUDONYM.fullmatch(person):
        raise M2IFError(f"{person!r} is not a pseudonym (p + 12 hexadecimal digits, as in the "
                        "weekly table); m2if reidentify maps names to pseudonyms")
    [(known,)] = sql.run(ws.tables, "warehouse/person_known.sql", {"p": person})
    if not known:
        raise M2IFError(f"no person {person} in {ws.paths.db}: nothing to forget")
    return _run(ws, "forget_person.sql", {"p": person}, f"person {person}")
