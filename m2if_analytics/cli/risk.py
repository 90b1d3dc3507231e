"""``m2if risk`` (the flags of a week) and ``m2if risk evaluate`` (the rules measured on a
finished cohort)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, app, emit_table, warn_unmatched

risk_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
app.add_typer(risk_app, name="risk")

OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Write FILE.csv or FILE.parquet instead of CSV on standard output.")]


@risk_app.callback()
def risk(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    week: Annotated[str | None, typer.Option(
        help="YYYY-Www or a date in that week (default: the last complete week).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the reasons: fr or en.")] = "fr",
    out_file: OutOpt = None,
    oulad: Annotated[Path | None, typer.Option(
        help="OULAD folder: train the model on it and add score and top_features columns "
             "beside the rules.")] = None,
    train: Annotated[str, typer.Option(
        help="OULAD presentations to train on (with --oulad).")] = "AAA_2013J,AAA_2014J",
) -> None:
    """At-risk students for a week: level (green/amber/red), reasons, whether the flag is
    new, worse, ongoing (since when) or resolved, and the last contact of the follow-up log.

    Example: m2if risk --week 2027-W05 --lang fr --out risk.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from m2if_analytics.i18n import LANGS
    from m2if_analytics.outputs import check_output
    from m2if_analytics.risk import flags
    from m2if_analytics.risk.levels import join_scores

    if out_file is not None:
        check_output(out_file)
    if lang not in LANGS:
        raise typer.BadParameter(f"use one of {', '.join(LANGS)}", param_hint="--lang")
    with ctx.obj.open() as ws:
        warn_unmatched(ws)  # first: it may be why the cohort has no student
        table = flags(ws, cohort, week, lang)
        if oulad is not None:
            from m2if_analytics.risk.model.score import cohort_scores

            scores = cohort_scores(ws, oulad, cohort, week,
                                   [p.strip() for p in train.split(",") if p.strip()])
            table = join_scores(table, scores)
    emit_table(table, out_file)


@risk_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    out_file: OutOpt = None,
) -> None:
    """Replay the rules week by week on a finished cohort and compare with what became of
    its students (validated, not validated, dropped): per rule and level, precision, recall
    and the median lead time in weeks.

    Example: m2if risk evaluate --cohort 2025-2026 --out evaluation.csv
    """
    from m2if_analytics.outputs import check_output
    from m2if_analytics.risk.evaluation import evaluate_rules

    if out_file is not None:
        check_output(out_file)
    with ctx.obj.open() as ws:
        table = evaluate_rules(ws, cohort)
    emit_table(table, out_file)
