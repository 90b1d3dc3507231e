"""Weekly engagement as given/expected cases (README: "The weekly engagement table").

Each folder of ``tests/sql_cases/`` is one case, in the style of dbt unit tests:

* ``given.csv`` — ``user,local_time[,id]``: one logstore event per row, its time as local
  Europe/Paris wall time (ISO; an explicit offset such as ``+01:00`` picks one side of the
  repeated October hour; without one the first occurrence is meant). ``id`` is the logstore
  row id (default: the row's number), so an exact duplicate row repeats its id.
* ``expected.csv`` — ``user,week_start,hours,...``: the rows of the weekly table the case is
  about, selected by (user id → pseudonym, week_start). Every other column present is compared;
  ``hours`` may be written as a fraction of seconds (``1860/3600``) and is compared to 1e-9.
* ``README.md`` — the hand computation of every expected number.
* ``case.toml`` (optional) — ``exact_users = true``: the expected rows are *all* the rows of
  the users they name; ``absent_users = [...]``: ids that must have no row at all;
  ``given_from = "other_case"``: reuse that case's given.csv; ``[account]``: the expected
  IngestAccount of the dump (read, loaded, duplicates, quarantined); ``[config.<section>]``:
  configuration keys that replace the test configuration's (``[[config.cohorts]]``
  replaces the cohorts); ``alone = true``: an expectation depends on the warehouse's other
  events (the week of its latest event), so the case is never loaded beside others;
  ``roster.csv`` next to it (a
  ``user_id,full_name,role`` roster) is ingested first.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import tomllib
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from m2if_analytics.config import Config, config_from_dict
from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import LOGSTORE_HEADER, REPO, logstore_row, write_dump

CASES = REPO / "tests" / "sql_cases"
PARIS = ZoneInfo("Europe/Paris")
DUMP_HEADER = LOGSTORE_HEADER
INT_COLUMNS = {"sessions", "active_days", "events"}
FLOAT_COLUMNS = {"target_hours"}
BOOL_COLUMNS = {"below_target", "in_progress", "holiday"}


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.csv").is_file())


def parse_local(text: str) -> dt.datetime:
    """ISO local wall time in Europe/Paris (or with an explicit offset) → aware datetime."""
    when = dt.datetime.fromisoformat(text.strip())
    return when if when.tzinfo is not None else when.replace(tzinfo=PARIS)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines))


def given_rows(path: Path, user_offset: int = 0) -> list[list[str]]:
    out = []
    for n, rec in enumerate(read_csv_rows(path), start=1):
        out.append(logstore_row(rec.get("id") or n, int(rec["user"]) + user_offset,
                                parse_local(rec["local_time"])))
    return out


def typed(column: str, text: str) -> Any:
    text = text.strip()
    if column == "week_start":
        return dt.date.fromisoformat(text)
    if column == "hours":
        return float(Fraction(text))
    if column in INT_COLUMNS:
        return int(text)
    if column in FLOAT_COLUMNS:
        return float(text)
    if column in BOOL_COLUMNS:
        assert text in ("true", "false"), f"{column}: write true or false, not {text!r}"
        return text == "true"
    return text


def case_config(base: Config, overrides: dict[str, dict[str, Any]]) -> Config:
    """The test configuration with some section keys replaced (validated like a TOML file)."""
    data: dict[str, Any] = {
        "programme": asdict(base.programme),
        "time_on_task": asdict(base.time_on_task),
        "ingest": asdict(base.ingest),
        "cohorts": [asdict(c) for c in base.cohorts],
    }
    for section, values in overrides.items():
        if isinstance(values, list):  # [[config.cohorts]] replaces the cohorts
            data[section] = values
        else:
            data[section] = {**data.get(section, {}), **values}
    return config_from_dict(data, source="case.toml")


def pseudonym_of(ws: Workspace, user: int | str) -> str:
    ident = ws.pseudo.id_ident(str(user))
    assert ident is not None
    return pseudonym(ident)


@pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
@pytest.mark.parametrize("case", case_names())
def test_weekly_table_matches_hand_computed_case(case: str, ws: Workspace,
                                                 tmp_path: Path) -> None:
    check_case(case, ws, tmp_path)


def case_meta(case: str) -> dict[str, Any]:
    """The case's ``case.toml`` (empty when it has none)."""
    path = CASES / case / "case.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def shares_a_warehouse(case: str) -> bool:
    """Whether the case can be loaded beside others in one warehouse (tests/engines/
    test_spark.py runs those together): the test configuration as it is, no roster, and no
    expectation that depends on the warehouse's other events (the exact weeks of a user, an
    absent user, the week in progress: ``alone = true``) beyond the LATEST_EVENT_COLUMNS."""
    meta = case_meta(case)
    return not ((CASES / case / "roster.csv").is_file() or "config" in meta
                or meta.get("exact_users") or meta.get("absent_users") or meta.get("alone"))


