"""The mémoire's milestones (``[[milestones]]``): each student's status for each step.

A milestone is done when the deliverable of its deadline (``assignment``, a deadline of the
deadlines table) is submitted, or on the date a milestones file gives (``m2if ingest
milestones``: student, milestone, done_on); it is due at that deadline, else at its own
``due`` (a date, or a month-day "06-27" taken in each cohort's year). Status as of a day:
``done`` (on or before the due day), ``late`` (after it), ``missing`` (not done, due day
passed), ``not_due`` (not done, not due yet); ``no_due`` when neither gives a due day.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from m2if_analytics.programme import indicators as ind
from m2if_analytics.text import fold_header
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.workspace import Workspace

SCHEMA = {"student": pl.String, "milestone": pl.String, "title": pl.String,
          "due": pl.Date, "done_on": pl.Date, "status": pl.String}
FROM_SUBMISSIONS = {"on_time": "done", "late": "late", "missing": "missing",
                    "pending": "not_due"}


def status(done_on: dt.date | None, due: dt.date | None, as_of: dt.date) -> str:
    """One milestone's status for one student as of a day."""
    if done_on is not None and done_on <= as_of:
        return "done" if due is None or done_on <= due else "late"
    if due is None:
        return "no_due"
    return "missing" if as_of > due else "not_due"


def milestones(ws: Workspace, cohort: str | None = None,
               as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × configured milestone (configuration order): student, milestone
    (its id), title, due (local day), done_on (local day or null), status."""
    cfg = ws.cfg
    c = cfg.cohort(cohort)
    day = as_of if as_of is not None else ind.default_as_of(ws)
    students = sql.select(ws.tables, "programme/cohort_students.sql", {"c": c.id})
    submissions = (ind.submission_status(ws, c.id, day) if ind.available(ws, "submissions", c.id)
                   else pl.DataFrame(schema={"student": pl.String, "assignment": pl.String,
                                             "due": pl.Datetime("us", "UTC"),
                                             "submitted_at": pl.Datetime("us", "UTC")}))
    manual = sql.select(ws.tables, "programme/milestones_done.sql", {"c": c.id})
    zone = cfg.programme.timezone
    by_assignment: dict[tuple[str, str], tuple[dt.date | None, dt.date | None]] = {}
    for student, assignment, due, submitted in submissions.select(
            "student", "assignment",
            pl.col("due").dt.convert_time_zone(zone).dt.date(),
            pl.col("submitted_at").dt.convert_time_zone(zone).dt.date()).iter_rows():
        by_assignment[(student, fold_header(assignment))] = (due, submitted)
    done = {(s, m): d for s, m, d in manual.iter_rows()}
    rows = []
    for (student,) in students.iter_rows():
        for m in cfg.milestones:
            due, submitted = by_assignment.get((student, fold_header(m.assignment)),
                                               (None, None)) if m.assignment else (None, None)
            due = due or m.due_in(c)
            done_on = done.get((student, m.id.casefold()), submitted)
            rows.append({"student": student, "milestone": m.id, "title": m.title, "due": due,
                         "done_on": done_on, "status": status(done_on, due, day)})
    return pl.DataFrame(rows, schema=SCHEMA)
