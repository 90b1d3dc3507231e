"""xAPI ingestion: identities, times, quarantine, duplicates, Moodle-equivalent events and
privacy (the acceptance test on the sample cohort is in test_xapi_sample.py)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.ingest.xapi import XapiWarning, ingest_xapi_file
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import REPO, SAMPLES
from tests.ingest.xapi_samples import HOME, account, write_array, write_lines

VIEWED = "http://id.tincanapi.com/verb/viewed"
COURSE = f"{HOME}/course/view.php?id=42"


def stmt(n: int | None = 1, actor: Any = "101", verb: str | None = VIEWED,
         obj: Any = COURSE, ts: Any = "2026-10-06T10:00:00+02:00", **extra: Any
         ) -> dict[str, Any]:
    """A statement; actor/obj given as a user id / activity id, or as the JSON itself."""
    out: dict[str, Any] = {}
    if n is not None:
        out["id"] = f"00000000-0000-4000-8000-{n:012d}"
    if actor is not None:
        out["actor"] = account(actor) if isinstance(actor, str) else actor
    if verb is not None:
        out["verb"] = {"id": verb}
    if obj is not None:
        out["object"] = {"id": obj} if isinstance(obj, str) else obj
    if ts is not None:
        out["timestamp"] = ts
    out.update(extra)
    return out


def ingest(ws: Workspace, path: Path, **options: Any):
    return ingest_xapi_file(ws.con, path, ws.cfg, ws.pseudo, **options)


def events(ws: Workspace) -> list[tuple]:
    return ws.con.execute(
        "SELECT i.ident, strftime(e.ts, '%Y-%m-%d %H:%M:%S.%f'), e.event_name, e.component, "
        "e.course_id, e.cmid, r.ident FROM raw_events AS e JOIN identities AS i USING (ident_id) "
        "LEFT JOIN identities AS r ON r.ident_id = e.related_ident_id ORDER BY e.ts, 3").fetchall()


def counts(account_: Any) -> tuple[int, int, int, int]:
    return (account_.read, account_.loaded, account_.duplicates, account_.quarantined)


# ---- who ----------------------------------------------------------------------------------

def test_each_kind_of_actor_identifier_gives_its_documented_identity(ws: Workspace,
                                                                      tmp_path: Path):
    sha1 = hashlib.sha1(b"mailto:paul@example.org").hexdigest()
    actors = [{"account": {"homePage": HOME + "/", "name": "0101"}},
              {"mbox": "mailto:Lea.Fournier-Dubreuil@Example.org"},
              {"mbox_sha1sum": sha1.upper(), "name": "Paul"},
              {"openid": "https://id.example.org/paul"},
              {"objectType": "Group", "account": {"homePage": HOME, "name": "g7"}}]
    path = write_lines(tmp_path / "who.jsonl", [
        stmt(n, actor=actor, ts=f"2026-10-06T08:0{n}:00Z") for n, actor in enumerate(actors)])
    assert counts(ingest(ws, path)) == (5, 5, 0, 0)
    p = ws.pseudo
    assert [e[0] for e in events(ws)] == [
        p.id_ident("101"), p.mail_ident("lea.fournier-dubreuil@example.org"),
        p.ident("mbox_sha1sum", sha1), p.ident("openid", "https://id.example.org/paul"),
        p.id_ident("g7")]


def test_an_account_is_the_same_person_as_the_moodle_user_id_and_the_roster_links_mails(
        ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
    path = write_lines(tmp_path / "s.jsonl", [
        stmt(1, actor="101"),
        stmt(2, actor={"mbox": "mailto:lea.fournier-dubreuil@example.org"},
             ts="2026-10-06T10:05:00+02:00")])
    ingest(ws, path)
    persons = ws.con.execute(
        "SELECT DISTINCT l.person FROM raw_events AS e JOIN identities USING (ident_id) "
        "JOIN identity_links AS l USING (ident)").fetchall()
    roster_person = ws.con.execute("SELECT l.person FROM identity_links AS l WHERE l.ident = $i",
                                   {"i": ws.pseudo.id_ident("101")}).fetchall()
    assert persons == roster_person


def test_home_page_option_keeps_other_platforms_accounts_apart(ws: Workspace, tmp_path: Path):
    other = "https://h5p.example.net"
    path = write_lines(tmp_path / "s.jsonl", [
        stmt(1, actor={"account": {"homePage": HOME, "name": "101"}}),
        stmt(2, actor={"account": {"homePage": other, "name": "101"}}, ts="2026-10-06T09:00Z")])
    ingest(ws, path, home_page=HOME.upper() + "/")
    assert [e[0] for e in events(ws)] == [ws.pseudo.id_ident("101"),
                                          ws.pseudo.ident("account", f"{other} 101")]


def test_accounts_of_several_home_pages_without_the_option_give_a_warning(ws: Workspace,
                                                                         tmp_path: Path):
    path = write_lines(tmp_path / "s.jsonl", [
        stmt(1, actor={"account": {"homePage": HOME, "name": "101"}}),
        stmt(2, actor={"account": {"homePage": "https://h5p.example.net", "name": "101"}})])
    with pytest.warns(XapiWarning, match="accounts come from 2 homePages.*--home-page"):
        ingest(ws, path)
    with pytest.warns(XapiWarning, match="no account has the homePage https://elsewhere"):
        ingest(ws, write_lines(tmp_path / "t.jsonl", [stmt(3)]), home_page="https://elsewhere")


# ---- when ---------------------------------------------------------------------------------

def test_mixed_offsets_are_stored_as_the_same_utc_instants(ws: Workspace, tmp_path: Path):
    path = write_lines(tmp_path / "t.jsonl", [
        stmt(1, ts="2026-10-06T08:00:00Z"), stmt(2, ts="2026-10-06T10:00:01+02:00"),
        stmt(3, ts="2026-10-06T03:00:02-05:00"), stmt(4, ts="2026-10-06T13:30:03.5+05:30"),
        stmt(5, ts="2026-10-06T08:00:04.123456789+00:00")])
    assert counts(ingest(ws, path)) == (5, 5, 0, 0)
    assert [e[1] for e in events(ws)] == [
        "2026-10-06 08:00:00.000000", "2026-10-06 08:00:01.000000", "2026-10-06 08:00:02.000000",
        "2026-10-06 08:00:03.500000", "2026-10-06 08:00:04.123456"]


# ---- quarantine ---------------------------------------------------------------------------

BAD = [  # (statement or raw line, expected reason)
    (stmt(11, actor=None), "no actor"),
    (stmt(12, actor={"objectType": "Group", "member": [account("102")]}),
     "actor is an anonymous group (no account, mbox, mbox_sha1sum or openid)"),
    (stmt(13, actor={"name": "Jeanne Martin"}),
     "actor has no account, mbox, mbox_sha1sum or openid"),
    (stmt(14, actor={"account": {"homePage": HOME}}), "actor.account has no name"),
    (stmt(15, actor={"mbox_sha1sum": "jeanne@example.org"}),
     "actor.mbox_sha1sum is not 40 hexadecimal digits"),
    (stmt(16, verb=None), "no verb"),
    (stmt(17) | {"verb": {"display": {"en": "viewed"}}},
     "verb has no id"),
    (stmt(18, obj=None), "no object"),
    (stmt(19, obj={"definition": {"type": "x"}}), "object has no id"),
    (stmt(20, obj={"objectType": "Agent", "name": "Paul"}),
     "object has no account, mbox, mbox_sha1sum or openid"),
    (stmt(20, obj={"objectType": "SubStatement", "verb": {"id": VIEWED}}),
     "object is a SubStatement without an object"),
    (stmt(21, ts=None), "no timestamp"),
    (stmt(22, ts="2026-10-06 10:00"), "timestamp '2026-10-06 10:00' has no time zone"),
    (stmt(23, ts="06/10/2026 10:00"), "timestamp '06/10/2026 10:00' is not ISO 8601"),
    (stmt(24, verb="http://adlnet.gov/expapi/verbs/voided",
          obj={"objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000001"}),
     "voiding statement"),
    (stmt(25, actor=None, verb=None, obj=None, ts=None),
     "no actor; no verb; no object; no timestamp"),
    (stmt(None) | {"id": 7}, "id is not a text (a UUID)"),
    ('{"actor": ', "not valid JSON (Expecting value, column 10)"),
    ("[1, 2]", "a JSON list, not a statement object"),
    ('{"statements": [], "more": ""}', "an LRS StatementResult, not a statement"),
]


def _bad_lines() -> list[Any]:
    lines: list[Any] = [stmt(1)]
    for item, _ in BAD:
        lines.append(item)
    return lines


def test_malformed_statements_are_quarantined_with_line_and_reason(ws: Workspace,
                                                                    tmp_path: Path):
    path = write_lines(tmp_path / "bad.jsonl", _bad_lines())
    account_ = ingest(ws, path)
    assert counts(account_) == (len(BAD) + 1, 1, 0, len(BAD))
    got = ws.con.execute("SELECT file_name, line, reason FROM quarantine ORDER BY line").fetchall()
    assert [g[1] for g in got] == list(range(2, len(BAD) + 2))
    assert {g[0] for g in got} == {"bad.jsonl"}
    for (_, expected), (_, line, reason) in zip(BAD, got, strict=True):
        assert reason.startswith(expected), (line, reason)
    stored = ws.con.execute("SELECT rows_read, rows_loaded, rows_duplicate, rows_quarantined "
                            "FROM ingest_files").fetchall()
    assert stored == [counts(account_)]


def test_array_quarantine_rows_name_the_statement_and_its_first_line(ws: Workspace,
                                                                       tmp_path: Path):
    path = write_array(tmp_path / "bad.json", [stmt(1), stmt(2, ts=None), stmt(3)], indent=1)
    assert counts(ingest(ws, path)) == (3, 2, 0, 1)
    lines = path.read_text(encoding="utf-8").splitlines()
    first_line = next(n for n, text in enumerate(lines, start=1) if "000000000002" in text) - 1
    got = ws.con.execute("SELECT line, reason FROM quarantine").fetchall()
    assert got == [(first_line, "statement 2: no timestamp")]
    assert lines[first_line - 1].strip() == "{"


def test_strict_mode_refuses_the_file_at_the_first_bad_statement(ws: Workspace, tmp_path: Path):
    path = write_lines(tmp_path / "s.jsonl", [stmt(1), stmt(2), stmt(3, verb=None), stmt(4)])
    with pytest.raises(IngestError, match=r"s\.jsonl, line 3: no verb \(--strict"):
        ingest(ws, path, strict=True)
    for table in ("raw_events", "quarantine", "ingest_files", "identities"):
        assert ws.con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)]


def test_a_broken_array_leaves_the_warehouse_as_it_was(ws: Workspace, tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text("[" + json.dumps(stmt(1)) + ",\n" + json.dumps(stmt(2))[:-5] + "\n",
                    encoding="utf-8")
    with pytest.raises(IngestError, match=r"broken\.json, line 2: not valid JSON"):
        ingest(ws, path)
    assert ws.con.execute("SELECT count(*) FROM raw_events").fetchall() == [(0,)]


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"), (b"", "empty file"), (b"id,user\n1,2\n", "starts with 'i'")])
def test_missing_empty_or_non_json_files_are_refused(ws: Workspace, tmp_path: Path,
                                                     content: bytes | None, message: str):
    path = tmp_path / "x.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        ingest(ws, path)


# ---- duplicates ---------------------------------------------------------------------------

def test_duplicate_ids_load_once_within_a_file_across_batches_and_across_files(
        ws: Workspace, tmp_path: Path):
    first = write_lines(tmp_path / "a.jsonl", [
        stmt(1), stmt(2, ts="2026-10-06T10:01:00+02:00"), stmt(1),
        stmt(3, ts="2026-10-06T10:02:00+02:00"), stmt(2, ts="2026-10-06T10:01:00+02:00")])
    assert counts(ingest(ws, first, batch_rows=2)) == (5, 3, 2, 0)
    second = write_array(tmp_path / "b.json.gz", [
        stmt(3, ts="2026-10-06T10:02:00+02:00"), stmt(4, ts="2026-10-06T10:03:00+02:00"),
        stmt(4, ts="2026-10-06T10:03:00+02:00")])
    assert counts(ingest(ws, second)) == (3, 1, 2, 0)
    assert counts(ingest(ws, first)) == (5, 0, 5, 0)
    assert ws.con.execute("SELECT count(*), count(DISTINCT event_key) FROM raw_events"
                          ).fetchall() == [(4, 4)]


def test_statements_without_id_are_keyed_by_actor_verb_object_and_instant(ws: Workspace,
                                                                          tmp_path: Path):
    path = write_lines(tmp_path / "s.jsonl", [
        stmt(None), stmt(None, ts="2026-10-06T08:00:00Z"),  # the same instant: a duplicate
        stmt(None, actor="102"), stmt(None, verb="http://adlnet.gov/expapi/verbs/completed"),
        stmt(None, obj=f"{HOME}/mod/page/view.php?id=311"),
        stmt(None, ts="2026-10-06T10:00:00.5+02:00")])
    assert counts(ingest(ws, path)) == (6, 5, 1, 0)


# ---- what: Moodle-equivalent events -------------------------------------------------------

FORUM = {"contextActivities": {"grouping": [{"id": COURSE},
                                            {"id": f"{HOME}/mod/forum/view.php?id=323"}]}}
DISCUSSION = {"id": f"{HOME}/mod/forum/discuss.php?d=407",
              "definition": {"type": "http://id.tincanapi.com/activitytype/discussion"}}
MAPPING = [  # verb, object, context → event_name, component, course_id, cmid
    (VIEWED, COURSE, None, "\\core\\event\\course_viewed", "core", 42, None),
    (VIEWED, f"{HOME}/mod/page/view.php?id=311", {"contextActivities": {"grouping": {
        "id": COURSE}}}, "\\mod_page\\event\\course_module_viewed", "mod_page", 42, 311),
    ("http://adlnet.gov/expapi/verbs/experienced", DISCUSSION, FORUM,
     "\\mod_forum\\event\\discussion_viewed", "mod_forum", 42, 323),
    ("http://id.tincanapi.com/verb/replied", DISCUSSION, FORUM,
     "\\mod_forum\\event\\post_created", "mod_forum", 42, 323),
    ("http://activitystrea.ms/schema/1.0/create", DISCUSSION, FORUM,
     "\\mod_forum\\event\\discussion_created", "mod_forum", 42, 323),
    ("http://activitystrea.ms/schema/1.0/submit", f"{HOME}/mod/assign/view.php?id=330", None,
     "\\mod_assign\\event\\assessable_submitted", "mod_assign", None, 330),
    ("http://activitystrea.ms/schema/1.0/submit", f"{HOME}/mod/quiz/view.php?id=340", None,
     "\\mod_quiz\\event\\attempt_submitted", "mod_quiz", None, 340),
    ("http://activitystrea.ms/schema/1.0/submit", "https://forms.example.net/essay/9", None,
     "\\mod_assign\\event\\assessable_submitted", "mod_assign", None, None),
    ("http://adlnet.gov/expapi/verbs/attempted", f"{HOME}/mod/quiz/view.php?id=340", None,
     "\\mod_quiz\\event\\attempt_started", "mod_quiz", None, 340),
    ("http://adlnet.gov/expapi/verbs/completed", COURSE, None,
     "\\core\\event\\course_completed", "core", 42, None),
    ("http://adlnet.gov/expapi/verbs/completed", f"{HOME}/mod/page/view.php?id=311", None,
     "\\core\\event\\course_module_completion_updated", "mod_page", None, 311),
    ("https://w3id.org/xapi/adl/verbs/logged-in", {"id": HOME, "definition": {
        "type": "http://id.tincanapi.com/activitytype/lms"}}, None,
     "\\core\\event\\user_loggedin", "core", None, None),
    (VIEWED, account("104"), None, "\\core\\event\\user_profile_viewed", "core", None, None),
    ("https://w3id.org/xapi/video/verbs/played", {"id": "https://video.example.net/v/1",
                                                  "definition": {"type": "https://w3id.org/"
                                                                 "xapi/video/activity-type/video"}},
     None, "\\core\\event\\course_module_viewed",
     "https://w3id.org/xapi/video/activity-type/video", None, None),
    ("http://adlnet.gov/expapi/verbs/commented", f"{HOME}/mod/glossary/view.php?id=350", None,
     "http://adlnet.gov/expapi/verbs/commented", "mod_glossary", None, 350),
    ("http://adlnet.gov/expapi/verbs/progressed", "https://h5p.example.net/c/1", None,
     "http://adlnet.gov/expapi/verbs/progressed", None, None, None),
    (VIEWED, {"objectType": "SubStatement", "actor": account("101"), "verb": {"id": VIEWED},
              "object": {"id": f"{HOME}/mod/page/view.php?id=311"}}, None,
     "\\mod_page\\event\\course_module_viewed", "mod_page", None, 311),
    ("http://adlnet.gov/expapi/verbs/commented", {
        "objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000001"}, None,
     "http://adlnet.gov/expapi/verbs/commented", None, None, None),
]


@pytest.mark.parametrize(("verb", "obj", "context", "name", "component", "course", "cmid"),
                         MAPPING, ids=[m[3].rsplit("\\", 1)[-1].rsplit("/", 1)[-1] + str(i)
                                       for i, m in enumerate(MAPPING)])
def test_verbs_and_activities_become_moodle_equivalent_events(
        ws: Workspace, tmp_path: Path, verb: str, obj: Any, context: Any, name: str,
        component: str | None, course: int | None, cmid: int | None):
    extra = {"context": context} if context else {}
    ingest(ws, write_lines(tmp_path / "m.jsonl", [stmt(1, verb=verb, obj=obj, **extra)]))
    [(_, _, got_name, got_component, got_course, got_cmid, related)] = events(ws)
    assert (got_name, got_component, got_course, got_cmid) == (name, component, course, cmid)
    assert related == (ws.pseudo.id_ident("104") if isinstance(obj, dict)
                       and "account" in obj else None)


def test_every_mapped_verb_keeps_its_category_whatever_the_object(ws: Workspace,
                                                                   tmp_path: Path):
    verbs = ws.con.execute("SELECT event_name, category FROM event_categories "
                           "WHERE source = 'xapi_verb' ORDER BY event_name").fetchall()
    objects = [COURSE, DISCUSSION, account("104"), "https://example.net/a",
               {"objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000009"},
               *[f"{HOME}/mod/{m}/view.php?id=3" for m in ("page", "assign", "quiz", "forum")]]
    lines = [stmt(None, actor=str(1000 + n), verb=verb, obj=obj, context=FORUM)
             for n, (verb, _) in enumerate(verbs) for obj in objects]
    assert counts(ingest(ws, write_lines(tmp_path / "all.jsonl", lines)))[1] == len(lines)
    got = dict(ws.con.execute(
        "SELECT i.ident, list(DISTINCT event_category(e.event_name)) FROM raw_events AS e "
        "JOIN identities AS i USING (ident_id) GROUP BY i.ident").fetchall())
    for n, (verb, category) in enumerate(verbs):
        assert got[ws.pseudo.id_ident(str(1000 + n))] == [category], verb


def test_categories_agree_across_logstore_names_and_both_download_languages():
    import duckdb

    from m2if_analytics.warehouse.sql import migration_files

    con = duckdb.connect()
    for _, sql in migration_files():
        for statement in sql.statements:
            con.execute(statement)
    per_format = []
    for name, column in (("logstore_standard_log.csv", "eventname"),
                         ("moodle_logs_en.csv", "\"Event name\""),
                         ("moodle_logs_fr.csv", "\"Nom de l'événement\"")):
        per_format.append(con.execute(
            f"SELECT event_category({column}) AS c, count(*) FROM read_csv($p, all_varchar = "
            "true) GROUP BY c ORDER BY c", {"p": str(SAMPLES / name)}).fetchall())
    assert per_format[0] == per_format[1] == per_format[2]
    assert dict(per_format[0])["submitted"] > 0 and dict(per_format[0])["posted"] > 0


def test_the_docs_list_every_name_and_category_of_the_migration(ws: Workspace):
    doc = (REPO / "docs" / "xapi.md").read_text(encoding="utf-8")
    rows = ws.con.execute("SELECT event_name, source, category FROM event_categories").fetchall()
    assert len(rows) > 100
    for name, source, category in rows:
        if source == "xapi_verb":
            assert re.search(rf"\| `{re.escape(name)}` \| {category} \|", doc), name
        else:
            section = doc.split("\n## Categories", 1)[1]
            row = next(line for line in section.splitlines() if f"`{name}`" in line)
            assert row.startswith(f"| {category} |"), name


# ---- privacy ------------------------------------------------------------------------------

def test_no_name_mail_home_page_or_url_reaches_any_text_column(ws: Workspace, tmp_path: Path):
    secret = {"actor": {"name": "Jeanne Martin", "mbox": "mailto:jeanne.martin@example.org"}}
    path = write_lines(tmp_path / "p.jsonl", [
        stmt(1) | secret, stmt(2, actor={"name": "Jeanne Martin",
                                         "account": {"homePage": HOME, "name": "jmartin"}}),
        stmt(3, obj={"objectType": "Agent", "mbox": "mailto:paul.durand@example.org",
                     "name": "Paul Durand"}),
        stmt(4, actor={"name": "Jeanne Martin", "mbox": "jeanne.martin@example.org"}, ts="x"),
        stmt(5, actor={"mbox_sha1sum": "jeanne.martin@example.org"}),
        stmt(6, actor={"name": "Jeanne Martin"}, obj=f"{HOME}/user/profile.php?id=101")])
    ingest(ws, path)
    forbidden = ["jeanne", "martin", "paul", "durand", "example.org", "moodle.example",
                 "jmartin", "profile.php", "mailto"]
    tables = ws.con.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE data_type = 'VARCHAR'").fetchall()
    assert len({t for t, _ in tables}) > 5
    for table, column in tables:
        values = ws.con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall()
        for (value,) in values:
            assert not any(word in str(value).lower() for word in forbidden), (table, column)
