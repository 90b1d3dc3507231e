"""``m2if``: a thin command-line layer over the package's functions.

Each submodule registers its commands on the application defined in :mod:`.base`.
"""

from m2if_analytics.cli import (  # noqa: F401 (each registers its commands)
    collab,
    export,
    ingest,
    reidentify,
    render,
    tables,
)
from m2if_analytics.cli.base import app, main

__all__ = ["app", "main"]
