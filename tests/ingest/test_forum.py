"""Forum dumps (``m2if ingest forum``): reply structure kept, text and names never stored,
quarantine lines despite multi-line messages, re-ingestion, authors by id or by name, deleted
posts, the sample dump and its generator, the link to log events."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.forum import (
    char_count,
    forum_log_links,
    ingest_forum_file,
    word_count,
)
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.sql import run
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLES

HEADER = ["id", "discussion", "parent", "userid", "created", "modified", "mailed", "subject",
          "message", "messageformat", "messagetrust", "attachment", "totalscore", "mailnow",
          "deleted", "privatereplyto", "wordcount", "charcount"]
ROSTER = ("user_id,full_name,role,group\n101,Léa Fournier-Dubreuil,student,A\n"
          "102,Thomas Garnier,student,A\n201,Hélène Verdier-Sauvage,teacher,\n")
T0 = 1793520000  # 2026-11-01 06:00 UTC


def post(pid: int, disc: int, parent: int, user: int | str, created: int,
         message: str = "<p>Bonjour à tous,</p>\n<p>voici le plan.</p>",
         subject: str = "Plan du dossier", **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": pid, "discussion": disc, "parent": parent, "userid": user, "created": created,
        "modified": created, "mailed": 1, "subject": subject, "message": message,
        "messageformat": 1, "messagetrust": 0, "attachment": "", "totalscore": 0, "mailnow": 0,
        "deleted": 0, "privatereplyto": 0, "wordcount": word_count(message),
        "charcount": char_count(message)}
    row.update(over)
    return row


def write(path: Path, rows: list[dict[str, Any]], header: list[str] | None = None,
          delimiter: str = ",", encoding: str = "utf-8") -> Path:
    header = header or HEADER
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[r.get(h, "") for h in header] for r in rows])
    return path


def thread() -> list[dict[str, Any]]:
    """A discussion by the teacher, answered by Léa, whom Thomas answers (names inside)."""
    return [
        post(10, 1, 0, 201, T0, "<p>Bonjour à toutes et à tous,</p>\n<p>Présentez-vous, "
             "\"brièvement\" : parcours, terrain.</p>", "Présentations, s'il vous plaît"),
        post(11, 1, 10, 101, T0 + 600, "<p>Bonjour Hélène,</p>\n<p>Léa, formatrice à "
             "Quimper ; zanzibar.</p>", "Re: Présentations"),
        post(12, 1, 11, 102, T0 + 1200, "<p>Salut Léa !</p><p>Moi c'est Thomas Garnier, "
             "quetzalcoatl.</p>", "Re: Présentations (Thomas)"),
    ]


@pytest.fixture
def roster_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    return ws


def rows(ws: Workspace, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    return ws.con.execute(sql, params or {}).fetchall()


def person_of(ws: Workspace) -> dict[int, str]:
    """post_id → the author's person, as queries/pipeline/10_persons.sql resolves it."""
    run(ws.con, "pipeline/10_persons.sql")
    return dict(rows(ws, "SELECT f.post_id, p.person FROM forum_posts AS f "
                         "JOIN persons AS p USING (ident_id)"))


# --- structure ---------------------------------------------------------------------------

def test_word_and_character_counts_follow_moodle():
    message = "<p>Bonjour Léa,</p><p>à <b>de</b>main&nbsp;!<br>Fin</p>"
    assert word_count(message) == 6  # Bonjour / Léa, / à / demain / ! / Fin
    assert char_count(message) == len("BonjourLéa,àdemain!Fin")
    assert word_count("") == char_count("") == 0


def test_replies_keep_their_parent_and_a_first_post_has_none(roster_ws, tmp_path):
    ws = roster_ws
    account = ingest_forum_file(ws.con, write(tmp_path / "f.csv", thread()), ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.duplicates, account.quarantined) == (
        3, 3, 0, 0)
    got = rows(ws, "SELECT post_id, discussion_id, parent_id, forum_id, epoch(created), "
                   "epoch(modified), wordcount, line FROM forum_posts ORDER BY post_id")
    assert got == [(10, 1, None, None, T0, T0, 11, 2),
                   (11, 1, 10, None, T0 + 600, T0 + 600, 8, 4),
                   (12, 1, 11, None, T0 + 1200, T0 + 1200, 8, 6)]
    who = person_of(ws)
    assert who[11] == pseudonym(ws.pseudo.id_ident("101"))
    assert rows(ws, "SELECT kind, format FROM ingest_files WHERE kind = 'forum'") == [
        ("forum", "forum_posts")]


