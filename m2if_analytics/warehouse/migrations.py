"""Schema migrations (``queries/migrations/NNN_*.sql``): which are applied, apply the rest."""

from __future__ import annotations

import duckdb

from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.sql import one


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The applied schema version (0 for an empty database)."""
    exists = one(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"))
    if not exists or not exists[0]:
        return 0
    row = one(con.execute("SELECT value FROM meta WHERE key = 'schema_version'"))
    return int(row[0]) if row else 0

def applied_migrations(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions of the migrations already applied to this warehouse."""
    version = schema_version(con)
    if version == 0:
        return set()
    row = one(con.execute("SELECT value FROM meta WHERE key = 'migrations_applied'"))
    if row is None:  # recorded before the list existed: everything up to the version
        return set(range(1, version + 1))
    return {int(v) for v in row[0].split(",") if v}

def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration not applied yet, in version order, each in its own transaction
    (a migration that lands after a higher-numbered one is still applied)."""
    done = applied_migrations(con)
    for version, sql in sqlfiles.migration_files():
        if version in done:
            continue
        con.begin()
        try:
            for statement in sql.statements:
                con.execute(statement)
            done.add(version)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', $v), "
                        "('migrations_applied', $list)",
                        {"v": str(max(done)), "list": ",".join(map(str, sorted(done)))})
            con.commit()
        except Exception:
            con.rollback()
            raise
    return max(done, default=0)
