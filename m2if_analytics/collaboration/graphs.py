"""Reply and co-participation networks of a forum frame (networkx), and their edge lists.

A forum frame has one row per post: post_id, discussion_id, parent_id (null for a
discussion's first post), author, and optionally role, group, created, week_start and the
parent_* columns of :func:`m2if_analytics.collaboration.data.forum_frame`. The caller chooses
the cohort, group and time window by filtering the frame; the networks are those of its posts.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import Any

import networkx as nx
import polars as pl

STUDENT = "student"
TEACHER = "teacher"
EDGE_COLUMNS = ["source", "target", "weight", "source_group", "target_group", "source_role",
                "target_role"]
_OPTIONAL: dict[str, Any] = {
    "role": pl.String, "group": pl.String, "created": pl.Datetime("us", "UTC"),
    "week_start": pl.Date, "parent_author": pl.String, "parent_role": pl.String,
    "parent_group": pl.String, "parent_created": pl.Datetime("us", "UTC"),
}


def _people(students: pl.DataFrame | None) -> pl.DataFrame:
    """person, p_role, p_group from a students frame (student, group, role)."""
    if students is None:
        return pl.DataFrame(schema={"person": pl.String, "p_role": pl.String,
                                    "p_group": pl.String})
    role = pl.col("role") if "role" in students.columns else pl.lit(STUDENT)
    group = pl.col("group") if "group" in students.columns else pl.lit(None, pl.String)
    return students.select(pl.col("student").cast(pl.String).alias("person"),
                           role.cast(pl.String).alias("p_role"),
                           group.cast(pl.String).alias("p_group")).unique("person", keep="first")


def resolve(posts: pl.DataFrame, students: pl.DataFrame | None = None,
            include_teachers: bool = True) -> pl.DataFrame:
    """The posts with every author's role and group and the person each post replies to.

    Adds ``target``: the author of the post replied to when that is someone else (null for
    a first post, a self-reply, or a reply to a post outside the frame's people), with
    target_role and target_group. Roles: the frame's, else the students frame's, else
    'student' for authors of a frame without a role column. ``include_teachers=False``
    drops the posts of non-students and every reply tie to a non-student.
    """
    missing = {"post_id", "discussion_id", "parent_id", "author"} - set(posts.columns)
    if missing:
        raise ValueError(f"forum frame lacks columns {sorted(missing)}")
    if posts["post_id"].is_duplicated().any():
        raise ValueError("forum frame has duplicate post_id values")
    default_role = "other" if "role" in posts.columns else STUDENT
    df = posts.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in _OPTIONAL.items()
                            if name not in posts.columns)
    people = _people(students)
    df = (df.join(people, left_on="author", right_on="person", how="left")
          .with_columns(pl.coalesce("role", "p_role", pl.lit(default_role)).alias("role"),
                        pl.coalesce("group", "p_group").alias("group"))
          .drop("p_role", "p_group"))
    parents = df.select(pl.col("post_id").alias("parent_id"), pl.col("author").alias("_pa"),
                        pl.col("role").alias("_pr"), pl.col("group").alias("_pg"),
                        pl.col("created").alias("_pc"))
    df = (df.join(parents, on="parent_id", how="left")
          .with_columns(pl.coalesce("_pa", "parent_author").alias("parent_author"))
          .join(people, left_on="parent_author", right_on="person", how="left")
          .with_columns(pl.coalesce("_pr", "parent_role", "p_role").alias("parent_role"),
                        pl.coalesce("_pg", "parent_group", "p_group").alias("parent_group"),
                        pl.coalesce("_pc", "parent_created").alias("parent_created"))
          .drop("_pa", "_pr", "_pg", "_pc", "p_role", "p_group"))
    tie = pl.col("parent_author").is_not_null() & (pl.col("parent_author") != pl.col("author"))
    if not include_teachers:
        df = df.filter(pl.col("role") == STUDENT)
        tie = tie & (pl.col("parent_role") == STUDENT)
    return df.with_columns(
        pl.when(tie).then(pl.col("parent_author")).alias("target"),
        pl.when(tie).then(pl.col("parent_role")).alias("target_role"),
        pl.when(tie).then(pl.col("parent_group")).alias("target_group"))


def _nodes(df: pl.DataFrame, with_targets: bool) -> dict[str, dict[str, Any]]:
    """node → {role, group, posts}: the frame's authors, and with_targets the people replied to."""
    nodes: dict[str, dict[str, Any]] = {}
    counts = Counter(df["author"].to_list())
    for author, role, group in df.select("author", "role", "group").unique(
            "author", keep="first", maintain_order=True).iter_rows():
        nodes[author] = {"role": role, "group": group, "posts": counts[author]}
    if with_targets:
        replied = df.filter(pl.col("target").is_not_null()).select(
            "target", "target_role", "target_group")
        for target, role, group in replied.iter_rows():
            nodes.setdefault(target, {"role": role, "group": group, "posts": 0})
    return nodes


def reply_graph_of(df: pl.DataFrame) -> nx.DiGraph:
    """The reply graph of a :func:`resolve`-d frame."""
    graph = nx.DiGraph()
    graph.add_nodes_from(_nodes(df, with_targets=True).items())
    ties = (df.filter(pl.col("target").is_not_null())
            .group_by("author", "target").agg(pl.len().alias("weight")))
    graph.add_weighted_edges_from(ties.select("author", "target", "weight").iter_rows())
    return graph


def coparticipation_graph_of(df: pl.DataFrame) -> nx.Graph:
    """The co-participation graph of a :func:`resolve`-d frame."""
    graph = nx.Graph()
    graph.add_nodes_from(_nodes(df, with_targets=False).items())
    shared: Counter[tuple[str, str]] = Counter()
    by_discussion = df.group_by("discussion_id").agg(pl.col("author").unique().sort())
    for authors in by_discussion["author"].to_list():
        shared.update(combinations(authors, 2))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in shared.items())
    return graph


