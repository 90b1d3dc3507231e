"""Identities that match: names typed without accents, in another order or case, land on the
roster person; what is left is listed (m2if identities) and linked by hand (aliases)."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.engagement import weekly
from m2if_analytics.ingest.aliases import ingest_aliases_file
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import ingest_grades
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.identities import unmatched, warning
from m2if_analytics.warehouse.pseudonyms import fold_name, pseudonym
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLE_CONFIG, SAMPLES
from tests.ingest.test_moodle import FR_HEADER, write_download

runner = CliRunner()
ROSTER = ("user_id,full_name,role,group\n12,Noémie Çelik,student,A\n13,Jean-Luc Dupré,student,A"
          "\n14,Paul Martin,student,B\n90,Ada Lovelace,teacher,\n")


def event(when: str, name: str) -> list[str]:
    return [when, name, "-", "Cours : M2 IF", "Système", "Cours consulté",
            "The user with id '1' viewed the course with id '42'.", "web", "192.0.2.1"]


@pytest.fixture
def rostered(ws: Workspace, tmp_path: Path) -> Workspace:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    return ws


def students_events(ws: Workspace) -> dict[str, int]:
    table = weekly(ws).group_by("student").agg(pl.col("events").sum())
    return dict(table.iter_rows())


def noemie(ws: Workspace) -> str:
    return pseudonym(ws.pseudo.id_ident("12"))


@pytest.mark.parametrize(("given", "folded"), [
    ("Noémie Çelik", "celik noemie"), ("Noemie Celik", "celik noemie"),
    ("CELIK Noémie", "celik noemie"), ("  noémie   ÇELIK ", "celik noemie"),
    ("Jean-Luc Dupré", "dupre jean luc"), ("DUPRE Jean Luc", "dupre jean luc"),
    ("O’Neil-Smith Anne", "anne neil o smith"), ("-", ""), ("", ""),
])
def test_a_name_folds_case_accents_hyphens_apostrophes_and_word_order(given, folded):
    assert fold_name(given) == folded


def test_unaccented_and_last_name_first_rows_land_on_the_roster_student(
        rostered: Workspace, tmp_path: Path):
    ws = rostered
    rows = [event("05/10/26, 09:00", "Noémie Çelik"), event("05/10/26, 09:10", "Noemie Celik"),
            event("05/10/26, 09:20", "CELIK Noémie"), event("05/10/26, 09:30", "noemie celik")]
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", FR_HEADER, rows), ws.cfg,
                       ws.pseudo, time_format="%d/%m/%y, %H:%M")
    assert students_events(ws)[noemie(ws)] == 4  # one student, not four
    assert unmatched(ws).is_empty() and warning(ws) is None


def test_a_grades_row_with_first_and_last_names_finds_the_student(
        rostered: Workspace, tmp_path: Path):
    ws = rostered
    grades = tmp_path / "grades.csv"
    grades.write_text("first_name;last_name;ue;assessment;grade\nNoemie;Celik;UE1;Dossier;14\n",
                      encoding="utf-8")
    ingest_grades(ws.con, grades, ws.cfg, ws.pseudo)
    rows = ws.tables.execute("SELECT student FROM ue_results_at(DATE '2027-06-30') "
                             "WHERE mean IS NOT NULL").fetchall()
    assert rows == [(noemie(ws),)]


def test_a_folded_name_two_roster_people_share_links_nobody(ws: Workspace, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,full_name,role\n1,Élise Roux,student\n2,Elise Roux,student\n",
                      encoding="utf-8")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", FR_HEADER, [
        event("05/10/26, 09:00", "Elise-Roux")]), ws.cfg, ws.pseudo,
        time_format="%d/%m/%y, %H:%M")
    table = unmatched(ws)
    assert table.height == 1 and table["events"][0] == 1  # not guessed: listed instead
    assert {c["person"] for c in table["candidates"][0]} == {
        pseudonym(ws.pseudo.id_ident("1")), pseudonym(ws.pseudo.id_ident("2"))}


def test_matched_pseudonyms_are_the_roster_ids_and_never_change(rostered: Workspace,
                                                              tmp_path: Path):
    ws = rostered
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", FR_HEADER, [
        event("05/10/26, 09:00", "Paul Martin"), event("05/10/26, 09:05", "MARTIN paul")]),
        ws.cfg, ws.pseudo, time_format="%d/%m/%y, %H:%M")
    assert set(students_events(ws)) >= {pseudonym(ws.pseudo.id_ident("14"))}
    assert students_events(ws)[pseudonym(ws.pseudo.id_ident("14"))] == 2


def test_an_unknown_name_is_listed_with_its_closest_roster_people_then_linked_by_an_alias(
        rostered: Workspace, tmp_path: Path, config_file: Path):
    ws = rostered
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", FR_HEADER, [
        event("05/10/26, 09:00", "J. Dupré"), event("05/10/26, 09:10", "J. Dupré"),
        event("05/10/26, 09:20", "Jean-Luc Dupré")]), ws.cfg, ws.pseudo,
        time_format="%d/%m/%y, %H:%M")
    table = unmatched(ws)
    assert table.height == 1 and table["events"][0] == 2
    stray = table["person"][0]
    jean_luc = pseudonym(ws.pseudo.id_ident("13"))
    best = table["candidates"][0][0]
    # "J. Dupré" and "Jean-Luc Dupré": {dupre, j} and {dupre, jean, luc} share 1 of 4 words
    assert best["person"] == jean_luc and best["similarity"] == pytest.approx(1 / 4)
    assert "1 person(s) with 2 event(s)" in (warning(ws) or "")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(f"variant,person\n{stray},13\nPaul Dupré,nobody\n", encoding="utf-8")
    account = ingest_aliases_file(ws.con, aliases, ws.pseudo)
    assert (account.read, account.loaded, account.duplicates, account.quarantined) == (2, 1, 0, 1)
    assert students_events(ws)[jean_luc] == 3  # the stored rows re-pointed, nothing re-read
    assert unmatched(ws).is_empty()
    again = ingest_aliases_file(ws.con, aliases, ws.pseudo)
    assert (again.loaded, again.duplicates, again.quarantined) == (0, 1, 1)


def test_an_alias_may_not_take_a_variant_from_another_roster_person(
        rostered: Workspace, tmp_path: Path):
    ws = rostered
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("variant,person\nPaul Martin,12\n", encoding="utf-8")
    account = ingest_aliases_file(ws.con, aliases, ws.pseudo)
    assert account.quarantined == 1
    reason = ws.con.execute("SELECT reason FROM quarantine").fetchall()[0][0]
    assert "already linked to" in reason


def test_roster_rows_with_one_id_and_two_names_or_a_non_positive_id_are_set_aside(
        ws: Workspace, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,full_name,role\n5,Ana Lima,student\n5,Bo Chen,student\n"
                      "0,Cy Diaz,student\n-3,Di Eze,student\n5,Ana Lima,student\n",
                      encoding="utf-8")
    account = ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    assert (account.read, account.quarantined) == (5, 3)
    reasons = dict(ws.con.execute("SELECT line, reason FROM quarantine").fetchall())
    assert "already on line 2" in reasons[3]
    assert "not a Moodle user id" in reasons[4] and "not a Moodle user id" in reasons[5]


def test_roster_ids_written_with_other_digits_are_set_aside_with_the_reason(
        ws: Workspace, tmp_path: Path):
    """"¹" passed str.isdigit and then broke int(); "٣" and "３" were read as user 3's."""
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,full_name,role\n3,Ana Lima,student\n¹,Bo Chen,student\n"
                      "٣,Cy Diaz,student\n３,Di Eze,student\n", encoding="utf-8")
    account = ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (4, 1, 3)
    reasons = dict(ws.con.execute("SELECT line, reason FROM quarantine").fetchall())
    assert sorted(reasons) == [3, 4, 5]
    assert all("is not a Moodle user id" in r for r in reasons.values())


