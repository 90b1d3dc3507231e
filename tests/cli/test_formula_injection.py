"""Formula injection end to end: names and groups that a spreadsheet would run as formulas
(OWASP's CSV injection list) go through ingestion and come out of every CSV m2if writes
(weekly, collab, research export, mapping, quarantine) as text, never as a live formula."""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from tests.conftest import SAMPLE_CONFIG, SAMPLES

runner = CliRunner()

FORMULAS = ['=HYPERLINK("http://example.org/x","clic")', "+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def live_formulas(text: str) -> list[str]:
    """Cells of a CSV text that a spreadsheet would read as a formula (numbers excepted)."""
    found = []
    for row in csv.reader(io.StringIO(text)):
        found += [cell for cell in row
                  if cell.startswith(TRIGGERS) and not _is_number(cell)]
    return found


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 2026-2027 sample cohort whose roster has formula groups and one formula name; a
    download with a formula in a name and an unreadable line so that quarantine has rows."""
    tmp = tmp_path_factory.mktemp("poison")
    lines = (SAMPLES / "roster.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for n, line in enumerate(lines[1:]):
        fields = next(csv.reader([line]))
        if fields[3] == "student" and n < len(FORMULAS):
            fields[4] = FORMULAS[n]
        if n == 1:
            fields[1] = "@SUM(1+1)"
        out.append(fields)
    roster = tmp / "roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([out[0].split(","), *out[1:]])
    download = tmp / "logs.csv"
    text = (SAMPLES / "moodle_logs_fr.csv").read_text(encoding="utf-8-sig")
    head, *body = text.splitlines()
    bad = "=cmd|' /C calc'!A0;pas une date;=HYPERLINK(\"x\");-;-;-;-;-;web;-"
    download.write_text("\n".join([head, *body[:3000], bad, *body[3000:]]) + "\n",
                        encoding="utf-8")
    env = {"M2IF_PSEUDONYM_KEY": "sample-key"}
    base = ["--db", str(tmp / "w.duckdb"), "--config", str(SAMPLE_CONFIG)]
    for command in (["ingest", "roster", str(roster)], ["ingest", "moodle", str(download)],
                    ["ingest", "forum", str(SAMPLES / "forum_posts.csv")]):
        result = runner.invoke(app, [*base, *command], env=env)
        assert result.exit_code == 0, result.output
    return {"tmp": tmp, "roster": roster, "db": tmp / "w.duckdb"}


def _run(poisoned: dict[str, Path], *args: str) -> str:
    result = runner.invoke(app, ["--db", str(poisoned["db"]), "--config", str(SAMPLE_CONFIG),
                                 *args], env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_roster_really_carries_the_formulas(poisoned: dict[str, Path]):
    text = poisoned["roster"].read_text(encoding="utf-8")
    assert sum(f.strip() in text for f in FORMULAS) >= 4 and "@SUM(1+1)" in text


@pytest.mark.parametrize("command", [["weekly"], ["collab"], ["collab", "--groups"],
                                     ["collab", "--edges"]])
def test_weekly_and_collab_csvs_hold_no_live_formula(poisoned: dict[str, Path],
                                                     command: list[str]):
    out = poisoned["tmp"] / f"{'_'.join(c.strip('-') for c in command)}.csv"
    _run(poisoned, *command, "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert live_formulas(text) == []
    if command in (["weekly"], ["collab", "--groups"]):  # the groups are really there
        assert "'=HYPERLINK(" in text


def test_mapping_and_quarantine_hold_no_live_formula(poisoned: dict[str, Path]):
    mapping = poisoned["tmp"] / "private" / "mapping.csv"
    mapping.parent.mkdir()
    _run(poisoned, "reidentify", "--roster", str(poisoned["roster"]), "--out", str(mapping))
    text = mapping.read_text(encoding="utf-8")
    assert "'@SUM(1+1)" in text and live_formulas(text) == []
    listed = _run(poisoned, "quarantine")
    assert "logs.csv" in listed
    assert not any(cell.startswith(TRIGGERS) for line in listed.splitlines()
                   for cell in line.split("\t") if not _is_number(cell))


def test_the_research_export_holds_no_live_formula(poisoned: dict[str, Path]):
    folder = poisoned["tmp"] / "export"
    _run(poisoned, "export", "research", "--out", str(folder), "--k", "1")
    written = sorted(folder.rglob("*.csv"))
    assert written
    for path in written:
        assert live_formulas(path.read_text(encoding="utf-8")) == [], path.name


# --- a real full disk: the file-size limit of the process ------------------------------------

def test_a_full_disk_on_out_is_one_line_and_keeps_the_previous_file(poisoned: dict[str, Path]):
    """RLIMIT_FSIZE makes every write past 2 KiB fail with EFBIG in the child process (Python
    ignores SIGXFSZ), as a full disk would fail it with ENOSPC."""
    out = poisoned["tmp"] / "kept.csv"
    out.write_text("previous,report\n1,2\n", encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    env = {**os.environ, "M2IF_PSEUDONYM_KEY": "sample-key"}
    result = subprocess.run(
        [sys.executable, "-m", "m2if_analytics", "--db", str(poisoned["db"]), "--config",
         str(SAMPLE_CONFIG), "weekly", "--out", str(out)], env=env, capture_output=True,
        text=True, timeout=120, preexec_fn=limit, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [ln for ln in result.stderr.splitlines() if not ln.startswith("warning:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {out}: not written (File too large)"), errors
    assert out.read_text(encoding="utf-8") == "previous,report\n1,2\n"
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith("kept")) == [
        "kept.csv"]
