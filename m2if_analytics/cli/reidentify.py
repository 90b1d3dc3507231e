"""``m2if reidentify``: the managers' separate pseudonym → name file (README: "Privacy")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import app, err


@app.command()
def reidentify(
    ctx: typer.Context,
    roster: Annotated[Path, typer.Option(help="The roster CSV (as for m2if ingest roster).")],
    out_file: Annotated[Path, typer.Option(
        "--out", help="The mapping file to create (mode 0600), outside the warehouse's "
                      "folder.")],
    force: Annotated[bool, typer.Option(help="Replace an existing mapping file.")] = False,
) -> None:
    """Write pseudonym,display_name,group for every roster person, for the managers only.

    Pseudonyms are computed with the warehouse's key (checked against its fingerprint) as
    roster ingestion computes them; the warehouse is only read. Keep the file private and
    apart from the warehouse (a warning says when it is in the warehouse's folder); give it
    to m2if report student --mapping to see a student's name in that profile only.

    Example: m2if reidentify --roster roster.csv --out ~/private/mapping.csv
    """
    from m2if_analytics.privacy.mapping import build_mapping

    o = ctx.obj
    summary = build_mapping(roster, out_file, o.db, o.config, o.key_file, force=force)
    for warning in summary.warnings:
        err.print(f"warning: {warning}")
    print(summary.line())
