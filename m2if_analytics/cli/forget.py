"""``m2if forget``: remove one ingested file's data, or erase one person everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

from m2if_analytics.cli.base import app, out
from m2if_analytics.errors import M2IFError


@app.command()
def forget(
    ctx: typer.Context,
    file: Annotated[str | None, typer.Option(
        "--file", help="Base name of an ingested file: remove what it loaded.")] = None,
    student: Annotated[str | None, typer.Option(
        "--student", help="A person's pseudonym: erase them from every table.")] = None,
) -> None:
    """Remove what one ingested file loaded (its rows, quarantine and record), or erase one
    person from every table (right to erasure); prints what was removed. One transaction.

    Example: m2if forget --file logs_2026-11.csv
    """
    from m2if_analytics.warehouse.forget import forget_file, forget_person

    if (file is None) == (student is None):
        raise M2IFError("give either --file NAME or --student PSEUDONYM")
    with ctx.obj.open() as ws:
        removal = forget_file(ws, file) if file is not None else forget_person(ws, student or "")
    for line in removal.lines():
        out.print(line, highlight=False, soft_wrap=True)
