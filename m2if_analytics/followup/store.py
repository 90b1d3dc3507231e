"""Storing and reading the follow-up log (table ``followups``, queries/followup/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from m2if_analytics.followup.values import Contact, ContactError
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.workspace import Workspace

CONTACT_COLUMNS = ["followup_id", "date", "student", "tutor", "channel", "outcome", "next",
                   "note_id", "latest", "open"]
LAST_SCHEMA = {"student": pl.String, "last_contact": pl.Date, "last_channel": pl.String,
               "last_outcome": pl.String, "next_date": pl.Date, "contacts": pl.Int64}


def check_students(ws: Workspace, cohort: str, students: Sequence[str]) -> list[str]:
    """The pseudonyms of ``students`` that are not students of ``cohort``."""
    known = set(sql.select(ws.tables, "followup/students.sql", {"c": cohort})["student"])
    return sorted({s for s in students if s not in known})


def store(ws: Workspace, cohort: str, contacts: Sequence[Contact],
          note_ids: Sequence[str | None] | None = None, file_id: int | None = None) -> int:
    """Insert ``contacts`` of ``cohort`` (inside the caller's transaction when there is
    one), skipping those already recorded; the number inserted."""
    notes = list(note_ids) if note_ids is not None else [None] * len(contacts)
    frame = pl.DataFrame(
        {"person": [c.student for c in contacts], "cohort_id": [cohort] * len(contacts),
         "contact_date": [c.date for c in contacts], "tutor": [c.tutor for c in contacts],
         "channel": [c.channel for c in contacts], "outcome": [c.outcome for c in contacts],
         "next_date": [c.next_date for c in contacts], "note_id": notes},
        schema={"person": pl.String, "cohort_id": pl.String, "contact_date": pl.Date,
                "tutor": pl.String, "channel": pl.String, "outcome": pl.String,
                "next_date": pl.Date, "note_id": pl.String})
    with sql.registered(ws.con, {"_followup_df": frame}):
        [(inserted,)] = sql.run(ws.con, "followup/insert.sql",
                                {"file": file_id, "at": dt.datetime.now(dt.UTC)})
    return int(inserted)


def add(ws: Workspace, contact: Contact, cohort: str | None = None,
        note_id: str | None = None, today: dt.date | None = None) -> bool:
    """Record one contact (a student of the cohort, not in the future); False when the same
    contact is already recorded."""
    c = ws.cfg.cohort(cohort)
    if contact.date > (today or dt.date.today()):
        raise ContactError(f"contact date {contact.date} is in the future")
    if check_students(ws, c.id, [contact.student]):
        raise ContactError(f"{contact.student} is not a student of cohort {c.id}: see the "
                           "pseudonyms with m2if risk or m2if weekly")
    with sql.transaction(ws.con):
        return store(ws, c.id, [contact], [note_id]) == 1


def contacts(ws: Workspace, cohort: str | None = None, student: str | None = None,
             open_only: bool = False) -> pl.DataFrame:
    """The cohort's log, oldest first: followup_id, date, student, tutor, channel, outcome,
    next, note_id, latest (the student's latest contact), open (that latest contact asks for
    a next step, or nobody answered)."""
    c = ws.cfg.cohort(cohort)
    frame = sql.select(ws.tables, "followup/contacts.sql", {"c": c.id, "p": student})
    return frame.filter(pl.col("open")) if open_only else frame


def last_contacts(ws: Workspace, cohort: str | None = None,
                  as_of: dt.date | None = None) -> pl.DataFrame:
    """Each student's latest contact on or before ``as_of`` (default: today): student,
    last_contact, last_channel, last_outcome, next_date, contacts."""
    c = ws.cfg.cohort(cohort)
    return sql.select(ws.tables, "followup/last_contacts.sql",
                      {"c": c.id, "as_of": as_of or dt.date.today()}, LAST_SCHEMA)
