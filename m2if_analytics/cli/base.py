"""The ``m2if`` application object, global options, shared helpers and the entry point."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import duckdb
import polars as pl
import typer
from rich.console import Console

from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.workspace import Workspace, open_workspace

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
model_app = typer.Typer(help="The statistical risk model, validated on OULAD.\n\n"
                        "Example: m2if model backtest --oulad data/oulad --train AAA_2013J "
                        "--test AAA_2014J --out backtest.csv", no_args_is_help=True)
app.add_typer(model_app, name="model")
export_app = typer.Typer(help="Exports for people outside the programme team.\n\n"
                         "Example: m2if export research --out export", no_args_is_help=True)
app.add_typer(export_app, name="export")
out = Console()
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)


@dataclass
class Options:
    db: Path | None
    config: Path | None
    key_file: Path | None

    def open(self, create: bool = False) -> Workspace:
        """The warehouse: it must exist unless ``create`` (commands that load data)."""
        return open_workspace(self.db, self.config, self.key_file, create=create)


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option(
        help="Warehouse file [default: $M2IF_DB, else ./m2if.duckdb].")] = None,
    config: Annotated[Path | None, typer.Option(
        help="Configuration TOML [default: $M2IF_CONFIG, else ./m2if.toml, else the packaged "
             "M2 IF defaults].")] = None,
    key_file: Annotated[Path | None, typer.Option(
        help="Pseudonymisation key file [default: $M2IF_PSEUDONYM_KEY_FILE, else "
             "~/.config/m2if/pseudonym.key ($XDG_CONFIG_HOME); $M2IF_PSEUDONYM_KEY holds the "
             "key itself].")] = None,
) -> None:
    """Example: m2if --db promo.duckdb ingest moodle logs.csv"""
    ctx.obj = Options(db, config, key_file)


def progress(paths: list[Path], what: str) -> Iterator[Path]:
    """A bar over several files (stderr, terminal only); per-file bars join the same display."""
    from m2if_analytics.progress import bar

    if len(paths) < 2:
        yield from paths
        return
    with bar(what, total=len(paths)) as files:
        for path in paths:
            yield path
            files.advance()


def warn_unmatched(ws: Workspace) -> None:
    """Say, on standard error, how many people with activity no roster lists."""
    from m2if_analytics.warehouse.identities import warning

    text = warning(ws)
    if text:
        err.print(f"warning: {text}", highlight=False, soft_wrap=True)


def emit_table(table: pl.DataFrame, out_file: Path | None) -> None:
    """A command's table: CSV on standard output, or written to ``out_file`` (CSV or
    Parquet by its extension, atomically) with one line saying so on standard error."""
    from m2if_analytics.outputs import csv_text, write_table

    if out_file is None:
        sys.stdout.write(csv_text(table))
    else:
        write_table(table, out_file)
        err.print(f"wrote {len(table)} rows to {out_file}", highlight=False)


def report(accounts: list, as_json: bool) -> None:
    for account in accounts:
        if as_json:
            print(account.to_json())
        else:
            out.print(account.line(), highlight=False, soft_wrap=True)


JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per file.")]
StrictOpt = Annotated[bool, typer.Option(help="Refuse a file with any bad row.")]
CohortOpt = Annotated[str | None, typer.Option(help="Cohort id from the config.")]
LangOpt = Annotated[str, typer.Option(help="fr or en.")]
OutDirOpt = Annotated[Path, typer.Option("--out", help="Output folder.")]
MappingOpt = Annotated[Path | None, typer.Option(
    help="Re-identification mapping (CSV from m2if reidentify): names beside the "
         "pseudonyms.")]


def skip_unused_iri_grammar() -> None:
    """Leave out the optional package ``rfc3987_syntax`` in this process. jsonschema, which
    nbformat imports to render a report, loads it when installed (JupyterLab's dependencies
    bring it) and it builds an RFC 3987 grammar with lark at import: a second of every
    ``m2if report`` (4.1 s -> 3.1 s for the sample weekly report) for an "iri" format check
    that no notebook schema uses. Only the command's own process does without it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main() -> None:
    """Console entry point: one-line errors, non-zero exit codes."""
    skip_unused_iri_grammar()
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
