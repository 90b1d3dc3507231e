"""``m2if run weekly``: an inbox of the sample cohort's exports (and one file nobody can
read) becomes a week folder of reports, a risk table, digests and an archive; a second run
the same week does nothing new."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.ingest.detect import kind_of
from tests.alerts.smtp_server import Inbox, start
from tests.conftest import SAMPLE_CONFIG, SAMPLES

runner = CliRunner()
INBOX_FILES = ("roster.csv", "logstore_standard_log.csv", "grades.csv", "deadlines.csv",
               "submissions.csv", "internship.csv", "mission_letters.csv", "resources.csv",
               "forum_posts.csv")
WEEK = "2027-W25"  # the sample cohort's last complete week with events


def make_inbox(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in INBOX_FILES:
        shutil.copyfile(SAMPLES / name, folder / name)
    (folder / "notes.csv").write_text("what,is,this\n1,2,3\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two runs with --send against a real SMTP server on loopback."""
    tmp = tmp_path_factory.mktemp("run-weekly")
    inbox, out = make_inbox(tmp / "inbox"), tmp / "reports"
    mail = Inbox()
    controller, port = start(mail)
    config = tmp / "m2if.toml"
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8")
                      + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
                      '\n[alerts]\nrecipients = { "*" = ["direction@example.org"] }\n',
                      encoding="utf-8")
    base = ["--db", str(tmp / "w.duckdb"), "--config", str(config), "run", "weekly",
            "--inbox", str(inbox), "--out", str(out), "--send"]
    env = {"M2IF_PSEUDONYM_KEY": "sample-key"}
    try:
        first = runner.invoke(app, base, env=env)
        sent_first = len(mail.messages)
        week = out / "2026-2027" / WEEK
        stamps = {p: p.stat().st_mtime_ns for p in week.rglob("*") if p.is_file()}
        second = runner.invoke(app, base, env=env)
    finally:
        controller.stop()
    return {"first": first, "second": second, "inbox": inbox, "out": out, "week": week,
            "stamps": stamps, "sent_first": sent_first, "mail": mail}


def test_the_inbox_is_loaded_roster_first_and_every_file_moved_with_its_account(two_runs):
    first, inbox = two_runs["first"], two_runs["inbox"]
    assert first.exit_code == 1, first.output  # notes.csv failed: the run says so ...
    done = sorted(p.name for p in (inbox / "done").iterdir() if p.suffix != ".json")
    assert done == sorted(INBOX_FILES)
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == ["notes.csv",
                                                                    "notes.csv.json"]
    error = json.loads((inbox / "failed" / "notes.csv.json").read_text(encoding="utf-8"))
    assert "cannot tell what this file is" in error["error"]
    account = json.loads((inbox / "done" / "grades.csv.json").read_text(encoding="utf-8"))
    assert account["kind"] == "grades"
    assert account["read"] == account["loaded"] + account["duplicates"] + account["quarantined"]
    lines = first.stdout.splitlines()
    assert lines[0].startswith("  roster: ")  # the roster first, so that names find people
    steps = [ln.split(":")[0] for ln in lines if not ln.startswith("  ")]
    assert steps == ["ingest", "refresh", "history", "risk", "digests", "reports", "archive",
                     "send"]


def test_the_week_folder_holds_every_report_the_flags_and_the_digests(two_runs):
    week: Path = two_runs["week"]
    names = sorted(p.name for p in week.glob("*.html"))
    assert "weekly-2026-2027-2027-W25.html" in names and "cohort-2026-2027-2027-W25.html" in names
    assert any(n.startswith("collaboration-2026-2027") for n in names)
    assert not any(n.startswith("comparison") for n in names)  # one cohort: nothing to compare
    assert "(no comparison: one cohort has students)" in two_runs["first"].stdout
    risk = (week / "risk.csv").read_text(encoding="utf-8")
    assert risk.startswith("student,week_start,level,reasons,status,since")
    new = [ln for ln in risk.splitlines()[1:] if ",new," in ln or ",worse," in ln]
    profiles = [n for n in names if n.startswith("student-")]
    assert len(profiles) == len(new)
    assert any((week / "digests").iterdir())
    archive = (two_runs["out"] / "2026-2027" / "index.html").read_text(encoding="utf-8")
    assert f"<h2>{WEEK}</h2>" in archive and f"{WEEK}/risk.csv" in archive


def test_a_second_run_the_same_week_does_nothing_new(two_runs):
    second = two_runs["second"]
    assert second.exit_code == 0, second.output
    assert "nothing new since 2027-W25 was rendered" in second.stdout
    assert "0 file(s)" in second.stdout
    week: Path = two_runs["week"]
    now = {p: p.stat().st_mtime_ns for p in week.rglob("*") if p.is_file()}
    assert now == two_runs["stamps"]  # not one file rewritten
    assert "already sent" in second.stdout
    # two runs, one digest each: the four groups' digests went to the cohort's address once
    assert two_runs["sent_first"] == len(two_runs["mail"].messages) == 4
    subjects = {m["Subject"] for _, m in two_runs["mail"].messages}
    assert all(s.startswith("[m2if] Promotion 2026-2027, semaine du 21/06/2027") for s in subjects)


@pytest.mark.parametrize(("name", "kind"), [
    ("roster.csv", "roster"), ("logstore_standard_log.csv", "moodle"),
    ("moodle_logs_fr.csv", "moodle"), ("moodle_logs_en.csv", "moodle"),
    ("grades.csv", "grades"), ("deadlines.csv", "deadlines"),
    ("submissions.csv", "submissions"), ("internship.csv", "internship"),
    ("mission_letters.csv", "internship"), ("milestones.csv", "milestones"),
    ("resources.csv", "resources"), ("forum_posts.csv", "forum")])
def test_every_sample_file_is_recognised(name: str, kind: str):
    assert kind_of(SAMPLES / name) == kind
