"""The m2if command: accounts, exit codes, one-line errors, weekly export."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.engagement.table import CONTRACT_COLUMNS
from tests.conftest import SAMPLES, local, write_logstore

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    return ["--db", str(tmp_path / "w.duckdb")]


def test_ingest_json_prints_one_balanced_object_per_file(db: list[str], tmp_path: Path):
    a = write_logstore(tmp_path / "a.csv", [(5, local("2026-10-06 10:00:00"))])
    b = write_logstore(tmp_path / "b.csv", [(5, local("2026-10-06 10:00:00")),
                                            (6, local("2026-10-06 11:00:00"))])
    result = runner.invoke(app, [*db, "ingest", "moodle", str(a), str(b), "--json"])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [o["file"] for o in objects] == ["a.csv", "b.csv"]
    assert objects[1] == {"file": "b.csv", "read": 2, "loaded": 1, "duplicates": 1,
                          "quarantined": 0, "recoded": 0}


def test_weekly_writes_the_contract_columns_to_csv_and_parquet(db: list[str], tmp_path: Path):
    runner.invoke(app, [*db, "ingest", "roster", str(SAMPLES / "roster.csv")])
    dump = write_logstore(tmp_path / "a.csv", [(101, local("2026-10-06 10:00:00")),
                                               (101, local("2026-10-20 10:00:00"))])
    runner.invoke(app, [*db, "ingest", "moodle", str(dump)])
    for name in ("w.csv", "w.parquet"):
        result = runner.invoke(app, [*db, "weekly", "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    csv_frame = pl.read_csv(tmp_path / "w.csv")
    assert csv_frame.columns[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert len(csv_frame) == 20 * 3  # 20 rostered students × 3 weeks up to the last event
    assert csv_frame["week_start"].to_list()[:3] == ["2026-10-05", "2026-10-12", "2026-10-19"]
    assert pl.read_parquet(tmp_path / "w.parquet").height == 60


def test_failure_gives_non_zero_exit_and_one_line(db: list[str], tmp_path: Path):
    result = runner.invoke(app, [*db, "ingest", "moodle", str(tmp_path / "nope.csv")])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)
    assert "no such file" in str(result.exception)


def test_unknown_cohort_is_reported(db: list[str]):
    runner.invoke(app, [*db, "ingest", "roster", str(SAMPLES / "roster.csv")])
    result = runner.invoke(app, [*db, "weekly", "--cohort", "1999"])
    assert result.exit_code != 0 and "unknown cohort" in str(result.exception)


def test_config_option_is_used(db: list[str], tmp_path: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[programme]\nweekly_target_hours = 2\n'
                   '[ingest]\nlatest = 2027-12-31\n[[cohorts]]\nid = "x"\n'
                   "start = 2026-10-05\nend = 2026-10-30\n", encoding="utf-8")
    dump = write_logstore(tmp_path / "a.csv", [(5, local("2026-10-06 10:00:00")),
                                               (5, local("2026-10-13 10:00:00"))])
    runner.invoke(app, [*db, "--config", str(cfg), "ingest", "moodle", str(dump)])
    result = runner.invoke(app, [*db, "--config", str(cfg), "weekly"])
    assert result.exit_code == 0
    first, second = result.stdout.splitlines()[1:3]
    assert first.endswith(",1,1,1,2.0,true,x,false,false,")  # complete week, below 2 h
    assert second.endswith(",1,1,1,2.0,false,x,false,true,")  # week in progress: never flagged


def test_weekly_refuses_an_unknown_output_format(db: list[str], tmp_path: Path):
    result = runner.invoke(app, [*db, "weekly", "--out", str(tmp_path / "w.xlsx")])
    assert result.exit_code != 0 and ".csv or .parquet" in str(result.exception)
    assert not (tmp_path / "w.xlsx").exists()


def test_loading_a_download_and_a_dump_of_the_same_period_warns(db: list[str]):
    result = runner.invoke(app, [*db, "ingest", "moodle", str(SAMPLES / "moodle_logs_en.csv"),
                                 str(SAMPLES / "logstore_standard_log.csv")])
    assert result.exit_code == 0
    assert "count twice" in result.stderr


def test_empty_file_and_folder_inputs_are_refused(db: list[str], tmp_path: Path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    for path, message in ((empty, "empty file"), (tmp_path, "is a folder")):
        result = runner.invoke(app, [*db, "ingest", "moodle", str(path)])
        assert result.exit_code != 0 and message in str(result.exception)


def test_risk_writes_one_row_per_student_with_level_and_reasons(tmp_path: Path,
                                                                sample_warehouse: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    out = tmp_path / "risk.csv"
    result = runner.invoke(app, ["--db", str(sample_warehouse), "risk", "--week", "2027-W03",
                                 "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pl.read_csv(out)
    assert table.columns[:4] == ["student", "week_start", "level", "reasons"]
    assert table.height == 20 and set(table["week_start"]) == {"2027-01-18"}
    assert set(table["level"]) <= {"green", "amber", "red"}
    levels = table["level"].to_list()
    order = {"red": 0, "amber": 1, "green": 2}
    assert levels == sorted(levels, key=order.__getitem__)  # red first
    assert all(r for r in table["reasons"])
    bad = runner.invoke(app, ["--db", str(sample_warehouse), "risk", "--lang", "de"])
    assert bad.exit_code != 0


def test_risk_with_a_model_adds_scores_beside_unchanged_rules(
        tmp_path: Path, sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    from tests.conftest import SAMPLES

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    base = ["--db", str(sample_warehouse), "risk", "--week", "2027-W03", "--out"]
    assert runner.invoke(app, [*base, str(tmp_path / "rules.csv")]).exit_code == 0
    result = runner.invoke(app, [*base, str(tmp_path / "both.csv"), "--oulad",
                                 str(SAMPLES / "oulad")])
    assert result.exit_code == 0, result.output
    rules, both = pl.read_csv(tmp_path / "rules.csv"), pl.read_csv(tmp_path / "both.csv")
    assert both.columns == [*rules.columns, "score", "top_features"]
    assert both.select(rules.columns).equals(rules)  # the score never changes the rules
    assert both["score"].is_between(0, 1).all()


def test_collab_gives_the_contract_columns_groups_and_edges(
        tmp_path: Path, full_sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    db = ["--db", str(full_sample_warehouse)]
    result = runner.invoke(app, [*db, "collab", "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.output
    students = pl.read_csv(tmp_path / "s.csv")
    assert students.columns[:10] == ["student", "group", "posts", "replies_sent",
                                     "replies_received", "partners", "in_degree", "out_degree",
                                     "betweenness", "isolated"]
    assert students.height == 20 and students["isolated"].sum() == 2  # users 110 and 116
    groups = runner.invoke(app, [*db, "collab", "--groups"])
    assert set(pl.read_csv(io.StringIO(groups.stdout))["group"]) == {"A", "B", "C", "D", "all"}
    window = runner.invoke(app, [*db, "collab", "--group", "A", "--from", "2026-10-05",
                                 "--to", "2026-12-18"])
    assert set(pl.read_csv(io.StringIO(window.stdout))["group"]) == {"A"}
    edges = runner.invoke(app, [*db, "collab", "--edges"])
    assert pl.read_csv(io.StringIO(edges.stdout)).columns[:3] == ["source", "target", "weight"]
    bad = runner.invoke(app, [*db, "collab", "--from", "yesterday"])
    assert bad.exit_code != 0


def test_the_command_builds_no_iri_grammar_and_notebooks_still_validate():
    """`m2if` leaves out rfc3987_syntax (a second of lark at import): in such a process
    nbformat still reads and validates a notebook, jsonschema still checks formats, and
    lark was never imported."""
    code = (
        "import sys\n"
        "from m2if_analytics.cli.base import skip_unused_iri_grammar\n"
        "skip_unused_iri_grammar()\n"
        "import jsonschema, nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
        "nbformat.validate(nbformat.reads(nbformat.writes(nb), as_version=4))\n"
        "checker = jsonschema.FormatChecker()\n"
        "assert not checker.conforms('no-at-sign', 'email')\n"
        "print('lark' in sys.modules, 'iri' in checker.checkers)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
