"""Opening a warehouse: read commands never create one, a warehouse this user cannot write is
read read-only, and the pseudonymisation key lives apart and is never created by mistake."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.errors import KeyMismatchError
from m2if_analytics.warehouse.workspace import open_workspace
from tests.conftest import SAMPLE_CONFIG, SAMPLES

runner = CliRunner()


@pytest.mark.parametrize("command", [["weekly"], ["risk"], ["quarantine"], ["identities"],
                                     ["collab"], ["export", "research", "--out", "x"],
                                     ["report", "weekly", "--out", "x"]])
def test_read_commands_on_a_missing_warehouse_say_so_and_create_nothing(
        tmp_path: Path, command: list[str]):
    db = tmp_path / "missing.duckdb"
    result = runner.invoke(app, ["--db", str(db), *command])
    assert result.exit_code != 0
    message = str(result.exception)
    assert f"warehouse {db} does not exist" in message
    assert "ingest moodle" in message  # the command that builds one
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _immutable(path: Path) -> bool:
    """Make ``path`` unwritable even by root (chattr +i), else by mode when not root."""
    if shutil.which("chattr") and subprocess.run(["chattr", "+i", str(path)],
                                                 capture_output=True).returncode == 0:
        return True
    path.chmod(0o444)
    try:
        with path.open("r+b"):
            return False  # root ignores the mode and the file system has no chattr
    except PermissionError:
        return True


@pytest.fixture
def read_only_warehouse(sample_warehouse: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the sample warehouse whose derived tables are built, then made unwritable."""
    db = tmp_path / "shared" / "sample.duckdb"
    db.parent.mkdir()
    shutil.copy(sample_warehouse, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(db, SAMPLE_CONFIG) as ws:
            ws.tables.execute("CHECKPOINT")
    if not _immutable(db):
        pytest.skip("cannot make a file unwritable here (root without chattr)")
    yield db
    subprocess.run(["chattr", "-i", str(db)], capture_output=True)
    db.chmod(0o644)


def test_a_warehouse_that_cannot_be_written_is_read_read_only(
        read_only_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    base = ["--db", str(read_only_warehouse), "--config", str(SAMPLE_CONFIG)]
    before = read_only_warehouse.read_bytes()
    weekly = runner.invoke(app, [*base, "weekly"])
    assert weekly.exit_code == 0, weekly.output
    assert weekly.stdout.count("\n") == 1 + 20 * 39  # header + 20 students × 39 weeks
    for command in (["risk"], ["quarantine"], ["export", "research", "--out",
                                               str(tmp_path / "export")]):
        result = runner.invoke(app, [*base, *command])
        assert result.exit_code == 0, (command, result.output)
    report = runner.invoke(app, [*base, "report", "weekly", "--out", str(tmp_path / "r")])
    assert report.exit_code == 0, report.output
    assert list((tmp_path / "r").glob("*.html"))
    assert read_only_warehouse.read_bytes() == before
    assert not Path(f"{read_only_warehouse}.wal").exists()


def test_a_read_only_warehouse_built_with_another_configuration_says_what_to_do(
        read_only_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    other = tmp_path / "other.toml"
    other.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8")
                     + "[programme]\nweekly_target_hours = 12\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", str(read_only_warehouse), "--config", str(other),
                                 "weekly"])
    assert result.exit_code != 0
    assert "is read-only and its derived tables were built with another configuration" in str(
        result.exception)


def test_a_read_only_warehouse_never_built_says_so(sample_warehouse: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    """Its derived tables were never built (or cleared): the message said "built with another
    configuration or version"."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    db = tmp_path / "raw.duckdb"
    shutil.copy(sample_warehouse, db)
    with open_workspace(db, SAMPLE_CONFIG) as ws:
        ws.con.execute("UPDATE meta SET value = '' WHERE key = 'pipeline_stamp'")
    if not _immutable(db):
        pytest.skip("cannot make a file unwritable here (root without chattr)")
    try:
        result = runner.invoke(app, ["--db", str(db), "--config", str(SAMPLE_CONFIG), "weekly"])
    finally:
        subprocess.run(["chattr", "-i", str(db)], capture_output=True)
        db.chmod(0o644)
    assert result.exit_code != 0
    assert "is read-only and its derived tables were never built: build them once with write " \
           "access" in str(result.exception)


# ---- keys -----------------------------------------------------------------------------------

def test_the_default_key_file_is_per_user_and_private(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("M2IF_PSEUDONYM_KEY")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    db = tmp_path / "programme" / "w.duckdb"
    result = runner.invoke(app, ["--db", str(db), "ingest", "roster",
                                 str(SAMPLES / "roster.csv")])
    assert result.exit_code == 0, result.output
    key = tmp_path / "config" / "m2if" / "pseudonym.key"
    assert key.is_file() and key.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in db.parent.iterdir()) == ["w.duckdb"]


def test_a_key_file_others_can_read_is_refused_with_the_chmod_to_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("M2IF_PSEUDONYM_KEY")
    key = tmp_path / "k.key"
    key.write_text("a" * 64 + "\n", encoding="utf-8")
    key.chmod(0o644)
    result = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "--key-file", str(key),
                                 "ingest", "roster", str(SAMPLES / "roster.csv")])
    assert result.exit_code != 0
    assert isinstance(result.exception, KeyMismatchError)
    assert f"run chmod 600 {key}" in str(result.exception)
    key.chmod(0o600)
    again = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "--key-file", str(key),
                                "ingest", "roster", str(SAMPLES / "roster.csv")])
    assert again.exit_code == 0, again.output


def test_a_missing_key_on_an_existing_warehouse_is_an_error_that_creates_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("M2IF_PSEUDONYM_KEY")
    key = tmp_path / "keys" / "first.key"
    db = ["--db", str(tmp_path / "w.duckdb")]
    first = runner.invoke(app, [*db, "--key-file", str(key), "ingest", "roster",
                                str(SAMPLES / "roster.csv")])
    assert first.exit_code == 0, first.output
    lost = tmp_path / "keys" / "lost.key"
    result = runner.invoke(app, [*db, "--key-file", str(lost), "ingest", "roster",
                                 str(SAMPLES / "roster.csv")])
    assert result.exit_code != 0
    assert "nothing was created" in str(result.exception)
    assert "created a new pseudonymisation key" not in result.output
    assert not lost.exists()