def test_subject_message_and_names_never_reach_the_warehouse(roster_ws, tmp_path):
    ws = roster_ws
    ingest_forum_file(ws.con, write(tmp_path / "ids.csv", thread()), ws.cfg, ws.pseudo)
    by_name = [dict(r, userid="", id=r["id"] + 100) for r in thread()]
    header = ["userfullname" if h == "userid" else h for h in HEADER]
    for r, name in zip(by_name, ("Hélène Verdier-Sauvage", "Léa Fournier-Dubreuil",
                                 "Garnier Thomas"), strict=True):
        r["userfullname"] = name
    ingest_forum_file(ws.con, write(tmp_path / "names.csv", by_name, header), ws.cfg, ws.pseudo)
    bad = post(7, 1, 0, "Léa Fournier-Dubreuil", T0)  # a name in the id column: quarantined
    account = ingest_forum_file(ws.con, write(tmp_path / "bad.csv", [bad]), ws.cfg, ws.pseudo)
    assert account.quarantined == 1
    texts = [r[k] for r in thread() for k in ("subject", "message")]
    needles = {w.casefold() for t in texts for w in re.findall(r"[^\W\d_]{5,}",
                                                                html.unescape(t))}
    needles |= {"léa", "thomas", "hélène", "garnier", "fournier", "verdier", "quimper"}
    assert {"zanzibar", "quetzalcoatl", "présentations", "brièvement"} <= needles
    found = []
    for table, column in rows(ws, "SELECT table_name, column_name FROM "
                                  "information_schema.columns WHERE data_type = 'VARCHAR'"):
        for (value,) in rows(ws, f'SELECT DISTINCT "{column}" FROM "{table}"'):  # test SQL
            text = (value or "").casefold()
            found += [(table, column, n) for n in needles if n in text]
    assert found == []
    assert rows(ws, "SELECT count(*) FROM forum_posts") == [(6,)]


# --- bad rows ----------------------------------------------------------------------------

def test_quarantine_names_the_physical_line_despite_multi_line_messages(roster_ws, tmp_path):
    ws = roster_ws
    three_lines = "<p>Bonjour,</p>\n<p>un, deux</p>\n<p>\"trois\"</p>"
    body = [post(20, 2, 0, 101, T0, three_lines),             # lines 2-4
            post("x21", 2, 20, 102, T0 + 60),                  # line 5 (+1: two lines)
            post(22, 2, 20, 102, T0 + 120, "<p>a</p>\n<p>b</p>"),  # lines 7-8
            post(23, 2, 22, 101, "hier soir", three_lines),    # lines 9-11
            post(24, 2, 0, 0, T0 + 180),                       # line 12: no author
            post(25, 2, 25, 101, T0 + 240),                    # line 14: its own parent
            post(26, 2, 20, 101, T0 + 300, forum="abc")]      # line 16: bad forum id
    path = write(tmp_path / "bad.csv", body, [*HEADER, "forum"])
    with path.open("a", encoding="utf-8") as fh:              # line 18: a quote left open
        fh.write('27,2,20,101,1793520400,,1,Sujet,"<p>oops\nno end\n')
    account = ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (9, 2, 7)
    got = rows(ws, "SELECT line, reason FROM quarantine ORDER BY line")
    assert [g[0] for g in got] == [5, 9, 12, 14, 16, 18, 19]  # 19 read on its own
    reasons = dict(got)
    assert "id text (3 characters) is not a whole number" in reasons[5]
    assert "created (Unix seconds) text (9 characters)" in reasons[9]
    assert reasons[12].startswith("no author")
    assert "its own parent" in reasons[14]
    assert "forum text (3 characters)" in reasons[16]
    assert reasons[18].startswith("unbalanced quote")
    assert f"expected {len(HEADER) + 1} fields, found 1" in reasons[19]
    assert rows(ws, "SELECT post_id, line FROM forum_posts ORDER BY 1") == [(20, 2), (22, 7)]


