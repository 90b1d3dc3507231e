"""Cohorts side by side (reports.comparison.data) and their figures (.figures): two
hand-made cohorts a year apart with hand-computed expectations, then the figures' traces and
controls in both languages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics import api, risk
from m2if_analytics.errors import M2IFError
from m2if_analytics.i18n import t
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import ingest_grades
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.reports.comparison import data as cmp
from m2if_analytics.reports.comparison import figures as pc
from m2if_analytics.reports.comparison import html as comparison_html
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.browser import PROBE, in_turn, needs_chromium, shared_chromium
from tests.conftest import (
    SAMPLE_CONFIG,
    TEST_KEY,
    local,
    logstore_row,
    render_in_both_languages,
    write_dump,
)
from tests.ingest.test_programme import write
from tests.reports.test_overview_report import CONTROLS, KEY, personal_data

H = 1 / 3600  # one second, in hours
TWO_COHORTS = """
[programme]
timezone = "Europe/Paris"
weekly_target_hours = 15
[ingest]
latest = 2027-12-31
[[cohorts]]
id = "2025-2026"
start = 2025-10-06
end = 2026-07-03
holidays = [[2025-10-25, 2025-11-02]]
[[cohorts]]
id = "2026-2027"
start = 2026-10-05
end = 2027-07-02
"""
ROSTER = ("user_id,full_name,role,group,cohort\n301,Ana Essai,student,A,2025-2026\n"
          "302,Bea Essai,student,B,2025-2026\n101,Cyril Essai,student,A,2026-2027\n")
# 2025-2026: 301 twice 30 min apart in week 1 (1800 + 60 s) and once in week 3 (60 s); 302
# once in week 2. 2026-2027: 101 twice 20 min apart in week 1 (1200 + 60 s), once in week 2,
# once in week 3, the latest event: week 3 is in progress, every 2025-2026 week complete.
EVENTS = [(301, "2025-10-06 09:00:00"), (301, "2025-10-06 09:30:00"),
          (302, "2025-10-13 09:00:00"), (301, "2025-10-20 09:00:00"),
          (101, "2026-10-05 09:00:00"), (101, "2026-10-05 09:20:00"),
          (101, "2026-10-12 09:00:00"), (101, "2026-10-19 09:00:00")]
GRADES = ["user_id,ue,assessment,grade,scale,weight,date"]
GRADES += [f"301,UE{i},Final,12,20,1,2025-10-10" for i in range(1, 9)]
GRADES += ["302,UE1,Final,8,20,1,2025-11-20"]  # after programme week 2


def two_cohorts(folder: Path) -> Workspace:
    """Two cohorts a year apart: 2025-2026 (two students, the Toussaint week 4 off, 39
    complete weeks) and 2026-2027 (one student, two complete weeks)."""
    config = write(folder, "m2if.toml", TWO_COHORTS)
    ws = open_workspace(folder / "w.duckdb", config)
    ingest_roster_file(ws.con, write(folder, "roster.csv", ROSTER), ws.cfg, ws.pseudo)
    rows = [logstore_row(n, user, local(when)) for n, (user, when) in enumerate(EVENTS, 1)]
    ingest_moodle_file(ws.con, write_dump(folder / "log.csv", rows), ws.cfg, ws.pseudo)
    ingest_grades(ws.con, write(folder, "g.csv", "\n".join(GRADES) + "\n"), ws.cfg,
                  ws.pseudo, "2025-2026")
    return ws


@pytest.fixture
def two(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh two-cohort warehouse for each test (reading it stores derived tables)."""
    ws = two_cohorts(tmp_path)
    yield ws
    ws.close()


# --- data ---------------------------------------------------------------------------------

def test_cohorts_are_checked_and_ordered_oldest_first(two: Workspace):
    assert cmp.cohort_ids(two) == ["2025-2026", "2026-2027"]
    assert cmp.cohort_ids(two, ["2026-2027", "2025-2026", "2026-2027"]) == [
        "2025-2026", "2026-2027"]
    with pytest.raises(M2IFError, match=r"unknown cohort.*1999-2000"):
        cmp.cohort_ids(two, ["2026-2027", "1999-2000"])