def reply_graph(posts: pl.DataFrame, students: pl.DataFrame | None = None) -> nx.DiGraph:
    """Who answers whom: an edge author(reply) → author(post replied to), weight = number of
    such replies. Self-replies (answering one's own post) are not ties and are ignored.

    Nodes: every author of the frame and everyone replied to, with attributes role, group
    and posts (posts in the frame). ``students`` (student, group, role) supplies the role
    and group of people the frame does not describe.
    """
    return reply_graph_of(resolve(posts, students))


def coparticipation_graph(posts: pl.DataFrame,
                          students: pl.DataFrame | None = None) -> nx.Graph:
    """Who posts in the same discussions: an edge between two authors who both posted in a
    discussion of the frame, weight = number of such shared discussions.

    Nodes: every author of the frame, with attributes role, group and posts.
    """
    return coparticipation_graph_of(resolve(posts, students))


def without_teachers(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` keeping only students (nodes whose role is 'student'): teachers,
    other staff and people of unknown role are removed with their edges."""
    keep = [n for n, role in graph.nodes(data="role") if role == STUDENT]
    return graph.subgraph(keep).copy()


def edge_frame(graph: nx.Graph) -> pl.DataFrame:
    """A graph's edges: source, target, weight, then both ends' group and role."""
    rows = []
    for u, v, weight in graph.edges(data="weight"):
        if not graph.is_directed() and str(v) < str(u):
            u, v = v, u
        a, b = graph.nodes[u], graph.nodes[v]
        rows.append((u, v, weight, a.get("group"), b.get("group"), a.get("role"),
                     b.get("role")))
    schema = dict(zip(EDGE_COLUMNS, [pl.String, pl.String, pl.Int64, pl.String, pl.String,
                                     pl.String, pl.String], strict=True))
    return pl.DataFrame(rows, schema=schema, orient="row").sort("source", "target")


def edges(posts: pl.DataFrame, kind: str = "reply",
          students: pl.DataFrame | None = None) -> pl.DataFrame:
    """The edge list of the reply graph (directed: source replied to target ``weight``
    times) or of the co-participation graph (undirected: source < target, ``weight`` shared
    discussions). Columns: source, target, weight, source_group, target_group, source_role,
    target_role."""
    if kind == "reply":
        return edge_frame(reply_graph(posts, students))
    if kind == "coparticipation":
        return edge_frame(coparticipation_graph(posts, students))
    raise ValueError(f"unknown edge kind {kind!r}: 'reply' or 'coparticipation'")
