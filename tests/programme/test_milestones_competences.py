"""The mémoire's milestones and the competence sets, computed by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from m2if_analytics.ingest.programme import (
    ingest_deadlines,
    ingest_milestones,
    ingest_submissions,
)
from m2if_analytics.programme.competences import competence_sets
from m2if_analytics.programme.milestones import milestones, status
from tests.programme.cohorts import BASE, grades, open_ws, write

MILESTONES = """
[[milestones]]
id = "lettre"
title = "Lettre de mission"
assignment = "Lettre de mission"
[[milestones]]
id = "depot"
title = "Dépôt du mémoire"
due = "06-26"
[[milestones]]
id = "soutenance"
title = "Soutenance"
due = 2027-07-01
"""


def test_status_rules():
    due = dt.date(2027, 6, 26)
    assert status(dt.date(2027, 6, 26), due, dt.date(2027, 7, 1)) == "done"  # on the day
    assert status(dt.date(2027, 6, 27), due, dt.date(2027, 7, 1)) == "late"
    assert status(dt.date(2027, 6, 27), due, dt.date(2027, 6, 26)) == "not_due"  # not yet
    assert status(None, due, dt.date(2027, 6, 27)) == "missing"
    assert status(None, None, dt.date(2027, 6, 27)) == "no_due"


def test_milestones_from_deadlines_and_a_file(tmp_path: Path):
    """lettre: due 22/11 23:59 (Paris); 101 submits on time, 102 on 25/11 (late), 103 never.
    depot: due 26/06 (the month-day in the 2026-2027 year); 101 on 24/06, 102 on 29/06.
    soutenance: due 01/07, nobody yet."""
    ws = open_ws(tmp_path, BASE + MILESTONES)
    ingest_deadlines(ws.con, write(tmp_path, "d.csv", "ue,assignment,due\n"
                                   "UE6,Lettre de mission,2026-11-22 23:59\n"), ws.cfg, ws.pseudo)
    ingest_submissions(ws.con, write(tmp_path, "s.csv", "user_id,assignment,submitted_at\n"
                                     "101,Lettre de mission,2026-11-20 10:00\n"
                                     "102,lettre de mission,2026-11-25 09:00\n"), ws.cfg,
                       ws.pseudo)
    account = ingest_milestones(ws.con, write(tmp_path, "m.csv", "user_id,jalon,fait le\n"
                                              "101,depot,2027-06-24\n"
                                              "102,Dépôt du mémoire,29/06/2027\n"
                                              "103,viva,2027-06-30\n"), ws.cfg, ws.pseudo)
    assert (account.loaded, account.quarantined) == (2, 1)
    june = milestones(ws, as_of=dt.date(2027, 6, 27))
    got = {(u, r["milestone"]): (r["status"], r["done_on"]) for u, rs in
           _rows(ws, june).items() for r in rs}
    assert got[(101, "lettre")] == ("done", dt.date(2026, 11, 20))
    assert got[(102, "lettre")] == ("late", dt.date(2026, 11, 25))
    assert got[(103, "lettre")] == ("missing", None)
    assert got[(101, "depot")] == ("done", dt.date(2027, 6, 24))
    assert got[(102, "depot")][0] == "missing"  # its day (29/06) is after the 27th
    assert got[(101, "soutenance")] == ("not_due", None)
    july = {(u, r["milestone"]): r["status"] for u, rs in
            _rows(ws, milestones(ws, as_of=dt.date(2027, 7, 2))).items() for r in rs}
    assert (july[(102, "depot")], july[(101, "soutenance")]) == ("late", "missing")
    assert set(june["due"].to_list()) == {dt.date(2026, 11, 22), dt.date(2027, 6, 26),
                                          dt.date(2027, 7, 1)}
    ws.close()


def _rows(ws, table) -> dict[int, list[dict]]:
    return by_student_rows(ws, table)


def by_student_ids(ws) -> dict[int, str]:
    from tests.programme.cohorts import student

    return {u: student(ws, u) for u in (101, 102, 103, 104)}


COMPETENCES = """
[[units]]
code = "A"
title = "A"
semester = 1
coefficient = 2
competences = ["C1"]
[[units]]
code = "B"
title = "B"
semester = 1
competences = ["C1", "C2"]
[[units]]
code = "C"
title = "C"
semester = 1
competences = ["C2"]
"""


def test_competence_sets_mean_and_coverage(tmp_path: Path):
    """C1 = A (coef 2) and B (1): (2 × 12 + 8) / 3; both graded. C2 = B and C (1 each):
    only B graded → mean 8, coverage 1/2."""
    ws = open_ws(tmp_path, BASE + COMPETENCES)
    grades(ws, tmp_path, ["101,A,x,12,20,1,", "101,B,x,8,20,1,"])
    table = by_student_rows(ws, competence_sets(ws))[101]
    assert [r["competence"] for r in table] == ["C1", "C2"]
    assert (table[0]["mean"], table[0]["coverage"], table[0]["ues"]) == (
        pytest.approx(32 / 3), 1.0, ["A", "B"])
    assert (table[1]["mean"], table[1]["coverage"]) == (pytest.approx(8.0), 0.5)
    nothing = by_student_rows(ws, competence_sets(ws))[102]
    assert [(r["mean"], r["coverage"]) for r in nothing] == [(None, 0.0), (None, 0.0)]
    ws.close()


def by_student_rows(ws, table) -> dict[int, list[dict]]:
    ids = {s: u for u, s in by_student_ids(ws).items()}
    out: dict[int, list[dict]] = {}
    for r in table.iter_rows(named=True):
        out.setdefault(ids[r["student"]], []).append(r)
    return out