def test_programme_week_counts_weeks_from_the_week_of_the_start():
    start = dt.date(2025, 10, 6)
    assert cmp.programme_week(start, start) == 1
    assert cmp.programme_week(start, dt.date(2025, 10, 27)) == 4
    assert cmp.programme_week(dt.date(2025, 10, 8), dt.date(2025, 10, 6)) == 1  # a Wednesday
    assert cmp.week_monday(dt.date(2025, 10, 8), 2) == dt.date(2025, 10, 13)


def test_weekly_aligns_complete_weeks_on_programme_weeks(two: Workspace):
    table = cmp.weekly(two, ["2025-2026", "2026-2027"])
    assert table.filter(pl.col("cohort") == "2025-2026").height == 2 * 39
    recent = table.filter(pl.col("cohort") == "2026-2027")
    assert recent["programme_week"].to_list() == [1, 2]  # week 3 is in progress
    assert recent["cumulative_hours"].to_list() == pytest.approx([1260 * H, 1320 * H])
    holiday = table.filter(pl.col("holiday"))
    assert set(holiday["programme_week"]) == {4} and set(holiday["cohort"]) == {"2025-2026"}


def test_engagement_curves_summarise_each_cohort_week(two: Workspace):
    curves = cmp.engagement_curves(cmp.weekly(two, ["2025-2026", "2026-2027"]))
    assert curves["cohort"].unique(maintain_order=True).to_list() == ["2025-2026", "2026-2027"]
    first = curves.row(0, named=True)
    assert (first["cohort"], first["programme_week"], first["students"]) == ("2025-2026", 1, 2)
    week1 = 1860 * H  # 301's week 1; 302 has none
    assert first["median_hours"] == pytest.approx(week1 / 2)
    assert first["mean_hours"] == pytest.approx(week1 / 2)
    assert (first["q1_hours"], first["q3_hours"]) == pytest.approx((week1 / 4, 3 * week1 / 4))
    assert (first["below_target"], first["below_target_share"]) == (2, 1.0)
    toussaint = curves.filter((pl.col("cohort") == "2025-2026") & (pl.col("programme_week") == 4))
    assert toussaint["holiday"][0] and toussaint["below_target_share"][0] is None
    recent = curves.filter(pl.col("cohort") == "2026-2027")
    assert recent["median_hours"].to_list() == pytest.approx([1260 * H, 60 * H])
    assert recent["median_cumulative_hours"][1] == pytest.approx(1320 * H)
    assert recent["iso_week"].to_list() == ["2026-W41", "2026-W42"]
    assert cmp.common_week(curves) == 2
    assert cmp.common_week(curves.clear()) is None


def test_risk_prevalence_is_levels_over_time_on_programme_weeks(two: Workspace):
    prevalence = cmp.risk_prevalence(two, ["2025-2026", "2026-2027"])
    for cohort in ("2025-2026", "2026-2027"):
        mine = prevalence.filter(pl.col("cohort") == cohort).sort("week_start")
        levels = risk.levels_over_time(two, cohort).sort("week_start")
        assert mine.select("week_start", "green", "amber", "red").equals(
            levels.select("week_start", "green", "amber", "red"))
        assert mine["programme_week"].to_list() == list(range(1, levels.height + 1))
    rows = prevalence.iter_rows(named=True)
    assert all(r["at_risk_share"] == pytest.approx((r["amber"] + r["red"]) / r["students"])
               and r["red_share"] == pytest.approx(r["red"] / r["students"]) for r in rows)


def test_validation_rates_at_the_same_programme_week_and_on_the_latest_data(two: Workspace):
    ids = ["2025-2026", "2026-2027"]
    at_week = {r["cohort"]: r for r in cmp.validation_rates(two, ids, 2).iter_rows(named=True)}
    old, new = at_week["2025-2026"], at_week["2026-2027"]
    assert old["as_of"] == dt.date(2025, 10, 19) and new["as_of"] == dt.date(2026, 10, 18)
    # 302's 8/20 is dated after programme week 2: no grade yet then
    assert (old["validated"], old["blocked"], old["no_grades"], old["students"]) == (1, 0, 1, 2)
    assert (old["validated_share"], old["blocked_share"], old["grades"]) == (0.5, 0.0, True)
    assert (new["no_grades"], new["grades"], new["final"]) == (1, False, False)
    latest = {r["cohort"]: r for r in cmp.validation_rates(two, ids, None).iter_rows(named=True)}
    assert latest["2025-2026"]["as_of"] == dt.date(2026, 10, 19)  # the latest event's day
    assert latest["2025-2026"]["programme_week"] is None and latest["2025-2026"]["final"]
    assert (latest["2025-2026"]["validated"], latest["2025-2026"]["blocked"]) == (1, 1)


