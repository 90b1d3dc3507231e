"""What an export holds, what was suppressed, and the files it wrote (the salt is not part
of it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

DOCUMENTS = ("README.md", "CODEBOOK.md", "TERMS.md", "CITATION.cff", "datapackage.json")


@dataclass(frozen=True)
class ExportedTable:
    """One table of an export: written as ``<name>.csv`` and ``<name>.parquet``."""

    name: str
    rows: int
    suppressed_rows: int  # rows whose values were nulled (flag ``suppressed``)
    hidden_group_rows: int  # rows with at least one group label blanked


@dataclass(frozen=True)
class ExportSummary:
    """What an export holds and what was suppressed."""

    out_dir: Path
    cohort: str
    k: int
    students: int
    posts: int
    suppressed_groups: tuple[str, ...]
    tables: tuple[ExportedTable, ...]
    created: dt.datetime
    version: str
    coarsened: bool = False

    def table(self, name: str) -> ExportedTable:
        return next(t for t in self.tables if t.name == name)

    def files(self) -> list[Path]:
        """Every file written, README first."""
        return [self.out_dir / d for d in DOCUMENTS] + [
            self.out_dir / f"{t.name}.{ext}" for t in self.tables for ext in ("csv", "parquet")]

    def line(self) -> str:
        """A one-line account for the command line."""
        groups = ", ".join(self.suppressed_groups) or "none"
        suppressed = sum(t.suppressed_rows for t in self.tables)
        coarse = ", coarsened" if self.coarsened else ""
        return (f"research export of cohort {self.cohort} in {self.out_dir}: "
                f"{len(self.tables)} tables (CSV and Parquet) with datapackage.json, codebook, "
                f"terms and citation, {self.students} students, ids re-keyed{coarse}, "
                f"k = {self.k}: groups suppressed: {groups}; {suppressed} rows suppressed")
