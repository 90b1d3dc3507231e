"""The student profile's data (m2if_analytics.reports.student.data): hand-computed small cases, the
planted profiles of the sample cohort, and the notebook's golden numbers checked against an
independent computation from the raw sample files."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from m2if_analytics import risk
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import ingest_internship
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.programme import indicators
from m2if_analytics.reports.student import data as sp
from m2if_analytics.reports.student import figures as plots_student
from m2if_analytics.reports.student import html as student_blocks
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.collaboration.test_data import insert_posts
from tests.conftest import REPO, SAMPLE_CONFIG, SAMPLES, local, write_logstore

KEY = "sample-key"  # conftest.build_sample's key
ROSTER = ("user_id,full_name,role,group\n101,Jeanne Martin,student,A\n"
          "102,Paul Durand,student,A\n103,Nadia Benali,student,B\n201,Claire Petit,teacher,\n")
W1 = dt.date(2026, 10, 5)  # the test cohort's first week


def sample_pseudonym(user_id: int) -> str:
    """The sample's pseudonym of a user id, computed here from the key (not by the package)."""
    return "p" + hmac.new(KEY.encode(), f"id:{user_id}".encode(), hashlib.sha256).hexdigest()[:12]


@pytest.fixture
def small(ws: Workspace, tmp_path: Path) -> Workspace:
    """The test cohort with three students and a teacher (conftest's ws)."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    return ws


def me(ws: Workspace, user_id: int, week: dt.date = W1) -> sp.Scope:
    return sp.Scope("2026-2027", pseudonym(ws.pseudo.id_ident(str(user_id))), week)


# --- hand-computed small cases ------------------------------------------------------------

def test_activity_by_hour_credits_each_event_in_its_local_weekday_and_hour(
        small: Workspace, tmp_path: Path):
    events = [(101, local("2026-10-05 09:00:00")), (101, local("2026-10-05 09:10:00")),
              (101, local("2026-10-05 09:20:00")),  # 600 + 600 + 60 s, one session
              (101, local("2026-10-07 20:50:00")), (101, local("2026-10-07 21:05:00")),
              (101, local("2026-10-12 10:00:00")),  # week 2: outside the report week
              (102, local("2026-10-06 08:00:00"))]
    ingest_moodle_file(small.con, write_logstore(tmp_path / "l.csv", events), small.cfg,
                       small.pseudo)
    cells = sp.activity_by_hour(small, me(small, 101))
    got = {(r["weekday"], r["hour"]): (r["sessions"], r["hours"], r["events"])
           for r in cells.iter_rows(named=True)}
    assert got.keys() == {(1, 9), (3, 20), (3, 21)}
    assert got[(1, 9)] == (1, pytest.approx(1260 / 3600), 3)
    assert got[(3, 20)] == (1, pytest.approx(900 / 3600), 1)
    assert got[(3, 21)] == (0, pytest.approx(60 / 3600), 1)  # 21:05 → next event > 30 min
    week = sp.weekly_hours(small, me(small, 101))
    assert week["week_start"].to_list() == [W1]
    assert week["hours"][0] == pytest.approx(cells["hours"].sum())
    assert week["sessions"][0] == cells["sessions"].sum() == 2


def test_activity_by_hour_uses_paris_time_across_the_october_dst_change(
        small: Workspace, tmp_path: Path):
    events = [(101, local("2026-10-25 08:00:00")), (101, local("2026-10-26 08:00:00"))]
    ingest_moodle_file(small.con, write_logstore(tmp_path / "l.csv", events), small.cfg,
                       small.pseudo)
    cells = sp.activity_by_hour(small, me(small, 101, dt.date(2026, 10, 26)))
    assert cells.select("weekday", "hour").rows() == [(1, 8), (7, 8)]  # both 08:00 local


def test_forum_partners_count_replies_both_ways_without_self_replies(small: Workspace):
    insert_posts(small, [
        (1, 1, None, 101, "2026-10-06 10:00"),  # 101 opens a discussion
        (2, 1, 1, 102, "2026-10-06 11:00"),     # 102 → 101
        (3, 1, 2, 101, "2026-10-06 12:00"),     # 101 → 102
        (4, 1, 1, 103, "2026-10-07 09:00"),     # 103 → 101
        (5, 1, 3, 101, "2026-10-07 10:00"),     # 101 → 101: not a partnership
        (6, 1, 3, 201, "2026-10-08 10:00"),     # teacher → 101
        (7, 1, 2, 103, "2026-10-08 11:00"),     # 103 → 102: not about 101
        (8, 1, 1, 102, "2026-10-13 10:00"),     # week 2: after the report week
    ])
    scope = me(small, 101)
    table = sp.forum_partners(small, scope)
    who = {pseudonym(small.pseudo.id_ident(str(u))): u for u in (101, 102, 103, 201)}
    rows = {who[r["partner"]]: (r["role"], r["group"], r["replies_to"], r["replies_from"])
            for r in table.iter_rows(named=True)}
    assert rows == {102: ("student", "A", 1, 1), 103: ("student", "B", 0, 1),
                    201: ("teacher", None, 0, 1)}
    assert who[table["partner"][0]] == 102  # most exchanges first
    assert sp.forum_posts(small, scope) == 3  # posts 1, 3 and 5


def test_internship_weeks_follow_the_pace_from_the_first_day_and_agree_with_the_indicator(
        small: Workspace, tmp_path: Path):
    path = tmp_path / "internship.csv"
    path.write_text("user_id,date,days\n101,2026-10-06,1\n101,2026-10-07,0.5\n"
                    "101,2026-10-13,1\n102,2026-10-06,1\n", encoding="utf-8")
    ingest_internship(small.con, path, small.cfg, small.pseudo)
    scope = me(small, 101, dt.date(2026, 10, 12))
    table = sp.internship(small, scope)
    # the pace starts at the first day (06/10), in whole days: by Sunday 11/10, 6 of the 270
    # days to 02/07 → 100 × 6/270 = 2.2 → 2; by the report week's Sunday 18/10, 13/270 → 4
    from_first = (dt.date(2027, 7, 2) - dt.date(2026, 10, 6)).days + 1  # 270
    assert table["week_start"].to_list() == [W1, dt.date(2026, 10, 12)]
    assert table["days"].to_list() == [1.5, 1.0]
    assert table["cumulative_days"].to_list() == [1.5, 2.5]
    assert table["expected_days"].to_list() == [float(100 * 6 // from_first),
                                                float(100 * 13 // from_first)] == [2.0, 4.0]
    assert table["threshold_days"].to_list() == pytest.approx([0.8 * 2, 0.8 * 4])
    pace = indicators.internship_pace(small, as_of=scope.as_of).filter(
        pl.col("student") == scope.student).row(0, named=True)
    assert (pace["days_done"], pace["expected_days"]) == pytest.approx(
        (table["cumulative_days"][-1], table["expected_days"][-1]))


def test_without_programme_data_the_sections_are_empty_not_failing(small: Workspace):
    scope = me(small, 101)
    for fn in (sp.deadlines, sp.grades, sp.internship, sp.forum_partners):
        assert fn(small, scope).is_empty(), fn.__name__
    assert sp.activity_by_hour(small, scope).is_empty()


def test_default_student_is_the_first_student_when_nobody_is_red(
        small: Workspace, tmp_path: Path):
    events = [(101, local("2026-10-06 10:00:00")), (102, local("2026-10-13 10:00:00"))]
    ingest_moodle_file(small.con, write_logstore(tmp_path / "l.csv", events), small.cfg,
                       small.pseudo)
    assert {r.level for r in risk.student_risks(small)} <= {"green", "amber"}
    first = min(pseudonym(small.pseudo.id_ident(str(u))) for u in (101, 102, 103))
    scope = sp.profile_scope(small)
    assert (scope.student, scope.week_start) == (first, W1)


def test_a_pseudonym_outside_the_cohort_is_refused_with_a_hint(small: Workspace, tmp_path: Path):
    ingest_moodle_file(small.con, write_logstore(tmp_path / "l.csv", [
        (101, local("2026-10-06 10:00:00")), (101, local("2026-10-13 10:00:00"))]),
        small.cfg, small.pseudo)
    teacher = pseudonym(small.pseudo.id_ident("201"))
    with pytest.raises(M2IFError, match=r"not a student of cohort 2026-2027.*m2if risk"):
        sp.profile_scope(small, teacher)


# --- figures and HTML blocks --------------------------------------------------------------

def summary_of(student: str, group: str | None = "A") -> sp.Summary:
    return sp.Summary(sp.Scope("2026-2027", student, W1), group, "amber", ("x",), (), 1, 1,
                      3.0, None, {}, (), None, None)


def test_the_title_names_only_what_it_is_given_and_escapes_it():
    plain = student_blocks.title(summary_of("p0123456789ab"), "en")
    assert "p0123456789ab, group A" in plain and "Pseudonym only" in plain
    named = student_blocks.title(summary_of("p0123456789ab"), "fr", "<b>Léa</b> O'Neil", True)
    assert "&lt;b&gt;Léa&lt;/b&gt; O&#x27;Neil (p0123456789ab)" in named
    assert "<b>Léa" not in named and "porte le nom" in named
    missing = student_blocks.title(summary_of("p0123456789ab", None), "en", None, True)
    assert "not in the re-identification mapping" in missing and "group" not in missing


def test_level_changes_collapse_runs_of_weeks_newest_first():
    weeks = pl.DataFrame({"week_start": [W1 + dt.timedelta(weeks=k) for k in range(5)],
                          "iso_week": [f"2026-W{41 + k}" for k in range(5)],
                          "holiday": [False] * 5,
                          "level": ["green", "green", "amber", "red", "red"],
                          "reasons": ["ok", "ok", "a", "r1", "r2"]})
    html = student_blocks.level_changes(weeks, "en")
    rows = html.split("<tr>")[2:]
    assert [r.count("data-level") for r in rows] == [1, 1, 1]
    assert "2026-W44" in rows[0] and "2026-W45" in rows[0] and "r2" in rows[0]
    assert "r1" not in html and ">2<" in rows[2]  # the run's current reasons, not its first


def test_the_hour_heatmap_has_every_weekday_and_hour_and_teachers_are_labelled():
    cells = pl.DataFrame({"weekday": [1, 7], "hour": [9, 23], "sessions": [1, 0],
                          "hours": [0.5, 0.1], "events": [3, 1]})
    heat = plots_student.activity_heatmap(cells, "en").data[0]
    assert len(heat.z) == 7 and all(len(row) == 24 for row in heat.z)
    assert heat.z[0][9] == 0.5 and heat.z[6][23] == 0.1 and heat.z[3][12] is None
    assert heat.y[0] == "Monday"
    partners = pl.DataFrame({"partner": ["pa", "pb"], "role": ["teacher", "student"],
                             "group": [None, "A"], "replies_to": [2, 1], "replies_from": [0, 3]})
    bars = plots_student.forum_partners(partners, "fr").data[0]
    assert list(bars.y) == ["enseignant pa", "pb"]


# --- the sample cohort --------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(full_sample_warehouse: Path) -> Iterator[Workspace]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        with open_workspace(full_sample_warehouse, SAMPLE_CONFIG) as ws:
            yield ws


def test_a_dropping_out_students_hours_fall_to_zero_from_the_drop_week(sample: Workspace):
    for user, drop in ((105, dt.date(2026, 12, 21)), (118, dt.date(2027, 2, 1))):
        weeks = sp.weekly_hours(sample, sp.profile_scope(sample, sample_pseudonym(user)))
        before = weeks.filter(pl.col("week_start") < drop - dt.timedelta(days=21))
        after = weeks.filter(pl.col("week_start") >= drop)
        assert before.filter(~pl.col("holiday"))["hours"].min() >= 15, user  # normal weeks
        assert after.height > 10 and after["hours"].max() == 0, user


def test_sessions_by_hour_add_up_to_the_weekly_table(sample: Workspace):
    for user in (103, 112, 120):
        scope = sp.profile_scope(sample, sample_pseudonym(user))
        cells, weeks = sp.activity_by_hour(sample, scope), sp.weekly_hours(sample, scope)
        assert cells["hours"].sum() == pytest.approx(weeks["hours"].sum())
        assert cells["sessions"].sum() == weeks["sessions"].sum()
        assert cells["events"].sum() == weeks["events"].sum()
        assert cells["hour"].min() >= 7  # planted: no user event between 00:00 and 07:00


def test_planted_deadlines_grades_and_isolation_show_in_the_profile(sample: Workspace):
    low = sp.summary(sample, sp.profile_scope(sample, sample_pseudonym(110)), "en")
    assert low.ues_below_pass == ("UE4",) and low.deadline_counts["late"] == 2
    ue4 = sp.grades(sample, low.scope).filter(pl.col("ue") == "UE4")
    assert ue4["mean"][0] == pytest.approx(9.5) and ue4["below_pass"][0]
    for user in (110, 116):  # isolated: they reply, nobody ever answers them
        partners = sp.forum_partners(sample, sp.profile_scope(sample, sample_pseudonym(user)))
        assert partners["replies_to"].sum() > 0 and partners["replies_from"].sum() == 0
    irregular = sp.deadlines(sample, sp.profile_scope(sample, sample_pseudonym(120)))
    late = irregular.filter(pl.col("status") == "late")
    assert late.height == 1 and late["late_hours"][0] == pytest.approx(1 / 60)


def test_risk_over_time_ends_with_the_risk_table_of_the_report_week(sample: Workspace):
    scope = sp.profile_scope(sample, sample_pseudonym(112))
    history = sp.risk_over_time(sample, scope, "en")
    table = risk.assess(sample, week=scope.week_start, lang="en").filter(
        pl.col("student") == scope.student)
    assert history["week_start"][-1] == scope.week_start
    assert (history["level"][-1], history["reasons"][-1]) == (table["level"][0],
                                                             table["reasons"][0])
    assert history.filter(pl.col("week_start") < dt.date(2026, 12, 14))["level"].unique(
    ).to_list() == ["green"]  # steady until the mission-letter deadline passed


def test_the_default_student_is_the_first_red_one(sample: Workspace):
    red = risk.assess(sample).filter(pl.col("level") == "red")["student"].sort()
    assert sp.profile_scope(sample).student == red[0]


# --- the notebook's golden numbers, computed independently --------------------------------

PARIS = ZoneInfo("Europe/Paris")
HOLIDAY_WEEKS = {dt.date(2026, 12, 21), dt.date(2026, 12, 28), dt.date(2027, 4, 19),
                 dt.date(2027, 4, 26)}  # data_samples/README.md: weeks 12, 13, 29 and 30


def hours_per_week_from_the_raw_dump(user_id: int) -> dict[dt.date, float]:
    """Time on task of one user straight from logstore_standard_log.csv: 30 min timeout,
    60 s for a session's last event, Paris weeks (README: "The weekly engagement table"),
    without the package."""
    with (SAMPLES / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        stamps = sorted(int(r["timecreated"]) for r in csv.DictReader(fh)
                        if r["userid"] == str(user_id))
    weeks: dict[dt.date, float] = defaultdict(float)
    for this, after in zip(stamps, [*stamps[1:], None], strict=True):
        gap = None if after is None else after - this
        day = dt.datetime.fromtimestamp(this, PARIS).date()
        monday = day - dt.timedelta(days=day.weekday())
        weeks[monday] += (gap if gap is not None and gap <= 1800 else 60) / 3600
    return weeks


def test_golden_numbers_match_the_planted_profile_and_the_raw_dump():
    golden = json.loads((REPO / "notebooks" / "checks" / "student_profile.json").read_text(
        encoding="utf-8"))
    # the six red students at 2027-W25 (weekly_report's golden) are the low and dropping-out
    # profiles; the first of their pseudonyms is user 112's (dropping out from week 16)
    red = {sample_pseudonym(u): u for u in (103, 105, 110, 112, 116, 118)}
    first = min(red)
    assert red[first] == 112
    report = dt.date(2027, 6, 21)  # 2027-W25, programme week 38
    teaching = [W1 + dt.timedelta(weeks=k) for k in range(38)]
    teaching = [w for w in teaching if w not in HOLIDAY_WEEKS and w <= report]
    hours = hours_per_week_from_the_raw_dump(112)
    below = sum(hours.get(w, 0.0) < 15 for w in teaching)
    assert (len(teaching), below) == (34, 23)  # 2027-W01, W02 (decline), then silence
    assert golden[0] == f"{first} 2027-W25: red, {below} of {len(teaching)} teaching weeks " \
                        "below target\n"
    assert golden[1] == str(deadline_status_from_the_raw_files(112, report)) + "\n"


def deadline_status_from_the_raw_files(user_id: int, monday: dt.date) -> dict[str, int]:
    """on_time / late / missing / pending of one user's 2026-2027 deadlines judged on the
    Sunday of ``monday``'s week, from deadlines.csv, submissions.csv (by name) and the
    dump's assessable_submitted events (by cmid), without the package."""
    cut = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), PARIS)

    def paris(text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)

    with (SAMPLES / "deadlines.csv").open(encoding="utf-8") as fh:
        deadlines = [r for r in csv.DictReader(fh) if r["cohort"] == "2026-2027"]
    handed: dict[str, list[dt.datetime]] = defaultdict(list)
    with (SAMPLES / "submissions.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["user_id"] == str(user_id):
                handed[r["assignment"]].append(paris(r["submitted_at"]))
    with (SAMPLES / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["userid"] == str(user_id) and r["eventname"].endswith("assessable_submitted"):
                handed[r["contextinstanceid"]].append(
                    dt.datetime.fromtimestamp(int(r["timecreated"]), PARIS))
    counts = dict.fromkeys(("on_time", "late", "missing", "pending"), 0)
    for d in deadlines:
        due = paris(d["due"])
        times = [t for t in handed[d["assignment"]] + handed[d["cmid"]] if t < cut]
        if times:
            counts["on_time" if min(times) <= due else "late"] += 1
        else:
            counts["missing" if due < cut else "pending"] += 1
    assert len(deadlines) == 8
    return counts