def test_summary_compares_the_cohorts_up_to_the_common_week(two: Workspace):
    data = cmp.load(two)
    assert (data.cohorts, data.week) == (["2025-2026", "2026-2027"], 2)
    rows = {r["cohort"]: r for r in data.summary.iter_rows(named=True)}
    old, new = rows["2025-2026"], rows["2026-2027"]
    assert (old["students"], old["weeks"], new["students"]) == (2, 2, 1)
    # teaching weeks 1-2: 301 → 1860 s, 0; 302 → 0, 60 s; 101 → 1260 s, 60 s
    assert old["median_weekly_hours"] == pytest.approx(30 * H)
    assert new["median_weekly_hours"] == pytest.approx(660 * H)
    assert old["below_target_share"] == new["below_target_share"] == 1.0
    week2 = data.risk.filter(pl.col("programme_week") == 2)
    assert {r["cohort"]: r["red"] for r in week2.iter_rows(named=True)} == {
        "2025-2026": old["red"], "2026-2027": new["red"]}
    assert (old["validated"], old["blocked"], new["validated"], new["blocked"]) == (1, 1, 0, 0)


def test_one_cohort_loads_and_says_there_is_nothing_to_compare(ws: Workspace, tmp_path: Path):
    rows = [logstore_row(1, 7, local("2026-10-05 09:00:00")),
            logstore_row(2, 7, local("2026-10-13 09:00:00"))]
    ingest_moodle_file(ws.con, write_dump(tmp_path / "log.csv", rows), ws.cfg, ws.pseudo)
    data = cmp.load(ws)
    assert (data.cohorts, data.week, data.summary.height) == (["2026-2027"], 1, 1)
    assert "Only one cohort" in comparison_html.title_html(data.cohorts, "en")
    assert "Une seule promotion" in comparison_html.title_html(data.cohorts, "fr")


