"""The public API that notebooks use: Polars frames about one cohort.

    import m2if_analytics.api as m2if
    ws = m2if.open_warehouse("m2if.duckdb")
    weekly = m2if.weekly(ws)                  # one row per student × programme week
    m2if.headline(ws)                         # last complete week at a glance

Every function takes an open :class:`~m2if_analytics.warehouse.workspace.Workspace` and an
optional cohort id (default: the configuration's latest cohort) and returns data, never a
figure. This module only re-exports (it is the notebooks' stable door): no module of the
package imports it; they import the capability that owns a function instead.
"""

from __future__ import annotations

from pathlib import Path

from m2if_analytics.engagement import (
    DataQuality,
    Headline,
    below_target_streaks,
    cohorts,
    cumulative,
    data_quality,
    headline,
    report_week,
    students,
    weekly,
)
from m2if_analytics.warehouse.workspace import Workspace, open_workspace

__all__ = ["DataQuality", "Headline", "Workspace", "below_target_streaks", "cohorts",
           "cumulative", "data_quality", "headline", "open_warehouse", "report_week",
           "students", "weekly"]


def open_warehouse(db: str | Path | None = None, config: str | Path | None = None) -> Workspace:
    """Open an existing warehouse (options, then ``M2IF_DB``/``M2IF_CONFIG``, then defaults);
    read-only when this user cannot write it."""
    return open_workspace(db, config, create=False)