def test_identities_command_lists_the_unmatched_with_candidate_names_from_the_roster(
        rostered: Workspace, tmp_path: Path, config_file: Path):
    ws = rostered
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", FR_HEADER, [
        event("05/10/26, 09:00", "Paul Martín-Roux")]), ws.cfg, ws.pseudo,
        time_format="%d/%m/%y, %H:%M")
    roster = tmp_path / "roster.csv"
    db = ws.paths.db
    ws.close()
    result = runner.invoke(app, ["--db", str(db), "--config", str(config_file), "identities",
                                 "--roster", str(roster)])
    assert result.exit_code == 0, result.output
    line = result.stdout.splitlines()[1]
    assert "\t1\t2026-10-05 09:00\t" in line and "Paul Martin (0.67)" in line  # 2 of 3 words


# --- acceptance: a messy French download ---------------------------------------------------

def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _messy(clean: Path, out: Path) -> Path:
    """A third of the names unaccented or last-name-first (upper case), three lines in
    Windows-1252 inside the UTF-8 file; the BOM kept."""
    raw = clean.read_bytes()
    lines = raw.split(b"\n")
    header, body = lines[0], [ln for ln in lines[1:] if ln]
    recoded = []
    for n, line in enumerate(body):
        text = line.decode("utf-8")
        fields = text.split(";")
        if n % 3 == 0:
            first, _, last = fields[2].partition(" ")
            fields[2] = _unaccented(fields[2]) if n % 2 else f"{last.upper()} {first}"
        text = ";".join(fields)
        if n in (10, 500, 4000):
            text = text.replace("–", "-")  # cp1252 has the en dash, keep it simple
            recoded.append(text.encode("cp1252"))
            body[n] = recoded[-1]
            continue
        body[n] = text.encode("utf-8")
    out.write_bytes(b"\n".join([header, *body]) + b"\n")
    return out


