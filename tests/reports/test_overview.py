"""The cohort overview's data (m2if_analytics.reports.overview.data) and figures (plots_overview): a
hand-made cohort with hand-computed expectations, the pure helpers on hand-made frames, and
the figures' traces and controls in both languages."""

from __future__ import annotations

import datetime as dt
from html import unescape
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics import risk
from m2if_analytics.i18n import t
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import ingest_grades, ingest_internship
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.reports import kit
from m2if_analytics.reports.controls import week_buttons
from m2if_analytics.reports.overview import data as ov
from m2if_analytics.reports.overview import figures as po
from m2if_analytics.reports.overview import html as blocks
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import local, logstore_row, write_dump
from tests.ingest.test_programme import student, write

H = 1 / 3600  # one second, in hours
FORUM_POST = {"eventname": "\\mod_forum\\event\\post_created", "component": "mod_forum",
              "action": "created", "target": "post", "crud": "c", "contextlevel": 70}
ROSTER = ("user_id,full_name,role,group\n101,Alice Essai,student,A\n102,Bruno Essai,student,A\n"
          "103,Chloé Essai,student,B\n201,Prof Essai,teacher,\n")
# 101: week 1 three events 30 min apart (1800 + 1800 + 60 s) and a forum post on Tuesday
# (60 s); week 4 one event (60 s); week 5 one event, which leaves week 5 in progress.
# 102: one event in week 2 (60 s). 103: nothing.
EVENTS = [(101, "2026-10-05 09:00:00", {}), (101, "2026-10-05 09:30:00", {}),
          (101, "2026-10-05 10:00:00", {}), (101, "2026-10-06 10:00:00", FORUM_POST),
          (102, "2026-10-12 09:00:00", {}), (101, "2026-10-26 09:00:00", {}),
          (101, "2026-11-02 09:00:00", {})]
GRADES = ["user_id,ue,assessment,grade,scale,weight,date"]
GRADES += [f"101,UE{i},Final,12,20,1,2026-10-20" for i in range(1, 9)]  # every UE ≥ 10
GRADES += ["102,UE1,Final,8,20,1,2026-10-20", "102,UE2,Final,15,20,1,2026-10-20",
           "103,UE1,Final,12,20,1,2026-10-20",
           "103,UE2,Final,5,20,1,2026-11-20"]  # after the report week: does not count yet
INTERNSHIP = ["user_id,date,days", "101,2026-10-06,1", "101,2026-10-07,1",
              "101,2026-11-10,1"]  # the last day is after the report week


@pytest.fixture
def small(ws: Workspace, tmp_path: Path) -> Workspace:
    """The test cohort (2026-10-05 to 2027-07-02, 35 teaching weeks of 39): three students
    in groups A, A, B and a teacher; four complete weeks, the report week is 2026-W44."""
    ingest_roster_file(ws.con, write(tmp_path, "roster.csv", ROSTER), ws.cfg, ws.pseudo)
    rows = [logstore_row(n, user, local(when), **extra)
            for n, (user, when, extra) in enumerate(EVENTS, start=1)]
    ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
    ingest_grades(ws.con, write(tmp_path, "g.csv", "\n".join(GRADES) + "\n"), ws.cfg,
                  ws.pseudo)
    ingest_internship(ws.con, write(tmp_path, "i.csv", "\n".join(INTERNSHIP) + "\n"),
                      ws.cfg, ws.pseudo)
    return ws


def ids(ws: Workspace) -> dict[str, int]:
    return {student(ws, u): u for u in (101, 102, 103)}


# --- data ---------------------------------------------------------------------------------

def test_scope_is_the_last_complete_week_and_its_sunday(small: Workspace):
    s = ov.scope(small)
    assert (s.cohort, s.week_start, s.iso_week) == ("2026-2027", dt.date(2026, 10, 26),
                                                   "2026-W44")
    assert s.as_of == dt.date(2026, 11, 1)
    assert ov.scope(small, week="2026-W42").week_start == dt.date(2026, 10, 12)


def test_engagement_and_cumulative_stop_at_the_report_week(small: Workspace):
    s = ov.scope(small)
    table = ov.engagement(small, s)
    assert table.height == 3 * 4 and table["week_start"].max() == s.week_start
    cum = ov.cumulative(small, s).filter(pl.col("week_start") == s.week_start)
    got = {ids(small)[r["student"]]: r["cumulative_hours"] for r in cum.iter_rows(named=True)}
    assert got == pytest.approx({101: (1800 + 1800 + 60 + 60 + 60) * H, 102: 60 * H, 103: 0})
    earlier = ov.cumulative(small, ov.scope(small, week="2026-W41"))
    assert earlier["week_start"].unique().to_list() == [dt.date(2026, 10, 5)]


