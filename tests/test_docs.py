"""Docs that cannot rot: every command has help with an example and a README entry;
every SQL file has a header stating its grain and parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.warehouse.sql import queries_dir, read_sql

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, ...]] = []

    def walk(cmd: object, path: tuple[str, ...]) -> None:
        if hasattr(cmd, "commands"):  # a group (typer vendors its own click)
            for name, sub in cmd.commands.items():
                walk(sub, (*path, name))
        else:
            out.append(path)

    walk(root, ())
    return out


def test_cli_has_the_design_commands():
    assert {("ingest", "moodle"), ("ingest", "roster"), ("weekly",), ("demo",)} <= set(
        commands())


@pytest.mark.parametrize("path", commands(), ids=" ".join)
def test_every_command_has_help_with_an_example_and_a_readme_entry(path: tuple[str, ...]):
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "Example: m2if " + " ".join(path) in result.output
    assert f"m2if {' '.join(path)}" in README, f"README does not document m2if {' '.join(path)}"


SQL_FILES = sorted(queries_dir().rglob("*.sql"))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(queries_dir())))
def test_every_sql_file_states_what_it_builds_its_grain_and_parameters(path: Path):
    sql = read_sql(path)
    assert sql.header, f"{path.name} has no header comment"
    assert re.search(r"^Grain:", sql.header, re.M), f"{path.name}: header lacks 'Grain:'"
    assert "Parameters" in sql.header, f"{path.name}: header lacks 'Parameters'"
    for param in sql.params:
        assert f"${param}" in sql.header, f"{path.name}: ${param} not documented in the header"


def test_readme_quick_start_is_exactly_two_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", quick, re.S)
    assert block is not None
    assert [ln for ln in block.group(1).splitlines() if ln.strip()] == ["make demo", "make test"]


def test_readme_pictures_and_local_links_exist_and_every_report_has_a_screenshot():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    links = re.findall(r"(?<!!)\[[^\]]*\]\(((?!https?:|#)[^)]+)\)", README)
    for target in [*pictures, *links]:
        assert (REPO / target).exists(), target
    from m2if_analytics.reports.render import REPORTS

    shown = {Path(p).stem for p in pictures}
    assert set(REPORTS) <= shown, set(REPORTS) - shown


def test_readme_tour_names_every_notebook():
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        assert f"`{notebook.name}`" in README, notebook.name
