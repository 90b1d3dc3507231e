"""The export's tables as the warehouse knows them (pseudonyms, nothing suppressed yet)."""

from __future__ import annotations

import polars as pl

from m2if_analytics import collaboration, engagement
from m2if_analytics.collaboration import data as collaboration_data
from m2if_analytics.warehouse.workspace import Workspace

EDGE_KINDS = ("reply", "coparticipation")
ENGAGEMENT_COLUMNS = ["student", "group", "week_start", "iso_week", "hours", "sessions",
                      "active_days", "events", "target_hours", "below_target", "holiday",
                      "in_progress"]
TABLES = ("weekly_engagement", "student_metrics", "group_metrics", "weekly_metrics", "edges")


def research_tables(ws: Workspace, cohort: str | None = None,
                    include_teachers: bool = True) -> tuple[dict[str, pl.DataFrame],
                                                             pl.DataFrame, int]:
    """The export's tables (warehouse pseudonyms, staff still individual, nothing
    suppressed), the cohort's students (student, group) and the number of forum posts.
    ``include_teachers`` counts teachers as reply partners in the metrics."""
    cohort_id = ws.cfg.cohort(cohort).id
    people = collaboration_data.members(ws, cohort_id, include_teachers=include_teachers)
    weekly = engagement.weekly(ws, cohort_id).select(ENGAGEMENT_COLUMNS)
    posts = collaboration_data.forum_frame(ws, cohort=cohort_id,
                                           include_teachers=include_teachers)
    edges = pl.concat([collaboration.edges(posts, kind, people).select(
        pl.lit(kind).alias("kind"), pl.all()) for kind in EDGE_KINDS], how="diagonal_relaxed")
    teachers = {"include_teachers": include_teachers}
    tables = {
        "weekly_engagement": weekly,
        "student_metrics": collaboration.student_metrics(posts, people, **teachers),
        "group_metrics": collaboration.group_metrics(posts, people, **teachers),
        "weekly_metrics": collaboration.weekly_metrics(posts, people, **teachers),
        "edges": edges,
    }
    students = people.filter(pl.col("role") == "student").select("student", "group")
    return tables, students, posts.height
