"""``m2if identities``: the people with activity whom no roster lists, and their likely match."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import app, out


@app.command()
def identities(
    ctx: typer.Context,
    roster: Annotated[Path | None, typer.Option(
        help="The roster CSV, to show the candidates' names (read here, never stored).")] = None,
) -> None:
    """List people with activity whom no roster lists: events, first and last seen, and the
    roster people whose names are closest. Link them with m2if ingest aliases.

    Example: m2if identities --roster roster.csv
    """
    from m2if_analytics.privacy.mapping import roster_people
    from m2if_analytics.warehouse.identities import unmatched

    with ctx.obj.open() as ws:
        table = unmatched(ws)
        names = ({p.pseudonym: p.display_name for p in roster_people(roster, ws.pseudo)}
                 if roster is not None else {})
    if table.is_empty():
        out.print("every person with activity is in a roster", highlight=False)
        return
    print("person\tevents\tfirst_seen\tlast_seen\tclosest roster people (similarity)")
    for row in table.iter_rows(named=True):
        close = ", ".join(
            f"{c['person']}{' ' + names[c['person']] if c['person'] in names else ''} "
            f"({c['similarity']:.2f})" for c in row["candidates"]) or "none"
        print(f"{row['person']}\t{row['events']}\t{row['first_seen']:%Y-%m-%d %H:%M}\t"
              f"{row['last_seen']:%Y-%m-%d %H:%M}\t{close}")
