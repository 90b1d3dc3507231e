"""``m2if run weekly``: the Monday job in one command (for cron or a systemd timer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, app, out

run_app = typer.Typer(help="Scheduled jobs.\n\nExample: m2if run weekly --inbox inbox",
                      no_args_is_help=True)
app.add_typer(run_app, name="run")


@run_app.command("weekly")
def run_weekly_cmd(
    ctx: typer.Context,
    inbox: Annotated[Path | None, typer.Option(
        help="Folder of new exports: each file is loaded and moved to done/ or failed/.")
    ] = None,
    pull: Annotated[list[str] | None, typer.Option(
        help="Pull what is new first: moodle ([moodle] dsn) and/or lrs ([lrs] endpoint); "
             "repeat the option for both.")] = None,
    out_dir: Annotated[Path, typer.Option(
        "--out", help="Reports folder: <cohort>/<week>/ per week, <cohort>/index.html.")
    ] = Path("reports"),
    cohort: CohortOpt = None,
    week: Annotated[str | None, typer.Option(
        help="YYYY-Www or a date in that week (default: the last complete week).")] = None,
    lang: Annotated[str, typer.Option(help="fr or en (reports, risk reasons, digests).")
                    ] = "fr",
    send: Annotated[bool, typer.Option(help="Send the digests by e-mail ([smtp], [alerts]); "
                                            "once per week.")] = False,
    mapping: Annotated[Path | None, typer.Option(
        help="Re-identification mapping: names in the digests and student profiles.")
    ] = None,
    plotlyjs: Annotated[str, typer.Option(
        help="beside: one plotly.min.js in the week's folder; inline: in every page.")
    ] = "beside",
) -> None:
    """Pull what is new (--pull), ingest the inbox, refresh, flag, render every report into
    the week's folder, update the archive, write (and with --send, send) the alert digests.
    Exit status 1 when any step failed; the other steps still run.

    Example: m2if run weekly --pull moodle --out /srv/m2if/reports --send
    """
    from m2if_analytics.i18n import LANGS
    from m2if_analytics.jobs.weekly import WeeklyRun, run_weekly
    from m2if_analytics.pull.run import SOURCES

    if lang not in LANGS:
        raise typer.BadParameter(f"use one of {', '.join(LANGS)}", param_hint="--lang")
    sources = tuple(pull or ())
    if any(s not in SOURCES for s in sources):
        raise typer.BadParameter(f"use {' or '.join(SOURCES)}", param_hint="--pull")
    if inbox is None and not sources:
        raise typer.BadParameter("give --inbox DIR, --pull moodle|lrs, or both",
                                 param_hint="--inbox")
    paths = ctx.obj
    job = WeeklyRun(db=paths.db, config=paths.config, key_file=paths.key_file, inbox=inbox,
                    out=out_dir, cohort=cohort, week=week, lang=lang, send=send,
                    mapping=mapping, plotlyjs=plotlyjs, pull=sources)
    log = run_weekly(job, lambda line: out.print(line, highlight=False, markup=False,
                                                 soft_wrap=True))
    if log.failed:
        raise typer.Exit(1)
