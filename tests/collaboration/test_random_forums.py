"""Collaboration metrics against networkx on seeded random forums."""

from __future__ import annotations

import datetime as dt
import random

import networkx as nx
import polars as pl
import pytest

from m2if_analytics import collaboration as collab
from tests.collaboration.test_metrics import rows_by

UTC = dt.UTC
W1, W2 = dt.date(2026, 11, 2), dt.date(2026, 11, 9)


# --- random forums against networkx --------------------------------------------------------

def random_forum(seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A forum of 12 students in 3 groups and 2 teachers, 40-120 posts, replies to earlier
    posts of the same discussion."""
    rng = random.Random(seed)
    people = [(f"s{i:02d}", "ABC"[i % 3], "student") for i in range(12)]
    people += [("t1", None, "teacher"), ("t2", None, "teacher")]
    authors = [p[0] for p in people[:-4]] + ["t1", "t2"]  # two students stay silent
    posts: list[tuple] = []
    discussions: dict[int, list[int]] = {}
    start = dt.datetime(2026, 10, 5, 8, tzinfo=UTC)
    for post_id in range(1, rng.randint(40, 120)):
        created = start + dt.timedelta(hours=post_id * rng.uniform(1, 6))
        if not discussions or rng.random() < 0.2:
            disc, parent = len(discussions) + 1, None
            discussions[disc] = []
        else:
            disc = rng.choice(list(discussions))
            parent = rng.choice(discussions[disc])
        discussions[disc].append(post_id)
        posts.append((post_id, disc, parent, rng.choice(authors), created))
    frame = pl.DataFrame(posts, orient="row", schema={
        "post_id": pl.Int64, "discussion_id": pl.Int64, "parent_id": pl.Int64,
        "author": pl.String, "created": pl.Datetime("us", "UTC")})
    roster = pl.DataFrame(people, orient="row", schema=["student", "group", "role"])
    return frame, roster


def graphs_by_hand(posts: list[dict], keep: set[str]) -> tuple[nx.DiGraph, nx.Graph]:
    """The reply and co-participation graphs of ``keep``'s posts, built with plain loops."""
    author = {p["post_id"]: p["author"] for p in posts}
    replies, copart = nx.DiGraph(), nx.Graph()
    by_discussion: dict[int, set[str]] = {}
    for p in posts:
        if p["author"] not in keep:
            continue
        replies.add_node(p["author"])
        copart.add_node(p["author"])
        by_discussion.setdefault(p["discussion_id"], set()).add(p["author"])
        target = author.get(p["parent_id"])
        if target is not None and target != p["author"] and target in keep:
            weight = replies.get_edge_data(p["author"], target, {"weight": 0})["weight"]
            replies.add_edge(p["author"], target, weight=weight + 1)
    for authors in by_discussion.values():
        for u in authors:
            for v in authors:
                if u < v:
                    weight = copart.get_edge_data(u, v, {"weight": 0})["weight"]
                    copart.add_edge(u, v, weight=weight + 1)
    return replies, copart


def assert_match_networkx(table: pl.DataFrame, replies: nx.DiGraph, copart: nx.Graph) -> None:
    undirected = replies.to_undirected()
    betweenness = nx.betweenness_centrality(undirected)
    clustering = nx.clustering(copart)
    for row in table.iter_rows(named=True):
        s = row["student"]
        if s not in replies:
            assert (row["posts"], row["partners"], row["betweenness"]) == (0, 0, 0.0)
            continue
        assert row["in_degree"] == replies.in_degree(s), s
        assert row["out_degree"] == replies.out_degree(s), s
        assert row["replies_sent"] == replies.out_degree(s, weight="weight"), s
        assert row["replies_received"] == replies.in_degree(s, weight="weight"), s
        assert row["partners"] == undirected.degree(s), s
        assert row["betweenness"] == pytest.approx(betweenness[s]), s
        assert row["clustering"] == pytest.approx(clustering[s]), s
        assert row["isolated"] == (replies.in_degree(s) == 0), s


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("include_teachers", [False, True])
def test_metrics_equal_networkx_on_random_forums(seed: int, include_teachers: bool):
    posts, roster = random_forum(seed)
    everyone = set(roster["student"])
    keep = everyone if include_teachers else set(
        roster.filter(pl.col("role") == "student")["student"])
    replies, copart = graphs_by_hand(posts.to_dicts(), keep)
    table = collab.student_metrics(posts, roster, include_teachers=include_teachers)
    assert set(table["student"]) == keep  # silent students included
    assert_match_networkx(table, replies, copart)
    graph = collab.reply_graph(posts, roster)
    if not include_teachers:
        graph = collab.without_teachers(graph)
    assert sorted(graph.edges(data="weight")) == sorted(replies.edges(data="weight"))


@pytest.mark.parametrize("seed", range(4))
def test_group_density_and_reciprocity_equal_networkx_on_random_forums(seed: int):
    posts, roster = random_forum(seed)
    students = roster.filter(pl.col("role") == "student")
    replies, _ = graphs_by_hand(posts.to_dicts(), set(students["student"]))
    table = rows_by(collab.group_metrics(posts, roster), "group")
    for group in ("A", "B", "C"):
        mine = students.filter(pl.col("group") == group)["student"].to_list()
        sub = nx.DiGraph(replies.subgraph(mine))
        sub.add_nodes_from(mine)
        assert table[group]["density"] == pytest.approx(nx.density(sub))
        expected = nx.reciprocity(sub) if sub.number_of_edges() else None
        assert table[group]["reciprocity"] == (pytest.approx(expected) if expected is not None
                                               else None)
    assert table["all"]["members"] == 12
