"""The cohort overview past :data:`~m2if_analytics.reports.scale.LARGE_COHORT` students:
distributions and ranked lists where the small-cohort figures draw one row per student.

    if scale.is_large(overview.headline.students):
        kit.show(large.cumulative(overview.cumulative, overview.pace_line, "en", ...))
        display(HTML(large.attention(overview.levels, s.week_start, "en")))

Each function takes the frames of :mod:`.data` (as :mod:`.figures` does) and returns a plotly
figure or escaped HTML; every word comes from i18n (``scale_*`` and the overview's keys).
"""

from __future__ import annotations

import datetime as dt
from html import escape

import numpy as np
import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import number, t
from m2if_analytics.reports import kit, scale
from m2if_analytics.reports.kit import LEVEL_COLOURS
from m2if_analytics.reports.weekly import figures as weekly_figures


def engagement(weekly: pl.DataFrame, lang: str = "fr", target: float = 15.0,
               report_week: dt.date | None = None) -> go.Figure:
    """Weekly hours' quantile bands over the weeks, a dropdown per group."""
    return weekly_figures.engagement(weekly, lang, target, report_week)


def cumulative(cum: pl.DataFrame, line: pl.DataFrame, lang: str = "fr", *,
               target: float = 15.0, total_hours: float = 1500.0,
               report_week: dt.date | None = None) -> go.Figure:
    """Cumulative hours' quantile bands against the pace to ``total_hours`` and the
    cumulative target over the whole year (``line``: overview.pace_line)."""
    return weekly_figures.cumulative_bands(cum, line, lang, target=target,
                                           total_hours=total_hours, report_week=report_week)


def ranking(levels: pl.DataFrame, week_start: dt.date) -> pl.DataFrame:
    """Students in the order they need attention at the report week: red, then amber, then
    green; then the most weeks at red, then at amber so far; then pseudonym. Columns:
    student, group, level, red_weeks, amber_weeks, reasons (at the report week)."""
    counts = levels.group_by("student").agg(
        (pl.col("level") == "red").sum().cast(pl.Int64).alias("red_weeks"),
        (pl.col("level") == "amber").sum().cast(pl.Int64).alias("amber_weeks"))
    now = levels.filter(pl.col("week_start") == week_start).select(
        "student", "group", "level", "reasons")
    rank = {"red": 0, "amber": 1, "green": 2}
    return (now.join(counts, on="student", how="left")
            .sort(pl.col("level").replace_strict(rank, return_dtype=pl.Int64),
                  -pl.col("red_weeks"), -pl.col("amber_weeks"), "student")
            .select("student", "group", "level", "red_weeks", "amber_weeks", "reasons"))


def attention(levels: pl.DataFrame, week_start: dt.date, lang: str = "fr") -> str:
    """The ranked list of :func:`ranking`: its first students as a table, all of them as a
    CSV file inside the page."""
    heads = [t(k, lang) for k in ("student", "group", "risk_level", "scale_col_red_weeks",
                                  "scale_col_amber_weeks", "risk_reasons")]

    def table(part: pl.DataFrame) -> str:
        rows = [[escape(r["student"]), escape(r["group"] or ""), kit.badge(r["level"], lang),
                 str(r["red_weeks"]), str(r["amber_weeks"]), escape(r["reasons"])]
                for r in part.iter_rows(named=True)]
        return kit.table(heads, rows, numeric=(3, 4), html_cells=True)

    title = f"<h3>{escape(t('scale_attention_title', lang))}</h3>"
    return title + scale.capped(table, ranking(levels, week_start), "attention.csv", lang)


def group_summary(levels: pl.DataFrame, weekly: pl.DataFrame, week_start: dt.date
                  ) -> pl.DataFrame:
    """One row per group at the report week (no group last): group, students, median hours
    of the week, below (students under the weekly target that week), red, amber, green.
    ``levels``: overview.levels; ``weekly``: overview.engagement."""
    week = weekly.filter(pl.col("week_start") == week_start).group_by("group").agg(
        pl.col("hours").median().alias("median_hours"),
        pl.col("below_target").sum().cast(pl.Int64).alias("below"))
    now = levels.filter(pl.col("week_start") == week_start).group_by("group").agg(
        pl.col("student").n_unique().cast(pl.Int64).alias("students"),
        *[(pl.col("level") == lv).sum().cast(pl.Int64).alias(lv)
          for lv in ("red", "amber", "green")])
    return (now.join(week, on="group", how="left", nulls_equal=True)
            .select("group", "students", "median_hours", "below", "red", "amber", "green")
            .sort("group", nulls_last=True))


