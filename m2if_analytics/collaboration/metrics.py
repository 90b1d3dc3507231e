"""Collaboration metrics of a forum frame: per student, per group, per week (Polars frames).

``include_teachers`` decides whether a teacher (or other staff) counts as the other party of a
reply: replies sent and received, partners, degrees, betweenness, clustering, isolated and
response times. Posts, density, reciprocity, Gini and cross-group shares describe students
only; teacher-centredness always counts teachers. Definitions: docs/collaboration.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from typing import Any

import networkx as nx
import polars as pl

from m2if_analytics.collaboration.graphs import (
    STUDENT,
    TEACHER,
    coparticipation_graph_of,
    reply_graph_of,
    resolve,
)

ALL = "all"  # the cohort-wide row of group_metrics and weekly_metrics
STUDENT_COLUMNS = ["student", "group", "posts", "replies_sent", "replies_received", "partners",
                   "in_degree", "out_degree", "betweenness", "isolated",
                   "discussions_started", "clustering", "cross_group_share", "role"]
GROUP_COLUMNS = ["group", "members", "posts", "density", "reciprocity", "gini",
                 "teacher_centredness", "median_response_hours", "cross_group_share"]
WEEK_COLUMNS = ["week_start", "group", "posts", "active_authors", "replies",
                "isolated_students", "density", "members", "reciprocity", "gini",
                "teacher_centredness", "median_response_hours", "cross_group_share"]
_INT, _FLOAT, _STR = pl.Int64, pl.Float64, pl.String
STUDENT_SCHEMA: dict[str, Any] = dict(zip(STUDENT_COLUMNS, [
    _STR, _STR, _INT, _INT, _INT, _INT, _INT, _INT, _FLOAT, pl.Boolean, _INT, _FLOAT, _FLOAT,
    _STR], strict=True))
GROUP_SCHEMA: dict[str, Any] = dict(zip(GROUP_COLUMNS, [
    _STR, _INT, _INT, _FLOAT, _FLOAT, _FLOAT, _FLOAT, _FLOAT, _FLOAT], strict=True))
WEEK_SCHEMA: dict[str, Any] = {"week_start": pl.Date, "group": _STR, "posts": _INT,
                               "active_authors": _INT, "replies": _INT,
                               "isolated_students": _INT, "density": _FLOAT, "members": _INT,
                               **{c: _FLOAT for c in WEEK_COLUMNS[-5:]}}


def _people(df: pl.DataFrame, students: pl.DataFrame | None,
            include_teachers: bool) -> pl.DataFrame:
    """The rows to report (student, group, role): ``students`` when given, else the frame's
    authors; students only unless ``include_teachers``."""
    if students is None:
        people = (df.select(pl.col("author").alias("student"), "group", "role")
                  .unique("student", keep="first"))
    else:
        people = students.select(
            pl.col("student").cast(_STR),
            (pl.col("group") if "group" in students.columns else pl.lit(None)).cast(_STR)
            .alias("group"),
            (pl.col("role") if "role" in students.columns else pl.lit(STUDENT)).cast(_STR)
            .alias("role")).unique("student", keep="first")
    if not include_teachers:
        people = people.filter(pl.col("role") == STUDENT)
    return people.sort("student")


def _count(df: pl.DataFrame, by: str, name: str) -> dict[Any, int]:
    return dict(df.group_by(by).agg(pl.len().alias(name)).iter_rows())


def student_metrics(posts: pl.DataFrame, students: pl.DataFrame | None = None,
                    include_teachers: bool = False) -> pl.DataFrame:
    """One row per student of ``students`` (student, group, role; default: the frame's
    authors), whether or not they posted; teachers get rows only with ``include_teachers``.

    Columns: student, group, posts, replies_sent, replies_received, partners, in_degree,
    out_degree, betweenness, isolated, then discussions_started, clustering,
    cross_group_share, role.
    """
    df = resolve(posts, students, include_teachers)
    replies = reply_graph_of(df)
    undirected = replies.to_undirected()
    betweenness = nx.betweenness_centrality(undirected, normalized=True)
    clustering = nx.clustering(coparticipation_graph_of(df))
    written = _count(df, "author", "posts")
    started = _count(df.filter(pl.col("parent_id").is_null()), "author", "started")
    rows = []
    for name, group, role in _people(df, students, include_teachers).iter_rows():
        known = name in replies
        sent = replies.out_degree(name, weight="weight") if known else 0
        received = replies.in_degree(name, weight="weight") if known else 0
        partners = set(undirected[name]) if known else set()
        peers = [p for p in partners if undirected.nodes[p].get("role") == STUDENT]
        cross = (None if group is None or not peers else
                 sum(undirected.nodes[p].get("group") != group for p in peers) / len(peers))
        rows.append((name, group, written.get(name, 0), sent, received, len(partners),
                     replies.in_degree(name) if known else 0,
                     replies.out_degree(name) if known else 0,
                     float(betweenness.get(name, 0.0)),
                     written.get(name, 0) > 0 and received == 0,
                     started.get(name, 0), float(clustering.get(name, 0.0)), cross, role))
    return pl.DataFrame(rows, schema=STUDENT_SCHEMA, orient="row")


def gini(values: Sequence[float]) -> float | None:
    """Gini coefficient: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² mean); 0 = equal shares, (n − 1)/n = one
    member does everything; None without values or when they are all zero."""
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return None
    diffs = sum(abs(a - b) for a in values for b in values)
    return diffs / (2 * n * total)


def _with_responses(df: pl.DataFrame) -> pl.DataFrame:
    """Adds response_hours: hours from each post to its first reply by someone else (as
    resolved: a teacher's reply counts only when teachers are included); null: unanswered."""
    first = (df.filter(pl.col("target").is_not_null() & pl.col("created").is_not_null())
             .group_by(pl.col("parent_id").alias("post_id"))
             .agg(pl.col("created").min().alias("_first")))
    return (df.join(first, on="post_id", how="left")
            .with_columns(((pl.col("_first") - pl.col("created")).dt.total_seconds(
                fractional=True) / 3600.0).alias("response_hours"))
            .drop("_first"))


def _scopes(people: pl.DataFrame) -> list[tuple[str, list[str]]]:
    """(group, its students) for every named group, then (ALL, every student)."""
    students = people.filter(pl.col("role") == STUDENT)
    groups = sorted(g for g in students["group"].unique().to_list() if g is not None)
    scopes = [(g, students.filter(pl.col("group") == g)["student"].to_list()) for g in groups]
    return [*scopes, (ALL, students["student"].to_list())]


def _group_of(df: pl.DataFrame, people: pl.DataFrame) -> dict[str, str | None]:
    groups: dict[str, str | None] = dict(
        df.select("target", "target_group").drop_nulls("target").iter_rows())
    groups.update(df.select("author", "group").iter_rows())
    groups.update(people.select("student", "group").iter_rows())
    return groups


def _scope_metrics(members: list[str], ties: pl.DataFrame, flagged: pl.DataFrame,
                   group_of: dict[str, str | None]) -> dict[str, Any]:
    """The per-group columns for one set of students over one slice of the posts.

    ``ties``: the slice with teachers (for posts, ties and teacher-centredness);
    ``flagged``: the same slice resolved with the caller's include_teachers (responses)."""
    member_set = set(members)
    mine = ties.filter(pl.col("author").is_in(member_set))
    written = _count(mine, "author", "posts")
    replies = ties.filter(pl.col("target").is_not_null())
    touching = replies.filter(pl.col("author").is_in(member_set)
                              | pl.col("target").is_in(member_set))
    by_teacher = touching.filter((pl.col("role") == TEACHER)
                                 | (pl.col("target_role") == TEACHER)).height
    peer = replies.filter((pl.col("role") == STUDENT) & (pl.col("target_role") == STUDENT))
    inner = nx.DiGraph()
    inner.add_nodes_from(members)
    inner.add_edges_from(peer.filter(pl.col("author").is_in(member_set)
                                     & pl.col("target").is_in(member_set))
                         .select("author", "target").iter_rows())
    pairs = {frozenset(p) for p in peer.select("author", "target").iter_rows()
             if member_set & set(p)}
    delays = flagged.filter(pl.col("author").is_in(member_set))["response_hours"].drop_nulls()
    return {
        "members": len(members),
        "posts": mine.height,
        "density": nx.density(inner) if len(members) >= 2 else None,
        "reciprocity": nx.reciprocity(inner) if inner.number_of_edges() else None,
        "gini": gini([written.get(m, 0) for m in members]),
        "teacher_centredness": by_teacher / touching.height if touching.height else None,
        "median_response_hours": statistics.median(delays.to_list()) if len(delays) else None,
        "cross_group_share": (sum(len({group_of.get(p) for p in pair}) > 1 for pair in pairs)
                              / len(pairs) if pairs else None),
    }


def group_metrics(posts: pl.DataFrame, students: pl.DataFrame | None = None,
                  include_teachers: bool = False) -> pl.DataFrame:
    """One row per group of ``students`` (sorted), then a cohort-wide row with group "all".

    Columns: group, members, posts, density, reciprocity, gini, teacher_centredness,
    median_response_hours, cross_group_share.
    """
    ties = resolve(posts, students, include_teachers=True)
    flagged = _with_responses(resolve(posts, students, include_teachers))
    people = _people(ties, students, include_teachers=False)
    group_of = _group_of(ties, people)
    rows = [{"group": name, **_scope_metrics(members, ties, flagged, group_of)}
            for name, members in _scopes(people)]
    return pl.DataFrame(rows, schema=GROUP_SCHEMA).select(GROUP_COLUMNS)


def _weeks(df: pl.DataFrame, weeks: Sequence[dt.date] | None) -> list[dt.date]:
    if weeks is not None:
        return sorted(set(weeks))
    present = df["week_start"].drop_nulls()
    if present.is_empty():
        return []
    first, last = present.min(), present.max()
    return [first + dt.timedelta(days=7 * i)  # type: ignore[operator]
            for i in range((last - first).days // 7 + 1)]  # type: ignore[operator]


def weekly_metrics(posts: pl.DataFrame, students: pl.DataFrame | None = None,
                   include_teachers: bool = False,
                   weeks: Sequence[dt.date] | None = None) -> pl.DataFrame:
    """One row per week × group (groups sorted, then "all"): the posts written that week.

    Weeks: ``weeks`` (Mondays) when given, else every Monday from the frame's first to last
    week_start, empty weeks included. Columns: week_start, group, posts, active_authors,
    replies, isolated_students, density, then members, reciprocity, gini,
    teacher_centredness, median_response_hours, cross_group_share (as in group_metrics,
    over that week's posts; a response may come in a later week).
    """
    if "week_start" not in posts.columns:
        raise ValueError("weekly_metrics needs a week_start column (local Monday of each post)")
    ties = resolve(posts, students, include_teachers=True)
    flagged = _with_responses(resolve(posts, students, include_teachers))
    people = _people(ties, students, include_teachers=False)
    group_of = _group_of(ties, people)
    scopes = _scopes(people)
    rows = []
    for monday in _weeks(ties, weeks):
        week_ties = ties.filter(pl.col("week_start") == monday)
        week_flagged = flagged.filter(pl.col("week_start") == monday)
        for name, members in scopes:
            mine = week_flagged.filter(pl.col("author").is_in(members))
            answered = mine.group_by("author").agg(pl.col("response_hours").is_not_null().any())
            metrics = _scope_metrics(members, week_ties, week_flagged, group_of)
            rows.append({
                "week_start": monday, "group": name, "posts": metrics.pop("posts"),
                "active_authors": answered.height,
                "replies": mine.filter(pl.col("target").is_not_null()).height,
                "isolated_students": answered.filter(~pl.col("response_hours")).height,
                **metrics})
    return pl.DataFrame(rows, schema=WEEK_SCHEMA).select(WEEK_COLUMNS)
