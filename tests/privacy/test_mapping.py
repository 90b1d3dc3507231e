"""m2if reidentify: the managers' separate pseudonym → name file (README: "Privacy"): the same
pseudonyms as roster ingestion, mode 0600, the warehouse only read, the key checked, and
bad mapping files refused with the file, the line, the reason and the fix."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.errors import KeyMismatchError, M2IFError
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.privacy.mapping import MappingError, build_mapping, load_mapping
from tests.conftest import SAMPLES

KEY = "sample-key"
runner = CliRunner()
P1, P2 = "p0123456789ab", "pba9876543210"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def warehouse(full_sample_warehouse: Path, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the full sample warehouse (its key in the environment)."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", KEY)
    copy = tmp_path / "wh" / "sample.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(full_sample_warehouse, copy)
    return copy


def roster_persons(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT person, role FROM roster WHERE cohort_id = '2026-2027'")
                    .fetchall())
    finally:
        con.close()


# --- writing the mapping ------------------------------------------------------------------

def test_mapping_gives_every_roster_person_the_warehouse_pseudonym_0600_and_leaves_it_untouched(
        warehouse: Path, tmp_path: Path):
    before = digest(warehouse)
    out = tmp_path / "private" / "mapping.csv"
    summary = build_mapping(SAMPLES / "roster.csv", out, db=warehouse)
    assert digest(warehouse) == before  # opened read-only: not a byte written
    assert mode(out) == 0o600
    assert (summary.people, summary.in_warehouse, summary.warnings) == (22, 22, [])
    names = load_mapping(out)
    persons = roster_persons(warehouse)
    assert set(names) == set(persons)
    assert sum(role == "student" for role in persons.values()) == 20
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "pseudonym,display_name,group"
    by_name = {line.split(",")[1]: line.split(",") for line in lines[1:]}
    assert by_name["Hugo Tessier"][2] == "C" and by_name["François Quéméner"][2] == ""
    assert list(tmp_path.glob("wh/*")) == [warehouse]  # nothing beside the warehouse either


def test_pseudonyms_match_ingestion_for_name_only_rows_and_split_name_columns(
        ws, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Prénom;Nom;Rôle;Courriel;Groupe\nJeanne;Martin;étudiante;j@x.org;A\n"
                      "Paul;Durand;student;;B\nNadia;Benali;tuteur;;\n", encoding="utf-8-sig")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    ws.close()
    names = load_mapping(build_mapping(roster, tmp_path / "m" / "map.csv",
                                       db=tmp_path / "w.duckdb").path)
    persons = roster_persons(tmp_path / "w.duckdb")
    assert set(names) == set(persons)
    assert sorted(names.values()) == ["Jeanne Martin", "Nadia Benali", "Paul Durand"]


def test_a_different_key_is_refused_and_nothing_is_written(warehouse: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "another-key")
    out = tmp_path / "private" / "mapping.csv"
    with pytest.raises(KeyMismatchError, match=r"not the one warehouse .* was built with"):
        build_mapping(SAMPLES / "roster.csv", out, db=warehouse)
    assert not out.exists() and not out.parent.exists()


def test_a_missing_key_is_refused_without_creating_one(warehouse: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("M2IF_PSEUDONYM_KEY")
    with pytest.raises(KeyMismatchError, match="--key-file"):
        build_mapping(SAMPLES / "roster.csv", tmp_path / "m.csv", db=warehouse)
    assert not warehouse.with_suffix(".key").exists() and not (tmp_path / "m.csv").exists()


def test_the_key_file_is_read_like_ingestion_reads_it(warehouse: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("M2IF_PSEUDONYM_KEY")
    key = tmp_path / "secret.key"
    key.write_text(KEY + "\n", encoding="utf-8")
    key.chmod(0o600)
    summary = build_mapping(SAMPLES / "roster.csv", tmp_path / "m.csv", db=warehouse,
                            key_file=key)
    assert summary.in_warehouse == 22


def test_the_destination_is_checked_and_replaced_whole_only_with_force(
        warehouse: Path, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    shutil.copyfile(SAMPLES / "roster.csv", roster)
    for target, words in ((roster, "is the roster"), (warehouse, "is the warehouse"),
                          (tmp_path, "is a folder")):
        with pytest.raises(M2IFError, match=words):
            build_mapping(roster, target, db=warehouse)
    out = tmp_path / "mapping.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    with pytest.raises(M2IFError, match="already exists; pass --force"):
        build_mapping(roster, out, db=warehouse)
    build_mapping(roster, out, db=warehouse, force=True)
    assert mode(out) == 0o600 and len(load_mapping(out)) == 22
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mapping.csv", "roster.csv", "wh"]


def test_a_mapping_in_the_warehouse_folder_is_written_with_a_warning(warehouse: Path):
    summary = build_mapping(SAMPLES / "roster.csv", warehouse.parent / "m.csv", db=warehouse)
    assert len(summary.warnings) == 1 and "warehouse's folder" in summary.warnings[0]


def test_cli_writes_the_mapping_and_prints_where(warehouse: Path, tmp_path: Path):
    out = tmp_path / "private" / "mapping.csv"
    result = runner.invoke(app, ["--db", str(warehouse), "reidentify", "--roster",
                                 str(SAMPLES / "roster.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote 22 people to {out} (mode 0600" in result.stdout
    again = runner.invoke(app, ["--db", str(warehouse), "reidentify", "--roster",
                                str(SAMPLES / "roster.csv"), "--out", str(out)])
    assert again.exit_code != 0 and "--force" in str(again.exception)


# --- reading it back ----------------------------------------------------------------------

def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "mapping.csv"
    path.write_bytes(text.encode(encoding))
    path.chmod(0o600)
    return path


def test_load_mapping_accepts_a_spreadsheet_resave(tmp_path: Path):
    path = write(tmp_path, f"Pseudonym;Display name;Group\r\n{P1};\"Dupont; Léa\";A\r\n"
                           f"{P2};Paul Durand;\r\n", "utf-8-sig")
    assert load_mapping(path) == {P1: "Dupont; Léa", P2: "Paul Durand"}


@pytest.mark.parametrize(("text", "words"), [
    ("", "line 1: empty file"),
    ("pseudonym,name\np0123456789ab,Léa\n", "line 1: the header needs pseudonym and display_name"),
    (f"pseudonym,display_name\n{P1},Léa\np123,Paul\n", "line 3: 'p123' is not a pseudonym"),
    (f"pseudonym,display_name\n{P1},  \n", "line 2: empty display_name"),
    (f"pseudonym,display_name,group\n{P1},Durand, Paul,A\n", "line 2: expected 3 fields"),
    (f"pseudonym,display_name\n{P1},Léa\n{P1},Paul\n", "line 3: p0123456789ab already has "
                                                         "another name on line 2"),
    ("pseudonym,display_name\n", "a header and no person"),
])
def test_load_mapping_refuses_a_bad_file_naming_file_line_reason_and_fix(
        tmp_path: Path, text: str, words: str):
    path = write(tmp_path, text)
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert str(path) in message and words in message and "\n" not in message
    assert "m2if reidentify" in message or "keep one line" in message


def test_load_mapping_of_a_missing_file_says_how_to_create_it(tmp_path: Path):
    with pytest.raises(MappingError, match="not found; create it with: m2if reidentify"):
        load_mapping(tmp_path / "nowhere.csv")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_load_mapping_warns_when_other_users_can_read_it(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]):
    path = write(tmp_path, f"pseudonym,display_name\n{P1},Léa\n")
    load_mapping(path)
    assert capsys.readouterr().err == ""
    path.chmod(0o644)
    load_mapping(path)
    assert "chmod 600" in capsys.readouterr().err
