"""``m2if forget``: remove one ingested file's data, or erase one person everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from m2if_analytics.cli.base import app, out
from m2if_analytics.errors import M2IFError

if TYPE_CHECKING:
    from m2if_analytics.warehouse.workspace import Workspace


@app.command()
def forget(
    ctx: typer.Context,
    file: Annotated[str | None, typer.Option(
        "--file", help="Base name of an ingested file: remove what it loaded.")] = None,
    student: Annotated[str | None, typer.Option(
        "--student", help="A person's pseudonym: erase them from every table.")] = None,
) -> None:
    """Remove what one ingested file loaded (its rows, quarantine and record), or erase one
    person from every table (right to erasure); prints what was removed. One transaction;
    then the stored risk levels judged on what was removed are judged again.

    Example: m2if forget --file logs_2026-11.csv
    """
    from m2if_analytics.warehouse.forget import forget_file, forget_person

    if (file is None) == (student is None):
        raise M2IFError("give either --file NAME or --student PSEUDONYM")
    with ctx.obj.open() as ws:
        removal = forget_file(ws, file) if file is not None else forget_person(ws, student or "")
        judged = _judge_stored_levels_again(ws)
        db = ws.paths.db
    if student is not None:  # the erased person's bytes leave the file's free blocks too
        from m2if_analytics.warehouse.compact import rewrite

        rewrite(db)
        judged.append("warehouse file rewritten: nothing of the person is left in its free "
                      "blocks (copies and backups made before still hold them)")
    for line in [*removal.lines(), *judged]:
        out.print(line, highlight=False, soft_wrap=True)


def _judge_stored_levels_again(ws: Workspace) -> list[str]:
    """Bring the stored risk levels of every configured cohort that has some up to date now,
    rather than at the next read: the weeks whose inputs the removal changed are judged
    again and the weeks that are no longer complete dropped, so no stored level still rests
    on what was removed. One line per cohort."""
    from m2if_analytics.risk import history
    from m2if_analytics.warehouse.sql import run

    stored = {row[0] for row in run(ws.con, "risk/history_cohorts.sql")}
    lines = []
    for cohort in ws.cfg.cohorts:
        if cohort.id in stored:
            stats = history.refresh(ws, cohort.id)
            lines.append(f"stored risk levels of {cohort.id}: {stats.judged} of {stats.weeks} "
                         "complete week(s) judged again")
    return lines
