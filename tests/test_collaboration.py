"""Collaboration networks and metrics: a hand-made forum with hand-computed values, random
forums against networkx, the warehouse adapter (windows, groups, teachers) and the sample
cohort's forum against networkx computed from the raw dump."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from m2if_analytics import collaboration as collab
from m2if_analytics.collaboration_data import forum_frame, has_forum, members
from m2if_analytics.context import Workspace, open_workspace
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.pseudonymise import pseudonym
from tests.conftest import SAMPLES, local

UTC = dt.UTC
W1, W2 = dt.date(2026, 11, 2), dt.date(2026, 11, 9)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# --- the hand-made forum ------------------------------------------------------------------
# Students a1, a2, a3 (group A), b1, b2 (group B); teacher t (no group). a3 never posts.
#
#  post discussion parent author  created (UTC)     tie (reply author → parent author)
#   1      d1        -      t      Mon 11-02 09:00   first post of d1
#   2      d1        1      a1     Mon 11-02 10:00   a1 → t
#   3      d1        2      b1     Mon 11-02 12:00   b1 → a1
#   4      d1        3      a1     Mon 11-02 13:00   a1 → b1
#   5      d2        -      a2     Tue 11-03 09:00   first post of d2
#   6      d2        5      a2     Tue 11-03 09:30   self-reply: no tie
#   7      d2        5      a1     Tue 11-10 09:00   a1 → a2 (week 2)
#   8      d1        4      t      Mon 11-02 15:00   t → a1
#   9      d3        -      b2     Wed 11-04 09:00   first post of d3
#  10      d3        9      t      Thu 11-05 09:00   t → b2
#
# Reply graph with teachers: a1→t, b1→a1, a1→b1, a1→a2, t→a1, t→b2 (weight 1 each).
# Students only: b1→a1, a1→b1, a1→a2 (nodes a1, a2, b1, b2: b2 posted, a3 did not).
POSTS = [(1, 1, None, "t", at(2, 9)), (2, 1, 1, "a1", at(2, 10)), (3, 1, 2, "b1", at(2, 12)),
         (4, 1, 3, "a1", at(2, 13)), (5, 2, None, "a2", at(3, 9)),
         (6, 2, 5, "a2", at(3, 9, 30)), (7, 2, 5, "a1", at(10, 9)), (8, 1, 4, "t", at(2, 15)),
         (9, 3, None, "b2", at(4, 9)), (10, 3, 9, "t", at(5, 9))]
PEOPLE = pl.DataFrame({"student": ["a1", "a2", "a3", "b1", "b2", "t"],
                       "group": ["A", "A", "A", "B", "B", None],
                       "role": ["student"] * 5 + ["teacher"]})
STUDENTS = PEOPLE.filter(pl.col("role") == "student")


def hand_forum() -> pl.DataFrame:
    posts = pl.DataFrame(POSTS, orient="row", schema={
        "post_id": pl.Int64, "discussion_id": pl.Int64, "parent_id": pl.Int64,
        "author": pl.String, "created": pl.Datetime("us", "UTC")})
    return posts.with_columns(pl.col("created").dt.truncate("1w").dt.date().alias("week_start"))


def rows_by(table: pl.DataFrame, key: str) -> dict[str, dict]:
    return {r[key]: r for r in table.iter_rows(named=True)}


METRICS = ["posts", "replies_sent", "replies_received", "partners", "in_degree", "out_degree",
           "betweenness", "isolated", "discussions_started", "clustering", "cross_group_share"]


def check(row: dict, expected: tuple) -> None:
    for name, want in zip(METRICS, expected, strict=True):
        got = row[name]
        if isinstance(want, float):
            assert got == pytest.approx(want), (row["student"], name)
        else:
            assert got == want, (row["student"], name)


def test_student_metrics_without_teachers_match_hand_computed_values():
    table = collab.student_metrics(hand_forum(), PEOPLE)
    assert table.columns == collab.STUDENT_COLUMNS
    assert table.columns[:10] == ["student", "group", "posts", "replies_sent",
                                  "replies_received", "partners", "in_degree", "out_degree",
                                  "betweenness", "isolated"]
    got = rows_by(table, "student")
    assert sorted(got) == ["a1", "a2", "a3", "b1", "b2"]  # every student, no teacher
    # Students-only undirected graph: a1-b1, a1-a2, b2 alone (n = 4). a1 lies on the one
    # shortest path b1…a2: raw betweenness 1, normalised × 2/((n-1)(n-2)) = 2/6 → 1/3.
    # Co-participation (students): d1 {a1, b1}, d2 {a1, a2}, d3 {b2}: a1's neighbours b1
    # and a2 are not linked → clustering 0 for everyone.
    # a1: posts 2, 4, 7; sent 4→b1, 7→a2 = 2 (2→t is not a student tie); received 3 from b1
    #   = 1 (8 from t excluded); partners {b1, a2}; in {b1}; out {b1, a2}; started 0;
    #   cross-group: b1 (B) of {b1, a2} = 1/2.
    check(got["a1"], (3, 2, 1, 2, 1, 2, 1 / 3, False, 0, 0.0, 0.5))
    # a2: posts 5, 6 (6 answers itself: no tie); received 7 from a1; partner a1 (same group).
    check(got["a2"], (2, 0, 1, 1, 1, 0, 0.0, False, 1, 0.0, 0.0))
    # a3: silent — no post, so not "isolated"; no partner, so no cross-group share.
    check(got["a3"], (0, 0, 0, 0, 0, 0, 0.0, False, 0, 0.0, None))
    # b1: post 3 → a1, answered by a1's post 4; partner a1 of group A: cross share 1.
    check(got["b1"], (1, 1, 1, 1, 1, 1, 0.0, False, 0, 0.0, 1.0))
    # b2: post 9 answered only by the teacher → no student replied: isolated.
    check(got["b2"], (1, 0, 0, 0, 0, 0, 0.0, True, 1, 0.0, None))
    assert got["a1"]["group"] == "A" and got["b2"]["role"] == "student"


def test_student_metrics_with_teachers_match_hand_computed_values():
    got = rows_by(collab.student_metrics(hand_forum(), PEOPLE, include_teachers=True),
                  "student")
    assert sorted(got) == ["a1", "a2", "a3", "b1", "b2", "t"]
    # Undirected graph (n = 5): a1-t, a1-b1, a1-a2, t-b2. Shortest paths through a1:
    # t…b1, t…a2, b1…a2, b1…b2, a2…b2 = 5; through t: a1…b2, b1…b2, a2…b2 = 3.
    # Normalised × 2/((n-1)(n-2)) = 1/6: a1 5/6, t 3/6.
    # Co-participation: d1 {t, a1, b1}, d2 {a1, a2}, d3 {b2, t}: edges t-a1, t-b1, a1-b1,
    # a1-a2, t-b2. a1's neighbours t, b1, a2: 1 linked pair (t-b1) of 3 → 1/3; b1's
    # neighbours t, a1 linked → 1; t's neighbours a1, b1, b2: 1 of 3 → 1/3.
    # a1: sent 2→t, 4→b1, 7→a2 = 3; received 3 (b1), 8 (t) = 2; partners {t, b1, a2}.
    check(got["a1"], (3, 3, 2, 3, 2, 3, 5 / 6, False, 0, 1 / 3, 0.5))
    check(got["a2"], (2, 0, 1, 1, 1, 0, 0.0, False, 1, 0.0, 0.0))
    check(got["a3"], (0, 0, 0, 0, 0, 0, 0.0, False, 0, 0.0, None))
    check(got["b1"], (1, 1, 1, 1, 1, 1, 0.0, False, 0, 1.0, 1.0))
    # b2: answered by the teacher → not isolated; the teacher is not a group member, so no
    # cross-group share.
    check(got["b2"], (1, 0, 1, 1, 1, 0, 0.0, False, 1, 0.0, None))
    # t: posts 1, 8, 10; sent 8→a1, 10→b2; received 2 from a1; no group → share null.
    check(got["t"], (3, 2, 1, 2, 1, 2, 0.5, False, 1, 1 / 3, None))
    assert got["t"]["role"] == "teacher"


def test_group_metrics_match_hand_computed_values():
    table = collab.group_metrics(hand_forum(), PEOPLE)
    assert table.columns == collab.GROUP_COLUMNS
    assert table["group"].to_list() == ["A", "B", "all"]
    got = rows_by(table, "group")
    a, b, every = got["A"], got["B"], got["all"]
    # A = a1, a2, a3 with 3, 2, 0 posts. Student ties inside A: a1→a2 → density
    # 1/(3·2) = 1/6, not reciprocated → 0. Gini: ordered |differences| 1+3+2 twice = 12,
    # / (2·n·total = 2·3·5) = 0.4. Replies touching A: 2 (a1→t), 3, 4, 7, 8 (t→a1):
    # 2 of 5 with a teacher → 0.4. Peer responses to A's posts: post 2 answered by b1
    # after 2 h, post 5 by a1 after 168 h (posts 4, 6, 7 unanswered by students) →
    # median 85 h. Student pairs touching A: {a1,b1} (cross), {a1,a2} → 1/2.
    assert (a["members"], a["posts"]) == (3, 5)
    assert a["density"] == pytest.approx(1 / 6)
    assert a["reciprocity"] == 0.0
    assert a["gini"] == pytest.approx(0.4)
    assert a["teacher_centredness"] == pytest.approx(0.4)
    assert a["median_response_hours"] == pytest.approx(85.0)
    assert a["cross_group_share"] == pytest.approx(0.5)
    # B = b1, b2 with 1 post each: no tie inside B → density 0, reciprocity undefined,
    # Gini 0. Replies touching B: 3 (b1→a1), 4 (a1→b1), 10 (t→b2): 1/3 with a teacher.
    # Post 3 answered by a1 after 1 h; post 9 only by the teacher → median 1 h.
    assert (b["members"], b["posts"]) == (2, 2)
    assert b["density"] == 0.0 and b["reciprocity"] is None and b["gini"] == 0.0
    assert b["teacher_centredness"] == pytest.approx(1 / 3)
    assert b["median_response_hours"] == pytest.approx(1.0)
    assert b["cross_group_share"] == 1.0
    # Cohort: 5 students, 7 posts; student ties b1→a1, a1→b1, a1→a2 → density 3/(5·4) =
    # 0.15, reciprocity 2/3. Gini of 3, 2, 0, 1, 1: ordered differences 28 / (2·5·7) = 0.4.
    # Replies 2, 3, 4, 7, 8, 10: 3 with the teacher → 0.5. Delays 2, 1, 168 → median 2 h.
    assert (every["members"], every["posts"]) == (5, 7)
    assert every["density"] == pytest.approx(0.15)
    assert every["reciprocity"] == pytest.approx(2 / 3)
    assert every["gini"] == pytest.approx(0.4)
    assert every["teacher_centredness"] == pytest.approx(0.5)
    assert every["median_response_hours"] == pytest.approx(2.0)
    assert every["cross_group_share"] == pytest.approx(0.5)


def test_group_response_times_count_teachers_only_when_included():
    got = rows_by(collab.group_metrics(hand_forum(), PEOPLE, include_teachers=True), "group")
    # A: + post 4 answered by t after 2 h → delays 2, 2, 168 → 2 h.
    # B: + post 9 answered by t after 24 h → delays 1, 24 → 12.5 h.
    assert got["A"]["median_response_hours"] == pytest.approx(2.0)
    assert got["B"]["median_response_hours"] == pytest.approx(12.5)
    # everything else describes students and does not move
    assert got["A"]["density"] == pytest.approx(1 / 6)
    assert got["B"]["teacher_centredness"] == pytest.approx(1 / 3)


def test_weekly_metrics_match_hand_computed_values():
    table = collab.weekly_metrics(hand_forum(), PEOPLE)
    assert table.columns == collab.WEEK_COLUMNS
    assert table.select("week_start", "group").rows() == [
        (W1, "A"), (W1, "B"), (W1, "all"), (W2, "A"), (W2, "B"), (W2, "all")]
    cols = ["posts", "active_authors", "replies", "isolated_students", "density"]
    got = {(r["week_start"], r["group"]): tuple(r[c] for c in cols)
           for r in table.iter_rows(named=True)}
    # Week 1, A: posts 2, 4 (a1), 5, 6 (a2); student replies: 4 → b1 (2 → t and the
    # self-reply 6 are not); a1's post 2 and a2's post 5 got a student reply (5's came in
    # week 2) → nobody isolated; no tie inside A that week → density 0.
    assert got[(W1, "A")] == (4, 2, 1, 0, 0.0)
    # Week 1, B: posts 3 (b1, answered by a1) and 9 (b2, answered by the teacher only).
    assert got[(W1, "B")] == (2, 2, 1, 1, 0.0)
    # Week 1, cohort: ties b1→a1, a1→b1 among 5 students → 2/20.
    assert got[(W1, "all")] == (6, 4, 2, 1, pytest.approx(0.1))
    # Week 2: a1's post 7 → a2, never answered: a1 isolated that week; A density 1/6.
    assert got[(W2, "A")] == (1, 1, 1, 1, pytest.approx(1 / 6))
    assert got[(W2, "B")] == (0, 0, 0, 0, 0.0)
    assert got[(W2, "all")] == (1, 1, 1, 1, pytest.approx(0.05))
    with_t = {(r["week_start"], r["group"]): r for r in collab.weekly_metrics(
        hand_forum(), PEOPLE, include_teachers=True).iter_rows(named=True)}
    assert with_t[(W1, "B")]["isolated_students"] == 0  # the teacher answered b2
    assert with_t[(W1, "A")]["replies"] == 2  # a1's post 2 to the teacher counts
    # Week 1 replies 2, 3, 4, 8, 10: 3 with the teacher.
    assert with_t[(W1, "all")]["teacher_centredness"] == pytest.approx(0.6)


def test_weekly_metrics_list_empty_weeks_and_the_weeks_asked_for():
    posts = hand_forum().filter(pl.col("post_id") != 7).with_columns(
        pl.when(pl.col("post_id") == 9).then(pl.lit(dt.date(2026, 11, 16)))
        .otherwise(pl.col("week_start")).alias("week_start"))
    table = collab.weekly_metrics(posts, PEOPLE)
    assert table["week_start"].unique().sort().to_list() == [W1, W2, dt.date(2026, 11, 16)]
    assert table.filter(pl.col("week_start") == W2)["posts"].to_list() == [0, 0, 0]
    chosen = collab.weekly_metrics(hand_forum(), PEOPLE, weeks=[W2, dt.date(2026, 11, 30)])
    assert chosen["week_start"].unique().sort().to_list() == [W2, dt.date(2026, 11, 30)]
    with pytest.raises(ValueError, match="week_start"):
        collab.weekly_metrics(hand_forum().drop("week_start"), PEOPLE)


def test_reply_graph_nodes_carry_role_group_and_posts_and_ignore_self_replies():
    graph = collab.reply_graph(hand_forum(), PEOPLE)
    assert set(graph.nodes) == {"t", "a1", "a2", "b1", "b2"}  # a3 did not post
    assert graph.nodes["t"] == {"role": "teacher", "group": None, "posts": 3}
    assert graph.nodes["a2"] == {"role": "student", "group": "A", "posts": 2}
    assert not any(u == v for u, v in graph.edges)  # post 6 answers its own author
    assert sorted(graph.edges(data="weight")) == [
        ("a1", "a2", 1), ("a1", "b1", 1), ("a1", "t", 1), ("b1", "a1", 1), ("t", "a1", 1),
        ("t", "b2", 1)]
    students = collab.without_teachers(graph)
    assert set(students.nodes) == {"a1", "a2", "b1", "b2"}
    assert sorted(students.edges) == [("a1", "a2"), ("a1", "b1"), ("b1", "a1")]
    assert "t" in graph  # the helper copies


def test_reply_weights_count_every_reply():
    posts = hand_forum().vstack(pl.DataFrame(
        [(11, 1, 8, "a1", at(2, 16), W1), (12, 1, 11, "t", at(2, 17), W1),
         (13, 1, 12, "a1", at(2, 18), W1)], orient="row", schema=hand_forum().schema))
    graph = collab.reply_graph(posts, PEOPLE)
    assert graph["a1"]["t"]["weight"] == 3  # posts 2, 11, 13
    assert graph["t"]["a1"]["weight"] == 2  # posts 8, 12


def test_coparticipation_graph_weights_are_shared_discussions():
    graph = collab.coparticipation_graph(hand_forum(), PEOPLE)
    assert sorted((*sorted((u, v)), w) for u, v, w in graph.edges(data="weight")) == [
        ("a1", "a2", 1), ("a1", "b1", 1), ("a1", "t", 1), ("b1", "t", 1), ("b2", "t", 1)]
    twice = hand_forum().vstack(pl.DataFrame([(11, 3, 9, "a1", at(6, 9), W1)], orient="row",
                                             schema=hand_forum().schema))
    assert collab.coparticipation_graph(twice)["a1"]["t"]["weight"] == 2  # d1 and d3


def test_edge_lists_have_both_ends_groups_and_roles():
    reply = collab.edges(hand_forum(), "reply", PEOPLE)
    assert reply.columns == ["source", "target", "weight", "source_group", "target_group",
                             "source_role", "target_role"]
    assert reply.row(2) == ("a1", "t", 1, "A", None, "student", "teacher")
    assert reply.height == 6
    co = collab.edges(hand_forum(), "coparticipation", PEOPLE)
    assert co.select("source", "target").rows() == [("a1", "a2"), ("a1", "b1"), ("a1", "t"),
                                                    ("b1", "t"), ("b2", "t")]
    assert (co["source"] < co["target"]).all()
    with pytest.raises(ValueError, match="coparticipation"):
        collab.edges(hand_forum(), "mentions")


def test_every_student_appears_even_without_any_post():
    only_t = hand_forum().filter(pl.col("author") == "t")
    table = collab.student_metrics(only_t, PEOPLE)
    assert table["student"].to_list() == ["a1", "a2", "a3", "b1", "b2"]
    assert table["posts"].sum() == 0 and not table["isolated"].any()
    empty = collab.student_metrics(hand_forum().clear(), STUDENTS)
    assert empty.height == 5 and empty["betweenness"].sum() == 0
    assert collab.group_metrics(hand_forum().clear(), STUDENTS)["posts"].to_list() == [0, 0, 0]


def test_without_a_student_list_the_rows_are_the_frames_authors():
    posts = hand_forum().with_columns(
        pl.when(pl.col("author") == "t").then(pl.lit("teacher")).otherwise(pl.lit("student"))
        .alias("role"))
    assert collab.student_metrics(posts)["student"].to_list() == ["a1", "a2", "b1", "b2"]
    assert "t" in collab.student_metrics(posts, include_teachers=True)["student"].to_list()


def test_excluding_teachers_equals_dropping_their_posts():
    posts = hand_forum()
    teacherless = posts.filter(pl.col("author") != "t")
    a = collab.student_metrics(posts, PEOPLE)
    b = collab.student_metrics(teacherless, PEOPLE)
    assert a.equals(b)


def test_gini_is_zero_when_equal_and_grows_with_concentration():
    assert collab.gini([2, 2, 2]) == 0.0
    assert collab.gini([0, 0, 0, 8]) == pytest.approx(3 / 4)  # (n − 1)/n
    assert collab.gini([0, 0]) is None and collab.gini([]) is None


def test_a_frame_with_duplicate_posts_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        collab.student_metrics(pl.concat([hand_forum(), hand_forum().head(1)]))


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


# --- the warehouse adapter -------------------------------------------------------------

ROSTER = ("user_id,full_name,role,group\n101,Jeanne Martin,student,A\n"
          "102,Paul Durand,student,A\n103,Nadia Benali,student,B\n104,Louis Morel,student,B\n"
          "201,Claire Petit,teacher,\n301,Marc Lenoir,observateur,\n")
FORUM_TABLE = """CREATE TABLE IF NOT EXISTS forum_posts (
    post_id BIGINT, discussion_id BIGINT, parent_id BIGINT, forum_id BIGINT,
    ident_id INTEGER, created TIMESTAMPTZ, modified TIMESTAMPTZ, wordcount INTEGER,
    charcount INTEGER, file_id INTEGER)"""


def insert_posts(ws: Workspace, rows: list[tuple[int, int, int | None, int, str]]) -> None:
    """(post id, discussion, parent or None/0, user id, local time) into forum_posts."""
    if not has_forum(ws):  # before the forum migration lands
        ws.con.execute(FORUM_TABLE)
    table = {r[0] for r in ws.con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'forum_posts'").fetchall()}
    for post_id, disc, parent, uid, when in rows:
        ident = ws.pseudo.id_ident(str(uid))
        ws.con.execute("INSERT INTO identities SELECT nextval('ident_id_seq'), $i "
                       "WHERE NOT EXISTS (SELECT 1 FROM identities WHERE ident = $i)",
                       {"i": ident})
        values = {"post_id": "$p", "discussion_id": "$d", "parent_id": "$parent",
                  "forum_id": "13", "ident_id": "ident_id", "created": "$t", "modified": "$t",
                  "wordcount": "10", "charcount": "50", "file_id": "0", "line": "$p + 1"}
        cols = [c for c in values if c in table]
        ws.con.execute(f"INSERT INTO forum_posts ({', '.join(cols)}) "  # test-only SQL
                       f"SELECT {', '.join(values[c] for c in cols)} "
                       "FROM identities WHERE ident = $i",
                       {"p": post_id, "d": disc, "parent": parent, "t": local(when),
                        "i": ident})


@pytest.fixture
def fws(tmp_path: Path) -> Iterator[Workspace]:
    """Four students (A: 101, 102; B: 103, 104), a teacher 201, an observer 301, and posts
    around a week boundary and before the window (user 999 is in no roster)."""
    path = tmp_path / "m2if.toml"
    path.write_text('[programme]\ntimezone = "Europe/Paris"\n[[cohorts]]\nid = "2026-2027"\n'
                    "start = 2026-10-05\nend = 2027-07-02\n", encoding="utf-8")
    ws = open_workspace(tmp_path / "w.duckdb", path)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    insert_posts(ws, [
        (1, 1, 0, 201, "2026-11-01 20:00"),     # Sunday: week of 10-26, before the window
        (2, 1, 1, 101, "2026-11-01 23:30"),     # Sunday 22:30 UTC: still week 10-26
        (3, 1, 2, 103, "2026-11-02 00:30"),     # Monday local (Sunday 23:30 UTC): week 11-02
        (4, 1, 3, 102, "2026-11-03 10:00"),
        (5, 2, None, 301, "2026-11-04 10:00"),  # an observer's discussion
        (6, 2, 5, 104, "2026-11-04 11:00"),
        (7, 1, 1, 999, "2026-11-04 12:00"),     # not in the roster: left out
        (8, 1, 7, 101, "2026-11-04 13:00"),     # reply to a left-out post: no tie
        (9, 1, 1, 104, "2026-11-09 09:00"),     # reply to the teacher's older post
    ])
    yield ws
    ws.close()


def ids(ws: Workspace) -> dict[str, int]:
    return {pseudonym(ws.pseudo.id_ident(str(u))): u for u in (101, 102, 103, 104, 201, 301)}


def test_forum_frame_has_the_contract_columns_pseudonyms_roles_and_local_weeks(fws):
    posts = forum_frame(fws)
    assert posts.columns[:10] == ["post_id", "discussion_id", "parent_id", "author", "role",
                                  "group", "created", "week_start", "wordcount", "charcount"]
    who = ids(fws)
    rows = rows_by(posts.with_columns(pl.col("post_id").cast(pl.String)), "post_id")
    assert sorted(int(p) for p in rows) == [1, 2, 3, 4, 5, 6, 8, 9]  # 7: not in the roster
    assert rows["1"]["parent_id"] is None  # Moodle's parent 0
    assert who[rows["2"]["author"]] == 101 and rows["2"]["group"] == "A"
    assert (rows["1"]["role"], rows["5"]["role"], rows["6"]["role"]) == (
        "teacher", "other", "student")
    assert rows["2"]["week_start"] == dt.date(2026, 10, 26)
    assert rows["3"]["week_start"] == dt.date(2026, 11, 2)
    assert rows["3"]["created"] == dt.datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    assert rows["8"]["parent_author"] is None  # its parent's author is outside the cohort
    assert who[rows["3"]["parent_author"]] == 101


def test_forum_frame_window_keeps_ties_to_older_posts(fws):
    posts = forum_frame(fws, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 8))
    assert sorted(posts["post_id"].to_list()) == [3, 4, 5, 6, 8]  # Monday 00:30 local is in
    later = forum_frame(fws, start=dt.date(2026, 11, 9))
    assert later["post_id"].to_list() == [9]
    who = ids(fws)
    graph = collab.reply_graph(later)
    edges = [(who[u], who[v]) for u, v in graph.edges]
    assert edges == [(104, 201)]  # post 9 answers the teacher's post 1 of 11-01
    assert graph.nodes[later["parent_author"][0]]["role"] == "teacher"
    table = rows_by(collab.student_metrics(later, members(fws), include_teachers=True),
                    "student")
    assert {who[s]: r["replies_sent"] for s, r in table.items()} == {
        101: 0, 102: 0, 103: 0, 104: 1}
    assert collab.student_metrics(later, members(fws))["replies_sent"].sum() == 0


def test_forum_frame_by_group_and_without_teachers(fws):
    who = ids(fws)
    group_a = forum_frame(fws, group="A")
    assert {who[a] for a in group_a["author"]} == {101, 102, 201, 301}
    # 3 (by 103, group B) is left out, so 4 (102 → 103) is no tie in group A's network
    post4 = group_a.filter(pl.col("post_id") == 4)
    assert post4["parent_id"].to_list() == [3] and post4["parent_author"].to_list() == [None]
    students = forum_frame(fws, include_teachers=False)
    assert set(students["role"]) == {"student"}
    assert students.filter(pl.col("post_id") == 2)["parent_author"].to_list() == [None]
    assert {who[s] for s in members(fws)["student"]} == {101, 102, 103, 104}
    staff = members(fws, include_teachers=True)
    assert staff.columns == ["student", "group", "role"]
    assert {who[s]: r for s, r in staff.select("student", "role").rows()}[301] == "other"
    assert {who[s] for s in members(fws, group="B")["student"]} == {103, 104}


def test_forum_frame_is_empty_before_any_forum(ws):
    posts = forum_frame(ws)
    assert posts.is_empty() and posts.columns[:4] == ["post_id", "discussion_id",
                                                      "parent_id", "author"]


# --- the sample cohort's forum against networkx --------------------------------------------

FORUM_CSV = SAMPLES / "forum_posts.csv"


@pytest.fixture(scope="module")
def sample_forum(tmp_path_factory: pytest.TempPathFactory,
                 sample_warehouse: Path) -> Iterator[Workspace]:
    if not FORUM_CSV.exists():
        pytest.skip("data_samples/forum_posts.csv not generated yet")
    forum = pytest.importorskip("m2if_analytics.ingest.forum")
    db = tmp_path_factory.mktemp("collab") / "sample.duckdb"
    shutil.copy(sample_warehouse, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        ws = open_workspace(db, None)
        forum.ingest_forum_file(ws.con, FORUM_CSV, ws.cfg, ws.pseudo)
        yield ws
        ws.close()


def raw_sample_graph(ws: Workspace, include_teachers: bool) -> nx.DiGraph:
    """The reply graph computed straight from the CSV dump and the roster file."""
    with (SAMPLES / "roster.csv").open(encoding="utf-8", newline="") as fh:
        roles = {r["user_id"]: r["role"] for r in csv.DictReader(fh)}
    cohort = ws.cfg.cohort(None)
    tz = ws.cfg.programme.timezone
    first = local(f"{cohort.start} 00:00").astimezone(UTC).timestamp()
    after = local(f"{cohort.end + dt.timedelta(days=1)} 00:00").astimezone(UTC).timestamp()
    assert tz == "Europe/Paris"
    with FORUM_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    kept = {u for u, r in roles.items() if include_teachers or r == "student"}
    author = {r["id"]: r["userid"] for r in rows if r["userid"] in kept}
    name = {u: pseudonym(ws.pseudo.id_ident(u)) for u in roles}
    graph = nx.DiGraph()
    rows = [r for r in rows if r["deleted"] != "1"]  # erased posts are not loaded
    for r in rows:
        if r["userid"] not in kept or not first <= int(r["created"]) < after:
            continue
        graph.add_node(name[r["userid"]])
        target = author.get(r["parent"])
        if target is not None and target != r["userid"]:
            u, v = name[r["userid"]], name[target]
            weight = graph.get_edge_data(u, v, {"weight": 0})["weight"]
            graph.add_edge(u, v, weight=weight + 1)
    return graph


@pytest.mark.parametrize("include_teachers", [False, True])
def test_sample_forum_metrics_equal_networkx_from_the_raw_dump(sample_forum, include_teachers):
    ws = sample_forum
    graph = raw_sample_graph(ws, include_teachers)
    posts = forum_frame(ws)
    table = collab.student_metrics(posts, members(ws, include_teachers=include_teachers),
                                   include_teachers=include_teachers)
    assert table.height == (22 if include_teachers else 20)
    assert graph.number_of_edges() > 20
    betweenness = nx.betweenness_centrality(graph.to_undirected())
    for row in table.iter_rows(named=True):
        s = row["student"]
        assert row["in_degree"] == (graph.in_degree(s) if s in graph else 0), s
        assert row["out_degree"] == (graph.out_degree(s) if s in graph else 0), s
        assert row["replies_received"] == (graph.in_degree(s, weight="weight")
                                           if s in graph else 0), s
        assert row["betweenness"] == pytest.approx(betweenness.get(s, 0.0)), s


def test_sample_forum_shows_the_planted_isolated_students_and_teacher_centred_groups(
        sample_forum):
    ws = sample_forum
    who = {pseudonym(ws.pseudo.id_ident(str(u))): u for u in range(101, 121)}
    posts, people = forum_frame(ws), members(ws)
    table = collab.student_metrics(posts, people)
    isolated = {who[s] for s in table.filter(pl.col("isolated"))["student"]}
    assert isolated == {110, 116}  # post all year, never answered
    assert table.filter(pl.col("posts") == 0).is_empty()
    groups = rows_by(collab.group_metrics(posts, people), "group")
    centred = min(groups[g]["teacher_centredness"] for g in ("A", "C"))
    assert centred > 2 * max(groups[g]["teacher_centredness"] for g in ("B", "D"))
    weekly = collab.weekly_metrics(posts, people)
    assert weekly.filter(pl.col("group") == "all")["posts"].sum() == groups["all"]["posts"]
