"""Schema migrations (``queries/migrations/NNN_*.sql``): which are applied, apply the rest."""

from __future__ import annotations

import duckdb

from m2if_analytics.warehouse import meta
from m2if_analytics.warehouse import sql as sqlfiles


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The applied schema version (0 for an empty database)."""
    if not meta.table_exists(con, "meta"):
        return 0
    value = meta.get(con, "schema_version")
    return int(value) if value else 0


def applied_migrations(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions of the migrations already applied to this warehouse."""
    version = schema_version(con)
    if version == 0:
        return set()
    listed = meta.get(con, "migrations_applied")
    if listed is None:  # recorded before the list existed: everything up to the version
        return set(range(1, version + 1))
    return {int(v) for v in listed.split(",") if v}


def _pending(done: set[int]) -> list[tuple[int, sqlfiles.SqlFile]]:
    """The migration files not in ``done``, in version order."""
    return [(version, sql) for version, sql in sqlfiles.migration_files() if version not in done]


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Versions of the migrations this warehouse still lacks."""
    return [version for version, _ in _pending(applied_migrations(con))]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration not applied yet, in version order (a migration that lands after
    a higher-numbered one is still applied), all in one transaction: an upgrade is whole or
    not at all, and a new warehouse commits once instead of once per migration."""
    done = applied_migrations(con)
    pending = _pending(done)
    if not pending:
        return max(done, default=0)
    con.begin()
    try:
        for version, sql in pending:
            for statement in sql.statements:
                con.execute(statement)
            done.add(version)
        meta.put(con, "schema_version", str(max(done)))
        meta.put(con, "migrations_applied", ",".join(map(str, sorted(done))))
        con.commit()
    except Exception:
        con.rollback()
        raise
    return max(done)
