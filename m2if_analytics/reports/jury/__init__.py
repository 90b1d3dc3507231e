"""Jury preparation (``m2if jury``): one document per cohort — per student the UE marks,
semester means, validation, projected mention, internship days, the mémoire's milestones,
the facts a jury asks about, and empty columns for its decision — as an offline HTML page
and an XLSX workbook (formulas neutralised); names only with the re-identification
mapping."""

from __future__ import annotations

from pathlib import Path

from m2if_analytics.reports.jury.data import jury_table
from m2if_analytics.reports.jury.html import page
from m2if_analytics.reports.jury.xlsx import workbook
from m2if_analytics.warehouse.workspace import Workspace

__all__ = ["jury_table", "write_jury"]


def write_jury(ws: Workspace, cohort: str | None, out_dir: Path, mapping: Path | None = None,
               lang: str = "fr") -> tuple[Path, Path]:
    """Write ``jury-<cohort>.html`` and ``jury-<cohort>.xlsx`` into ``out_dir``."""
    from m2if_analytics.outputs import atomic, write_text

    table = jury_table(ws, cohort, mapping, lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"jury-{table.cohort}"
    html = write_text(out_dir / f"{stem}.html", page(table, lang))
    xlsx = atomic(out_dir / f"{stem}.xlsx", lambda tmp: workbook(table, lang).save(tmp))
    return html, xlsx