def test_pace_line_spreads_1500_hours_over_the_35_teaching_weeks_of_the_year(small: Workspace):
    line = ov.pace_line(small)
    assert line.height == 39 and line["holiday"].sum() == 4
    assert line["pace_hours"][0] == pytest.approx(1500 / 35)
    assert line["pace_hours"][3] == pytest.approx(4 * 1500 / 35)
    assert line["pace_hours"][-1] == pytest.approx(1500)
    assert line["target_cumulative"][-1] == 35 * 15
    christmas = line.filter(pl.col("week_start") == dt.date(2026, 12, 21))
    assert christmas["pace_hours"][0] == pytest.approx(11 * 1500 / 35)  # holiday: no step
    cum = ov.cumulative(small, ov.scope(small)).unique("week_start").sort("week_start")
    same = line.join(cum.select("week_start", "pace_hours"), on="week_start", suffix="_api")
    assert same.height == 4
    assert same["pace_hours"].to_list() == pytest.approx(same["pace_hours_api"].to_list())


def test_student_levels_judge_each_week_as_risk_assess_does(small: Workspace):
    s = ov.scope(small)
    levels = ov.student_levels(small, s, "en")
    assert levels.height == 3 * 4
    assert levels.columns == ["student", "group", "week_start", "iso_week", "holiday", "level",
                              "rules", "reasons"]
    for monday in levels["week_start"].unique():
        table = risk.assess(small, week=monday, lang="en")
        week = levels.filter(pl.col("week_start") == monday)
        assert dict(week.select("student", "level").iter_rows()) == dict(
            table.select("student", "level").iter_rows())
        assert dict(week.select("student", "reasons").iter_rows()) == dict(
            table.select("student", "reasons").iter_rows())
    groups = dict(levels.select("student", "group").unique().iter_rows())
    assert {ids(small)[k]: v for k, v in groups.items()} == {101: "A", 102: "A", 103: "B"}
    # 103 never had an event: from week 2 on it is below target two weeks running
    silent = levels.filter(pl.col("student") == student(small, 103)).sort("week_start")
    assert "below_target" in silent["rules"][-1] and silent["level"][-1] in ("amber", "red")


def levels_frame() -> pl.DataFrame:
    w1, w2 = dt.date(2026, 10, 5), dt.date(2026, 10, 12)
    rows = [("s1", "A", w1, "green"), ("s2", "A", w1, "red"), ("s3", "B", w1, "amber"),
            ("s4", None, w1, "green"), ("s1", "A", w2, "red"), ("s2", "A", w2, "red"),
            ("s3", "B", w2, "green"), ("s4", None, w2, "amber")]
    return pl.DataFrame(
        [{"student": s, "group": g, "week_start": w, "iso_week": f"w{w.day}",
          "holiday": False, "level": lv} for s, g, w, lv in rows])


def test_level_counts_count_each_level_per_week_for_the_cohort_and_each_group():
    counts = ov.level_counts(levels_frame(), by_group=True)
    got = {(r["group"], r["week_start"].day): (r["green"], r["amber"], r["red"], r["students"])
           for r in counts.iter_rows(named=True)}
    assert got == {("all", 5): (2, 1, 1, 4), ("all", 12): (1, 1, 2, 4),
                   ("A", 5): (1, 0, 1, 2), ("A", 12): (0, 0, 2, 2),
                   ("B", 5): (0, 1, 0, 1), ("B", 12): (1, 0, 0, 1),
                   (None, 5): (1, 0, 0, 1), (None, 12): (0, 1, 0, 1)}
    assert counts["group"].to_list()[:2] == ["all", "all"]  # the whole cohort first
    assert ov.level_counts(levels_frame())["group"].unique().to_list() == ["all"]


def test_forecast_status_applies_no_compensation_between_ues():
    validation = pl.DataFrame({"student": ["s1", "s2", "s3", "s4"],
                               "validated": [True, False, None, None],
                               "year_mean": [12.0, 13.0, None, None],
                               "blocking_ues": [[], ["UE2"], [], []],
                               "honours": ["assez bien", None, None, None]})
    ue = pl.DataFrame({"student": ["s1"] * 2 + ["s2"] * 2 + ["s3"] * 2 + ["s4"] * 2,
                       "mean": [12.0, 12.0, 18.0, 8.0, 11.0, None, None, None]})
    table = ov.forecast_status(validation, ue)
    assert table.select("student", "status", "graded_ues", "ues").rows() == [
        ("s1", "validated", 2, 2), ("s2", "blocked", 2, 2), ("s3", "on_track", 1, 2),
        ("s4", "no_grades", 0, 2)]  # s2: an 18 does not make up for an 8