def test_an_author_id_written_with_other_digits_is_quarantined(roster_ws, tmp_path):
    """"²" and "٣" pass str.isdigit: they were taken for platform ids; now a row error."""
    ws = roster_ws
    path = write(tmp_path / "digits.csv", [post(40, 4, 0, 101, T0), post(41, 4, 40, "²", T0 + 60),
                                           post(42, 4, 40, "٣", T0 + 120)])
    account = ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (3, 1, 2)
    reasons = [r for _, r in rows(ws, "SELECT line, reason FROM quarantine ORDER BY line")]
    assert len(reasons) == 2 and all("is not a Moodle user id" in r for r in reasons)


def test_strict_refuses_the_file_and_loads_nothing(roster_ws, tmp_path):
    ws = roster_ws
    path = write(tmp_path / "f.csv", [*thread(), post("x", 1, 10, 101, T0)])
    with pytest.raises(IngestError, match=r"f\.csv, line 7: id .*--strict"):
        ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo, strict=True)
    assert rows(ws, "SELECT count(*) FROM forum_posts") == [(0,)]


def test_a_dump_without_the_key_columns_is_refused(ws, tmp_path):
    path = write(tmp_path / "f.csv", thread(), ["id", "discussion", "subject", "message"])
    with pytest.raises(IngestError, match="parent, created, userid or a full name"):
        ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo)


def test_deleted_posts_are_not_loaded_and_their_replies_keep_the_parent(roster_ws, tmp_path):
    ws = roster_ws
    body = [*thread()[:2], post(13, 1, 11, 102, T0 + 700, "", "", deleted=1),
            post(14, 1, 13, 101, T0 + 800)]
    account = ingest_forum_file(ws.con, write(tmp_path / "f.csv", body), ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (4, 3, 1)
    assert rows(ws, "SELECT line, reason LIKE 'deleted post%' FROM quarantine") == [(6, True)]
    assert rows(ws, "SELECT post_id, parent_id FROM forum_posts ORDER BY 1") == [
        (10, None), (11, 10), (14, 13)]


def test_semicolons_cp1252_and_null_markers(roster_ws, tmp_path):
    ws = roster_ws
    header = ["id", "userid", "discussion", "parent", "created", "modified", "message",
              "wordcount", "charcount", "forum", "extra"]
    body = [post(30, 3, 0, 101, T0, "<p>Réunion; jeudi, \"salle\" 2</p>", modified="\\N",
                 wordcount="NULL", charcount="", forum="NULL", extra="x")]
    path = write(tmp_path / "f.csv", body, header, ";", "cp1252")
    account = ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo)
    assert account.loaded == 1
    assert rows(ws, "SELECT modified, wordcount, charcount, forum_id FROM forum_posts") == [
        (None, 4, len("Réunion;jeudi,\"salle\"2"), None)]


# --- re-ingestion and authors ---------------------------------------------------------------

def test_reingesting_adds_nothing_and_an_edited_post_is_updated(roster_ws, tmp_path):
    ws = roster_ws
    path = write(tmp_path / "f.csv", thread())
    ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo)
    again = ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (again.read, again.loaded, again.duplicates, again.quarantined) == (3, 0, 3, 0)
    edited = thread()
    edited[1].update(modified=T0 + 900, message="<p>Bonjour,</p><p>corrigé</p>",
                     wordcount=2, charcount=15)
    later = ingest_forum_file(ws.con, write(tmp_path / "g.csv", [*edited, edited[2]]),
                              ws.cfg, ws.pseudo)
    assert (later.read, later.loaded, later.duplicates, later.quarantined) == (4, 1, 3, 0)
    assert rows(ws, "SELECT epoch(modified), wordcount, charcount FROM forum_posts "
                    "WHERE post_id = 11") == [(T0 + 900, 2, 15)]
    assert rows(ws, "SELECT count(*) FROM forum_posts") == [(3,)]


