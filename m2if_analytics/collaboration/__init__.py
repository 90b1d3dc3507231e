"""Collaboration in the forums: reply and co-participation networks and their metrics.

    from m2if_analytics import collaboration as collab
    from m2if_analytics.collaboration.data import forum_frame, members
    posts = forum_frame(ws, start=date(2026, 11, 2), end=date(2026, 11, 29))
    people = members(ws)
    collab.student_metrics(posts, people)    # one row per student, silent ones included
    collab.group_metrics(posts, people)      # one row per group, then "all"
    collab.weekly_metrics(posts, people)     # week × group time series
    collab.edges(posts, "reply", people)     # edge list for figures and exports
    graph = collab.reply_graph(posts, people)

Everything here is a pure function of a forum frame (one row per post): the caller picks the
cohort, group and time window when building it. Graphs are networkx graphs whose nodes carry
role, group and posts. Definitions of every metric: docs/collaboration.md.

Owns: the forum frame and cohort members read from the warehouse (:mod:`.data`, the only
module here that reads it), the networks (:mod:`.graphs`) and the metrics (:mod:`.metrics`).

May import: ``warehouse`` and the ground floor.
"""

from __future__ import annotations

from m2if_analytics.collaboration.graphs import (
    EDGE_COLUMNS,
    coparticipation_graph,
    edge_frame,
    edges,
    reply_graph,
    resolve,
    without_teachers,
)
from m2if_analytics.collaboration.metrics import (
    ALL,
    GROUP_COLUMNS,
    STUDENT_COLUMNS,
    WEEK_COLUMNS,
    gini,
    group_metrics,
    student_metrics,
    weekly_metrics,
)

CONTRACT_COLUMNS = STUDENT_COLUMNS[:10]  # the `m2if collab` per-student columns

__all__ = [
    "ALL",
    "CONTRACT_COLUMNS",
    "EDGE_COLUMNS",
    "GROUP_COLUMNS",
    "STUDENT_COLUMNS",
    "WEEK_COLUMNS",
    "coparticipation_graph",
    "edge_frame",
    "edges",
    "gini",
    "group_metrics",
    "reply_graph",
    "resolve",
    "student_metrics",
    "weekly_metrics",
    "without_teachers",
]
