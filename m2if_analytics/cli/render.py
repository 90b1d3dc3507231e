"""``m2if demo``, ``m2if report ...`` and ``m2if lab``: reports and notebooks."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from m2if_analytics.cli.base import (
    CohortOpt,
    LangOpt,
    OutDirOpt,
    app,
    err,
    out,
    report_app,
    warn_unmatched,
)

WeekOpt = Annotated[str | None, typer.Option(
    help="YYYY-Www or a date in that week (default: the last complete week).")]
KeepOpt = Annotated[bool, typer.Option(
    help="Also write the executed notebook (.ipynb) next to the HTML.")]
PlotlyOpt = Annotated[str, typer.Option(
    help="inline: plotly.js inside the page (one file to mail); beside: one plotly.min.js "
         "next to the reports (smaller pages, the folder stays offline).")]



@app.command()
def demo(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("reports"),
) -> None:
    """Build a warehouse from data_samples/ and write its reports into --out.

    Example: m2if demo --out reports
    """
    from m2if_analytics.jobs.demo import run_demo

    run_demo(out_dir, out)


@report_app.command("weekly")
def report_weekly(
    ctx: typer.Context,
    out_dir: OutDirOpt,
    cohort: CohortOpt = None,
    week: Annotated[str | None, typer.Option(
        help="YYYY-Www or a date in that week (default: the last complete week).")] = None,
    lang: LangOpt = "fr",
    keep_notebook: Annotated[bool, typer.Option(
        help="Also write the executed notebook (.ipynb) next to the HTML.")] = False,
    plotlyjs: PlotlyOpt = "inline",
) -> None:
    """Weekly report (notebooks/weekly_report.ipynb) → OUT/weekly-<cohort>-<week>.html.

    Example: m2if report weekly --week 2027-W05 --out reports
    """
    _render(ctx, "weekly", out_dir, cohort=cohort, week=week, lang=lang,
            keep_notebook=keep_notebook, plotlyjs=plotlyjs)


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
    from m2if_analytics.reports.lab import lab_command

    command = lab_command(ctx.obj.db, ctx.obj.config, ctx.obj.key_file, port, lab_args or [])
    if dry_run:
        print(command.describe())
    else:
        command.exec()


@report_app.command("collaboration")
def report_collaboration(
    ctx: typer.Context,
    out_dir: OutDirOpt,
    cohort: CohortOpt = None,
    week: Annotated[str | None, typer.Option(
        help="End the period with this week (default: the last complete week).")] = None,
    date_from: Annotated[str | None, typer.Option(
        "--from", help="First day of the period (default: the cohort's start).")] = None,
    date_to: Annotated[str | None, typer.Option(
        "--to", help="Last day of the period (instead of --week).")] = None,
    lang: LangOpt = "fr",
    teachers: Annotated[bool, typer.Option(
        help="Count teachers as partners in the metrics.")] = True,
    keep_notebook: Annotated[bool, typer.Option(
        help="Also write the executed notebook (.ipynb) next to the HTML.")] = False,
    plotlyjs: PlotlyOpt = "inline",
) -> None:
    """Collaboration report (notebooks/collaboration.ipynb) → OUT/collaboration-*.html.

    Example: m2if report collaboration --from 2026-10-05 --to 2027-01-31 --out reports
    """
    _render(ctx, "collaboration", out_dir, cohort=cohort, week=week, lang=lang,
            keep_notebook=keep_notebook, start=date_from, end=date_to,
            include_teachers=teachers, plotlyjs=plotlyjs)


def _render(ctx: typer.Context, name: str, out_dir: Path, **options: Any) -> None:
    """Render report ``name`` with the global options and the command's own; print its path."""
    from m2if_analytics.reports.render import RenderOptions, render_report

    o = ctx.obj
    given = RenderOptions(db=o.db, config=o.config, key_file=o.key_file, **options)
    with o.open() as ws:  # before the render: it may be why the render finds no student
        warn_unmatched(ws)
    busy = err.status(f"rendering the {name} report") if sys.stderr.isatty() else nullcontext()
    with busy:
        html = render_report(name, out_dir, given)
    print(html)


@report_app.command("cohort")
def report_cohort(ctx: typer.Context, out_dir: OutDirOpt, cohort: CohortOpt = None,
                  week: WeekOpt = None, lang: LangOpt = "fr",
                  keep_notebook: KeepOpt = False, plotlyjs: PlotlyOpt = "inline") -> None:
    """Cohort overview (notebooks/cohort_overview.ipynb) → OUT/cohort-<cohort>-<week>.html.

    Example: m2if report cohort --week 2027-W10 --out reports
    """
    _render(ctx, "cohort", out_dir, cohort=cohort, week=week, lang=lang,
            keep_notebook=keep_notebook, plotlyjs=plotlyjs)


@report_app.command("student")
def report_student(
    ctx: typer.Context,
    out_dir: OutDirOpt,
    student: Annotated[str, typer.Option(help="The student's pseudonym (p…), see m2if risk.")],
    cohort: CohortOpt = None,
    week: WeekOpt = None,
    mapping: Annotated[Path | None, typer.Option(
        help="Re-identification mapping (CSV from m2if reidentify): show the name.")] = None,
    lang: LangOpt = "fr",
    keep_notebook: KeepOpt = False,
    plotlyjs: PlotlyOpt = "inline",
) -> None:
    """Student profile (notebooks/student_profile.ipynb) → OUT/student-<cohort>-<p…>-<week>.html.

    Without --mapping the page shows the pseudonym only.

    Example: m2if report student --student p0123456789ab --out reports
    """
    _render(ctx, "student", out_dir, cohort=cohort, week=week, lang=lang,
            keep_notebook=keep_notebook, student=student, mapping=mapping,
            plotlyjs=plotlyjs)


@report_app.command("comparison")
def report_comparison(
    ctx: typer.Context,
    out_dir: OutDirOpt,
    cohorts: Annotated[list[str] | None, typer.Option(
        "--cohorts", help="Cohort ids to compare (repeat; default: every cohort with "
        "students).")] = None,
    lang: LangOpt = "fr",
    keep_notebook: KeepOpt = False,
    plotlyjs: PlotlyOpt = "inline",
) -> None:
    """Cohorts side by side (notebooks/cohort_comparison.ipynb) → OUT/comparison-<c1>_<c2>.html.

    Example: m2if report comparison --cohorts 2025-2026 --cohorts 2026-2027 --out reports
    """
    _render(ctx, "comparison", out_dir, lang=lang, keep_notebook=keep_notebook,
            cohorts=tuple(cohorts or ()), plotlyjs=plotlyjs)