def test_a_post_id_stored_with_another_author_is_quarantined(roster_ws, tmp_path):
    ws = roster_ws
    ingest_forum_file(ws.con, write(tmp_path / "f.csv", thread()), ws.cfg, ws.pseudo)
    clash = [post(11, 1, 10, 102, T0 + 600), post(12, 1, 11, 102, T0 + 999)]
    path = write(tmp_path / "other.csv", clash)
    with pytest.raises(IngestError, match="already stored"):
        ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo, strict=True)
    account = ingest_forum_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.loaded, account.quarantined) == (0, 2)
    assert rows(ws, "SELECT line, reason FROM quarantine WHERE file_name = 'other.csv'") == [
        (2, "post 11 is already stored (from f.csv) with another author or creation time; "
            "one warehouse holds one platform's posts"),
        (4, "post 12 is already stored (from f.csv) with another author or creation time; "
            "one warehouse holds one platform's posts")]


def test_a_post_repeated_in_one_file_is_a_duplicate_unless_its_values_differ(roster_ws,
                                                                             tmp_path):
    ws = roster_ws
    body = [*thread(), thread()[1], post(12, 1, 10, 102, T0 + 1200)]
    account = ingest_forum_file(ws.con, write(tmp_path / "f.csv", body), ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.duplicates, account.quarantined) == (
        5, 3, 1, 1)
    assert "already on line 6 with other values" in rows(ws, "SELECT reason FROM quarantine")[
        0][0]


@pytest.mark.parametrize("column", ["userfullname", "Author", "Auteur", "full name"])
def test_an_author_name_column_resolves_to_the_roster_person(roster_ws, tmp_path, column):
    ws = roster_ws
    ingest_forum_file(ws.con, write(tmp_path / "ids.csv", thread()), ws.cfg, ws.pseudo)
    names = {201: "Hélène Verdier-Sauvage", 101: "LÉA  Fournier-Dubreuil",
             102: "Garnier Thomas"}  # case, spaces and surname-first order as Moodle may show
    header = [column if h == "userid" else h for h in HEADER]
    same = [dict(r, **{column: names[r["userid"]]}) for r in thread()]
    new = post(15, 1, 12, 0, T0 + 2000, **{column: "Thomas Garnier"})
    account = ingest_forum_file(ws.con, write(tmp_path / "names.csv", [*same, new], header),
                                ws.cfg, ws.pseudo)
    assert (account.loaded, account.duplicates) == (1, 3)  # same posts: same persons
    who = person_of(ws)
    assert who[15] == who[12] == pseudonym(ws.pseudo.id_ident("102"))


def test_first_and_last_name_columns_make_the_author(roster_ws, tmp_path):
    ws = roster_ws
    header = ["id", "discussion", "parent", "created", "firstname", "lastname", "message"]
    body = [post(40, 4, 0, 0, T0, firstname="Léa", lastname="Fournier-Dubreuil")]
    ingest_forum_file(ws.con, write(tmp_path / "f.csv", body, header), ws.cfg, ws.pseudo)
    assert person_of(ws)[40] == pseudonym(ws.pseudo.id_ident("101"))


# --- the sample cohort --------------------------------------------------------------------

