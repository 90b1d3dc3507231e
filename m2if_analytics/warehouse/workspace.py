"""Opening a warehouse the way the CLI and notebooks do: paths, config, key, connection."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from m2if_analytics.config import Config, Paths, load_config, resolve_paths
from m2if_analytics.warehouse.connection import check_key, connect
from m2if_analytics.warehouse.pseudonyms import KEY_ENV, Pseudonymiser, load_or_create_key


@dataclass
class Workspace:
    """An open warehouse with its configuration and pseudonymisation key."""

    paths: Paths
    cfg: Config
    con: duckdb.DuckDBPyConnection
    _pseudo: Pseudonymiser | None = None

    @property
    def pseudo(self) -> Pseudonymiser:
        """The key, loaded (or created) on first use and checked against the warehouse."""
        if self._pseudo is None:
            pseudo = load_or_create_key(self.paths.key_file)
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
                   key_file: str | Path | None = None) -> Workspace:
    """Resolve paths (options, then M2IF_* variables, then defaults) and open the warehouse."""
    paths = resolve_paths(db, config, key_file)
    cfg = load_config(paths.config)
    return Workspace(paths, cfg, connect(paths.db, cfg))
