"""m2if_analytics.privacy.research: re-keyed ids and small-cell suppression (k = 5) on a
20-student cohort in groups of 7, 6, 4 and 3, with a forum whose text carries names."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics.collaboration import data as collaboration_data
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.forum import ingest_forum_file
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.privacy.research import (
    STAFF,
    TABLES,
    ExportSummary,
    export_ids,
    export_research,
    suppressed_groups,
)
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import local, write_logstore

KEY = "research-export-test-key"
GROUPS = {"G7": 7, "G6": 6, "G4": 4, "G3": 3}
FORUM_HEADER = ["id", "discussion", "parent", "userid", "created", "modified", "mailed",
                "subject", "message", "messageformat", "messagetrust", "attachment",
                "totalscore", "mailnow", "deleted", "privatereplyto", "wordcount", "charcount"]
WEEK1, WEEK2 = local("2026-10-06 09:00:00"), local("2026-10-13 09:00:00")


def people() -> list[dict[str, str]]:
    """20 students (ids 1-20, groups of 7, 6, 4, 3) and two teachers (ids 91, 92)."""
    rows, uid = [], 0
    for group, size in GROUPS.items():
        for n in range(size):
            uid += 1
            rows.append({"user_id": str(uid), "full_name": f"Étudiante{uid} Nomdefamille{n}x",
                         "email": f"etudiante{uid}@example.org", "role": "student",
                         "group": group})
    rows += [{"user_id": str(t), "full_name": f"Enseignant{t} Professeurdupont",
              "email": f"enseignant{t}@example.org", "role": "teacher", "group": ""}
             for t in (91, 92)]
    return rows


def forum_rows() -> list[dict[str, object]]:
    """Week 1: in each group a teacher opens a discussion and every member replies to the
    previous post (so G7 and G6 have at least 5 student authors, G4 and G3 fewer); one
    cross-group reply. Week 2: two G7 students only. Subjects and messages name people."""
    members: dict[str, list[str]] = {}
    for p in people():
        if p["role"] == "student":
            members.setdefault(p["group"], []).append(p["user_id"])
    rows: list[dict[str, object]] = []

    def post(disc: int, parent: int, user: str, when: dt.datetime, text: str) -> int:
        pid = 1000 + len(rows)
        message = f"<p>Bonjour {text},</p>\n<p>secret-{pid} zanzibar-{pid}</p>"
        rows.append({"id": pid, "discussion": disc, "parent": parent, "userid": user,
                     "created": int(when.timestamp()), "modified": int(when.timestamp()),
                     "mailed": 1, "subject": f"Sujet confidentiel {pid} de {text}",
                     "message": message, "messageformat": 1, "messagetrust": 0,
                     "attachment": "", "totalscore": 0, "mailnow": 0, "deleted": 0,
                     "privatereplyto": 0, "wordcount": 5, "charcount": 30})
        return pid

    for disc, ids in enumerate(members.values(), start=1):
        parent = post(disc, 0, "91", WEEK1, "Enseignant91 Professeurdupont")
        for n, uid in enumerate(ids):
            parent = post(disc, parent, uid, WEEK1 + dt.timedelta(hours=n + 1),
                          f"Étudiante{uid} Nomdefamille{n}x")
    post(1, 1001, members["G3"][0], WEEK1 + dt.timedelta(hours=20), "cross-group")
    opener = post(9, 0, members["G7"][0], WEEK2, "semaine deux")
    post(9, opener, members["G7"][1], WEEK2 + dt.timedelta(hours=2), "réponse")
    return rows


def write_inputs(folder: Path) -> dict[str, Path]:
    roster = folder / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["user_id", "full_name", "email", "role", "group"])
        writer.writeheader()
        writer.writerows(people())
    forum = folder / "forum_posts.csv"
    with forum.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, FORUM_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(forum_rows())
    events = [(int(p["user_id"]), start + dt.timedelta(minutes=10 * i))
              for p in people() for start in (WEEK1, WEEK2) for i in range(3)]
    logs = write_logstore(folder / "logs.csv", events)
    return {"roster": roster, "forum": forum, "logs": logs}


def build(folder: Path, forum: bool = True) -> tuple[Workspace, dict[str, Path]]:
    """A warehouse in ``folder`` with the 20-student cohort, its logs and (``forum``) its
    forum; the input files."""
    config = folder / "m2if.toml"
    config.write_text('[ingest]\nlatest = 2027-12-31\n'
                      '[[cohorts]]\nid = "2026-2027"\nstart = 2026-10-05\nend = 2027-07-02\n',
                      encoding="utf-8")
    inputs = write_inputs(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        ws = open_workspace(folder / "w.duckdb", config)
        ingest_roster_file(ws.con, inputs["roster"], ws.cfg, ws.pseudo)
        ingest_moodle_file(ws.con, inputs["logs"], ws.cfg, ws.pseudo)
        if forum:
            ingest_forum_file(ws.con, inputs["forum"], ws.cfg, ws.pseudo)
    return ws, inputs


@pytest.fixture(scope="module")
def cohort20(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict]]:
    """The 20-student cohort with logs and forum, and its input files."""
    ws, inputs = build(tmp_path_factory.mktemp("cohort20"))
    yield ws, inputs
    ws.close()


@pytest.fixture(scope="module")
def export(cohort20: tuple[Workspace, dict],
           tmp_path_factory: pytest.TempPathFactory) -> ExportSummary:
    ws, _ = cohort20
    return export_research(ws, tmp_path_factory.mktemp("export") / "out", k=5)


def read(summary: ExportSummary, name: str) -> pl.DataFrame:
    csv_frame = pl.read_csv(summary.out_dir / f"{name}.csv", try_parse_dates=True,
                            infer_schema_length=None)
    parquet = pl.read_parquet(summary.out_dir / f"{name}.parquet")
    assert parquet.columns == csv_frame.columns and parquet.height == csv_frame.height
    return parquet


def all_text(summary: ExportSummary) -> str:
    """Every exported file as text: README, CSV, and Parquet read back and written as CSV."""
    parts = [p.read_text(encoding="utf-8") for p in summary.files() if p.suffix != ".parquet"]
    parts += [pl.read_parquet(p).write_csv() for p in summary.files() if p.suffix == ".parquet"]
    return "\n".join(parts)


# --- small-cell suppression --------------------------------------------------------------

def test_groups_of_4_and_3_are_suppressed_and_groups_of_7_and_6_kept_at_k_5(
        export: ExportSummary):
    assert export.suppressed_groups == ("G3", "G4")
    groups = read(export, "group_metrics")
    assert groups["group"].to_list() == ["G3", "G4", "G6", "G7", "all"]
    by_group = {r["group"]: r for r in groups.iter_rows(named=True)}
    for name in ("G3", "G4"):
        row = by_group[name]
        assert row["suppressed"] is True
        assert all(v is None for k, v in row.items() if k not in ("group", "suppressed")), row
    assert (by_group["G7"]["members"], by_group["G6"]["members"]) == (7, 6)
    assert by_group["G7"]["suppressed"] is False and by_group["G6"]["suppressed"] is False
    assert by_group["G7"]["posts"] == 7 + 2 and by_group["G6"]["posts"] == 6
    # the whole cohort minus the shown groups leaves 7 students (G4 + G3): kept
    assert by_group["all"]["suppressed"] is False and by_group["all"]["members"] == 20
    assert export.table("group_metrics").suppressed_rows == 2


def test_members_of_suppressed_groups_have_no_group_label_in_individual_level_files(
        export: ExportSummary):
    students = read(export, "student_metrics")
    assert students.height == 20 and "role" not in students.columns  # staff are not rows
    assert students["group"].value_counts().sort("group").rows() == [
        (None, 7), ("G6", 6), ("G7", 7)]
    weekly = read(export, "weekly_engagement")
    assert set(weekly["group"].drop_nulls()) == {"G6", "G7"}
    assert weekly.filter(pl.col("group").is_null())["student"].n_unique() == 7
    edges = read(export, "edges")
    assert not {"G3", "G4"} & (set(edges["source_group"]) | set(edges["target_group"]))
    assert export.table("student_metrics").hidden_group_rows == 7
    assert export.table("weekly_engagement").hidden_group_rows == 7 * weekly["week_start"] \
        .n_unique()


def test_week_group_rows_with_fewer_than_k_student_authors_are_suppressed(
        export: ExportSummary):
    weekly = read(export, "weekly_metrics")
    kept = weekly.filter(~pl.col("suppressed"))
    assert kept.height and (kept["active_authors"] >= 5).all()
    assert not set(kept["group"]) & {"G3", "G4"}
    week1, week2 = sorted(weekly["week_start"].unique())
    assert set(kept.filter(pl.col("week_start") == week1)["group"]) == {"G6", "G7", "all"}
    second = weekly.filter(pl.col("week_start") == week2)
    assert second["suppressed"].all()  # two G7 students posted: every row describes < 5
    assert second.select(pl.exclude("week_start", "group", "suppressed")).null_count() \
        .row(0) == (second.height,) * (weekly.width - 3)


@pytest.mark.parametrize(("sizes", "hidden"), [
    ({"a": 7, "b": 6, "c": 4, "d": 3}, {"c", "d"}),
    ({"a": 5, "b": 5, "c": 5, "d": 5}, set()),
    # one small group alone would be named by its blank label and by all − shown groups
    ({"a": 7, "b": 8, "c": 3}, {"a", "c"}),
    # students without a group count in the cohort row: 2 of them must not stand alone
    ({"a": 10, "b": 6, None: 2}, {"b"}),
    ({"a": 10, "b": 6, None: 5}, set()),
    # every group would leave fewer than k behind: all suppressed
    ({"a": 10, "b": 3, "c": 1}, {"a", "b", "c"}),
    ({"a": 3}, {"a"}),
])
def test_suppressed_groups_adds_the_next_smallest_group_when_the_rest_would_describe_few(
        sizes: dict[str | None, int], hidden: set[str]):
    assert suppressed_groups(sizes, 5) == hidden


# --- re-keyed identifiers ----------------------------------------------------------------

def warehouse_pseudonyms(ws: Workspace) -> set[str]:
    members = collaboration_data.members(ws, include_teachers=True)
    persons = {r[0] for r in ws.con.execute("SELECT DISTINCT person FROM persons").fetchall()}
    idents = {r[0] for r in ws.con.execute("SELECT ident FROM identities").fetchall()}
    return set(members["student"]) | persons | idents


def test_no_warehouse_pseudonym_or_identity_hash_appears_in_any_exported_file(
        cohort20: tuple[Workspace, dict], export: ExportSummary):
    ws, _ = cohort20
    known = warehouse_pseudonyms(ws)
    assert len(known) >= 22
    text = all_text(export)
    assert [p for p in known if p in text] == []
    raw = b"".join(p.read_bytes() for p in export.files())
    assert [p for p in known if p.encode() in raw] == []
    ids = set(read(export, "student_metrics")["student"])
    assert len(ids) == 20 and all(re.fullmatch(r"r[0-9a-f]{12}", i) for i in ids)


def test_one_person_has_one_id_across_the_files_of_an_export(export: ExportSummary):
    metrics = read(export, "student_metrics")
    students = set(metrics["student"])
    assert set(read(export, "weekly_engagement")["student"]) == students
    edges = read(export, "edges")
    assert set(edges["source"]) | set(edges["target"]) <= students | {STAFF}
    co = edges.filter(pl.col("kind") == "coparticipation")
    assert co.height and (co["source"] < co["target"]).all()  # by export id, not warehouse
    # the same person: replies counted in student_metrics match the reply edges they send
    sent = edges.filter(pl.col("kind") == "reply").group_by("source").agg(pl.col("weight").sum())
    for source, weight in sent.iter_rows():
        assert metrics.filter(pl.col("student") == source)["replies_sent"].item() == weight


def test_two_exports_give_different_ids_for_the_same_people(
        cohort20: tuple[Workspace, dict], export: ExportSummary, tmp_path: Path):
    ws, _ = cohort20
    again = export_research(ws, tmp_path / "again", k=5)
    first, second = read(export, "student_metrics"), read(again, "student_metrics")
    assert not set(first["student"]) & set(second["student"])
    keep = pl.exclude("student")
    assert first.select(keep).sort(pl.all()).equals(second.select(keep).sort(pl.all()))


def test_the_salt_is_stored_nowhere_and_a_given_salt_reproduces_the_export(
        cohort20: tuple[Workspace, dict], tmp_path: Path):
    ws, _ = cohort20
    salt = b"salt-under-test-7f3a9c"
    one = export_research(ws, tmp_path / "one", k=5, salt=salt)
    two = export_research(ws, tmp_path / "two", k=5, salt=salt)
    for name in TABLES:
        assert (one.out_dir / f"{name}.csv").read_bytes() == \
            (two.out_dir / f"{name}.csv").read_bytes()
    ws.con.execute("CHECKPOINT")
    stored = [ws.paths.db.read_bytes(), *(p.read_bytes() for p in one.files())]
    for needle in (salt, salt.hex().encode()):
        assert not any(needle in blob for blob in stored)
    assert export_ids(["p1"], salt) == export_ids(["p1"], salt) != export_ids(["p1"], b"x")


def test_rows_are_ordered_by_export_id_not_by_warehouse_pseudonym(export: ExportSummary):
    metrics = read(export, "student_metrics")
    assert metrics["student"].to_list() == sorted(metrics["student"])
    weekly = read(export, "weekly_engagement")
    assert weekly.select("student", "week_start").rows() == sorted(
        weekly.select("student", "week_start").rows())


# --- no personal data, README --------------------------------------------------------------

def test_no_name_email_ip_subject_or_message_text_anywhere_in_the_export(
        cohort20: tuple[Workspace, dict], export: ExportSummary):
    _, inputs = cohort20
    found: set[str] = set()
    with inputs["roster"].open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found |= {row["full_name"], row["email"], *row["full_name"].split()}
    with inputs["logs"].open(encoding="utf-8") as fh:
        found |= {row["ip"] for row in csv.DictReader(fh)}
    with inputs["forum"].open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = re.sub(r"<[^>]+>", " ", row["message"])
            found |= {row["subject"], row["message"], *re.findall(r"\S*\d{4}\S*", text)}
    found -= {""}
    found |= {html.escape(v) for v in found}
    text = all_text(export)
    assert sorted(v for v in found if v in text) == []


def test_readme_says_k_the_rule_what_was_suppressed_the_rekeying_date_and_version(
        export: ExportSummary):
    from m2if_analytics import __version__

    readme = (export.out_dir / "README.md").read_text(encoding="utf-8")
    assert "k = 5" in readme and "fewer than 5 students" in readme
    assert "Groups suppressed here: `G3`, `G4`." in readme
    assert "| `group_metrics.csv` / `.parquet` | 5 | 2 | 0 |" in readme
    assert "| `student_metrics.csv` / `.parquet` | 20 | 0 | 7 |" in readme
    assert f"weekly_metrics.csv` / `.parquet` | {export.table('weekly_metrics').rows} | " \
           f"{export.table('weekly_metrics').suppressed_rows} | 0 |" in readme
    assert "re-keyed" in readme and "cannot be joined to the warehouse" in readme
    assert f"m2if-analytics {__version__}" in readme
    assert export.created.date().isoformat() in readme
    assert "OULAD" not in readme
    assert sorted(p.name for p in export.out_dir.iterdir()) == sorted(
        p.name for p in export.files())


def test_summary_line_names_the_folder_k_and_the_suppressed_groups(export: ExportSummary):
    line = export.line()
    assert str(export.out_dir) in line and "k = 5" in line and "G3, G4" in line
    assert "\n" not in line


# --- edge cases -----------------------------------------------------------------------------

def test_a_cohort_without_forum_posts_exports_engagement_and_empty_collaboration_tables(
        tmp_path: Path):
    ws, _ = build(tmp_path, forum=False)
    with ws:
        summary = export_research(ws, tmp_path / "out", k=5)
    assert summary.posts == 0 and summary.suppressed_groups == ("G3", "G4")
    assert read(summary, "weekly_engagement")["student"].n_unique() == 20
    assert read(summary, "edges").height == 0 and read(summary, "weekly_metrics").height == 0
    groups = read(summary, "group_metrics")
    assert groups.select("group", "members", "posts", "suppressed").rows() == [
        ("G3", None, None, True), ("G4", None, None, True), ("G6", 6, 0, False),
        ("G7", 7, 0, False), ("all", 20, 0, False)]
    assert "**No forum posts**" in (summary.out_dir / "README.md").read_text(encoding="utf-8")


def test_k_below_one_or_a_file_as_output_folder_is_refused(
        cohort20: tuple[Workspace, dict], tmp_path: Path):
    ws, _ = cohort20
    with pytest.raises(M2IFError, match="k must be at least 1"):
        export_research(ws, tmp_path / "out", k=0)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(M2IFError, match="is a file"):
        export_research(ws, tmp_path / "file")
