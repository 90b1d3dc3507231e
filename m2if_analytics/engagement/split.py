"""Where the hours go: the weekly table's hours split by UE (or platform course) and by
activity kind, the parts of each week adding up to its hours.

    split.weekly_split(ws, by="ue")         # student, week_start, iso_week, ue, hours, events
    split.weekly_split(ws, by="activity")   # ... activity (document, forum, assignment, ...)

Each event keeps its own time-on-task credit (``event_credits`` of the pipeline), so a
session that moves from a document of UE1 to a forum of UE3 gives each part the time until
the next event. UEs come from ``[[units]] courses``; a course no UE lists is named
``course <id>``, and site-level events (no course, or Moodle's front page, course 1) ``site``.
A module the programme's own tables place (the cohort's resources list, or a deadline naming
the module's cmid) goes to their UE; an event without a course (a Logs download's course
module) takes its module's course from the resources list.
Activity kinds come from the event's component (the view ``component_kinds``, migration
017: ``[activity_kinds]`` of the configuration, then the built-in ``activity_kinds`` table of
migration 014), the same lookup document coverage uses.
"""

from __future__ import annotations

import polars as pl

from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.pipeline import pipeline_params
from m2if_analytics.warehouse.workspace import Workspace

BY = ("ue", "activity")
SITE_COURSES = (0, 1)  # Moodle's site course (SITEID = 1) and events outside any course


def with_ue(ws: Workspace, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (with course_id) and its ue: the UE the programme's own tables give the
    module (a ``listed_ue`` column, dropped, when the frame has one), else the first
    configured UE whose ``[[units]] courses`` list the course, else ``course <id>``, or
    ``site`` for Moodle's front page and events without a course."""
    ues = sqlfiles.select(ws.tables, "engagement/course_ues.sql")
    site = pl.col("course_id").is_null() | pl.col("course_id").is_in(SITE_COURSES)
    listed = pl.col("listed_ue") if "listed_ue" in frame.columns else pl.lit(None, pl.String)
    label = (pl.when(listed.is_not_null()).then(listed)
             .when(pl.col("ue").is_not_null()).then(pl.col("ue"))
             .when(site).then(pl.lit("site"))
             .otherwise(pl.lit("course ") + pl.col("course_id").cast(pl.String)))
    joined = frame.join(ues, on="course_id", how="left").with_columns(label.alias("ue"))
    return joined.drop("listed_ue", strict=False)


def parts(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """student, week_start, iso_week, course_id, listed_ue, activity, hours, events: every
    part of the cohort's weekly table (see ``queries/engagement/weekly_split.sql``)."""
    cohort_id = ws.cfg.cohort(cohort).id
    return sqlfiles.select(ws.tables, "engagement/weekly_split.sql",
                           {**pipeline_params(ws.cfg), "c": cohort_id})


def weekly_split(ws: Workspace, cohort: str | None = None, by: str = "ue") -> pl.DataFrame:
    """The weekly hours of ``cohort`` split ``by`` ``ue`` or ``activity``: student,
    week_start, iso_week, <by>, hours, events (one row per part with events; a week's parts
    add up to its hours in the weekly table)."""
    if by not in BY:
        raise M2IFError(f"--by {by!r}: use ue or activity")
    table = parts(ws, cohort)
    if by == "ue":
        table = with_ue(ws, table)
    return (table.group_by("student", "week_start", "iso_week", by)
            .agg(pl.col("hours").sum(), pl.col("events").sum().cast(pl.Int64))
            .sort("student", "week_start", by))
