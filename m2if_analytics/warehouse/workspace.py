"""Opening a warehouse the way the CLI and notebooks do: paths, config, key, connection.

Derived tables are made in one place. Writers (ingestion, forgetting) use ``ws.con``; every
read of a derived table goes through ``ws.tables``, which runs the pipeline
(:func:`~m2if_analytics.warehouse.pipeline.build`) when the raw layer changed since this
workspace last looked — at the first read after opening, and at the first read after an
ingestion — and otherwise only costs one tiny query. No analysis module calls ``build``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from m2if_analytics.config import Config, load_config
from m2if_analytics.errors import M2IFError
from m2if_analytics.paths import Paths, resolve_paths
from m2if_analytics.warehouse import meta, sql
from m2if_analytics.warehouse.connection import check_key, connect, is_read_only
from m2if_analytics.warehouse.pipeline import build, is_current
from m2if_analytics.warehouse.pseudonyms import KEY_ENV, Pseudonymiser, load_or_create_key


@dataclass
class Workspace:
    """An open warehouse with its configuration and pseudonymisation key."""

    paths: Paths
    cfg: Config
    con: duckdb.DuckDBPyConnection
    read_only: bool = False
    _pseudo: Pseudonymiser | None = None
    _built_for: tuple[int, int] | None = None  # the raw layer the derived tables reflect

    @property
    def tables(self) -> duckdb.DuckDBPyConnection:
        """The connection, once the derived tables reflect the raw layer: the one door every
        read of a derived table goes through (the pipeline runs here, never on a read path
        elsewhere; an unchanged raw layer costs one tiny query)."""
        [state] = sql.run(self.con, "warehouse/ingest_state.sql")
        if state != self._built_for:
            if self.read_only:
                if not is_current(self.con, self.cfg):
                    why = ("were built with another configuration, version or data"
                           if meta.get(self.con, "pipeline_stamp") else "were never built")
                    raise M2IFError(
                        f"warehouse {self.paths.db} is read-only and its derived tables {why}: "
                        "build them once with write access (any m2if command, e.g. m2if "
                        "weekly), or use the configuration it was built with")
            else:
                build(self.con, self.cfg)
            self._built_for = state
        return self.con

    def rebuild(self) -> None:
        """Rebuild every derived table from the raw layer in full (after rows were removed
        from it, which an incremental refresh cannot see)."""
        build(self.con, self.cfg, force=True)
        self._built_for = None

    @property
    def pseudo(self) -> Pseudonymiser:
        """The key, loaded (or created) on first use and checked against the warehouse."""
        if self._pseudo is None:
            pseudo = load_or_create_key(
                self.paths.key_file, create=meta.get(self.con, "key_fingerprint") is None)
            origin = KEY_ENV if os.environ.get(KEY_ENV) else str(self.paths.key_file)
            check_key(self.con, pseudo, origin)
            self._pseudo = pseudo
        return self._pseudo

    def close(self) -> None:
        """Close the connection, and remove the default spill folder beside the warehouse
        (``m2if.duckdb.tmp``) when nothing is left in it."""
        self.con.close()
        if self.cfg.warehouse.temp_directory:
            return  # a configured folder is the user's
        spill = Path(f"{self.paths.db.resolve()}.tmp")
        with contextlib.suppress(OSError):  # only succeeds when empty
            spill.rmdir()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workspace(db: str | Path | None = None, config: str | Path | None = None,
                   key_file: str | Path | None = None, create: bool = True) -> Workspace:
    """Resolve paths (options, then M2IF_* variables, then defaults) and open the warehouse;
    without ``create`` (read commands) it must exist, and opens read-only when this user
    cannot write it."""
    paths = resolve_paths(db, config, key_file)
    cfg = load_config(paths.config)
    con = connect(paths.db, cfg, create=create)
    return Workspace(paths, cfg, con, read_only=is_read_only(con))
