"""``m2if export research``: the research data package (re-keyed ids, small cells suppressed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, export_app


@export_app.command("research")
def export_research_cmd(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder (created).")],
    cohort: CohortOpt = None,
    k: Annotated[int, typer.Option(
        help="Suppress every cell describing fewer than k students.")] = 5,
    coarsen: Annotated[bool, typer.Option(
        help="Round hours to the half hour, band the counts, keep ISO weeks only.")] = False,
    drop: Annotated[list[str] | None, typer.Option(
        help="Leave a table out (repeat): weekly_engagement, student_metrics, group_metrics, "
             "weekly_metrics, edges.")] = None,
) -> None:
    """A citable data package for researchers: re-keyed ids, staff aggregated, small cells
    suppressed, with its codebook, provenance, terms of use and CITATION.cff.

    Example: m2if export research --out export --k 5 --coarsen --drop edges
    """
    from m2if_analytics.privacy.research import TABLES, export_research

    if k < 1:
        raise typer.BadParameter("k is at least 1", param_hint="--k")
    unknown = sorted(set(drop or ()) - set(TABLES))
    if unknown:
        raise typer.BadParameter(f"unknown table(s) {', '.join(unknown)}; one of "
                                 f"{', '.join(TABLES)}", param_hint="--drop")
    with ctx.obj.open() as ws:
        summary = export_research(ws, out_dir, cohort, k, coarsen=coarsen,
                                  drop=tuple(drop or ()))
    print(summary.line())
