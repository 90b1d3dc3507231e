"""``m2if report me``: a student's own page (their figures only), one file per student."""

from __future__ import annotations

from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, LangOpt, OutDirOpt, out, report_app
from m2if_analytics.errors import M2IFError


@report_app.command("me")
def report_me(
    ctx: typer.Context,
    out_dir: OutDirOpt,
    student: Annotated[str | None, typer.Option(help="The student's pseudonym.")] = None,
    every: Annotated[bool, typer.Option("--all", help="One page per student of the cohort.")
                     ] = False,
    with_level: Annotated[bool, typer.Option(
        "--with-level", help="Also show the student's risk level and its reasons.")] = False,
    cohort: CohortOpt = None,
    week: Annotated[str | None, typer.Option(
        help="YYYY-Www or a date in that week (default: the last complete week).")] = None,
    lang: LangOpt = "fr",
) -> None:
    """A page for the student: their weeks against the target, pace, deadlines, internship
    and documents opened; no other student's figure, no ranking, no risk level unless
    --with-level. Files named me-<pseudonym>-<week>.html, for the programme to send.

    Example: m2if report me --student p1a2b3c4d5e6f --out pages --lang en
    """
    from m2if_analytics.i18n import LANGS
    from m2if_analytics.reports.me import all_students, write_me

    if lang not in LANGS:
        raise typer.BadParameter(f"use one of {', '.join(LANGS)}", param_hint="--lang")
    if (student is None) == (not every):
        raise M2IFError("give --student PSEUDONYM or --all (one page per student)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with ctx.obj.open() as ws:
        students = all_students(ws, cohort) if every else [str(student).strip()]
        written = write_me(ws, out_dir, students, cohort, week, lang, with_level)
    for path in written:
        out.print(str(path), highlight=False, markup=False, soft_wrap=True)
