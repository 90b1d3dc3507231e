"""``m2if``: a thin command-line layer over the package's functions.

Owns: the commands, their options and one-line errors. Each submodule registers its commands
on the application defined in :mod:`.base`; a command parses its options into typed values
and calls one public function of the packages below.

May import: ``jobs``, ``pull``, ``alerts``, ``reports``, ``followup``, ``privacy``, ``risk``,
``programme``, ``collaboration``, ``engagement``, ``engines``, ``ingest``, ``warehouse``,
``i18n`` and the ground floor.
"""

from m2if_analytics.cli import (  # noqa: F401 (each registers its commands)
    alerts,
    collab,
    export,
    followup,
    forget,
    identities,
    ingest,
    jury,
    me,
    pull,
    reidentify,
    render,
    risk,
    run,
    tables,
    validation,
)
from m2if_analytics.cli.base import app, main

__all__ = ["app", "main"]
