"""Where the warehouse, the configuration and the pseudonymisation key live.

Precedence for each: the explicit option, then its ``M2IF_*`` variable, then the default.
The key's default is a per-user configuration folder
(``$XDG_CONFIG_HOME/m2if/pseudonym.key``, else ``~/.config/m2if/pseudonym.key``), never the
warehouse's folder: a warehouse or a report shared with its key can be reversed to platform
ids by brute force.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from m2if_analytics.errors import ConfigError

DEFAULT_DB = "m2if.duckdb"
DEFAULT_CONFIG = "m2if.toml"
KEY_NAME = "pseudonym.key"


@dataclass(frozen=True)
class Paths:
    """Where the warehouse, the configuration and the pseudonymisation key live."""

    db: Path
    config: Path | None
    key_file: Path


def key_folder() -> Path:
    """The per-user folder of key files: ``$XDG_CONFIG_HOME/m2if`` (else ``~/.config/m2if``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "m2if"


def resolve_paths(
    db: str | Path | None = None,
    config: str | Path | None = None,
    key_file: str | Path | None = None,
) -> Paths:
    """Apply the precedence: explicit option, then ``M2IF_*`` variable, then default."""
    db_path = Path(db or os.environ.get("M2IF_DB") or DEFAULT_DB)
    cfg: Path | None = None
    if config or os.environ.get("M2IF_CONFIG"):
        cfg = Path(config or os.environ["M2IF_CONFIG"])
        if not cfg.is_file():
            raise ConfigError(f"configuration file {cfg} not found")
    elif Path(DEFAULT_CONFIG).is_file():
        cfg = Path(DEFAULT_CONFIG)
    key = Path(key_file or os.environ.get("M2IF_PSEUDONYM_KEY_FILE") or key_folder() / KEY_NAME)
    return Paths(db=db_path, config=cfg, key_file=key)
