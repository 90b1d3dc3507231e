"""Internship pace and mission letters on hand-made cohorts, hand-computed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from m2if_analytics.ingest.programme import ingest_internship
from m2if_analytics.programme import indicators as ind
from tests.programme.cohorts import BASE, by_student, open_ws, write

SHORT = """
[programme]
internship_min_days = 10
[risk]
internship_pace_ratio = 0.8
[ingest]
latest = 2027-12-31
[[cohorts]]
id = "short"
start = 2026-10-05
end = 2026-10-14
mission_letter_deadline = 2026-10-09
"""


def test_internship_pace_and_mission_letter(tmp_path: Path):
    ws = open_ws(tmp_path, SHORT)
    days = ["user_id,date,half_days"]
    days += [f"101,2026-10-0{d},2" for d in (5, 6, 7, 8)]           # 4 days by the 9th
    days += [f"102,2026-10-0{d},2" for d in (5, 6, 7)] + ["102,2026-10-08,1"]  # 3.5
    days += ["101,2026-10-12,2"]                                    # after as_of
    ingest_internship(ws.con, write(tmp_path, "i.csv", "\n".join(days) + "\n"), ws.cfg,
                      ws.pseudo)
    ingest_internship(ws.con, write(tmp_path, "m.csv", "user_id,validated_on\n"
                                    "101,2026-10-09\n102,2026-10-12\n"), ws.cfg, ws.pseudo)
    on_9th = by_student(ws, ind.internship_pace(ws, as_of=dt.date(2026, 10, 9)))
    # from each student's first day (the 5th): 10 days × 5/10 of the calendar elapsed = 5;
    # behind below 0.8 × 5 = 4. No day and no start: nothing expected yet (own reason later)
    assert {u: (r["days_done"], r["expected_days"], r["behind"]) for u, r in on_9th.items()} == {
        101: (4.0, 5.0, False), 102: (3.5, 5.0, True), 103: (0.0, 0.0, False),
        104: (0.0, 0.0, False)}
    assert not any(r["no_internship"] for r in on_9th.values())
    assert on_9th[101]["mission_letter_on"] == dt.date(2026, 10, 9)
    assert not any(r["mission_letter_late"] for r in on_9th.values())  # the deadline's day
    on_10th = by_student(ws, ind.internship_pace(ws, as_of=dt.date(2026, 10, 10)))
    assert {u: (r["mission_letter_on"], r["mission_letter_late"])
            for u, r in on_10th.items()} == {101: (dt.date(2026, 10, 9), False),
                                            102: (None, True), 103: (None, True),
                                            104: (None, True)}
    assert on_10th[101]["mission_letter_deadline"] == dt.date(2026, 10, 9)
    on_12th = by_student(ws, ind.internship_pace(ws, as_of=dt.date(2026, 10, 12)))
    assert (on_12th[102]["mission_letter_on"], on_12th[102]["mission_letter_late"]) == (
        dt.date(2026, 10, 12), False)
    assert on_12th[101]["days_done"] == 5.0
    before = ind.internship_pace(ws, as_of=dt.date(2026, 10, 1))
    after = ind.internship_pace(ws, as_of=dt.date(2027, 1, 1))
    assert before["expected_days"].to_list() == [0.0] * 4 and not before["behind"].any()
    later = by_student(ws, after)
    assert {u: r["expected_days"] for u, r in later.items()} == {101: 10.0, 102: 10.0,
                                                                 103: 0.0, 104: 0.0}
    # 12 weeks (the default grace) after the year's start, still no day: its own flag
    assert {u for u, r in later.items() if r["no_internship"]} == {103, 104}
    ws.close()


def test_internship_pace_starts_at_its_start_and_follows_the_agreed_rhythm(tmp_path: Path):
    """Year 2026-10-05 → 2027-07-02, 100 days. 101: starts 2027-02-01 at 2 days a week
    (mission letter); by Sunday 14/02, 2 whole weeks → 4 days expected, 3 done < 0.8 × 4:
    behind. 102: starts 01/02 without a rhythm: 100 × 14/152 days = 9.2 → 9 whole days
    expected. 103: no day and no start: nothing expected, but 12 weeks into the year (from
    28/12) its own flag."""
    ws = open_ws(tmp_path, BASE)
    ingest_internship(ws.con, write(tmp_path, "m.csv",
                                    "user_id,validated_on,debut du stage,jours par semaine\n"
                                    "101,2027-01-20,2027-02-01,2\n102,2027-01-20,01/02/2027,\n"),
                      ws.cfg, ws.pseudo)
    ingest_internship(ws.con, write(tmp_path, "i.csv", "user_id,date,days\n"
                                    "101,2027-02-01,1\n101,2027-02-02,1\n101,2027-02-08,1\n"),
                      ws.cfg, ws.pseudo)
    feb = by_student(ws, ind.internship_pace(ws, as_of=dt.date(2027, 2, 14)))
    assert (feb[101]["expected_days"], feb[101]["days_done"], feb[101]["behind"]) == (
        4.0, 3.0, True)
    assert (feb[101]["internship_start"], feb[101]["days_per_week"]) == (
        dt.date(2027, 2, 1), 2.0)
    assert (feb[102]["expected_days"], feb[102]["behind"]) == (9.0, True)
    assert (feb[103]["expected_days"], feb[103]["behind"], feb[103]["no_internship"]) == (
        0.0, False, True)
    january = by_student(ws, ind.internship_pace(ws, as_of=dt.date(2027, 1, 31)))
    assert (january[101]["expected_days"], january[101]["no_internship"]) == (0.0, False)
    december = by_student(ws, ind.internship_pace(ws, as_of=dt.date(2026, 12, 27)))
    assert not december[103]["no_internship"]
    assert by_student(ws, ind.internship_pace(ws, as_of=dt.date(2026, 12, 28)))[103][
        "no_internship"]
    july = by_student(ws, ind.internship_pace(ws, as_of=dt.date(2027, 7, 2)))
    assert july[101]["expected_days"] == 42.0  # 21 whole weeks × 2, under the 100 minimum
    ws.close()
