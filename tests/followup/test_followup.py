"""The follow-up log: add, list, open, import (French headers, bad rows, re-import), notes
kept beside the mapping and never in the warehouse, last contacts in the risk table, and
erasure."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.followup import Contact, add, contacts, last_contacts
from m2if_analytics.followup.importer import import_file
from m2if_analytics.followup.values import ContactError
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLE_CONFIG

runner = CliRunner()
A, B = "pd1be80a3fd8d", "pe0ca0e234949"  # students 120 and 105 of the 2026-2027 sample
TODAY = dt.date(2027, 7, 1)


@pytest.fixture
def db(full_sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(full_sample_warehouse, copy)
    return copy


@pytest.fixture
def ws(db: Path) -> Workspace:
    with open_workspace(db, SAMPLE_CONFIG) as workspace:
        yield workspace


def c(student: str, day: str, outcome: str = "reached", nxt: str = "",
      channel: str = "call") -> Contact:
    return Contact.parse(student, day, "HV", channel, outcome, nxt)


def test_contacts_are_checked_word_by_word():
    assert Contact.parse(A, "01/02/2027", "h.v", "Appel", "sans réponse", "2027-02-08") == \
        Contact(A, dt.date(2027, 2, 1), "h.v", "call", "no-answer", dt.date(2027, 2, 8))
    for args, word in (((A, "2027-02-01", "Hélène Verdier", "call", "reached"), "tutor"),
                       ((A, "2027-02-01", "HV", "pigeon", "reached"), "channel"),
                       ((A, "2027-02-01", "HV", "call", "maybe"), "outcome"),
                       (("Léa", "2027-02-01", "HV", "call", "reached"), "pseudonym"),
                       ((A, "lundi", "HV", "call", "reached"), "not a date")):
        with pytest.raises(ContactError, match=word):
            Contact.parse(*args)
    with pytest.raises(ContactError, match="before the contact"):
        Contact.parse(A, "2027-02-08", "HV", "call", "plan", "2027-02-01")


def test_add_list_open_and_last_contacts_by_hand(ws: Workspace):
    assert add(ws, c(A, "2027-01-11", "no-answer"), today=TODAY)
    assert add(ws, c(A, "2027-01-18", "plan", "2027-01-25"), today=TODAY)
    assert add(ws, c(B, "2027-01-12", "reached"), today=TODAY)
    assert not add(ws, c(B, "2027-01-12", "reached"), today=TODAY)  # already recorded
    log = contacts(ws)
    assert log.select("date", "student", "outcome", "latest", "open").rows() == [
        (dt.date(2027, 1, 11), A, "no-answer", False, False),
        (dt.date(2027, 1, 12), B, "reached", True, False),
        (dt.date(2027, 1, 18), A, "plan", True, True)]  # A's latest asks for a next step
    assert contacts(ws, open_only=True)["student"].to_list() == [A]
    assert contacts(ws, student=B).height == 1
    last = {r["student"]: r for r in last_contacts(ws, as_of=dt.date(2027, 1, 17)).to_dicts()}
    assert (last[A]["last_contact"], last[A]["last_outcome"], last[A]["contacts"]) == (
        dt.date(2027, 1, 11), "no-answer", 1)  # the 18th is after as_of
    with pytest.raises(ContactError, match="in the future"):
        add(ws, c(A, "2027-07-02"), today=TODAY)
    with pytest.raises(ContactError, match="not a student of cohort 2026-2027"):
        add(ws, c("p000000000000", "2027-01-11"), today=TODAY)


def test_the_risk_table_shows_the_last_contact_and_the_days_without_one(ws: Workspace):
    from m2if_analytics.risk import flags

    # A (alternating) is amber from 2026-11-23 (programme week 8) on
    before = flags(ws, week="2026-W50").filter(pl.col("student") == A).row(0, named=True)
    assert before["since"] == dt.date(2026, 11, 23) and before["last_contact"] is None
    assert before["uncontacted_days"] == (dt.date(2026, 12, 13) - dt.date(2026, 11, 23)).days + 1
    add(ws, c(A, "2026-12-02", "reached"), today=TODAY)
    after = flags(ws, week="2026-W50").filter(pl.col("student") == A).row(0, named=True)
    assert after["last_contact"] == dt.date(2026, 12, 2) and after["uncontacted_days"] is None
    earlier = flags(ws, week="2026-W48").filter(pl.col("student") == A).row(0, named=True)
    assert earlier["last_contact"] is None  # a later contact is not counted before it


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_import_french_headers_bad_rows_and_reimport(ws: Workspace, tmp_path: Path):
    f = _write(tmp_path / "suivi.csv",
               "etudiant;date;par;canal;resultat;suite;note\n"
               f"{A};11/01/2027;HV;appel;joint;;\n"                      # line 2
               f"{A};18/01/2027;HV;courriel;plan;25/01/2027;relancé\n"   # line 3
               f"{B};32/01/2027;HV;appel;joint;;\n"                      # line 4: bad date
               "p000000000000;12/01/2027;HV;appel;joint;;\n"             # line 5: unknown
               f"{B};12/01/2027;Mme X;appel;joint;;\n"                   # line 6: a name
               f"{B};12/01/2027;FQ;rendez-vous;oriente\n",               # line 7: 5 fields
               "cp1252")
    account, dropped = import_file(ws, f)
    assert (account.read, account.loaded, account.duplicates, account.quarantined) == (
        6, 2, 0, 4)
    assert account.recoded == 1 and dropped == 1  # "relancé" in Windows-1252, no mapping
    reasons = dict(ws.con.execute("SELECT line, reason FROM quarantine q JOIN ingest_files f "
                                  "USING (file_id) WHERE f.file_name = 'suivi.csv'")
                   .fetchall())
    assert set(reasons) == {4, 5, 6, 7}
    assert "not a date" in reasons[4] and "not a student" in reasons[5]
    assert "not a name" in reasons[6] and "expected 7 fields" in reasons[7]
    again, _ = import_file(ws, f)
    assert (again.loaded, again.duplicates, again.quarantined) == (0, 2, 4)
    assert contacts(ws).height == 2
    n = ws.con.execute("SELECT count(*) FROM quarantine q JOIN ingest_files f USING (file_id) "
                       "WHERE f.file_name = 'suivi.csv'").fetchone()
    assert n == (4,)  # the quarantine rows are not added twice


def test_notes_stay_beside_the_mapping_never_in_the_warehouse(db: Path, tmp_path: Path):
    private = tmp_path / "private"
    private.mkdir()
    mapping = private / "mapping.csv"
    mapping.write_text(f"pseudonym,display_name,group\n{A},Yannick Dufresnoy,D\n",
                       encoding="utf-8")
    os.chmod(mapping, 0o600)
    base = ["--db", str(db), "--config", str(SAMPLE_CONFIG), "followup"]
    secret = "appelé sa mère, situation difficile"
    result = runner.invoke(app, [*base, "add", "--student", A, "--date", "2026-11-30",
                                 "--by", "HV", "--channel", "call", "--outcome", "plan",
                                 "--next", "2026-12-07", "--note", secret,
                                 "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    notes = private / "followup-notes.csv"
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600 and secret in notes.read_text("utf-8")
    con = duckdb.connect(str(db), read_only=True)
    for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall():
        hits = con.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" LIKE ?',
                           ["%situation difficile%"]).fetchone()
        assert hits == (0,), (table, column)
    con.close()
    plain = runner.invoke(app, [*base, "list"])
    assert secret not in plain.stdout and "Yannick" not in plain.stdout
    named = runner.invoke(app, [*base, "list", "--open", "--mapping", str(mapping)])
    assert named.exit_code == 0, named.output
    assert secret in named.stdout and "Yannick Dufresnoy" in named.stdout
    future = runner.invoke(app, [*base, "add", "--student", A, "--date", "2099-01-12",
                                 "--by", "HV", "--channel", "call", "--outcome", "reached",
                                 "--note", "later", "--mapping", str(mapping)])
    assert future.exit_code == 1 and "later" not in notes.read_text("utf-8")
    refused = runner.invoke(app, [*base, "add", "--student", A, "--date", "2026-11-12",
                                  "--by", "HV", "--channel", "call", "--outcome", "reached",
                                  "--note", "x"])
    assert refused.exit_code != 0


def test_forget_removes_a_students_contacts_and_an_imported_files(ws: Workspace,
                                                                  tmp_path: Path):
    from m2if_analytics.warehouse.forget import forget_file, forget_person

    add(ws, c(A, "2027-01-11"), today=TODAY)
    import_file(ws, _write(tmp_path / "log.csv", "student,date,by,channel,outcome\n"
                                                 f"{B},2027-01-12,HV,call,reached\n"))
    assert forget_person(ws, A).rows["followups"] == 1
    assert forget_file(ws, "log.csv").rows["followups"] == 1
    assert contacts(ws).is_empty()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.sampled_from(
    [A, B, "pzz", "2027-01-11", "31/12/2026", "x", "", "HV", "call", "appel", "reached",
     "joint", "plan", ";", '"', "=cmd"]), min_size=0, max_size=8), max_size=12))
def test_import_never_fails_and_the_account_adds_up(ws: Workspace, tmp_path: Path,
                                                   rows: list[list[str]]):
    body = "\n".join(",".join(r) for r in rows)
    f = _write(tmp_path / "fuzz.csv", "student,date,by,channel,outcome,next\n" + body + "\n")
    account, _ = import_file(ws, f)
    assert account.read == account.loaded + account.duplicates + account.quarantined


def test_the_student_profile_shows_the_last_contact_up_to_its_week(ws: Workspace):
    from m2if_analytics.reports.student import data as profile
    from m2if_analytics.reports.student import html as blocks

    add(ws, c(A, "2026-12-02", "reached"), today=TODAY)
    add(ws, c(A, "2026-12-16", "plan", "2027-01-06"), today=TODAY)
    early = profile.summary(ws, profile.profile_scope(ws, A, week="2026-W49"))
    assert (early.last_contact, early.contacts) == (dt.date(2026, 12, 2), 1)
    later = profile.summary(ws, profile.profile_scope(ws, A, week="2027-W02"))
    assert (later.last_contact, later.contacts) == (dt.date(2026, 12, 16), 2)
    assert 'data-key="contacts" data-value="2.0">16/12/2026 (2)' in blocks.cards(later, "fr")


def test_names_typed_in_the_wrong_column_never_reach_the_quarantine_reasons(
        ws: Workspace, tmp_path: Path):
    """A name or e-mail typed where a pseudonym, a tutor code or a user id goes was quoted in
    the stored reason (and outlived `m2if forget --student`); the reason now gives its
    length, the line says where it is."""
    from m2if_analytics.ingest.aliases import ingest_aliases_file
    from m2if_analytics.ingest.roster import ingest_roster_file

    name, tutor, mail = "Léa Fournier-Dubreuil", "Hélène Marchal", "lea.fournier@exemple.org"
    import_file(ws, _write(tmp_path / "contacts.csv",
                           "student,date,by,channel,outcome\n"
                           f"{name},2026-12-02,HV,call,reached\n"       # line 2
                           f"{A},2026-12-03,{tutor},call,reached\n"))   # line 3
    ingest_aliases_file(ws.con, _write(tmp_path / "aliases.csv",
                                       f"variant,person\nLea F.,{mail}\n"), ws.pseudo)
    ingest_roster_file(ws.con, _write(tmp_path / "roster.csv",
                                      "user_id,full_name,role,group,tutor\n"
                                      f"{name},{name},student,A,\n"
                                      f"991,Paul Petit,student,A,{tutor}\n"),
                       ws.cfg, ws.pseudo, "2026-2027")
    rows = ws.con.execute("SELECT f.file_name, q.line, q.reason FROM quarantine q "
                          "JOIN ingest_files f USING (file_id) ORDER BY 1, 2").fetchall()
    got = {(file, line): reason for file, line, reason in rows
           if file in ("contacts.csv", "aliases.csv", "roster.csv")}
    assert got == {
        ("aliases.csv", 2): "no roster person is text (24 characters) (give a user id, an "
                            "e-mail, the name as in the roster or a pseudonym; ingest the "
                            "roster first)",
        ("contacts.csv", 2): "student text (21 characters) is not a pseudonym (p + 12 "
                             "hexadecimal digits, as in m2if weekly or m2if risk)",
        ("contacts.csv", 3): "tutor text (14 characters) should be a code of 1 to 32 "
                             "letters, digits, dots, dashes or underscores (initials or a "
                             "staff id), not a name",
        ("roster.csv", 2): "user id text (21 characters) is not a Moodle user id (a whole "
                           "number from 1); fix it or leave it empty and give the full name",
        ("roster.csv", 3): "tutor text (14 characters) should be a code of 1 to 32 letters, "
                           "digits, dots, dashes or underscores (initials or a staff id), "
                           "not a name"}
    stored = " ".join(map(str, ws.con.execute("SELECT * FROM quarantine").fetchall()))
    for part in ("Léa", "Fournier", "Hélène", "Marchal", "exemple.org"):
        assert part not in stored


def test_reasons_stored_before_version_19_lose_the_names_they_quoted(db: Path):
    """Migration 19 rewrites the reasons older versions stored with the cell quoted; a plain
    number stays quoted, other reasons are untouched."""
    old = ["student 'Léa Fournier-Dubreuil' is not a pseudonym (p + 12 hexadecimal digits)",
           "tutor 'Hélène Marchal' should be a code of 1 to 32 letters, not a name",
           "no roster person is 'lea.fournier@exemple.org' (give a user id)",
           "\"Jeanne d'Arc\" names several roster people; give a user id or e-mail",
           "user id '-5' is not a Moodle user id (a whole number from 1)",
           "time 'Léa' is not a Moodle time"]  # not one of the reasons that quoted names
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        for n, reason in enumerate(old):
            ws.con.execute("INSERT INTO quarantine VALUES (999, 'old.csv', ?, ?)", [n, reason])
        ws.con.execute("UPDATE meta SET value = '18' WHERE key = 'schema_version'")
        ws.con.execute("UPDATE meta SET value = regexp_replace(value, ',19$', '') "
                       "WHERE key = 'migrations_applied'")
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        got = [r for (r,) in ws.con.execute(
            "SELECT reason FROM quarantine WHERE file_id = 999 ORDER BY line").fetchall()]
    assert got == ["student text (21 characters) is not a pseudonym (p + 12 hexadecimal digits)",
                   "tutor text (14 characters) should be a code of 1 to 32 letters, not a name",
                   "no roster person is text (24 characters) (give a user id)",
                   "text (12 characters) names several roster people; give a user id or e-mail",
                   "user id '-5' is not a Moodle user id (a whole number from 1)",
                   "time 'Léa' is not a Moodle time"]