def test_a_messy_french_download_gives_the_same_weekly_table_as_the_clean_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    clean = SAMPLES / "moodle_logs_fr.csv"
    messy = _messy(clean, tmp_path / "moodle_logs_fr_messy.csv")
    assert b"\xe9" in messy.read_bytes()  # a cp1252 é really is there
    tables, accounts = {}, {}
    for name, path in (("clean", clean), ("messy", messy)):
        shutil.copyfile(SAMPLE_CONFIG, tmp_path / f"{name}.toml")
        with open_workspace(tmp_path / f"{name}.duckdb", tmp_path / f"{name}.toml") as ws:
            ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo, "2026-2027")
            accounts[name] = ingest_moodle_file(ws.con, path, ws.cfg, ws.pseudo, "2026-2027")
            tables[name] = weekly(ws, "2026-2027").sort("student", "week_start")
            assert unmatched(ws).is_empty()
    a, b = accounts["clean"], accounts["messy"]
    assert (b.read, b.loaded, b.duplicates, b.quarantined) == (
        a.read, a.loaded, a.duplicates, a.quarantined)
    assert b.read == b.loaded + b.duplicates + b.quarantined and b.recoded == 3
    assert tables["messy"].equals(tables["clean"])


def _three_events_closed(ws: Workspace, tmp_path: Path, config_file: Path,
                         second: str) -> list[str]:
    """Noémie Çelik's events on 5 and 19 October 2026 and ``second``'s on the 12th loaded;
    the warehouse closed; the command line's options to open it again."""
    ingest_moodle_file(ws.con, write_download(tmp_path / "d.csv", FR_HEADER, [
        event("05/10/26, 09:00", "Noémie Çelik"), event("12/10/26, 09:00", second),
        event("19/10/26, 09:00", "Noémie Çelik")]), ws.cfg, ws.pseudo,
        time_format="%d/%m/%y, %H:%M")
    ws.close()
    return ["--db", str(ws.paths.db), "--config", str(config_file)]


def test_weekly_and_risk_warn_about_people_in_no_roster(rostered: Workspace, tmp_path: Path,
                                                       config_file: Path):
    base = _three_events_closed(rostered, tmp_path, config_file, "Inconnu Total")
    for command in (["weekly"], ["risk", "--week", "2026-W42"]):
        result = runner.invoke(app, [*base, *command])
        assert result.exit_code == 0, result.output
        assert "1 person(s) with 1 event(s) are in no roster" in result.stderr, command


def test_a_roster_of_staff_only_is_named_as_the_cause_after_the_warning(
        ws: Workspace, tmp_path: Path, config_file: Path):
    """A roster listing only a teacher, and events of people on no roster: risk and the
    report said "no complete week of data yet" (untrue) and never printed the warning that
    says where the people went."""
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,full_name,role,group\n90,Ada Lovelace,teacher,\n",
                      encoding="utf-8")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    base = _three_events_closed(ws, tmp_path, config_file, "Paul Martin")
    for command in (["risk"], ["report", "weekly", "--out", str(tmp_path / "out")]):
        result = runner.invoke(app, [*base, *command])
        assert result.exit_code != 0, command
        assert "2 person(s) with 3 event(s) are in no roster" in result.stderr, command
        message = str(result.exception)
        assert message.startswith("cohort 2026-2027 has no student: its roster lists none"), (
            command, message)
        assert "m2if ingest roster FILE --cohort 2026-2027" in message
