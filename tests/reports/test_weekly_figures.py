"""Report figures on a hand-made cohort: 3 students × 4 weeks, week 3 a holiday, week 4 still
running. Each test checks what a wrong figure would get wrong."""

from __future__ import annotations

import datetime as dt
import re

import IPython.display
import polars as pl
import pytest

from m2if_analytics.i18n import hours, t
from m2if_analytics.reports import kit
from m2if_analytics.reports.weekly import figures as plots

WEEKS = [dt.date(2027, 1, 25), dt.date(2027, 2, 1), dt.date(2027, 2, 8), dt.date(2027, 2, 15)]
ISO = ["2027-W04", "2027-W05", "2027-W06", "2027-W07"]
HOLIDAY = [False, False, True, False]
IN_PROGRESS = [False, False, False, True]
# student → (group, hours per week, sessions per week, active days per week)
COHORT = {
    "pb": ("B", [20.0, 12.5, 0.0, 3.0], [6, 4, 0, 1], [5, 3, 0, 1]),
    "pz": (None, [0.0, 0.0, 0.0, 0.0], [0, 0, 0, 0], [0, 0, 0, 0]),
    "pa": ("A", [15.0, 30.25, 2.0, 1.5], [5, 9, 1, 1], [4, 6, 1, 1]),
}
ORDER = ["pa", "pb", "pz"]  # group A, group B, no group


def weekly_frame() -> pl.DataFrame:
    rows = []
    for student, (group, hrs, sessions, days) in COHORT.items():
        for i, week in enumerate(WEEKS):
            target = 0.0 if HOLIDAY[i] else 15.0
            rows.append({
                "student": student, "week_start": week, "iso_week": ISO[i], "hours": hrs[i],
                "sessions": sessions[i], "active_days": days[i], "events": sessions[i] * 10,
                "target_hours": target,
                "below_target": hrs[i] < target and not IN_PROGRESS[i],
                "cohort": "2026-2027", "holiday": HOLIDAY[i], "in_progress": IN_PROGRESS[i],
                "group": group})
    return pl.DataFrame(rows).sample(fraction=1.0, shuffle=True, seed=3)  # order must not matter


PACE = [500.0, 1000.0, 1000.0, 1500.0]
TARGET_CUMULATIVE = [15.0, 30.0, 30.0, 45.0]


def cumulative_frame() -> pl.DataFrame:
    rows = []
    for student, (group, hrs, _, _) in COHORT.items():
        total = 0.0
        for i, week in enumerate(WEEKS):
            total += hrs[i]
            rows.append({"student": student, "group": group, "week_start": week,
                         "iso_week": ISO[i], "hours": hrs[i], "cumulative_hours": total,
                         "pace_hours": PACE[i], "target_cumulative": TARGET_CUMULATIVE[i],
                         "in_progress": IN_PROGRESS[i]})
    return pl.DataFrame(rows)


def named(fig, name: str) -> list:
    return [s for s in fig.layout.shapes if s.name == name]


def column_of(shape) -> int:
    """The heatmap column a full-height rectangle covers."""
    assert shape.x1 - shape.x0 == 1 and (shape.y0, shape.y1, shape.yref) == (0, 1, "paper")
    return int(shape.x0 + 0.5)


# engagement heatmap ----------------------------------------------------------------------


def test_heatmap_rows_are_students_by_group_then_pseudonym_and_columns_the_weeks_in_order():
    heat = plots.engagement_heatmap(weekly_frame()).data[0]
    assert list(heat.y) == ORDER
    assert list(heat.x) == ISO
    assert [list(row) for row in heat.z] == [COHORT[s][1] for s in ORDER]


def test_heatmap_colours_diverge_around_the_target():
    heat = plots.engagement_heatmap(weekly_frame(), target=10.0).data[0]
    assert heat.zmin == 0 and heat.zmax >= 20.0
    middle = dict((pos, colour) for pos, colour in heat.colorscale)[10.0 / heat.zmax]
    assert middle == "#f7f7f7"  # neutral exactly at the target
    assert heat.colorscale[0][1] != heat.colorscale[-1][1]


def test_heatmap_marks_holiday_weeks_the_week_in_progress_and_the_report_week():
    for lang in ("fr", "en"):
        fig = plots.engagement_heatmap(weekly_frame(), lang)
        assert [column_of(s) for s in named(fig, t("holiday_week", lang))] == [2]
        [running] = named(fig, t("week_in_progress", lang))
        assert column_of(running) == 3 and running.line.dash == "dash"
        assert [(a.text, a.x) for a in fig.layout.annotations] == [
            (t("week_in_progress", lang), 3)]
        # by default the latest complete week (here the holiday week) is outlined
        assert [column_of(s) for s in named(fig, t("report_week", lang))] == [2]
    fig = plots.engagement_heatmap(weekly_frame(), report_week=WEEKS[1])
    assert [column_of(s) for s in named(fig, t("report_week"))] == [1]
    with pytest.raises(ValueError, match="2027-03-01"):
        plots.engagement_heatmap(weekly_frame(), report_week=dt.date(2027, 3, 1))


def test_heatmap_hover_gives_hours_sessions_and_active_days_in_the_language():
    fr = plots.engagement_heatmap(weekly_frame()).data[0].text
    en = plots.engagement_heatmap(weekly_frame(), "en").data[0].text
    assert hours(30.25) in fr[0][1] and "Sessions\u00a0: 9" in fr[0][1]
    assert "Jours actifs\u00a0: 6" in fr[0][1] and "semaine 2027-W05" in fr[0][1]
    assert hours(30.25, "en") in en[0][1] and "Active days: 6" in en[0][1]
    assert t("holiday_week") in fr[2][2] and t("holiday_week") not in fr[2][1]


