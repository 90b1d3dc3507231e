"""A page for the student (``m2if report me``): their own weeks, pace, deadlines, internship
and document coverage, offline HTML, one file per student named by pseudonym.

    write_me(ws, out_dir, ["p1a2b3c4d5e6f"], lang="en")
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from m2if_analytics.outputs import write_text
from m2if_analytics.reports.me.data import MeData, all_students, me_data
from m2if_analytics.reports.me.html import page
from m2if_analytics.warehouse.workspace import Workspace

__all__ = ["MeData", "all_students", "me_data", "page", "write_me"]


def write_me(ws: Workspace, out_dir: Path, students: list[str], cohort: str | None = None,
             week: str | dt.date | None = None, lang: str = "fr",
             with_level: bool = False) -> list[Path]:
    """``out_dir/me-<pseudonym>-<week>.html`` for each of ``students``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for student in students:
        data = me_data(ws, student, cohort, week, lang, with_level)
        path = out_dir / f"me-{student}-{data.scope.iso_week}.html"
        written.append(write_text(path, page(data, lang)))
    return written
