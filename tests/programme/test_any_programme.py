"""Another programme than the M2 IF: semesters labelled 1 and 2, a 10 h weekly target. The
sample cohort goes through ingestion, the weekly table, the risk rules, validation and the
cohort overview without any M2 IF assumption."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.config import DEFAULT_UNITS
from tests.conftest import build_sample, sample_config_without_units

runner = CliRunner()


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("programme")
    units = "".join(
        f'\n[[units]]\ncode = "{u.code}"\ntitle = "{u.title}"\n'
        f'semester = {1 if u.semester == "3" else 2}\nweight = {u.coefficient}\n'
        for u in DEFAULT_UNITS)
    config = folder / "m2if.toml"
    config.write_text(sample_config_without_units()
                      + "\n[programme]\nweekly_target_hours = 10\n" + units, encoding="utf-8")
    db = folder / "w.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("tests.conftest.SAMPLE_CONFIG", config)
        build_sample(db, programme_tables=True)
    return db, config


def cli(programme: tuple[Path, Path], *args: str):
    db, config = programme
    result = runner.invoke(app, ["--db", str(db), "--config", str(config), *args],
                           env={"M2IF_PSEUDONYM_KEY": "sample-key"})
    assert result.exit_code == 0, result.output
    return result


def test_semesters_1_and_2_and_a_10_hour_target_run_end_to_end(
        programme: tuple[Path, Path], tmp_path: Path):
    weekly = cli(programme, "weekly", "--cohort", "2025-2026", "--out",
                 str(tmp_path / "w.csv"))
    del weekly
    table = pl.read_csv(tmp_path / "w.csv")
    teaching = table.filter(~pl.col("holiday"))
    assert set(teaching["target_hours"].unique()) == {10.0}
    assert (teaching["below_target"] == (teaching["hours"] < 10)).all()
    cli(programme, "risk", "--cohort", "2025-2026", "--out", str(tmp_path / "r.csv"))
    assert pl.read_csv(tmp_path / "r.csv").height == 20
    cli(programme, "validation", "--cohort", "2025-2026", "--by", "semester", "--out",
        str(tmp_path / "s.csv"))
    semesters = pl.read_csv(tmp_path / "s.csv", schema_overrides={"semester": pl.String})
    assert semesters["semester"].unique(maintain_order=True).to_list() == ["1", "2"]
    cli(programme, "validation", "--cohort", "2025-2026", "--out", str(tmp_path / "v.csv"))
    per_ue = pl.read_csv(tmp_path / "v.csv", schema_overrides={"semester": pl.String})
    assert per_ue.height == 20 * 8 and set(per_ue["status"]) <= {
        "validated", "not_validated", "secured", "needed", "out_of_reach", "not_graded"}
    result = cli(programme, "report", "cohort", "--cohort", "2025-2026", "--out",
                 str(tmp_path / "reports"))
    [page] = (tmp_path / "reports").glob("*.html")
    assert "(S1)" in page.read_text(encoding="utf-8") and result.exit_code == 0