def test_validation_forecast_counts_grades_up_to_the_report_weeks_sunday(small: Workspace):
    s = ov.scope(small)
    forecast = ov.validation_forecast(small, s)
    got = {ids(small)[r["student"]]: (r["group"], r["status"], r["graded_ues"], r["blocking_ues"])
           for r in forecast.iter_rows(named=True)}
    assert got == {101: ("A", "validated", 8, []), 102: ("A", "blocked", 2, ["UE1"]),
                   103: ("B", "compromised", 1, [])}  # 103's 5/20 is dated after 2026-11-01,
    # but 103 has had no event since the start (28 days ≥ 10): never "on track"
    counts = {r["group"]: (r["validated"], r["on_track"], r["compromised"], r["blocked"],
                           r["no_grades"], r["students"])
              for r in ov.forecast_counts(forecast).iter_rows(named=True)}
    assert counts == {"all": (1, 0, 1, 1, 0, 3), "A": (1, 0, 0, 1, 0, 2),
                      "B": (0, 0, 1, 0, 0, 1)}
    means = ov.ue_means(small, s).filter(pl.col("student") == student(small, 103))
    assert means["mean"].to_list()[:2] == [12.0, None]


def test_internship_days_against_the_pace_at_the_report_week(small: Workspace):
    table = ov.internship(small, ov.scope(small))
    got = {ids(small)[r["student"]]: r for r in table.iter_rows(named=True)}
    # from 101's first day (06/10): 27 of the 270 days to 02/07 elapsed by 01/11 → 10 days
    assert got[101]["days_done"] == 2.0  # the 2026-11-10 day is after the report week
    assert got[101]["expected_days"] == 100 * 27 // 270 == 10
    assert got[101]["behind"] is True  # 2 < 0.8 × 10
    assert got[102]["days_done"] == 0.0 and got[103]["group"] == "B"
    # no day yet and four weeks into the year: nothing expected, no pace shortfall
    assert (got[102]["expected_days"], got[102]["behind"]) == (0.0, False)
    assert set(table["min_days"]) == {100.0}


def test_collective_participation_share_per_week_for_the_cohort_and_groups(small: Workspace):
    table = ov.collective(small, ov.scope(small))
    first = {r["group"]: (r["students"], r["posting"], r["share"], r["collective_week"])
             for r in table.filter(pl.col("week_start") == dt.date(2026, 10, 5)).iter_rows(
        named=True)}
    assert first == {"all": (3, 1, pytest.approx(1 / 3), True), "A": (2, 1, 0.5, True),
                     "B": (1, 0, 0.0, True)}
    later = table.filter(pl.col("week_start") > dt.date(2026, 10, 5))
    assert later["week_start"].n_unique() == 3 and not later["collective_week"].any()
    assert later["posting"].sum() == 0
    assert ov.available(small, ov.scope(small)) == {"grades": True, "internship": True,
                                                    "collective": True}


def test_load_gathers_every_frame_and_the_headline(small: Workspace):
    data = ov.load(small, lang="en")
    h = data.headline
    table = risk.assess(small)
    assert h.students == 3
    assert (h.red, h.amber, h.green) == tuple(int((table["level"] == lv).sum())
                                              for lv in ("red", "amber", "green"))
    assert (h.validated, h.on_track, h.compromised, h.blocked, h.no_grades) == (1, 0, 1, 1, 0)
    assert h.median_cumulative_hours == pytest.approx(60 * H)
    assert h.pace_hours == pytest.approx(4 * 1500 / 35)
    assert h.internship_behind == 1  # 101: 2 days for 10 expected; 102, 103 not started


def test_sections_without_data_say_so(ws: Workspace, tmp_path: Path):
    ingest_roster_file(ws.con, write(tmp_path, "roster.csv", ROSTER), ws.cfg, ws.pseudo)
    rows = [logstore_row(1, 101, local("2026-10-05 09:00:00")),
            logstore_row(2, 101, local("2026-10-13 09:00:00"))]
    ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
    data = ov.load(ws)
    assert data.available == {"grades": False, "internship": False, "collective": False}
    assert data.headline.internship_behind is None
    assert (data.headline.no_grades, data.headline.students) == (3, 3)
    assert "Aucune note" in kit.empty(t("overview_no_grades", "fr"))
    assert "No grades" in kit.empty(t("overview_no_grades", "en"))


