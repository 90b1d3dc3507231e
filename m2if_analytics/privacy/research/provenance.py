"""Where an export comes from: the cohort and period, the time-on-task settings, every input
file with its account and sha256, the tool's version and (from a git checkout) its commit."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import polars as pl

from m2if_analytics import __version__
from m2if_analytics.warehouse.sql import select
from m2if_analytics.warehouse.workspace import Workspace

UNKNOWN = "unknown"


def git_commit() -> str:
    """The commit of the checkout the package runs from; ``unknown`` when not a checkout or
    git is absent."""
    root = Path(__file__).resolve().parents[3]
    if not (root / ".git").exists():
        return UNKNOWN
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    return done.stdout.strip() or UNKNOWN


def provenance(ws: Workspace, cohort: str, weekly: pl.DataFrame, k: int,
               coarsened: bool) -> dict[str, Any]:
    """The provenance record (JSON-ready) of an export of ``cohort``."""
    cfg = ws.cfg
    weeks = weekly["iso_week"].drop_nulls().sort() if "iso_week" in weekly.columns else None
    inputs = select(ws.tables, "privacy/inputs.sql").to_dicts()
    return {
        "cohort": cohort,
        "period": {"first_week": weeks[0] if weeks is not None and len(weeks) else None,
                   "last_week": weeks[-1] if weeks is not None and len(weeks) else None},
        "time_on_task": {"timezone": cfg.programme.timezone,
                         "inactivity_timeout_minutes": cfg.time_on_task.inactivity_timeout_minutes,
                         "last_event_seconds": cfg.time_on_task.last_event_seconds,
                         "weekly_target_hours": cfg.programme.weekly_target_hours},
        "k": k,
        "coarsened": coarsened,
        "inputs": inputs,
        "rows_quarantined": sum(int(i["quarantined"]) for i in inputs),
        "software": {"name": "m2if-analytics", "version": __version__, "commit": git_commit()},
    }
