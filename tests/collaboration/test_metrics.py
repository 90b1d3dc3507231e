"""Collaboration networks and metrics: a hand-made forum with hand-computed values, random
forums against networkx, the warehouse adapter (windows, groups, teachers) and the sample
cohort's forum against networkx computed from the raw dump."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from m2if_analytics import collaboration as collab

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
