"""One pull by name, with the configuration's settings (``m2if run weekly --pull``)."""

from __future__ import annotations

from collections.abc import Callable

from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.workspace import Workspace

SOURCES = ("moodle", "lrs")


def pull_source(ws: Workspace, source: str, cohort: str | None,
                say: Callable[[str], None]) -> list:
    """Pull ``source`` (moodle or lrs) as configured ([moodle] or [lrs], their environment
    variables); the accounts, one per table or statement batch."""
    if source == "moodle":
        from m2if_analytics.pull.database import open_database
        from m2if_analytics.pull.moodle import Target, pull_moodle

        target = Target(ws.cfg.moodle.prefix, tuple(ws.cfg.moodle.courses), cohort, False)
        with open_database(ws.cfg, None) as db:
            return pull_moodle(ws, db, target, say)
    if source == "lrs":
        from m2if_analytics.pull.lrs import open_lrs, pull_lrs

        return pull_lrs(ws, open_lrs(ws.cfg, None), None, ws.cfg.lrs.home_page or None,
                        False, say)
    raise M2IFError(f"unknown source {source!r}: pull {' or '.join(SOURCES)}")
