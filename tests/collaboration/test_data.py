"""Collaboration from the warehouse: the forum frame adapter and the sample cohort."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from m2if_analytics import collaboration as collab
from m2if_analytics.collaboration.data import forum_frame, has_forum, members
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.collaboration.test_metrics import rows_by
from tests.conftest import SAMPLES, local

UTC = dt.UTC
W1, W2 = dt.date(2026, 11, 2), dt.date(2026, 11, 9)


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
    path.write_text('[programme]\ntimezone = "Europe/Paris"\n'
                    '[ingest]\nlatest = 2027-12-31\n[[cohorts]]\nid = "2026-2027"\n'
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
