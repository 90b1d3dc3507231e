"""Programme indicators on hand-made cohorts with hand-computed expectations, and the planted
facts of the sample cohort."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics import api
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import (
    ingest_deadlines,
    ingest_internship,
    ingest_submissions,
)
from m2if_analytics.programme import indicators as ind
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import local, logstore_row, write_dump
from tests.ingest.test_moodle import EN_HEADER, FR_HEADER, ROWS, write_download
from tests.programme.cohorts import (
    BASE,
    UTC,
    by_student,
    every_ue,
    grades,
    open_ws,
    student,
    write,
)

# --- grades -----------------------------------------------------------------------------

def test_ue_mean_weights_assessments_and_converts_scales(pws: Workspace, tmp_path: Path):
    grades(pws, tmp_path, ["101,UE1,Dossier,14,20,2,2027-01-15",
                           "101,UE1,Test,75,100,1,2026-12-04"])  # 75/100 = 15/20
    table = ind.ue_results(pws, as_of=dt.date(2027, 7, 2))
    assert table.columns[:6] == ["student", "ue", "semester", "coefficient", "mean",
                                 "below_pass"]
    assert table.height == 4 * 8  # every student × every configured UE
    mine = table.filter(pl.col("student") == student(pws, 101))
    ue1 = mine.row(0, named=True)
    assert (ue1["ue"], ue1["semester"], ue1["coefficient"]) == ("UE1", "3", 6.0)
    assert ue1["mean"] == pytest.approx((14 * 2 + 15 * 1) / 3)
    assert ue1["below_pass"] is False and ue1["assessments"] == 2
    ue2 = mine.row(1, named=True)
    assert ue2["mean"] is None and ue2["below_pass"] is None
    assert mine["ue"].to_list() == [f"UE{i}" for i in range(1, 9)]


def test_semester_means_are_weighted_by_coefficients(tmp_path: Path):
    units = """
