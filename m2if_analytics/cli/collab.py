"""``m2if collab``: collaboration tables (per student, per group, edges)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, app, emit_table


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("write a date such as 2027-01-31", param_hint=option) from None


@app.command()
def collab(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    group: Annotated[str | None, typer.Option(help="Only this group's network.")] = None,
    date_from: Annotated[str | None, typer.Option(
        "--from", help="First day of the window (YYYY-MM-DD, local).")] = None,
    date_to: Annotated[str | None, typer.Option(
        "--to", help="Last day of the window (YYYY-MM-DD, local).")] = None,
    groups: Annotated[bool, typer.Option("--groups", help="Per-group table instead.")] = False,
    edges: Annotated[bool, typer.Option("--edges", help="Reply edge list instead.")] = False,
    include_teachers: Annotated[bool, typer.Option(
        help="Count teachers as partners (they are always labelled nodes).")] = False,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write FILE.csv or FILE.parquet instead of CSV on standard output.")] = None,
) -> None:
    """Forum collaboration metrics per student (or per group, or the edge list).

    Example: m2if collab --from 2026-10-05 --to 2026-12-18 --out collab.csv
    """
    from m2if_analytics import collaboration as co
    from m2if_analytics.collaboration.data import forum_frame, members
    from m2if_analytics.outputs import check_output

    if out_file is not None:
        check_output(out_file)
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    with ctx.obj.open() as ws:
        posts = forum_frame(ws, cohort, start, end, group)
        people = members(ws, cohort, group, include_teachers=True)
    if edges:
        table = co.edges(posts, "reply", people)
    elif groups:
        table = co.group_metrics(posts, people, include_teachers=include_teachers)
    else:
        table = co.student_metrics(posts, people, include_teachers=include_teachers)
        table = table.filter(table["role"] == "student")
    emit_table(table, out_file)
