"""``m2if ingest ...``: load exports into the warehouse."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import (
    CohortOpt,
    JsonOpt,
    StrictOpt,
    err,
    ingest_app,
    progress,
    report,
)


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

    with ctx.obj.open(create=True) as ws:
        accounts = [ingest_moodle_file(ws.con, p, ws.cfg, ws.pseudo, cohort, time_format, strict)
                    for p in progress(files, "ingesting")]
        overlap = overlapping_formats(ws.con)
    report(accounts, as_json)
    if overlap:
        err.print(f"warning: {overlap}")


@ingest_app.command("xapi")
def ingest_xapi(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        help="xAPI statements: a JSON array or JSON Lines, plain or gzip-compressed.")],
    home_page: Annotated[str | None, typer.Option(
        help="The platform's account homePage: only its accounts are read as platform user "
             "ids, other homePages' accounts stay separate people [default: every account].")
    ] = None,
    strict: StrictOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Load xAPI statements (an LRS export), pseudonymised, as Moodle-equivalent events.

    Example: m2if ingest xapi statements.jsonl.gz lrs_export.json --json
    """
    from m2if_analytics.ingest.xapi import XapiWarning, ingest_xapi_file, overlapping_sources

    with ctx.obj.open(create=True) as ws, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", XapiWarning)
        accounts = [ingest_xapi_file(ws.con, p, ws.cfg, ws.pseudo, strict, home_page)
                    for p in progress(files, "ingesting")]
        overlap = overlapping_sources(ws.con)
    report(accounts, as_json)
    for warning in caught:
        err.print(f"warning: {warning.message}")
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

    with ctx.obj.open(create=True) as ws:
        account = ingest_roster_file(ws.con, file, ws.cfg, ws.pseudo, cohort, strict)
    report([account], as_json)


@ingest_app.command("oulad")
def ingest_oulad_cmd(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Folder with the seven OULAD tables (CSV).")],
    as_json: JsonOpt = False,
) -> None:
    """Load the Open University Learning Analytics Dataset (OULAD, CC BY 4.0).

    Example: m2if ingest oulad data_samples/oulad --json
    """
    from m2if_analytics.ingest.oulad import ingest_oulad

    with ctx.obj.open(create=True) as ws:
        accounts = ingest_oulad(ws.con, folder, ws.pseudo)
    report(accounts, as_json)


def _programme(ctx: typer.Context, kind: str, files: list[Path], cohort: str | None,
               strict: bool, as_json: bool) -> None:
    from m2if_analytics.ingest.programme import INGESTERS

    with ctx.obj.open(create=True) as ws:
        accounts = [INGESTERS[kind](ws.con, p, ws.cfg, ws.pseudo, cohort, strict)
                    for p in progress(files, "ingesting")]
    report(accounts, as_json)


FilesArg = Annotated[list[Path], typer.Argument(help="CSV file(s); formats in the README.")]


@ingest_app.command("grades")
def ingest_grades_cmd(ctx: typer.Context, files: FilesArg, cohort: CohortOpt = None,
                      strict: StrictOpt = False, as_json: JsonOpt = False) -> None:
    """Load grades (student, ue, assessment, grade, scale, weight, date).

    Example: m2if ingest grades grades.csv
    """
    _programme(ctx, "grades", files, cohort, strict, as_json)


@ingest_app.command("deadlines")
def ingest_deadlines_cmd(ctx: typer.Context, files: FilesArg, cohort: CohortOpt = None,
                         strict: StrictOpt = False, as_json: JsonOpt = False) -> None:
    """Load deadlines (ue, assignment, due local date-time, optional cmid).

    Example: m2if ingest deadlines deadlines.csv
    """
    _programme(ctx, "deadlines", files, cohort, strict, as_json)


@ingest_app.command("submissions")
def ingest_submissions_cmd(ctx: typer.Context, files: FilesArg, cohort: CohortOpt = None,
                           strict: StrictOpt = False, as_json: JsonOpt = False) -> None:
    """Load submissions (student, assignment, submitted_at); Moodle logs add their own.

    Example: m2if ingest submissions submissions.csv
    """
    _programme(ctx, "submissions", files, cohort, strict, as_json)


@ingest_app.command("internship")
def ingest_internship_cmd(ctx: typer.Context, files: FilesArg, cohort: CohortOpt = None,
                          strict: StrictOpt = False, as_json: JsonOpt = False) -> None:
    """Load internship days (student, date, days) or mission letters (student, validated_on).

    Example: m2if ingest internship internship.csv mission_letters.csv
    """
    _programme(ctx, "internship", files, cohort, strict, as_json)


@ingest_app.command("milestones")
def ingest_milestones_cmd(ctx: typer.Context, files: FilesArg, cohort: CohortOpt = None,
                          strict: StrictOpt = False, as_json: JsonOpt = False) -> None:
    """Load the mémoire's milestones done (student, milestone, done_on; [[milestones]] ids).

    Example: m2if ingest milestones milestones.csv
    """
    _programme(ctx, "milestones", files, cohort, strict, as_json)


@ingest_app.command("resources")
def ingest_resources_cmd(ctx: typer.Context, files: FilesArg, cohort: CohortOpt = None,
                         strict: StrictOpt = False, as_json: JsonOpt = False) -> None:
    """Load the documents provided (cmid, course_id, ue, name), for document coverage.

    Example: m2if ingest resources resources.csv
    """
    _programme(ctx, "resources", files, cohort, strict, as_json)


@ingest_app.command("forum")
def ingest_forum_cmd(ctx: typer.Context, files: FilesArg, cohort: CohortOpt = None,
                     strict: StrictOpt = False, as_json: JsonOpt = False) -> None:
    """Load Moodle forum_posts dumps: structure and sizes only, never subjects or messages.

    Example: m2if ingest forum forum_posts.csv --json
    """
    from m2if_analytics.ingest.forum import ingest_forum_file

    with ctx.obj.open(create=True) as ws:
        accounts = [ingest_forum_file(ws.con, p, ws.cfg, ws.pseudo, cohort, strict)
                    for p in progress(files, "ingesting")]
    report(accounts, as_json)


@ingest_app.command("aliases")
def ingest_aliases_cmd(ctx: typer.Context, files: FilesArg, strict: StrictOpt = False,
                       as_json: JsonOpt = False) -> None:
    """Link name variants or unmatched pseudonyms (variant) to roster people (person).

    Example: m2if ingest aliases aliases.csv
    """
    from m2if_analytics.ingest.aliases import ingest_aliases_file

    with ctx.obj.open() as ws:
        accounts = [ingest_aliases_file(ws.con, p, ws.pseudo, strict)
                    for p in progress(files, "ingesting")]
    report(accounts, as_json)