def groups(levels: pl.DataFrame, weekly: pl.DataFrame, week_start: dt.date,
           lang: str = "fr") -> str:
    """The per-group table of :func:`group_summary`; empty when the roster has no groups."""
    frame = group_summary(levels, weekly, week_start)
    if frame.filter(pl.col("group").is_not_null()).is_empty():
        return ""
    heads = [t(k, lang) for k in ("group", "scale_col_students", "scale_col_median_hours",
                                  "scale_col_below_target", "risk_level_red",
                                  "risk_level_amber", "risk_level_green")]
    rows = [[escape(r["group"] or t("scale_no_group", lang)), str(r["students"]),
             "–" if r["median_hours"] is None else number(r["median_hours"], lang, 1),
             str(r["below"] or 0), str(r["red"]), str(r["amber"]), str(r["green"])]
            for r in frame.iter_rows(named=True)]
    return (f"<h3>{escape(t('scale_group_summary_title', lang))}</h3>"
            + kit.table(heads, rows, numeric=(1, 2, 3, 4, 5, 6)))


def flagged_weeks(levels: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """How many students spent each number of weeks at amber or red so far."""
    weeks = levels.group_by("student").agg(
        pl.col("level").is_in(["amber", "red"]).sum().cast(pl.Int64).alias("flagged"))
    name = t("scale_axis_flagged_weeks", lang)
    return scale.count_bars({name: weeks["flagged"]}, lang,
                            title=t("scale_fig_flagged_weeks_title", lang), axis=name,
                            colours=(LEVEL_COLOURS["amber"],))


def ue_means(ue: pl.DataFrame, lang: str = "fr", pass_mark: float = 10.0) -> go.Figure:
    """One box per UE: the spread of the students' means (graded ones), the pass mark as a
    line, how many are below it under each UE's code."""
    fig = go.Figure()
    for (code,), part in ue.group_by("ue", maintain_order=True):
        means = part["mean"].drop_nulls()
        below = int((means < pass_mark).sum())
        label = (f"{code}<br>" + escape(t("scale_below_pass", lang, below=below,
                                           graded=means.len())))
        fig.add_trace(go.Box(y=means.to_numpy().astype(np.float64), name=label,
                             boxpoints=False, marker_color="#2166ac", showlegend=False,
                             hoverinfo="y"))
    fig.add_hline(y=pass_mark, line={"color": "#b2182b", "width": 2, "dash": "dash"})
    return kit.layout(fig, lang, title=t("scale_fig_ue_title", lang,
                                         pass_mark=number(pass_mark, lang, 0)),
                      height=480, yaxis={"title": t("overview_mean", lang), "range": [0, 20]},
                      xaxis={"title": t("overview_axis_ue", lang), "type": "category"},
                      margin={"t": 90, "b": 110})


def internship(frame: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """A histogram of internship days done, behind the pace in red and on pace in blue,
    with the median of the days expected by now and the programme's minimum as lines."""
    fig = go.Figure()
    minimum = float(frame["min_days"][0]) if frame.height else 100.0
    for behind in (False, True):
        part = frame.filter(pl.col("behind").fill_null(False) == behind)
        name = t("overview_internship_behind" if behind else "overview_internship_on_pace", lang)
        fig.add_trace(go.Histogram(
            x=part["days_done"].fill_null(0).to_numpy().astype(np.float64), name=name,
            xbins={"start": 0, "size": 5}, marker_color=LEVEL_COLOURS["red"] if behind
            else "#4393c3"))
    expected = frame["expected_days"].median()
    for x, label, dash in ((expected, t("overview_expected_days", lang), "dot"),
                           (minimum, t("overview_min_days", lang,
                                       days=number(minimum, lang, 0)), "dash")):
        if x is not None:
            fig.add_vline(x=float(x), line={"color": "#333333", "width": 2, "dash": dash},
                          annotation_text=escape(label), annotation_position="top")
    return kit.layout(fig, lang, title=t("scale_fig_internship_title", lang), barmode="stack",
                      height=460, xaxis={"title": t("overview_axis_days", lang)},
                      yaxis={"title": t("axis_student_count", lang)},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                      margin={"t": 110})


def competences(frame: pl.DataFrame, lang: str = "fr", pass_mark: float = 10.0) -> str:
    """Per competence set: students, how many have a mean, the median mean and how many are
    below the pass mark (instead of one row per student)."""
    summary = frame.group_by("competence", maintain_order=True).agg(
        pl.col("student").n_unique().alias("students"),
        pl.col("mean").is_not_null().sum().alias("graded"),
        pl.col("mean").median().alias("median"),
        (pl.col("mean") < pass_mark).sum().alias("below"))
    rows = [[escape(r["competence"]), str(r["students"]), str(r["graded"]),
             number(r["median"], lang, 2) if r["median"] is not None else "–", str(r["below"])]
            for r in summary.iter_rows(named=True)]
    heads = [t("scale_col_competence", lang), t("scale_col_students", lang),
             t("scale_col_graded", lang), t("scale_col_median", lang),
             t("scale_col_below", lang)]
    return kit.table(heads, rows, numeric=range(1, 5), html_cells=True)
