"""``m2if jury``: the jury preparation document of a cohort (HTML and XLSX)."""

from __future__ import annotations

import typer

from m2if_analytics.cli.base import CohortOpt, LangOpt, MappingOpt, OutDirOpt, app, out


@app.command()
def jury(
    ctx: typer.Context,
    out_dir: OutDirOpt,
    cohort: CohortOpt = None,
    mapping: MappingOpt = None,
    lang: LangOpt = "fr",
) -> None:
    """Prepare the jury: per student the UE marks, semester means, validation, projected
    honours, internship days, the mémoire's milestones, late and missing work, the longest
    inactivity, and empty columns for the decision; as offline HTML and XLSX.

    Example: m2if jury --cohort 2025-2026 --out jury --mapping ~/private/mapping.csv
    """
    from m2if_analytics.i18n import LANGS
    from m2if_analytics.reports.jury import write_jury

    if lang not in LANGS:
        raise typer.BadParameter(f"use one of {', '.join(LANGS)}", param_hint="--lang")
    with ctx.obj.open() as ws:
        written = write_jury(ws, cohort, out_dir, mapping, lang)
    for path in written:
        out.print(f"wrote {path}", highlight=False, markup=False, soft_wrap=True)