# --- figures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> cmp.Comparison:
    """What the comparison report reads from the two cohorts, loaded once for the figure
    tests below (polars frames they only read; a load judges 39 weeks of risk levels)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", TEST_KEY)
        ws = two_cohorts(tmp_path_factory.mktemp("two"))
        try:
            return cmp.load(ws)
        finally:
            ws.close()


def test_engagement_curves_switch_measures_and_mark_holiday_weeks(data: cmp.Comparison):
    for lang in ("fr", "en"):
        fig = pc.engagement_curves(data.curves, lang, 15.0)
        assert fig.layout.title.text == t("comparison_fig_engagement_title", lang)
        assert fig.layout.xaxis.title.text == t("comparison_axis_programme_week", lang)
        measures = fig.layout.updatemenus[0].buttons
        assert [b.label for b in measures] == [t(f"comparison_metric_{m}", lang)
                                              for m in pc.HOURS_METRICS]
    assert len(fig.data) == 4 + (2 + 1) * 2 + 2 * 2  # bands, lines (+ target), shares, sums
    shown = [i for i, tr in enumerate(fig.data) if tr.visible is not False]
    assert shown == list(range(7))  # quartile bands, median lines and the target
    median = fig.data[4]
    assert median.name == "2025-2026" and median.y[0] == pytest.approx(930 * H)
    assert median.marker.symbol[3] == "circle-open" and median.marker.symbol[2] == "circle"
    mean_only = measures[1].args[0]["visible"]
    assert [fig.data[i].name for i, v in enumerate(mean_only) if v] == [
        "2025-2026", "2026-2027", "Target 15\u00a0h"]
    assert measures[2].args[1]["yaxis.tickformat"] == ".0%"
    weeks = fig.layout.updatemenus[1].buttons
    assert weeks[1].args[0]["xaxis.range"] == [27.5, 39.5]  # the last 12 of 39 weeks


def test_risk_prevalence_and_validation_figures(data: cmp.Comparison):
    fig = pc.risk_prevalence(data.risk, "en")
    assert [tr.name for tr in fig.data] == ["2025-2026", "2026-2027"] * 2
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["Amber or red", "Red"]
    assert [tr.visible is not False for tr in fig.data] == [True, True, False, False]
    old = data.risk.filter(pl.col("cohort") == "2025-2026").sort("programme_week")
    assert list(fig.data[0].y) == pytest.approx(old["at_risk_share"].to_list())
    bars = pc.validation(data.rates, data.latest, "fr")
    assert list(bars.data[0].y) == ["2025-2026 — semaine 2", "2025-2026 — fin d'année",
                                    "2026-2027 — semaine 2",
                                    "2026-2027 — dernières données (19/10/2026)"]
    assert bars.data[0].name == "Année validée" and list(bars.data[0].x) == [0.5, 0.5, 0, 0]
    assert list(bars.data[3].x) == [0, 0.5, 0, 0]  # blocked: 302's 8/20 came later
    assert pc.validation(data.rates, data.latest, "en").layout.title.text == \
        "The year's validation: forecast"


def test_summary_table_carries_raw_values_per_cohort(data: cmp.Comparison):
    html = comparison_html.summary_table(data.summary, "en")
    assert 'data-cohort="2025-2026" data-key="students" data-value="2.0"' in html
    assert f'data-key="median_weekly_hours" data-value="{30 * H!r}"' in html
    assert "Red (week 2)" in html and "0.0\u00a0h" in html
    french = unescape(comparison_html.summary_table(data.summary, "fr"))
    assert "Rouges (semaine 2)" in french and "100\u00a0%" in french and "06/10/2025" in french


# --- the rendered report on the two sample cohorts ----------------------------------------

@pytest.fixture(scope="module")
def pages(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, Path]:
    """The comparison of every sample cohort with students, in French and English."""
    return render_in_both_languages("comparison", full_sample_warehouse, tmp_path_factory, KEY)


@pytest.fixture(scope="module")
def by_sql(full_sample_warehouse: Path) -> dict[str, dict[str, float]]:
    """Students and the median hours of complete teaching weeks 1-38 of each sample cohort,
    by a direct query on the weekly engagement table (38: the sample 2026-2027's last
    complete week is its 38th)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        with api.open_warehouse(full_sample_warehouse, SAMPLE_CONFIG) as ws:
            api.weekly(ws)  # builds the derived tables
            rows = ws.con.execute("""
                SELECT w.cohort, count(DISTINCT w.student), median(w.hours)
                FROM weekly_engagement AS w JOIN cfg_cohorts AS c ON c.cohort_id = w.cohort
                WHERE NOT w.holiday AND NOT w.in_progress
                  AND w.week_start < date_trunc('week', c.start_date) + INTERVAL 38 WEEK
                GROUP BY w.cohort""").fetchall()
    return {c: {"students": float(n), "median_weekly_hours": h} for c, n, h in rows}


@pytest.mark.slow
def test_report_is_named_after_the_cohorts_with_a_title_in_each_language(
        pages: dict[str, Path]):
    assert pages["fr"].name == pages["en"].name == "comparison-2025-2026_2026-2027.html"
    titles = [unescape(re.search(r"<title>(.*?)</title>", p.read_text(encoding="utf-8"))
                       .group(1)) for p in (pages["fr"], pages["en"])]
    assert titles == ["Comparaison des promotions 2025-2026 / 2026-2027",
                      "Cohort comparison 2025-2026 / 2026-2027"]
    fr, en = (p.read_text(encoding="utf-8") for p in (pages["fr"], pages["en"]))
    assert "Semaine de formation" in fr and "Programme week" in en


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_figure_is_drawn_offline_with_working_controls_and_the_sql_numbers(
        pages: dict[str, Path], by_sql: dict[str, dict[str, float]], lang: str):
    with shared_chromium() as browser:  # the controls applied after the probe, on the same load
        page = browser.open(pages[lang], in_turn(PROBE, CONTROLS))
    assert page.errors == [] and page.remote_requests == []
    drawn, figures = page.value
    assert drawn["figures"] == drawn["drawn"] == 4  # engagement, risk, validation,
    # and the rules measured on 2025-2026
    assert [f["traces"] > 0 for f in figures] == [True] * 4
    assert [f["menus"] for f in figures] == [2, 2, 0, 0]
    assert all(f["errors"] == [] and f["applied"] == f["buttons"] for f in figures)
    text = pages[lang].read_text(encoding="utf-8")
    cells = re.findall(r'data-cohort="([^"]+)" data-key="([^"]+)" data-value="([^"]*)"', text)
    shown = {(c, k): float(v) for c, k, v in cells if k in ("students", "median_weekly_hours")}
    assert set(by_sql) == {"2025-2026", "2026-2027"}
    for cohort, numbers in by_sql.items():
        assert shown[(cohort, "students")] == numbers["students"] == 20
        assert shown[(cohort, "median_weekly_hours")] == pytest.approx(
            numbers["median_weekly_hours"])


