"""The read-only user's GRANTs: the README shows exactly what `m2if pull grants` prints, and
they cover every column the pull's queries read (the pull tests run them on real servers)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.pull.grants import COLUMNS, script
from m2if_analytics.pull.moodle_sql import TABLES
from m2if_analytics.warehouse.sql import queries_dir
from tests.conftest import REPO

runner = CliRunner()


def _sql_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Connecting to Moodle", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_the_readme_shows_the_grants_the_command_prints():
    pg, my = _sql_blocks()
    assert pg == script("postgresql")
    assert my == script("mysql", host="analytics.example.org")
    result = runner.invoke(app, ["pull", "grants", "--dialect", "mysql", "--host",
                                 "analytics.example.org"])
    assert result.exit_code == 0 and result.stdout == my


def test_every_column_a_pull_query_names_is_granted_and_nothing_private_is():
    granted = {c for cols in COLUMNS.values() for c in cols}
    assert set(COLUMNS) == set(TABLES)
    for path in sorted((queries_dir() / "pull").glob("moodle_*.sql")):
        body = "\n".join(line for line in path.read_text().splitlines()
                         if not line.startswith("--"))
        for alias, column in re.findall(r"\b([a-z]{1,3})\.([a-z_0-9]+)\b", body):
            assert column in granted, (path.name, alias, column)
    private = {"ip", "other", "realuserid", "message", "subject", "password", "username"}
    assert not granted & private


def test_grants_refuse_names_that_would_inject_sql():
    result = runner.invoke(app, ["pull", "grants", "--user", "x; DROP TABLE mdl_user"])
    assert result.exit_code != 0 and "letters, digits and underscores" in result.output
