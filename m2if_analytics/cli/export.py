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
) -> None:
    """Tables for researchers: re-keyed pseudonyms, small cells suppressed, with a README.

    Example: m2if export research --out export --k 5
    """
    from m2if_analytics.privacy.research import export_research

    if k < 1:
        raise typer.BadParameter("k is at least 1", param_hint="--k")
    with ctx.obj.open() as ws:
        summary = export_research(ws, out_dir, cohort, k)
    print(summary.line())