# --- figures ------------------------------------------------------------------------------

@pytest.fixture
def data(small: Workspace) -> ov.Overview:
    return ov.load(small)


def menu_labels(fig) -> list[list[str]]:
    return [[b.label for b in m.buttons] for m in fig.layout.updatemenus]


def test_engagement_heatmap_zooms_onto_a_group_or_a_student_and_chooses_weeks(
        small: Workspace, data: ov.Overview):
    for lang in ("fr", "en"):
        fig = po.engagement(data.engagement, lang, report_week=data.scope.week_start)
        assert fig.layout.title.text == t("fig_engagement_title", lang)
        dropdown, weeks = menu_labels(fig)
        assert dropdown[:3] == [t("overview_whole_cohort", lang),
                                t("overview_group_name", lang, group="A"),
                                t("overview_group_name", lang, group="B")]
        assert len(dropdown) == 3 + 3  # then each student
        assert weeks == [t("overview_weeks_all", lang)]  # 4 weeks: no "last 4 weeks"
    assert list(fig.data[0].y)[2] == student(small, 103)  # group B last
    buttons = fig.layout.updatemenus[0].buttons
    assert buttons[0].args[0] == {"yaxis.autorange": "reversed"}
    assert buttons[1].method == "relayout"
    assert buttons[1].args[0]["yaxis.range"] == [1.5, -0.5]  # group A: rows 0-1, reversed
    assert buttons[2].args[0]["yaxis.range"] == [2.5, 1.5]
    assert buttons[5].label.startswith(student(small, 103))


def test_week_buttons_show_the_last_weeks_on_date_and_category_axes():
    mondays = [dt.date(2026, 10, 5) + dt.timedelta(weeks=i) for i in range(13)]
    menu = week_buttons(mondays, "en")
    assert [b["label"] for b in menu["buttons"]] == ["Every week", "Last 12 weeks",
                                                     "Last 4 weeks"]
    assert menu["buttons"][2]["args"][0]["xaxis.range"] == ["2026-12-03", "2027-01-01"]
    labels = week_buttons([f"w{i}" for i in range(13)], "fr")
    assert labels["buttons"][1]["args"][0]["xaxis.range"] == [0.5, 12.5]
    assert labels["buttons"][1]["label"] == "12 dernières semaines"
    numbers = week_buttons(list(range(1, 14)))
    assert numbers["buttons"][2]["args"][0]["xaxis.range"] == [9.5, 13.5]


def test_cumulative_figure_shows_a_group_median_or_one_student_against_the_pace(
        small: Workspace, data: ov.Overview):
    fig = po.cumulative(data.cumulative, data.pace_line, "en", report_week=data.scope.week_start)
    names = [tr.name for tr in fig.data]
    assert names[3:6] == ["Median — Whole cohort", "Median — Group A", "Median — Group B"]
    assert names[6:] == ["Pace to 1,500\u00a0h", "Cumulative target (15\u00a0h per teaching week)"]
    assert fig.data[6].y[-1] == pytest.approx(1500) and len(fig.data[6].x) == 39
    assert [tr.visible is not False for tr in fig.data] == [True] * 4 + [False] * 2 + [True] * 2
    options = {b.label: b.args[0]["visible"] for b in fig.layout.updatemenus[0].buttons}
    assert options["Group B"] == [False, False, True, False, False, True, True, True]
    one = next(v for k, v in options.items() if k.startswith(student(small, 102)))
    me = [tr.name for tr in fig.data].index(student(small, 102))
    assert [i for i, v in enumerate(one) if v] == sorted([me, 3, 6, 7])
    french = po.cumulative(data.cumulative, data.pace_line, "fr")
    assert french.layout.title.text == t("overview_fig_cumulative_title", hours="1\u202f500\u00a0h")
    assert french.layout.separators == ",\u202f"


