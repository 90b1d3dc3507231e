"""``m2if``: a thin command-line layer over the package's functions."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.progress import Progress

from m2if_analytics.context import Workspace, open_workspace
from m2if_analytics.errors import M2IFError

app = typer.Typer(help="Platform logs → weekly engagement and early warnings (M2 IF).\n\n"
                  "Example: m2if --db promo.duckdb ingest moodle logs.csv",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None)
ingest_app = typer.Typer(help="Load platform exports into the warehouse (pseudonymised).\n\n"
                         "Example: m2if ingest roster roster.csv",
                         no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
report_app = typer.Typer(help="Render report notebooks to self-contained HTML.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")
out = Console()
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)


@dataclass
class Options:
    db: Path | None
    config: Path | None
    key_file: Path | None

    def open(self) -> Workspace:
        return open_workspace(self.db, self.config, self.key_file)


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option(
        help="Warehouse file [default: $M2IF_DB, else ./m2if.duckdb].")] = None,
    config: Annotated[Path | None, typer.Option(
        help="Configuration TOML [default: $M2IF_CONFIG, else ./m2if.toml, else the packaged "
             "M2 IF defaults].")] = None,
    key_file: Annotated[Path | None, typer.Option(
        help="Pseudonymisation key file [default: $M2IF_PSEUDONYM_KEY_FILE, else the warehouse "
             "path with .key; $M2IF_PSEUDONYM_KEY holds the key itself].")] = None,
) -> None:
    """Example: m2if --db promo.duckdb ingest moodle logs.csv"""
    ctx.obj = Options(db, config, key_file)


def _progress(paths: list[Path], what: str) -> Iterator[Path]:
    if not sys.stderr.isatty() or len(paths) < 2:
        yield from paths
        return
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(what, total=len(paths))
        for path in paths:
            yield path
            bar.advance(task)


def _report(accounts: list, as_json: bool) -> None:
    for account in accounts:
        if as_json:
            print(account.to_json())
        else:
            out.print(account.line(), highlight=False, soft_wrap=True)


JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per file.")]
StrictOpt = Annotated[bool, typer.Option(help="Refuse a file with any bad row.")]
CohortOpt = Annotated[str | None, typer.Option(help="Cohort id from the config.")]


@ingest_app.command("moodle")
def ingest_moodle(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Logs downloads or logstore dumps (CSV).")],
    cohort: CohortOpt = None,
    time_format: Annotated[str | None, typer.Option(
        help="strptime format of the Time column, when detection fails.")] = None,
    strict: StrictOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Load Moodle "Logs" downloads (English/French) and logstore_standard_log dumps.

    Example: m2if ingest moodle logs_fr.csv logstore_standard_log.csv --json
    """
    from m2if_analytics.ingest.moodle import ingest_moodle_file, overlapping_formats

    with ctx.obj.open() as ws:
        accounts = [ingest_moodle_file(ws.con, p, ws.cfg, ws.pseudo, cohort, time_format, strict)
                    for p in _progress(files, "ingesting")]
        overlap = overlapping_formats(ws.con)
    _report(accounts, as_json)
    if overlap:
        err.print(f"warning: {overlap}")


@ingest_app.command("roster")
def ingest_roster(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Roster CSV (full_name and/or user_id, role).")],
    cohort: CohortOpt = None,
    strict: StrictOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Load the cohort roster: who is a student, and ids ↔ names (stored hashed).

    Example: m2if ingest roster roster.csv --cohort 2026-2027
    """
    from m2if_analytics.ingest.roster import ingest_roster_file

    with ctx.obj.open() as ws:
        account = ingest_roster_file(ws.con, file, ws.cfg, ws.pseudo, cohort, strict)
    _report([account], as_json)


@app.command()
def weekly(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write FILE.csv or FILE.parquet instead of CSV on standard output.")] = None,
) -> None:
    """Weekly engagement: one row per student × programme week, zero weeks included.

    Example: m2if weekly --cohort 2026-2027 --out weekly.csv
    """
    from m2if_analytics.engagement import weekly_engagement, write_table

    with ctx.obj.open() as ws, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = weekly_engagement(ws.con, ws.cfg, cohort)
    for w in caught:
        err.print(f"warning: {w.message}", highlight=False)
    if out_file is None:
        sys.stdout.write(frame.write_csv())
    else:
        write_table(frame, out_file)
        err.print(f"wrote {len(frame)} rows to {out_file}", highlight=False)


@app.command()
def quarantine(ctx: typer.Context) -> None:
    """List the rows that ingestion set aside: file, line, reason.

    Example: m2if quarantine
    """
    with ctx.obj.open() as ws:
        rows = ws.con.execute(
            "SELECT file_id, file_name, line, reason FROM quarantine "
            "ORDER BY file_id, line").fetchall()
    print("ingestion\tfile\tline\treason")
    for file_id, name, line, reason in rows:
        print(f"#{file_id}\t{name}\t{'' if line is None else line}\t{reason}")


@app.command()
def demo(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("reports"),
) -> None:
    """Build a warehouse from data_samples/ and write its reports into --out.

    Example: m2if demo --out reports
    """
    from m2if_analytics.demo import run_demo

    run_demo(out_dir, out)


@report_app.command("weekly")
def report_weekly(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")],
    cohort: CohortOpt = None,
    week: Annotated[str | None, typer.Option(
        help="YYYY-Www or a date in that week (default: the last complete week).")] = None,
    lang: Annotated[str, typer.Option(help="fr or en.")] = "fr",
    keep_notebook: Annotated[bool, typer.Option(
        help="Also write the executed notebook (.ipynb) next to the HTML.")] = False,
) -> None:
    """Weekly report (notebooks/weekly_report.ipynb) → OUT/weekly-<cohort>-<week>.html.

    Example: m2if report weekly --week 2027-W05 --out reports
    """
    from m2if_analytics.reports import render_report

    o = ctx.obj
    busy = err.status("rendering the weekly report") if sys.stderr.isatty() else nullcontext()
    with busy:
        html = render_report("weekly", out_dir, o.db, o.config, cohort, week, lang, o.key_file,
                             keep_notebook=keep_notebook)
    print(html)


@app.command()
def lab(
    ctx: typer.Context,
    port: Annotated[int | None, typer.Option(help="Port for JupyterLab.")] = None,
    dry_run: Annotated[bool, typer.Option(
        help="Print the command and its M2IF_* variables instead of starting.")] = False,
    lab_args: Annotated[list[str] | None, typer.Argument(
        help="Options passed on to jupyter lab, after --.")] = None,
) -> None:
    """Open JupyterLab on notebooks/ with this warehouse and configuration preselected.

    Example: m2if lab --port 8890 -- --no-browser
    """
    from m2if_analytics.reports import lab_command

    command = lab_command(ctx.obj.db, ctx.obj.config, ctx.obj.key_file, port, lab_args or [])
    if dry_run:
        print(command.describe())
    else:
        command.exec()


def main() -> None:
    """Console entry point: one-line errors, non-zero exit codes."""
    try:
        app()
    except M2IFError as exc:
        err.print(f"error: {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        err.print(f"error: warehouse: {first}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"error: {where}{exc.strerror or exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
