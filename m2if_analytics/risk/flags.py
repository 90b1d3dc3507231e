"""A flag's life: is it new this week, worse, ongoing since when, or resolved — and has
anyone called the student since it was raised?

    table = risk.flags(ws)                                   # last complete week
    table = risk.flags(ws, week="2027-W05", lang="en", contacts=followup.last_contacts(ws))

:func:`flag_states` is pure (levels week by week in, one :class:`FlagState` per student
out); :func:`flags` reads the levels of every complete week up to the report week (judged once
and stored, :mod:`.history`) and adds the follow-up log's last contact. Statuses:

- ``new``: flagged (amber or red) this week after a green week (or at the first week);
- ``worse``: red this week after an amber week;
- ``ongoing``: flagged this week and the week before, not worse (``since`` = the Monday
  of the first week of the uninterrupted flagged run);
- ``resolved``: green this week after a flagged week;
- ``""``: green this week and the week before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from m2if_analytics import engagement
from m2if_analytics.followup import last_contacts
from m2if_analytics.risk import history
from m2if_analytics.risk.levels import (
    LEVELS,
    TABLE_COLUMNS,
    Level,
    StudentRisk,
    risk_table,
    student_risks,
)
from m2if_analytics.warehouse.workspace import Workspace

RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2}
STATUSES = ("new", "worse", "ongoing", "resolved", "")
FLAG_COLUMNS = ["student", "week_start", "level", "reasons", "status", "since", "previous_level",
                "last_contact", "uncontacted_days", "group"]


@dataclass(frozen=True)
class FlagState:
    """One student's flag at the last week of a history."""

    level: Level
    previous: Level | None
    status: str
    since: dt.date | None  # Monday of the first week of the current flagged run


def flag_states(history: Iterable[tuple[dt.date, dict[str, Level]]]) -> dict[str, FlagState]:
    """Each student's state at the last week of ``history`` (weeks in order, each a Monday
    and every student's level that week; a student absent from a week has no level then)."""
    state: dict[str, FlagState] = {}
    for monday, levels in history:
        for student, level in levels.items():
            before = state.get(student)
            previous = before.level if before else None
            rank, prev_rank = RANK[level], RANK[previous] if previous else 0
            if rank == 0:
                status = "resolved" if prev_rank > 0 else ""
                since = None
            elif prev_rank == 0:
                status, since = "new", monday
            else:
                status = "worse" if rank > prev_rank else "ongoing"
                since = before.since if before and before.since else monday
            state[student] = FlagState(level, previous, status, since)
    return state


def uncontacted_days(since: dt.date | None, last_contact: dt.date | None,
                     week_start: dt.date) -> int | None:
    """Days a flag has waited for a contact, up to the report week's Sunday: from ``since``
    when nobody has been in touch on or after it; ``None`` when not flagged or contacted."""
    if since is None or (last_contact is not None and last_contact >= since):
        return None
    return (week_start + dt.timedelta(days=6) - since).days + 1


def flag_table(current: list[StudentRisk] | pl.DataFrame, states: dict[str, FlagState],
               lang: str = "fr", groups: pl.DataFrame | None = None,
               contacts: pl.DataFrame | None = None) -> pl.DataFrame:
    """The risk table of ``current`` (results, or the risk table itself: student,
    week_start, level, reasons, red first) with each student's flag state, group and last
    contact: the columns of :data:`FLAG_COLUMNS`."""
    table = current if isinstance(current, pl.DataFrame) else risk_table(current, lang)
    group = dict(groups.select("student", "group").iter_rows()) if groups is not None else {}
    contact = ({} if contacts is None or contacts.is_empty()
               else dict(contacts.select("student", "last_contact").iter_rows()))
    rows = []
    for student, week_start in table.select("student", "week_start").iter_rows():
        st = states.get(student)
        since = st.since if st else None
        last = contact.get(student)
        rows.append({"student": student, "group": group.get(student),
                     "previous_level": st.previous if st else None,
                     "status": st.status if st else "", "since": since, "last_contact": last,
                     "uncontacted_days": uncontacted_days(since, last, week_start)})
    extra = pl.DataFrame(rows, schema={"student": pl.String, "group": pl.String,
                                       "previous_level": pl.String, "status": pl.String,
                                       "since": pl.Date, "last_contact": pl.Date,
                                       "uncontacted_days": pl.Int64})
    return table.join(extra, on="student", how="left", maintain_order="left").select(
        FLAG_COLUMNS)


def flags(ws: Workspace, cohort: str | None = None, week: str | dt.date | None = None,
          lang: str = "fr", contacts: pl.DataFrame | None = None) -> pl.DataFrame:
    """The cohort's flags at ``week`` (default: the last complete week): the risk table with
    status (new / worse / ongoing / resolved), since, group and last contact (``contacts``:
    student, last_contact; default: the follow-up log up to the report week's Sunday)."""
    c = ws.cfg.cohort(cohort)
    monday = engagement.report_week(ws, c.id, week)
    stored = history.levels(ws, c.id, until=monday, lang=lang)  # judged once, kept
    weeks: list[tuple[dt.date, dict[str, Level]]] = [
        (part["week_start"][0], dict(part.select("student", "level").iter_rows()))
        for part in stored.partition_by("week_start", maintain_order=True)]
    current: list[StudentRisk] | pl.DataFrame
    if weeks and weeks[-1][0] == monday:
        rank = {level: i for i, level in enumerate(LEVELS)}
        current = (stored.filter(pl.col("week_start") == monday)
                   .select(*TABLE_COLUMNS)
                   .sort(pl.col("level").replace_strict(rank, return_dtype=pl.Int64),
                         "student"))
    else:  # the report week is not complete: judged as `m2if risk` judges it
        current = student_risks(ws, c.id, monday)
        weeks.append((monday, {r.student: r.level for r in current}))
    if contacts is None:
        contacts = last_contacts(ws, c.id, monday + dt.timedelta(days=6))
    return flag_table(current, flag_states(weeks), lang, engagement.students(ws, c.id),
                      contacts)


__all__ = ["FLAG_COLUMNS", "STATUSES", "FlagState", "flag_states", "flag_table",
           "flags", "uncontacted_days"]
