"""``m2if followup add|list|import``: the follow-up log of contacts with students."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, JsonOpt, app, emit_table, err, out

followup_app = typer.Typer(help="The follow-up log: who contacted which flagged student, how, "
                                "and what came of it.\n\nExample: m2if followup list --open",
                           no_args_is_help=True)
app.add_typer(followup_app, name="followup")
MappingOpt = Annotated[Path | None, typer.Option(
    help="Re-identification mapping (m2if reidentify): notes are kept beside it, names shown "
         "with it.")]


@followup_app.command("add")
def followup_add(
    ctx: typer.Context,
    student: Annotated[str, typer.Option(help="The student's pseudonym (p + 12 hex digits).")],
    date: Annotated[str, typer.Option(help="Day of the contact: YYYY-MM-DD or DD/MM/YYYY.")],
    by: Annotated[str, typer.Option(help="The tutor's code (initials or staff id), not a "
                                         "name.")],
    channel: Annotated[str, typer.Option(help="call, mail, meeting or message.")],
    outcome: Annotated[str, typer.Option(help="reached, no-answer, plan or referred.")],
    next_date: Annotated[str, typer.Option("--next", help="Next step agreed (a date).")] = "",
    note: Annotated[str | None, typer.Option(
        help="A free-text note, kept beside the mapping (never in the warehouse).")] = None,
    mapping: MappingOpt = None,
    cohort: CohortOpt = None,
) -> None:
    """Record one contact with a student.

    Example: m2if followup add --student p0123456789ab --date 2027-02-01 --by HV
    --channel call --outcome plan --next 2027-02-08
    """
    from m2if_analytics.followup import Contact, add
    from m2if_analytics.followup.notes import add_notes, new_note_id, notes_file
    from m2if_analytics.followup.values import ContactError

    if note is not None and mapping is None:
        raise ContactError("--note needs --mapping: notes are kept beside the "
                           "re-identification mapping, never in the warehouse")
    contact = Contact.parse(student, date, by, channel, outcome, next_date)
    note_id = None
    if note is not None and mapping is not None:
        notes_file(mapping)  # the mapping must exist before anything is recorded
        note_id = new_note_id()
    with ctx.obj.open() as ws:
        added = add(ws, contact, cohort, note_id)
    if added and note is not None and mapping is not None and note_id is not None:
        add_notes(mapping, [(contact.student, contact.date, note)], [note_id])
    out.print(f"recorded: {contact.date} {contact.student} {contact.channel} "
              f"{contact.outcome}" if added else "already recorded: nothing added",
              highlight=False)


@followup_app.command("list")
def followup_list(
    ctx: typer.Context,
    student: Annotated[str | None, typer.Option(help="Only this student's contacts.")] = None,
    open_only: Annotated[bool, typer.Option(
        "--open", help="Only students whose latest contact asks for a next step or got no "
                       "answer.")] = False,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write FILE.csv or FILE.parquet instead of CSV on standard output.")
    ] = None,
    mapping: MappingOpt = None,
    cohort: CohortOpt = None,
) -> None:
    """The follow-up log, oldest first (with --mapping: names and notes).

    Example: m2if followup list --open
    """
    import polars as pl

    from m2if_analytics.followup import contacts
    from m2if_analytics.followup.notes import read_notes
    from m2if_analytics.outputs import check_output
    from m2if_analytics.privacy.mapping import load_mapping

    if out_file is not None:
        check_output(out_file)
    with ctx.obj.open() as ws:
        table = contacts(ws, cohort, student, open_only).drop("followup_id", "latest")
    if mapping is not None:
        names = load_mapping(mapping)
        notes = read_notes(mapping)
        table = table.with_columns(
            pl.col("student").replace_strict(names, default=None).alias("name"),
            pl.col("note_id").replace_strict(notes, default=None).alias("note"))
    table = table.drop("note_id")
    emit_table(table, out_file)


@followup_app.command("import")
def followup_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV of contacts: student, date, by, channel, "
                                              "outcome[, next][, note].")],
    mapping: MappingOpt = None,
    cohort: CohortOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Load contacts from a CSV file (French or English headers and words).

    Example: m2if followup import contacts.csv --mapping private/mapping.csv
    """
    from m2if_analytics.followup.importer import import_file

    with ctx.obj.open() as ws:
        account, dropped = import_file(ws, file, cohort, mapping)
    if as_json:
        print(account.to_json())
    else:
        out.print(account.line(), highlight=False, soft_wrap=True)
    if dropped:
        err.print(f"warning: {dropped} note(s) dropped: give --mapping to keep notes beside "
                  "the re-identification mapping")
