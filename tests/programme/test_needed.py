"""Semesters of any label and the marks still needed, hand-computed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from m2if_analytics.programme import indicators as ind
from tests.programme.cohorts import BASE, by_student, grades, open_ws, student


def test_any_semester_labels_and_a_blocking_ue_say_why_a_semester_is_not_validated(
        tmp_path: Path):
    units = """
[[units]]
code = "A"
title = "A"
semester = 1
weight = 2
[[units]]
code = "B"
title = "B"
semester = 1
[[units]]
code = "C"
title = "C"
semester = "Semestre 2"
coefficient = 3
"""
    ws = open_ws(tmp_path, BASE + units)
    grades(ws, tmp_path, ["101,A,x,14,20,1,", "101,B,x,8,20,1,", "102,A,x,12,20,1,",
                          "102,B,x,11,20,1,", "102,C,x,16,20,1,"])
    year = by_student(ws, ind.year_validation(ws))
    assert year[101]["s1_mean"] == pytest.approx((2 * 14 + 8) / 3)  # 12: mean above 10 ...
    assert year[101]["semestre_2_mean"] is None
    semesters = ind.semester_results(ws)
    first = semesters.filter(pl.col("student") == student(ws, 101)).row(0, named=True)
    assert (first["semester"], first["status"], first["blocking_ues"]) == (
        "1", "not_validated", ["B"])  # ... yet B at 8 blocks it: no compensation
    second = semesters.filter(pl.col("student") == student(ws, 101)).row(1, named=True)
    assert (second["semester"], second["status"], second["mean"]) == (
        "Semestre 2", "not_yet", None)
    done = semesters.filter(pl.col("student") == student(ws, 102))
    assert done["status"].to_list() == ["validated", "validated"]
    assert done["mean"].to_list() == pytest.approx([(2 * 12 + 11) / 3, 16.0])
    assert year[102]["year_mean"] == pytest.approx((24 + 11 + 48) / 6)
    ws.close()


PLANNED = """
[[units]]
code = "A"
title = "A"
semester = 1
coefficient = 2
assessments = [{ name = "Dossier", weight = 3 }, { name = "Oral", weight = 1 }]
[[units]]
code = "B"
title = "B"
semester = 1
"""


def test_needed_marks_by_hand(tmp_path: Path):
    """A: planned Dossier (3) and Oral (1). 101: Dossier 4/20 → (10 × 4 − 12) / 1 = 28: out
    of reach. 102: Dossier 12/20 → (40 − 36) / 1 = 4. 103: Dossier 16 → secured (0).
    B: no plan, the file's weights are shares: 101 6/20 on 0.5 → 14 on the other half;
    102 weights 0.5 + 0.5 → fully graded, 9 and 10 → 9.5 not validated."""
    from m2if_analytics.programme.needed import semester_needs, validation

    ws = open_ws(tmp_path, BASE + PLANNED)
    grades(ws, tmp_path, ["101,A,Dossier,4,20,1,", "102,A,dossier ,12,20,1,",
                          "103,A,DOSSIER,16,20,1,", "101,B,Partiel,6,20,0.5,",
                          "102,B,P1,9,20,0.5,", "102,B,P2,10,20,0.5,"])
    table = validation(ws)
    got = {(r["student"], r["ue"]): r for r in table.iter_rows(named=True)}
    s = {n: student(ws, n) for n in (101, 102, 103, 104)}
    a101, a102, a103 = (got[(s[n], "A")] for n in (101, 102, 103))
    assert (a101["needed"], a101["status"]) == (pytest.approx(28.0), "out_of_reach")
    assert (a101["mean"], a101["graded_share"], a101["remaining_share"]) == (
        pytest.approx(4.0), pytest.approx(0.75), pytest.approx(0.25))
    assert (a102["needed"], a102["status"]) == (pytest.approx(4.0), "needed")
    assert (a103["needed"], a103["status"]) == (0.0, "secured")
    assert (got[(s[101], "B")]["needed"], got[(s[101], "B")]["status"]) == (
        pytest.approx(14.0), "needed")
    b102 = got[(s[102], "B")]
    assert (b102["mean"], b102["needed"], b102["status"]) == (
        pytest.approx(9.5), None, "not_validated")
    nothing = got[(s[104], "A")]
    assert (nothing["status"], nothing["needed"], nothing["mean"]) == ("not_graded", 10.0,
                                                                      None)
    # the semester of 102: A so far 12 on 3/4 (points 36 of 4), B complete at 9.5
    # mean = (2 × (36 + x) / 4 + 9.5) / 3 → x = (3T − 9.5) × 2 − 36
    sem = semester_needs(ws).filter(pl.col("student") == s[102]).row(0, named=True)
    assert sem["needed_pass"] == pytest.approx((3 * 10 - 9.5) * 2 - 36)  # 5
    assert sem["needed_assez_bien"] == pytest.approx((3 * 12 - 9.5) * 2 - 36)  # 17
    assert sem["needed_bien"] == pytest.approx((3 * 14 - 9.5) * 2 - 36)  # 29: out of reach
    assert sem["remaining_share"] == pytest.approx(2 * 0.25 / 3)
    ws.close()