@pytest.mark.slow
def test_report_has_no_code_and_no_personal_data(pages: dict[str, Path]):
    for path in pages.values():
        text = path.read_text(encoding="utf-8")
        assert "import m2if_analytics" not in text and "NBVAL_CHECK_OUTPUT" not in text
        assert sorted(v for v in personal_data() if v in text) == []
        assert not re.search(r"\bp[0-9a-f]{12}\b", text)  # aggregates only: no pseudonym


def test_the_rules_measured_on_the_finished_cohort_only(data: cmp.Comparison):
    """2025-2026 ended before the latest data; 2026-2027 did not: only the first is
    measured, and the figure and table show what evaluate_rules computed."""
    from m2if_analytics.reports.comparison import html as ph

    assert data.evaluation["cohort"].unique().to_list() == ["2025-2026"]
    amber = data.evaluation.filter(pl.col("level") == "amber")
    fig = pc.rule_evaluation(data.evaluation, "en")
    assert [tr.name for tr in fig.data] == ["Precision — 2025-2026", "Recall — 2025-2026"]
    assert list(fig.data[1].x) == pytest.approx(amber["recall"].to_list())
    assert fig.data[0].y[0] == "level (all rules)" and "chronic under-work" in fig.data[0].y
    table = ph.evaluation_table(data.evaluation, "fr")
    assert table.count("<tr>") == 1 + data.evaluation.height
    assert "sous-travail chronique" in table
    assert "Aucune promotion terminée" in ph.evaluation_table(data.evaluation.clear(), "fr")


def test_the_evaluation_note_says_few_cases_only_for_small_finished_cohorts():
    """It said "With 20 students" whatever the cohorts (a faculty's 2,000 too)."""
    def summary(sizes: dict[str, int]) -> pl.DataFrame:
        return pl.DataFrame({"cohort": list(sizes), "students": list(sizes.values())})

    def evaluation(*cohorts: str) -> pl.DataFrame:
        return pl.DataFrame({"cohort": list(cohorts)}, schema={"cohort": pl.String})

    def note(sizes: dict[str, int], finished: tuple[str, ...], lang: str) -> str:
        return unescape(comparison_html.evaluation_note(summary(sizes), evaluation(*finished),
                                                        lang))

    base = t("comparison_note_evaluation", "en")
    assert "20 students" not in base
    one = note({"old": 17, "new": 2000}, ("old",), "en")
    assert one.startswith(f'<p class="m2if-note">{base} ')
    assert "With 17 students in the finished cohort, each figure" in one
    assert "Avec 17 étudiants dans la promotion terminée" in note(
        {"old": 17, "new": 20}, ("old",), "fr")
    assert "With 35 students in the finished cohorts," in note(
        {"a": 15, "b": 20, "c": 5}, ("a", "b"), "en")  # only the finished ones count
    assert note({"old": 2000, "new": 1900}, ("old",), "en") == f'<p class="m2if-note">{base}</p>'
    assert "few cases" not in note({"a": 30, "b": 30}, ("a", "b"), "en")  # 60 together
    assert "few cases" not in note({"new": 20}, (), "en")  # nothing measured: no figure