[[units]]
code = "A"
title = "A"
semester = 3
coefficient = 2
[[units]]
code = "B"
title = "B"
semester = 3
coefficient = 1
[[units]]
code = "C"
title = "C"
semester = 4
coefficient = 3
[[units]]
code = "D"
title = "D"
semester = 4
coefficient = 1
"""
    ws = open_ws(tmp_path, BASE + units)
    grades(ws, tmp_path, ["101,A,x,12,20,1,", "101,B,x,18,20,1,", "101,C,x,10,20,1,",
                          "101,D,x,14,20,1,"])
    row = by_student(ws, ind.year_validation(ws))[101]
    assert row["s3_mean"] == pytest.approx((2 * 12 + 1 * 18) / 3)  # 14, not 15
    assert row["s4_mean"] == pytest.approx((3 * 10 + 1 * 14) / 4)  # 11, not 12
    assert row["year_mean"] == pytest.approx((24 + 18 + 30 + 14) / 7)
    assert (row["validated"], row["blocking_ues"], row["honours"]) == (True, [], "assez bien")
    ws.close()


def test_a_9_5_in_one_ue_blocks_the_year_whatever_the_others(pws: Workspace, tmp_path: Path):
    grades(pws, tmp_path, [*every_ue(101, [20, 20, 20, 9.5, 20, 20, 20, 20]),
                           "102,UE4,Final,9.5,20,1,",
                           "103,UE1,Final,12,20,1,",
                           *every_ue(104, [10] * 8)])
    rows = by_student(pws, ind.year_validation(pws))
    top = rows[101]
    assert top["s3_mean"] == pytest.approx((4 * 6 * 20 + 6 * 9.5) / 30)  # 17.9
    assert top["year_mean"] == pytest.approx(18.95)
    assert (top["validated"], top["blocking_ues"], top["honours"]) == (False, ["UE4"], None)
    # incomplete, but the 9.5 already blocks
    assert (rows[102]["validated"], rows[102]["blocking_ues"], rows[102]["s3_mean"]) == (
        False, ["UE4"], None)
    # incomplete and nothing blocks yet
    assert (rows[103]["validated"], rows[103]["blocking_ues"], rows[103]["year_mean"]) == (
        None, [], None)
    # exactly the pass mark everywhere
    assert (rows[104]["validated"], rows[104]["honours"]) == (True, "passable")
    ue4 = ind.ue_results(pws).filter((pl.col("student") == student(pws, 101))
                                     & (pl.col("ue") == "UE4")).row(0, named=True)
    assert (ue4["mean"], ue4["below_pass"]) == (9.5, True)


def test_honours_bands_at_their_boundaries(pws: Workspace, tmp_path: Path):
    # 101: year mean exactly 12.0 from mixed UE means → assez bien
    grades(pws, tmp_path, [*every_ue(101, [11.5, 12.5, 11, 13, 12, 12, 12, 12]),
                           *every_ue(102, [11.99] * 8),
                           *every_ue(103, [14] * 8),
                           *every_ue(104, [16] * 8)])
    rows = by_student(pws, ind.year_validation(pws))
    assert rows[101]["year_mean"] == 12.0
    assert {u: r["honours"] for u, r in rows.items()} == {
        101: "assez bien", 102: "passable", 103: "bien", 104: "très bien"}


def test_grades_dated_after_as_of_do_not_count_yet(pws: Workspace, tmp_path: Path):
    grades(pws, tmp_path, ["101,UE1,Dossier,8,20,1,2027-01-15", "101,UE1,Oral,14,20,1,"])
    def ue1(day: dt.date) -> float | None:
        table = ind.ue_results(pws, as_of=day).filter(pl.col("ue") == "UE1")
        return by_student(pws, table)[101]["mean"]

    assert ue1(dt.date(2027, 1, 14)) == 14.0  # the undated grade always counts
    assert ue1(dt.date(2027, 1, 15)) == 11.0


# --- deadlines and submissions -----------------------------------------------------------

DEADLINE = "assignment,ue,due,cmid\nDossier,UE1,2026-12-13 23:59,\n"


def test_submitted_at_the_due_minute_is_on_time_and_missing_only_once_due(
        pws: Workspace, tmp_path: Path):
    ingest_deadlines(pws.con, write(tmp_path, "d.csv", DEADLINE), pws.cfg, pws.pseudo)
    ingest_submissions(pws.con, write(tmp_path, "s.csv", (
        "user_id,assignment,submitted_at\n"
        "101,Dossier,2026-12-13 23:59\n"         # the due minute itself: on time
        "102,Dossier,2026-12-13 23:59:30\n"      # 30 s after due: late
        "103,dossier,2026-12-14 00:00\n")), pws.cfg, pws.pseudo)  # folded name matches
    status = {u: (r["status"], r["late_hours"])
              for u, r in by_student(pws, ind.submission_status(
                  pws, as_of=dt.date(2026, 12, 14))).items()}
    assert status == {101: ("on_time", 0.0), 102: ("late", pytest.approx(30 / 3600)),
                      103: ("late", pytest.approx(1 / 60)), 104: ("missing", None)}
    eve = by_student(pws, ind.submission_status(pws, as_of=dt.date(2026, 12, 12)))
    assert eve[104]["status"] == "pending" and eve[101]["status"] == "pending"
    due_day = by_student(pws, ind.submission_status(pws, as_of=dt.date(2026, 12, 13)))
    assert {u: r["status"] for u, r in due_day.items()} == {
        101: "on_time", 102: "late", 103: "missing", 104: "missing"}  # 103's is not there yet
    row = due_day[101]
    assert row["due"] == dt.datetime(2026, 12, 13, 22, 59, tzinfo=UTC)
    assert (row["ue"], row["assignment"], row["source"]) == ("UE1", "Dossier", "file")
    summary = by_student(pws, ind.submission_summary(pws, as_of=dt.date(2026, 12, 14)))
    assert summary[104] == {"student": student(pws, 104), "late": 0, "missing": 1,
                            "on_time": 0, "pending": 0}
    assert summary[102]["late"] == 1


def moodle_submissions(ws: Workspace, tmp_path: Path) -> None:
    submitted = {"eventname": "\\mod_assign\\event\\assessable_submitted",
                 "component": "mod_assign", "contextlevel": 70, "contextinstanceid": 330,
                 "contextid": 1330}
    viewed = {**submitted, "eventname": "\\mod_assign\\event\\submission_status_viewed"}
    write_dump(tmp_path / "dump.csv", [
        logstore_row(1, 101, local("2026-11-20 10:00:00"), **submitted),
        logstore_row(2, 102, local("2026-11-23 09:00:00"), **submitted),
        logstore_row(3, 103, local("2026-11-21 09:00:00"), **viewed),
        logstore_row(4, 104, local("2026-11-19 09:00:00"),  # another assignment
                     **{**submitted, "contextinstanceid": 331, "contextid": 1331})])
    ingest_moodle_file(ws.con, tmp_path / "dump.csv", ws.cfg, ws.pseudo)


def test_moodle_submission_events_are_matched_to_deadlines_by_cmid(pws: Workspace,
                                                                   tmp_path: Path):
    ingest_deadlines(pws.con, write(tmp_path, "d.csv", "assignment,ue,due,cmid\n"
                                    "Lettre de mission,UE6,2026-11-22 23:59,330\n"),
                     pws.cfg, pws.pseudo)
    moodle_submissions(pws, tmp_path)
    status = by_student(pws, ind.submission_status(pws, as_of=dt.date(2026, 11, 30)))
    assert status[101]["status"] == "on_time" and status[101]["source"] == "moodle"
    assert status[101]["submitted_at"] == dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert (status[102]["status"], status[102]["late_hours"]) == (
        "late", pytest.approx(9 + 1 / 60))
    assert status[103]["status"] == "missing"  # viewing the page is not submitting
    assert status[104]["status"] == "missing"  # submitted to cmid 331, not this deadline
    assert ind.available(pws, "submissions")


def test_french_download_submissions_and_the_first_submission_wins(pws: Workspace,
                                                                   tmp_path: Path):
    ingest_deadlines(pws.con, write(tmp_path, "d.csv", "assignment,due,cmid\n"
                                    "Lettre de mission,2026-11-22 23:59,330\n"),
                     pws.cfg, pws.pseudo)
    row = ["20/11/26, 10:00", "Paul Durand", "-", "Devoir : Lettre de mission", "Devoir",
           "Un travail a été remis.", "The user with id '102' has submitted the submission "
           "with id '9' for the assignment with course module id '330'.", "web", "192.0.2.9"]
    ingest_moodle_file(pws.con, write_download(tmp_path / "fr.csv", FR_HEADER, [row],
                                               delimiter=";"), pws.cfg, pws.pseudo)
    # the same student handed a copy in by e-mail earlier; the file names the cmid
    ingest_submissions(pws.con, write(tmp_path, "s.csv", "user_id,assignment,submitted_at\n"
                                      "102,330,2026-11-19 18:00\n"), pws.cfg, pws.pseudo)
    paul = by_student(pws, ind.submission_status(pws, as_of=dt.date(2026, 11, 30)))[102]
    assert paul["submitted_at"] == dt.datetime(2026, 11, 19, 17, 0, tzinfo=UTC)
    assert (paul["status"], paul["source"]) == ("on_time", "file")
    later = by_student(pws, ind.submission_status(pws, as_of=dt.date(2026, 11, 19)))[102]
    assert later["status"] == "on_time"


# --- collective participation ------------------------------------------------------------

def forum(kind: str) -> dict[str, object]:
    return {"eventname": f"\\mod_forum\\event\\{kind}", "component": "mod_forum",
            "contextlevel": 70, "contextinstanceid": 321, "contextid": 1321}


def test_collective_weeks_count_posts_not_reading(pws: Workspace, tmp_path: Path):
    write_dump(tmp_path / "forum.csv", [
        logstore_row(1, 101, local("2026-10-06 10:00:00"), **forum("post_created")),
        logstore_row(2, 102, local("2026-10-06 11:00:00"), **forum("discussion_viewed")),
        logstore_row(3, 201, local("2026-10-13 10:00:00"), **forum("post_created")),  # teacher
        logstore_row(4, 102, local("2026-10-14 10:00:00"), **forum("discussion_viewed")),
        # Monday 00:30 in Paris is Sunday 22:30 UTC: it belongs to the local week of the 19th
        logstore_row(5, 102, local("2026-10-19 00:30:00"), **forum("discussion_created")),
        logstore_row(6, 101, local("2026-10-26 10:00:00"), **forum("post_created"))])
    ingest_moodle_file(pws.con, tmp_path / "forum.csv", pws.cfg, pws.pseudo)
    table = ind.collective_participation(pws, as_of=dt.date(2026, 10, 25))
    assert table.columns[:6] == ["student", "week_start", "forum_events", "collective_week",
                                 "silent", "holiday"]
    ids = {student(pws, u): u for u in (101, 102, 103, 104)}
    got = {(ids[r["student"]], r["week_start"].isoformat()): (
        r["forum_events"], r["collective_week"], r["silent"]) for r in table.iter_rows(named=True)}
    assert got == {
        (101, "2026-10-05"): (1, True, False), (102, "2026-10-05"): (0, True, True),
        (103, "2026-10-05"): (0, True, True), (104, "2026-10-05"): (0, True, True),
        (101, "2026-10-12"): (0, False, False), (102, "2026-10-12"): (0, False, False),
        (103, "2026-10-12"): (0, False, False), (104, "2026-10-12"): (0, False, False),
        (101, "2026-10-19"): (0, True, True), (102, "2026-10-19"): (1, True, False),
        (103, "2026-10-19"): (0, True, True), (104, "2026-10-19"): (0, True, True)}


def test_download_forum_labels_count_as_posts(tmp_path: Path):
    ws = open_ws(tmp_path, roster="full_name,role\nJeanne Élodie Martin,student\n")
    ingest_moodle_file(ws.con, write_download(tmp_path / "en.csv", EN_HEADER, ROWS), ws.cfg,
                       ws.pseudo)  # a post, a profile view and a course view on 2026-11-28
    table = ind.collective_participation(ws).filter(
        pl.col("week_start") == dt.date(2026, 11, 23))
    assert table.select("forum_events", "collective_week", "silent").rows() == [(1, True, False)]
    ws.close()


# --- pace, coverage, availability --------------------------------------------------------

def test_pace_is_the_cumulative_definition_of_the_api(pws: Workspace, tmp_path: Path):
    events = [(101, local("2026-10-06 10:00:00")), (101, local("2026-10-06 10:20:00")),
              (102, local("2026-10-14 09:00:00")), (101, local("2026-12-22 09:00:00")),
              (102, local("2027-01-05 09:00:00")), (102, local("2027-01-05 09:10:00"))]
    write_dump(tmp_path / "l.csv", [logstore_row(n, u, t) for n, (u, t) in enumerate(events, 1)])
    ingest_moodle_file(pws.con, tmp_path / "l.csv", pws.cfg, pws.pseudo)
    mine = ind.pace(pws).sort("student", "week_start")
    theirs = api.cumulative(pws).sort("student", "week_start")
    assert mine.columns[:4] == ["student", "week_start", "cumulative_hours", "pace_hours"]
    assert mine.height == theirs.height == 4 * 14
    for column in ("student", "week_start"):
        assert mine[column].to_list() == theirs[column].to_list()
    for column in ("cumulative_hours", "pace_hours"):
        assert mine[column].to_list() == pytest.approx(theirs[column].to_list())
    cut = ind.pace(pws, as_of=dt.date(2026, 10, 18))
    assert cut["week_start"].max() == dt.date(2026, 10, 12) and cut.height == 8


def test_every_frame_covers_every_student_when_there_is_no_data(pws: Workspace):
    day = dt.date(2026, 10, 20)
    assert ind.ue_results(pws, as_of=day).height == 4 * 8
    validation = ind.year_validation(pws, as_of=day)
    assert validation.height == 4 and validation["validated"].null_count() == 4
    summary = ind.submission_summary(pws, as_of=day)
    assert summary.height == 4 and summary.select("late", "missing", "on_time",
                                                  "pending").sum().row(0) == (0, 0, 0, 0)
    assert ind.submission_status(pws, as_of=day).height == 0
    assert ind.internship_pace(pws, as_of=day)["days_done"].to_list() == [0.0] * 4
    assert ind.collective_participation(pws, as_of=day).height == 4 * 3
    assert not any(ind.available(pws, c) for c in ind.CONCERNS)
    with pytest.raises(ValueError, match="unknown concern"):
        ind.available(pws, "attendance")


def test_available_says_which_data_exists(pws: Workspace, tmp_path: Path):
    grades(pws, tmp_path, ["101,UE1,Dossier,12,20,1,"])
    assert ind.available(pws, "grades") and not ind.available(pws, "internship")
    ingest_deadlines(pws.con, write(tmp_path, "d.csv", DEADLINE), pws.cfg, pws.pseudo)
    assert ind.available(pws, "deadlines")
    assert not ind.available(pws, "submissions")  # no submissions file, no cmid
    ingest_submissions(pws.con, write(tmp_path, "s.csv", "user_id,assignment,submitted_at\n"),
                       pws.cfg, pws.pseudo)
    assert ind.available(pws, "submissions")  # a (header-only) submissions file: none yet
    ingest_internship(pws.con, write(tmp_path, "m.csv", "user_id,validated_on\n104,\n"),
                      pws.cfg, pws.pseudo)
    assert ind.available(pws, "mission_letters") and not ind.available(pws, "internship")
    write_dump(tmp_path / "l.csv", [logstore_row(1, 101, local("2026-11-29 00:30:00"))])
    ingest_moodle_file(pws.con, tmp_path / "l.csv", pws.cfg, pws.pseudo)
    assert ind.available(pws, "activity") and ind.available(pws, "collective")
    assert ind.default_as_of(pws) == dt.date(2026, 11, 29)  # local date of the latest event
