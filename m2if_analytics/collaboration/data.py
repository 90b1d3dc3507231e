"""The one place the collaboration metrics meet the warehouse: forum posts and cohort members.

    from m2if_analytics import collaboration as collab
    from m2if_analytics.collaboration.data import forum_frame, members
    posts = forum_frame(ws)                          # the latest cohort, its whole calendar
    collab.student_metrics(posts, members(ws))       # one row per student

The SQL is in ``queries/collaboration/``; the metrics (:mod:`m2if_analytics.collaboration`) are pure
functions of the frames returned here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.meta import table_exists
from m2if_analytics.warehouse.workspace import Workspace

FORUM_SCHEMA: dict[str, Any] = {
    "post_id": pl.Int64, "discussion_id": pl.Int64, "parent_id": pl.Int64,
    "author": pl.String, "role": pl.String, "group": pl.String,
    "created": pl.Datetime("us", "UTC"), "week_start": pl.Date,
    "wordcount": pl.Int64, "charcount": pl.Int64,
    "parent_author": pl.String, "parent_role": pl.String, "parent_group": pl.String,
    "parent_created": pl.Datetime("us", "UTC"),
}
MEMBER_SCHEMA: dict[str, Any] = {"student": pl.String, "group": pl.String, "role": pl.String}


def members(ws: Workspace, cohort: str | None = None, group: str | None = None,
            include_teachers: bool = False) -> pl.DataFrame:
    """The cohort's people, the ``students`` argument of the metrics.

    Columns: student (pseudonym), group (roster group or null), role ('student' | 'teacher'
    | 'other'). Students first, then staff when ``include_teachers``; with ``group``, only
    that group's students (staff are kept: they follow several groups).
    """
    cohort_id = ws.cfg.cohort(cohort).id
    params = {"cohort": cohort_id, "group": group, "include_teachers": include_teachers}
    return sqlfiles.select(ws.tables, "collaboration/members.sql", params, MEMBER_SCHEMA)


def has_forum(ws: Workspace) -> bool:
    """Whether the warehouse has a forum_posts table (schema version with forum ingestion)."""
    return table_exists(ws.con, "forum_posts")


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def forum_frame(ws: Workspace, cohort: str | None = None, start: dt.date | None = None,
                end: dt.date | None = None, group: str | None = None,
                include_teachers: bool = True) -> pl.DataFrame:
    """One row per forum post written by a person of the cohort within the window.

    The window is the local dates ``start`` to ``end``, both inclusive (default: the
    cohort's start and end). ``group`` keeps that group's students (and staff, when
    ``include_teachers``): the group's own network. ``include_teachers=False`` keeps
    students only.

    Columns: post_id, discussion_id, parent_id (null for a discussion's first post),
    author (pseudonym), role ('student' | 'teacher' | 'other'), group (the author's roster
    group or null), created (UTC), week_start (local Monday), wordcount, charcount; then
    parent_author, parent_role, parent_group, parent_created: the post replied to, whatever
    its date, null when it is outside the selected people
    (see queries/collaboration/forum_posts.sql).
    Empty (same columns) when no forum was ever ingested.
    """
    c = ws.cfg.cohort(cohort)
    if not has_forum(ws):
        return pl.DataFrame(schema=FORUM_SCHEMA)
    first = _day(start) if start is not None else c.start
    last = _day(end) if end is not None else c.end
    params = {"cohort": c.id, "group": group, "include_teachers": include_teachers,
              "tz": ws.cfg.programme.timezone, "first_day": first,
              "after_day": last + dt.timedelta(days=1)}
    return sqlfiles.select(ws.tables, "collaboration/forum_posts.sql", params, FORUM_SCHEMA)
