"""``m2if alerts`` (write the week's digests) and ``m2if alerts send`` (deliver them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, app, out

alerts_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
app.add_typer(alerts_app, name="alerts")
OutDir = Annotated[Path, typer.Option("--out", help="Folder of the digests.")]


@alerts_app.callback()
def alerts(
    ctx: typer.Context,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Folder to write the digests into (HTML, text, digests.json).")] = None,
    cohort: CohortOpt = None,
    week: Annotated[str | None, typer.Option(
        help="YYYY-Www or a date in that week (default: the last complete week).")] = None,
    mapping: Annotated[Path | None, typer.Option(
        help="Re-identification mapping: names beside the pseudonyms.")] = None,
    lang: Annotated[str | None, typer.Option(
        help="fr or en (default: [alerts] lang).")] = None,
) -> None:
    """Write the week's alert digests: one per tutor (roster column tutor), else per group,
    else one for the cohort — new and worse flags, flags not contacted, back to green.

    Example: m2if alerts --week 2027-W05 --out digests
    """
    if ctx.invoked_subcommand is not None:
        return
    from m2if_analytics.alerts import write_digests
    from m2if_analytics.i18n import LANGS

    if out_dir is None:
        raise typer.BadParameter("give the folder to write the digests into",
                                 param_hint="--out")
    if lang is not None and lang not in LANGS:
        raise typer.BadParameter(f"use one of {', '.join(LANGS)}", param_hint="--lang")
    with ctx.obj.open() as ws:
        written = write_digests(ws, cohort, week, out_dir, mapping, lang)
    for path in written:
        out.print(f"wrote {path}", highlight=False, markup=False, soft_wrap=True)


@alerts_app.command("send")
def alerts_send(
    ctx: typer.Context,
    out_dir: OutDir,
    dry_run: Annotated[bool, typer.Option(help="Print what would be sent; send nothing.")
                       ] = False,
) -> None:
    """Send the digests of a folder by e-mail ([smtp]; recipients from [alerts]).

    Example: m2if alerts send --out digests --dry-run
    """
    from m2if_analytics.alerts import send_digests
    from m2if_analytics.config import load_config
    from m2if_analytics.paths import resolve_paths

    paths = ctx.obj
    cfg = load_config(resolve_paths(paths.db, paths.config, paths.key_file).config)
    for line in send_digests(cfg, out_dir, dry_run):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
