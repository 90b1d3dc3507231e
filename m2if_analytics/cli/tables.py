"""``m2if weekly``, ``quarantine`` and ``model``: tables out of the warehouse."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, app, emit_table, err, model_app, warn_unmatched
from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.sql import run


@app.command()
def weekly(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write FILE.csv or FILE.parquet instead of CSV on standard output.")] = None,
    engine: Annotated[str, typer.Option(
        help="duckdb (in the warehouse) or spark (the same SQL on Spark: local, "
             "$M2IF_SPARK_MASTER or $SPARK_REMOTE).")] = "duckdb",
    by: Annotated[str | None, typer.Option(
        "--by", help="Split each week's hours by ue (UE, else platform course) or activity "
                     "(document, forum, assignment, quiz, virtual_classroom, other); the "
                     "parts add up to the week.")] = None,
) -> None:
    """Weekly engagement: one row per student × programme week, zero weeks included; with
    --by, one row per student × week × UE or activity kind.

    Example: m2if weekly --cohort 2026-2027 --out weekly.csv
    Example: m2if weekly --by activity --out where-the-hours-go.csv
    """
    from m2if_analytics.engagement.split import BY, weekly_split
    from m2if_analytics.engagement.table import weekly_engagement
    from m2if_analytics.engines import get_engine
    from m2if_analytics.outputs import check_output

    if out_file is not None:
        check_output(out_file)
    get_engine(engine)  # an unknown engine fails before any work
    if by is not None and by not in BY:
        raise M2IFError(f"--by {by!r}: use ue or activity")
    if by is not None and engine != "duckdb":
        raise M2IFError("--by runs in the warehouse only: leave out --engine spark")
    with ctx.obj.open() as ws, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = (weekly_engagement(ws, cohort, engine=engine) if by is None
                 else weekly_split(ws, cohort, by))
        warn_unmatched(ws)
    for w in caught:
        err.print(f"warning: {w.message}", highlight=False)
    emit_table(frame, out_file)


@app.command()
def coverage(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    ue: Annotated[str | None, typer.Option(help="Only this UE (or 'course 42').")] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write FILE.csv or FILE.parquet instead of CSV on standard output.")] = None,
    per_document: Annotated[bool, typer.Option(
        "--documents", help="One row per document (who opened it, share, rare) instead of "
                            "one per student × UE.")] = False,
    resources: Annotated[Path | None, typer.Option(
        help="CSV of the documents provided (cmid[,course_id,ue,name], the columns and "
             "aliases of m2if ingest resources) instead of the cohort's stored list: "
             "counts those nobody opened.")
    ] = None,
) -> None:
    """Document coverage: per student and UE, the documents available, those opened, share.

    Example: m2if coverage --ue UE3 --out coverage.csv
    """
    from m2if_analytics.engagement import coverage as cov
    from m2if_analytics.ingest.resources_list import read_resources_list
    from m2if_analytics.outputs import check_output

    if out_file is not None:
        check_output(out_file)
    with ctx.obj.open() as ws:
        listed = read_resources_list(resources, ws.cfg) if resources is not None else None
        frame = (cov.documents if per_document else cov.coverage)(
            ws, cohort, ue=ue, resources=listed)
    emit_table(frame, out_file)


@app.command()
def quarantine(ctx: typer.Context) -> None:
    """List the rows that ingestion set aside: file, line, reason.

    Example: m2if quarantine
    """
    from m2if_analytics.outputs import neutral_cell

    with ctx.obj.open() as ws:
        rows = run(ws.con, "ingest/quarantine_list.sql")
    print("ingestion\tfile\tline\treason")
    for file_id, name, line, reason in rows:
        cells = [neutral_cell(str(v).replace("\t", " ")) for v in (name, reason)]
        print(f"#{file_id}\t{cells[0]}\t{'' if line is None else line}\t{cells[1]}")


@model_app.command("backtest")
def model_backtest(
    oulad: Annotated[Path, typer.Option(help="OULAD folder (the seven tables).")],
    train: Annotated[str, typer.Option(help="Training presentations, e.g. AAA_2013J,BBB_2013J.")],
    test: Annotated[str, typer.Option(help="Test presentation, e.g. AAA_2014J.")],
    days: Annotated[str, typer.Option(help="Cutoff days, e.g. 28,56,84.")] = "28,56,84",
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="CSV of presentation, student, day, probability, label.")] = None,
) -> None:
    """Train on some OULAD presentations, test on another: ROC-AUC and PR-AUC per day.

    Example: m2if model backtest --oulad data_samples/oulad --train AAA_2013J,BBB_2013J
    --test AAA_2014J --days 28,56,84 --out backtest.csv
    """
    from m2if_analytics.risk.model.backtest import backtest_from_folder

    try:
        cutoffs = [int(d) for d in days.split(",") if d.strip()]
    except ValueError:
        raise typer.BadParameter("write whole days, e.g. 28,56,84", param_hint="--days") from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = backtest_from_folder(oulad, [p.strip() for p in train.split(",") if p.strip()],
                                      test.strip(), cutoffs, out_file)
    for w in caught:
        err.print(f"warning: {w.message}")
    print(result.table())
    if out_file is not None:
        err.print(f"wrote {len(result.predictions)} predictions to {out_file}")
