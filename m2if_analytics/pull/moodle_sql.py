"""The SQL a Moodle pull sends (``queries/pull/moodle_*.sql``), made concrete for one
database: prefixed, quoted table names; the course filter; ``$name`` parameters in the
drivers' ``%(name)s`` style."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from m2if_analytics.warehouse.sql import query

_PARAM = re.compile(r"(?<![:$\w])\$([A-Za-z_][A-Za-z0-9_]*)")
TABLES = ("logstore_standard_log", "role_assignments", "context", "role", "user", "groups",
          "groups_members", "grade_items", "grade_grades", "assign", "assign_submission",
          "course_modules", "modules", "forum_posts", "forum_discussions")


def in_list(column: str, ids: Iterable[int], params: dict[str, Any], name: str) -> str:
    """``AND column IN (%(name0)s, ...)`` with the ids added to ``params`` ('' for none)."""
    ids = sorted(set(ids))
    if not ids:
        return ""
    keys = [f"{name}{i}" for i in range(len(ids))]
    params.update(zip(keys, ids, strict=True))
    return f"AND {column} IN ({', '.join(f'%({k})s' for k in keys)})"


def statement(name: str, prefix: str, quote: Any, **filters: str) -> str:
    """The one statement of ``queries/pull/<name>.sql`` for this database."""
    [sql] = query(f"pull/{name}.sql").statements
    tables = {t: quote(prefix + t) for t in TABLES}
    text = sql.format_map({**tables, **{k: filters.get(k, "") for k in
                                        ("course_filter", "item_filter")}})
    return _PARAM.sub(r"%(\1)s", text)
