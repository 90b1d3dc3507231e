"""Small hand-made cohorts for the programme indicator tests: a configuration, a roster of
four students and a teacher, grades written as CSV lines, rows keyed by user id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from m2if_analytics.ingest.programme import ingest_grades
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.ingest.test_programme import student, write

__all__ = ["BASE", "ROSTER", "UTC", "by_student", "every_ue", "grades", "open_ws", "student",
           "write"]

UTC = dt.UTC
ROSTER = ("user_id,full_name,role\n101,Jeanne Martin,student\n102,Paul Durand,student\n"
          "103,Nadia Benali,student\n104,Louis Morel,student\n201,Claire Petit,teacher\n")
BASE = """
[programme]
timezone = "Europe/Paris"
pass_mark = 10
[ingest]
latest = 2027-12-31
[[cohorts]]
id = "2026-2027"
start = 2026-10-05
end = 2027-07-02
holidays = [[2026-12-19, 2027-01-03]]
"""


def open_ws(tmp_path: Path, toml: str = BASE, roster: str = ROSTER) -> Workspace:
    path = tmp_path / "m2if.toml"
    path.write_text(toml, encoding="utf-8")
    ws = open_workspace(tmp_path / "w.duckdb", path)
    ingest_roster_file(ws.con, write(tmp_path, "roster.csv", roster), ws.cfg, ws.pseudo)
    return ws


def grades(ws: Workspace, tmp_path: Path, lines: list[str], name: str = "g.csv") -> None:
    text = "user_id,ue,assessment,grade,scale,weight,date\n" + "\n".join(lines) + "\n"
    account = ingest_grades(ws.con, write(tmp_path, name, text), ws.cfg, ws.pseudo)
    assert account.quarantined == 0


def every_ue(user: int, values: list[float]) -> list[str]:
    return [f"{user},UE{i},Final,{v},20,1," for i, v in enumerate(values, start=1)]


def by_student(ws: Workspace, table: pl.DataFrame) -> dict[int, dict]:
    ids = {student(ws, u): u for u in (101, 102, 103, 104)}
    return {ids[r["student"]]: r for r in table.iter_rows(named=True)}