FORUM_CSV = SAMPLES / "forum_posts.csv"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_warehouse: Path
           ) -> Iterator[tuple[Workspace, Any]]:
    """Both sample cohorts' rosters and logs (shared warehouse, copied) plus the 2026-2027
    forum dump."""
    db = tmp_path_factory.mktemp("forum") / "sample.duckdb"
    shutil.copy(sample_warehouse, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        ws = open_workspace(db, None)
        account = ingest_forum_file(ws.con, FORUM_CSV, ws.cfg, ws.pseudo)
        yield ws, account
        ws.close()


def test_the_sample_dump_loads_with_balanced_accounts(sample):
    ws, account = sample
    assert (account.read, account.loaded, account.duplicates, account.quarantined) == (
        3695, 3692, 0, 3)  # the 3 posts of an erased former student are deleted = 1
    assert rows(ws, "SELECT count(*), count(parent_id), count(DISTINCT discussion_id), "
                    "count(forum_id) FROM forum_posts") == [(3692, 3211, 481, 3692)]
    assert {r[0] for r in rows(ws, "SELECT reason FROM quarantine WHERE file_id = "
                                   "(SELECT max(file_id) FROM ingest_files)")} == {
        "deleted post (deleted = 1: its text was erased in Moodle; not loaded, see "
        "docs/forum.md)"}


def test_the_sample_posts_are_the_log_events(sample):
    ws, _ = sample
    links = forum_log_links(ws.con)
    assert links.height == 3692
    unlinked = links.filter(links["event_ts"].is_null())
    assert unlinked["post_id"].sort().to_list() == list(range(8000, 8012))  # before the logs
    assert (links["event_ts"] == links["created"]).sum() == 3680
    events = rows(ws, "SELECT count(*) FROM raw_events WHERE event_name IN "
                      "('\\mod_forum\\event\\post_created', "
                      "'\\mod_forum\\event\\discussion_created') "
                      "AND course_id = 42")  # 2026-2027's course (2025-2026's is 41)
    assert events == [(3680,)]


def test_the_sample_isolated_students_are_never_answered(sample):
    ws, _ = sample
    run(ws.con, "pipeline/10_persons.sql")
    received = dict(rows(ws, """
        SELECT pp.person, count(*) FROM forum_posts AS r
        JOIN forum_posts AS p ON p.post_id = r.parent_id
        JOIN persons AS rp ON rp.ident_id = r.ident_id
        JOIN persons AS pp ON pp.ident_id = p.ident_id
        WHERE rp.person <> pp.person GROUP BY ALL"""))
    name = {u: pseudonym(ws.pseudo.id_ident(str(u))) for u in range(101, 121)}
    assert {u for u, p in name.items() if p not in received} == {110, 116}


def test_no_sample_name_subject_or_message_reaches_the_warehouse(sample):
    ws, _ = sample
    with (SAMPLES / "roster.csv").open(encoding="utf-8", newline="") as fh:
        names = [r["full_name"] for r in csv.DictReader(fh)]
    with FORUM_CSV.open(encoding="utf-8", newline="") as fh:
        dump = list(csv.DictReader(fh))
    needles = {n.casefold() for name in names for n in [name, *name.split(" ")]}
    needles |= {r["subject"].casefold() for r in dump if r["subject"]}
    needles |= {p.casefold() for r in dump
                for p in re.findall(r"<p>([^<]{25,})</p>", html.unescape(r["message"]))}
    assert len(needles) > 100
    found = []
    for table, column in rows(ws, "SELECT table_name, column_name FROM "
                                  "information_schema.columns WHERE data_type = 'VARCHAR'"):
        values = rows(ws, f'SELECT DISTINCT "{column}" FROM "{table}"')  # test-only SQL
        text = "\x00".join((v or "").casefold() for (v,) in values)
        found += [(table, column, n) for n in needles if n in text]
    assert found == []


def test_the_sample_counts_are_moodles_counts_of_the_messages():
    with FORUM_CSV.open(encoding="utf-8", newline="") as fh:
        dump = list(csv.DictReader(fh))
    assert all(int(r["wordcount"]) == word_count(r["message"])
               and int(r["charcount"]) == char_count(r["message"]) for r in dump)
    multi_line = [r for r in dump if "\n" in r["message"] and '"' in r["message"]]
    assert len(multi_line) > 100  # the dump exercises quoting


def test_the_sample_drop_outs_stop_posting_when_they_leave():
    with FORUM_CSV.open(encoding="utf-8", newline="") as fh:
        dump = list(csv.DictReader(fh))
    last = {u: max(dt.datetime.fromtimestamp(int(r["created"]), dt.UTC).date()
                   for r in dump if r["userid"] == str(u)) for u in (105, 112, 118)}
    assert last[105] <= dt.date(2026, 12, 14) and last[112] <= dt.date(2027, 1, 17)
    assert last[118] <= dt.date(2027, 1, 29)


def test_generator_reproduces_the_committed_forum_sample(tmp_path: Path):
    subprocess.run([sys.executable, str(SAMPLES / "generate_forum.py"), "--out",
                    str(tmp_path)], check=True, capture_output=True)
    assert (tmp_path / "forum_posts.csv").read_bytes() == FORUM_CSV.read_bytes()
