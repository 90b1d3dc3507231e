"""SQL files of ``queries/``: locate them, read their header, split statements, bind params."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_PARAM = re.compile(r"(?<![:$\w])\$([A-Za-z_][A-Za-z0-9_]*)")


def queries_dir() -> Path:
    """The packaged ``queries`` folder (wheel) or the repository's (editable install)."""
    packaged = Path(__file__).parent / "queries"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "queries"


@dataclass(frozen=True)
class SqlFile:
    """One SQL file: its header comment, statements and the named parameters they use."""

    path: Path
    header: str
    statements: tuple[str, ...]

    @property
    def params(self) -> set[str]:
        return {p for s in self.statements for p in _PARAM.findall(_strip_comments(s))}

    def bind(self, statement: str, values: dict[str, Any]) -> dict[str, Any]:
        """The subset of ``values`` a statement uses (DuckDB rejects extra parameters)."""
        wanted = set(_PARAM.findall(_strip_comments(statement)))
        missing = wanted - set(values)
        if missing:
            raise KeyError(f"{self.path.name}: parameters {sorted(missing)} not supplied")
        return {k: values[k] for k in wanted}


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def read_sql(path: Path) -> SqlFile:
    """Parse a file: leading ``--`` lines are the header; statements end with ``;`` at EOL."""
    text = path.read_text(encoding="utf-8")
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        header_lines.append(line[2:].strip())
    parts = re.split(r";[ \t]*(?:\n|$)", text)
    statements = tuple(p.strip() for p in parts if _strip_comments(p).strip())
    return SqlFile(path, "\n".join(header_lines), statements)


def pipeline_files(folder: Path | None = None) -> list[SqlFile]:
    """The transformation files (``NN_name.sql``) in file-name order."""
    folder = folder or queries_dir()
    return [read_sql(p) for p in sorted(folder.glob("[0-9][0-9]_*.sql"))]


def migration_files(folder: Path | None = None) -> list[tuple[int, SqlFile]]:
    """Schema migrations ``migrations/NNN_name.sql`` as (version, file), ascending."""
    folder = (folder or queries_dir()) / "migrations"
    out = []
    for p in sorted(folder.glob("[0-9][0-9][0-9]_*.sql")):
        out.append((int(p.name[:3]), read_sql(p)))
    return out