def load_case(case: str, ws: Workspace, tmp_path: Path, user_offset: int = 0) -> Config:
    """Ingest the case's roster and dump into ``ws`` (user ids shifted by ``user_offset``),
    check the dump's account, and return the case's configuration."""
    folder = CASES / case
    meta = case_meta(case)
    assert (folder / "README.md").is_file(), f"{case}: write the hand computation in README.md"
    given = CASES / meta["given_from"] / "given.csv" if "given_from" in meta else (
        folder / "given.csv")
    cfg = case_config(ws.cfg, meta.get("config", {}))

    if (folder / "roster.csv").is_file():
        assert not user_offset, f"{case}: a roster case is loaded alone"
        ingest_roster_file(ws.con, folder / "roster.csv", cfg, ws.pseudo)
    rows = given_rows(given, user_offset)
    dump = write_dump(tmp_path / f"logstore-{case}.csv", rows)
    account = ingest_moodle_file(ws.con, dump, cfg, ws.pseudo)
    if "account" in meta:
        assert (account.read, account.loaded, account.duplicates, account.quarantined) == (
            meta["account"]["read"], meta["account"]["loaded"],
            meta["account"]["duplicates"], meta["account"]["quarantined"]), account
    return cfg


def check_case(case: str, ws: Workspace, tmp_path: Path,
               engine: str = "duckdb") -> tuple[Config, pl.DataFrame]:
    """Load the case into the empty warehouse ``ws``, compare the weekly table that ``engine``
    computes with the hand-computed rows, and return the case's config and that table
    (tests/engines/test_spark.py reuses it)."""
    cfg = load_case(case, ws, tmp_path)
    table = weekly_engagement(dataclasses.replace(ws, cfg=cfg), engine=engine)
    check_expected(case, ws, table)
    return cfg, table


# Columns that depend on the warehouse's latest event (the week holding it is in progress, so
# not below target): a case loaded beside others is not checked on them.
LATEST_EVENT_COLUMNS = ("in_progress", "below_target")


def check_expected(case: str, ws: Workspace, table: pl.DataFrame, user_offset: int = 0,
                   unchecked: tuple[str, ...] = ()) -> None:
    """The weekly ``table`` has the case's hand-computed rows for its users (ids shifted by
    ``user_offset``, as loaded), except in the ``unchecked`` columns."""
    meta = case_meta(case)
    expected = read_csv_rows(CASES / case / "expected.csv")
    assert expected, f"{case}: expected.csv has no rows"
    columns = [c for c in expected[0] if c not in ("user", *unchecked)]
    assert "week_start" in columns
    by_user: dict[str, list[dict[str, Any]]] = {}
    for rec in expected:
        by_user.setdefault(rec["user"], []).append(
            {c: typed(c, rec[c]) for c in columns})

    for user, rows in by_user.items():
        person = pseudonym_of(ws, int(user) + user_offset)
        got = table.filter(pl.col("student") == person)
        assert got.height > 0, f"{case}, user {user}: no row at all in the weekly table"
        if meta.get("exact_users"):
            assert got["week_start"].to_list() == [r["week_start"] for r in rows], (
                f"user {user}: the weeks of the table are not exactly the expected ones")
        for want in rows:
            match = got.filter(pl.col("week_start") == want["week_start"])
            assert match.height == 1, f"user {user}: {match.height} rows for {want['week_start']}"
            have = match.row(0, named=True)
            for column, value in want.items():
                if column == "hours":
                    assert have[column] == pytest.approx(value, abs=1e-9), (case, user, want)
                else:
                    assert have[column] == value, (case, user, want["week_start"], column)

    for user in meta.get("absent_users", []):
        assert table.filter(pl.col("student") == pseudonym_of(ws, user)).height == 0, (
            f"user {user} should not be in the weekly table")


def test_every_case_folder_is_complete() -> None:
    """A case without expected.csv would silently not run."""
    for folder in CASES.iterdir():
        if folder.is_dir():
            assert (folder / "expected.csv").is_file(), f"{folder.name}: no expected.csv"
            assert (folder / "README.md").is_file(), f"{folder.name}: no README.md"
    assert len(case_names()) >= 13