def test_risk_figures_count_levels_per_group_and_colour_each_student_week(
        data: ov.Overview):
    counts = ov.level_counts(data.levels, by_group=True)
    fig = po.risk_levels(counts, "en")
    assert len(fig.data) == 3 * 3  # red, amber, green × (cohort, A, B)
    assert [tr.name for tr in fig.data[:3]] == ["Red", "Amber", "Green"]
    cohort = counts.filter(pl.col("group") == "all").sort("week_start")
    assert list(fig.data[0].y) == cohort["red"].to_list()
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == [
        "Whole cohort", "Group A", "Group B"]
    assert fig.layout.updatemenus[0].buttons[2].args[0]["visible"] == [False] * 6 + [True] * 3
    assert po.risk_levels(counts, "fr").data[0].name == "Rouge"
    strip = po.student_levels(data.levels, "fr")
    code = {"green": 0, "amber": 1, "red": 2}
    heat = strip.data[0]
    first = data.levels.filter(pl.col("student") == heat.y[0]).sort("week_start")
    assert list(heat.z[0]) == [code[lv] for lv in first["level"]]
    assert list(heat.x) == sorted(set(data.levels["iso_week"]))
    assert strip.layout.title.text == "Niveau de risque de chaque étudiant"


def test_grade_figures_show_means_and_the_forecast(small: Workspace, data: ov.Overview):
    fig = po.ue_means(data.ue_means, "en", 10.0)
    heat = fig.data[0]
    assert list(heat.x) == [f"UE{i}" for i in range(1, 9)]
    row = list(heat.y).index(student(small, 102))
    assert list(heat.z[row][:3]) == [8.0, 15.0, None] and list(heat.text[row][:3]) == [
        "8.0", "15.0", ""]
    assert po.ue_means(data.ue_means, "fr").data[0].text[row][0] == "8,0"
    bars = po.forecast(ov.forecast_counts(data.forecast), "fr")
    assert [tr.name for tr in bars.data] == [t(f"overview_status_{s}") for s in ov.FORECAST]
    assert list(bars.data[0].y) == ["Toute la promotion", "Groupe A", "Groupe B"]
    assert list(bars.data[0].x) == [1, 1, 0] and list(bars.data[3].x) == [1, 1, 0]  # blocked
    assert list(bars.data[2].x) == [1, 0, 1]  # compromised: 103, inactive since the start
    table = blocks.blocked_table(data.forecast, data.ue_means, "en")
    assert student(small, 102) in table and "UE1: 8.0/20" in table
    assert student(small, 101) not in table


def test_internship_and_collective_figures(small: Workspace, data: ov.Overview):
    fig = po.internship(data.internship, "en")
    assert [tr.name for tr in fig.data] == ["On pace", "Behind", "Expected by now"]
    assert len(fig.data[1].x) == 1 and len(fig.data[0].x) == 2  # 101 behind
    assert fig.layout.shapes[0].y0 == 100
    assert [b.label for b in fig.layout.updatemenus[0].buttons][1:3] == ["Group A", "Group B"]
    assert fig.layout.updatemenus[0].buttons[2].args[0]["xaxis.range"] == [1.5, 2.5]
    lines = po.collective(data.collective, "fr")
    assert [tr.name for tr in lines.data] == ["Toute la promotion", "Groupe A", "Groupe B"]
    assert list(lines.data[1].y) == [0.5, None, None, None]  # only week 1 was collective
    assert [b.label for b in lines.layout.updatemenus[0].buttons] == [
        "Tous les groupes", "Groupe A", "Groupe B"]
    assert lines.layout.updatemenus[0].buttons[2].args[0]["visible"] == [True, False, True]


def test_title_cards_carry_the_headline_numbers(data: ov.Overview):
    html = blocks.title_html(data, "en")
    assert "Cohort overview — cohort 2026-2027, week 2026-W44" in html
    assert 'data-key="blocked" data-value="1.0"' in html
    assert f'data-key="red" data-value="{float(data.headline.red)!r}"' in html
    assert "Vue d'ensemble — promotion 2026-2027" in unescape(blocks.title_html(data, "fr"))


def test_the_per_student_figures_of_one_or_two_students_keep_their_menus_above_a_plot_area(
        small: Workspace, data: ov.Overview):
    """A cohort of one or two students: the heatmaps' plot area was a few pixels high and
    plotly refused the menus' row (placed in plot heights) as out of range."""
    from m2if_analytics.reports.controls import MENU_ROW_PX

    students = sorted(set(data.engagement["student"]))
    for n in (1, 2):
        keep = pl.col("student").is_in(students[:n])
        for fig in (po.engagement(data.engagement.filter(keep), "en",
                                  report_week=data.scope.week_start),
                    po.student_levels(data.levels.filter(keep), "en")):
            margin = fig.layout.margin
            plot = fig.layout.height - margin.t - margin.b
            assert plot >= 2 * MENU_ROW_PX
            assert {m.y for m in fig.layout.updatemenus} == {1 + MENU_ROW_PX / plot}
            assert fig.layout.updatemenus[0].y <= 3  # plotly's bound
