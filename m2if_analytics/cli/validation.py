"""``m2if validation``: per student and UE (or semester), what is validated and what is
still needed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, app, emit_table


@app.command()
def validation(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    by: Annotated[str, typer.Option(
        help="ue: one row per student × UE (the mark needed to pass it); semester: per "
             "student × semester (the mark needed for the pass mark and each honours band); "
             "competence: per student × competence set (mean, coverage); milestone: per "
             "student × mémoire milestone (done, late, missing, not_due).")] = "ue",
    as_of: Annotated[str | None, typer.Option(
        help="Judge on this day, YYYY-MM-DD [default: the latest event's day].")] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write FILE.csv or FILE.parquet instead of CSV on standard output.")
    ] = None,
) -> None:
    """What each student has validated and the marks still needed: status validated,
    not_validated, secured, needed, out_of_reach (needed above 20) or not_graded.

    Example: m2if validation --cohort 2025-2026 --by semester --out needed.csv
    """
    from m2if_analytics.outputs import check_output
    from m2if_analytics.programme.competences import competence_sets
    from m2if_analytics.programme.milestones import milestones
    from m2if_analytics.programme.needed import semester_needs, validation

    tables = {"ue": validation, "semester": semester_needs, "competence": competence_sets,
              "milestone": milestones}
    if by not in tables:
        raise typer.BadParameter(", ".join(tables), param_hint="--by")
    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter("a date such as 2027-03-01", param_hint="--as-of"
                                     ) from None
    if out_file is not None:
        check_output(out_file)
    with ctx.obj.open() as ws:
        table = tables[by](ws, cohort, day)
    if by == "competence":
        table = table.with_columns(table["ues"].list.join(" "))
    emit_table(table, out_file)