def test_heatmap_labels_follow_the_language():
    fr, en = (plots.engagement_heatmap(weekly_frame(), lang) for lang in ("fr", "en"))
    assert fr.layout.title.text == t("fig_engagement_title", "fr")
    assert en.layout.title.text == t("fig_engagement_title", "en")
    assert fr.layout.title.text != en.layout.title.text
    assert (fr.layout.xaxis.title.text, en.layout.xaxis.title.text) == ("Semaine", "Week")
    assert fr.layout.yaxis.title.text == t("axis_student", "fr")


# cumulative hours ------------------------------------------------------------------------


def test_cumulative_lines_end_at_each_students_total_and_the_pace_lines_at_theirs():
    fig = plots.cumulative_hours(cumulative_frame())
    students = [tr for tr in fig.data if tr.line.width == 1]
    ends = {tr.text[-1].split("<br>")[0]: tr.y[-1] for tr in students}
    assert ends == {s: sum(COHORT[s][1]) for s in COHORT}
    assert [tr.x[-1] for tr in students] == [WEEKS[-1]] * 3
    pace = {tr.name: list(tr.y) for tr in fig.data if tr.line.width == 4}
    assert pace == {t("pace", hours="1\u202f500\u00a0h"): PACE,
                    t("target_cumulative", hours="15\u00a0h"): TARGET_CUMULATIVE}


def test_cumulative_colours_students_by_group_and_says_it_is_platform_time_only():
    for lang in ("fr", "en"):
        fig = plots.cumulative_hours(cumulative_frame(), lang)
        lines = [tr for tr in fig.data if tr.line.width == 1]
        assert [tr.name for tr in lines] == [f"{t('group', lang)} A", f"{t('group', lang)} B",
                                             t("no_group", lang)]
        assert len({tr.line.color for tr in lines}) == 3
        [note] = fig.layout.annotations
        assert t("platform_time_only", lang) in note.text
        assert t("platform_time_note", lang) in note.text
        assert fig.layout.title.text == t("fig_cumulative_title", lang)
        [running] = named(fig, t("week_in_progress", lang))
        assert running.x0 == WEEKS[-1]


# hours distribution ----------------------------------------------------------------------


def test_distribution_has_the_weeks_hours_and_a_labelled_line_at_the_target():
    fig = plots.hours_distribution(weekly_frame(), WEEKS[1], target=15.0)
    [histogram] = fig.data
    assert sorted(histogram.x) == sorted(COHORT[s][1][1] for s in COHORT)
    [line] = named(fig, t("target", hours="15\u00a0h"))
    assert (line.type, line.x0, line.x1) == ("line", 15.0, 15.0)
    assert "Objectif 15\u00a0h" in [a.text for a in fig.layout.annotations]
    [median] = named(fig, t("median", hours=hours(12.5)))
    assert median.x0 == 12.5
    assert fig.layout.title.text == "Heures en ligne, semaine 2027-W05"


def test_distribution_title_says_when_the_week_is_a_holiday_or_still_running():
    assert "holiday week" in plots.hours_distribution(
        weekly_frame(), WEEKS[2], "en").layout.title.text
    assert "week in progress" in plots.hours_distribution(
        weekly_frame(), WEEKS[3], "en").layout.title.text
    with pytest.raises(ValueError, match="2027-03-01"):
        plots.hours_distribution(weekly_frame(), dt.date(2027, 3, 1))


# sessions and active days ----------------------------------------------------------------


def test_sessions_and_days_shows_both_counts_per_student_for_the_week():
    fig = plots.sessions_and_days(weekly_frame(), WEEKS[0], "en")
    sessions, days = fig.data
    assert (sessions.name, days.name) == ("Sessions", "Active days")
    assert list(sessions.x) == list(days.x) == ORDER
    assert list(sessions.y) == [COHORT[s][2][0] for s in ORDER]
    assert list(days.y) == [COHORT[s][3][0] for s in ORDER]
    assert fig.layout.title.text == "Sessions and active days, week 2027-W04"
    assert plots.sessions_and_days(weekly_frame(), WEEKS[0]).data[1].name == "Jours actifs"


# HTML and notebooks ----------------------------------------------------------------------

PLOTLY_JS = "plotly.js v"  # the licence header of the inlined bundle


@pytest.mark.parametrize("include", [True, False])
def test_figure_html_never_points_at_a_cdn(include: bool):
    html = kit.figure_html(plots.hours_distribution(weekly_frame(), WEEKS[0]), include)
    assert "cdn.plot.ly" not in html and "https://cdn" not in html
    assert not re.search(r"<script[^>]*\bsrc=", html)  # nothing fetched
    assert "Plotly.newPlot" in html and '"displaylogo": false' in html
    assert (PLOTLY_JS in html) is include
    assert (len(html) > 1_000_000) is include


def test_show_inlines_plotly_js_only_the_first_time(monkeypatch: pytest.MonkeyPatch):
    shown: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    fig = plots.hours_distribution(weekly_frame(), WEEKS[0])
    kit.reset_show()
    kit.show(fig)
    kit.show(fig)
    kit.show(fig)
    kit.reset_show()
    kit.show(fig)
    assert [PLOTLY_JS in html for html in shown] == [True, False, False, True]
    assert all("Plotly.newPlot" in html for html in shown)
