"""Figures of the cohort overview: frames from :mod:`.data` in, a plotly
``go.Figure`` out (hover texts escaped), every word from i18n (``overview_*``).

    data = overview.load(ws, week="2027-W10")
    kit.show(engagement(data.engagement, "en", report_week=data.scope.week_start))

Figures over weeks carry buttons choosing the weeks (every week, the last 12 or 4), figures
over students a dropdown choosing whom they show (the whole cohort, a group, one student):
plotly controls, so they work in the offline HTML report. Students are sorted by group then
pseudonym everywhere, so that a group is a band of rows the dropdown zooms to.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import day as i18n_day
from m2if_analytics.i18n import hours, number, t, week_label
from m2if_analytics.reports import kit
from m2if_analytics.reports.controls import (
    Selection,
    dropdown,
    group_label,
    place,
    selections,
    visible,
    week_buttons,
)
from m2if_analytics.reports.kit import LEVEL_COLOURS, NO_GROUP_COLOUR, STATUS_COLOURS
from m2if_analytics.reports.overview.data import ALL, FORECAST
from m2if_analytics.reports.weekly import figures as weekly_figures

ROW_PX = 24  # height of one student's row in the heatmaps


def _date_axis(lang: str, **extra: object) -> dict:
    return kit.date_axis(lang, title=t("axis_week", lang), **extra)


def _members(frame: pl.DataFrame) -> pl.DataFrame:
    """student, group of a per-student frame, sorted by group (no group last), pseudonym."""
    return frame.select("student", "group").unique("student").sort("group", "student",
                                                                   nulls_last=True)


def _colours(groups: list[str | None]) -> dict[str | None, str]:
    return kit.group_colours(groups, unnamed=(None, ALL)) | {ALL: "#222222"}


def _zoom(order: list[tuple[str, str | None]], options: list[Selection], axis: str,
          reversed_axis: bool) -> dict:
    """A dropdown that zooms a category ``axis`` of students (``order``: (student, group)
    in axis order) onto the rows or columns of each selection (contiguous: sorted by group)."""
    buttons = []
    for option in options:
        if option.group == ALL and option.student is None:
            args = [{f"{axis}.autorange": "reversed" if reversed_axis else True}]
        else:
            hits = [i for i, (s, g) in enumerate(order) if option.matches(g, s)]
            low, high = min(hits) - 0.5, max(hits) + 0.5
            args = [{f"{axis}.range": [high, low] if reversed_axis else [low, high],
                     f"{axis}.autorange": False}]
        buttons.append((option.label, args))
    return dropdown(buttons, method="relayout")


# --- figures -------------------------------------------------------------------------------

def engagement(weekly: pl.DataFrame, lang: str = "fr", target: float = 15.0,
               report_week: dt.date | None = None) -> go.Figure:
    """The weekly report's ``engagement_heatmap`` with a dropdown zooming onto a group or a
    student and buttons choosing the weeks."""
    fig = weekly_figures.engagement_heatmap(weekly, lang, target, report_week)
    people = _members(weekly)
    order = list(people.iter_rows())
    menus = [_zoom(order, selections(people, lang, students=True), "yaxis", True),
             week_buttons(list(fig.data[0].x), lang)]
    return place(fig, menus, height=220 + ROW_PX * max(len(order), 1), top=160, bottom=90)


def cumulative(cum: pl.DataFrame, line: pl.DataFrame, lang: str = "fr", *,
               target: float = 15.0, total_hours: float = 1500.0,
               report_week: dt.date | None = None) -> go.Figure:
    """Each student's cumulative online hours (thin, coloured by group) and the median of the
    selection (bold) against the pace to ``total_hours`` and the cumulative weekly target
    over the whole year (``line``: overview.pace_line). The dropdown shows the whole cohort,
    a group (its median) or one student (against the cohort's median)."""
    people = _members(cum)
    colours = _colours(people["group"].to_list())
    options = selections(people, lang, students=True)
    fig = go.Figure()
    owners: list[tuple[str, str | None]] = []  # (kind, key) of each trace, for visibility
    for student, group in people.iter_rows():
        rows = cum.filter(pl.col("student") == student).sort("week_start")
        fig.add_trace(go.Scatter(
            x=rows["week_start"].to_list(), y=rows["cumulative_hours"].to_list(), mode="lines",
            name=student, showlegend=False, opacity=0.6,
            line={"width": 1, "color": colours.get(group, NO_GROUP_COLOUR)},
            text=[f"{student} ({group_label(group, lang)})<br>{week_label(w, lang)}<br>"
                  f"{hours(h, lang)}" for w, h in zip(rows["iso_week"], rows["cumulative_hours"],
                                                      strict=True)],
            hovertemplate="%{text}<extra></extra>"))
        owners.append(("student", student))
    for key in dict.fromkeys(o.group_key for o in options):
        part = cum if key == ALL else cum.filter(pl.col("group").eq_missing(key))
        med = part.group_by("week_start", "iso_week").agg(pl.col("cumulative_hours").median()
                                                         ).sort("week_start")
        name = t("overview_median_of", lang, who=group_label(key, lang))
        fig.add_trace(go.Scatter(
            x=med["week_start"].to_list(), y=med["cumulative_hours"].to_list(), mode="lines",
            name=name, visible=key == ALL, line={"width": 4, "color": colours.get(key, "#222")},
            text=[f"{name}<br>{week_label(w, lang)}<br>{hours(h, lang)}"
                  for w, h in zip(med["iso_week"], med["cumulative_hours"], strict=True)],
            hovertemplate="%{text}<extra></extra>"))
        owners.append(("median", key))
    for column, name, style in (
            ("pace_hours", t("pace", lang, hours=hours(total_hours, lang, 0)),
             {"width": 3, "color": "#333333", "dash": "dash"}),
            ("target_cumulative", t("target_cumulative", lang, hours=hours(target, lang, 0)),
             {"width": 3, "color": "#b2182b"})):
        fig.add_trace(go.Scatter(
            x=line["week_start"].to_list(), y=line[column].to_list(), mode="lines", name=name,
            line=style, text=[f"{name}<br>{week_label(w, lang)}<br>{hours(v, lang)}"
                              for w, v in zip(line["iso_week"], line[column], strict=True)],
            hovertemplate="%{text}<extra></extra>"))
        owners.append(("line", None))
    buttons = []
    for option in options:
        flags = [kind == "line" or (kind == "student" and option.matches(
            people.filter(pl.col("student") == key)["group"][0], key))
            or (kind == "median" and key == option.group_key) for kind, key in owners]
        buttons.append((option.label, visible(flags)))
    if report_week is not None:
        fig.add_shape(type="line", x0=report_week, x1=report_week, y0=0, y1=1, yref="paper",
                      line={"color": "black", "width": 2, "dash": "dot"})
        fig.add_annotation(x=report_week, y=1, yref="paper", text=t("report_week", lang),
                           showarrow=False, xanchor="right", yanchor="bottom")
    fig.add_annotation(
        text=f"<b>{t('platform_time_only', lang)}</b> — {t('platform_time_note', lang)}",
        xref="paper", yref="paper", x=0, y=-0.2, xanchor="left", yanchor="top",
        showarrow=False, font={"size": 11})
    kit.layout(fig, lang, title=t("overview_fig_cumulative_title", lang,
                               hours=hours(total_hours, lang, 0)),
            xaxis=_date_axis(lang), legend={"orientation": "h", "x": 0, "y": 1.02,
                                            "yanchor": "bottom"},
            yaxis={"title": t("axis_cumulative_hours", lang), "separatethousands": True,
                   "rangemode": "tozero"})
    weeks = sorted(set(cum["week_start"]))
    return place(fig, [dropdown(buttons), week_buttons(weeks, lang)], height=600, bottom=120)


def risk_levels(counts: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Stacked bars: students red, amber and green at each complete week (``counts``:
    overview.level_counts(levels, by_group=True)); the dropdown shows a group's bars."""
    fig = go.Figure()
    keys = list(dict.fromkeys(counts["group"].to_list()))
    for key in keys:
        part = counts.filter(pl.col("group").eq_missing(key)).sort("week_start")
        for level in ("red", "amber", "green"):
            word = t(f"risk_level_{level}", lang).capitalize()
            fig.add_trace(go.Bar(
                x=part["week_start"].to_list(), y=part[level].to_list(), name=word,
                visible=key == ALL, marker={"color": LEVEL_COLOURS[level], "opacity": [
                    0.45 if h else 1.0 for h in part["holiday"]]},
                text=[f"{group_label(key, lang)}<br>{week_label(w, lang)}<br>"
                      f"{kit.hover_pair(word, f'{n}/{total}', lang)}" for w, n, total in
                      zip(part["iso_week"], part[level], part["students"], strict=True)],
                textposition="none", hovertemplate="%{text}<extra></extra>"))
    buttons = [(group_label(key, lang), visible([k == key for k in keys for _ in range(3)]))
               for key in keys]
    kit.holiday_bands(fig, counts, lang)
    kit.layout(fig, lang, title=t("overview_fig_levels_title", lang), barmode="stack",
            bargap=0.1, xaxis=_date_axis(lang), yaxis={"title": t("axis_student_count", lang),
                                                       "rangemode": "tozero"},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                    "traceorder": "normal"})
    weeks = sorted(set(counts["week_start"]))
    return place(fig, [dropdown(buttons), week_buttons(weeks, lang)], height=480)


def student_levels(levels: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Students × complete weeks coloured by risk level, the reasons in the hover; the
    dropdown zooms onto a group or a student."""
    people = _members(levels)
    weeks = levels.select("week_start", "iso_week").unique().sort("week_start")
    cells = {(r["student"], r["week_start"]): r for r in levels.iter_rows(named=True)}
    code = {"green": 0, "amber": 1, "red": 2}
    z, text = [], []
    for student, group in people.iter_rows():
        z.append([])
        text.append([])
        for monday, iso in weeks.iter_rows():
            cell = cells.get((student, monday))
            z[-1].append(None if cell is None else code[cell["level"]])
            text[-1].append("" if cell is None else "<br>".join([
                f"{student} ({group_label(group, lang)})", week_label(iso, lang),
                kit.hover_pair(t("risk_level", lang), t(f"risk_level_{cell['level']}", lang), lang),
                escape(cell["reasons"])]))
    scale = [[0, LEVEL_COLOURS["green"]], [1 / 3, LEVEL_COLOURS["green"]],
             [1 / 3, LEVEL_COLOURS["amber"]], [2 / 3, LEVEL_COLOURS["amber"]],
             [2 / 3, LEVEL_COLOURS["red"]], [1, LEVEL_COLOURS["red"]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=weeks["iso_week"].to_list(), y=people["student"].to_list(), text=text,
        hovertemplate="%{text}<extra></extra>", zmin=-0.5, zmax=2.5, colorscale=scale,
        xgap=1, ygap=1, colorbar={"title": {"text": t("risk_level", lang)},
                                  "tickvals": [0, 1, 2],
                                  "ticktext": [t(f"risk_level_{lv}", lang)
                                               for lv in ("green", "amber", "red")]}))
    kit.layout(fig, lang, title=t("overview_fig_student_levels_title", lang),
            xaxis={"title": t("axis_week", lang), "type": "category", "tickangle": -60},
            yaxis={"title": t("axis_student", lang), "type": "category",
                   "autorange": "reversed"})
    order = list(people.iter_rows())
    menus = [_zoom(order, selections(people, lang, students=True), "yaxis", True),
             week_buttons(weeks["iso_week"].to_list(), lang)]
    return place(fig, menus, height=200 + ROW_PX * max(len(order), 1), bottom=90)


def ue_means(ue: pl.DataFrame, lang: str = "fr", pass_mark: float = 10.0) -> go.Figure:
    """Students × UEs coloured by the UE mean around the pass mark (red below, blue above;
    blank: no grade yet), the mean written in each cell; the dropdown zooms onto a group."""
    people = _members(ue)
    units = ue.select("ue", "title", "semester").unique("ue", maintain_order=True)
    cells = {(r["student"], r["ue"]): r for r in ue.iter_rows(named=True)}
    z, shown, text = [], [], []
    for student, group in people.iter_rows():
        z.append([])
        shown.append([])
        text.append([])
        for code, title, semester in units.iter_rows():
            mean = cells.get((student, code), {}).get("mean")
            z[-1].append(mean)
            shown[-1].append("" if mean is None else number(mean, lang))
            text[-1].append("<br>".join([
                f"{student} ({group_label(group, lang)})",
                escape(t("overview_ue_label", lang, ue=code, title=title,
                         semester=f"S{semester}" if semester.isdigit() else semester)),
                kit.hover_pair(t("overview_mean", lang), number(mean, lang) + "/20", lang)
                if mean is not None else t("overview_not_graded", lang)]))
    fig = go.Figure(go.Heatmap(
        z=z, x=units["ue"].to_list(), y=people["student"].to_list(), text=shown,
        texttemplate="%{text}", customdata=text, hovertemplate="%{customdata}<extra></extra>",
        zmin=0, zmax=2 * pass_mark, colorscale=kit.DIVERGING, xgap=1, ygap=1,
        colorbar={"title": {"text": t("overview_mean", lang)},
                  "tickvals": [0, pass_mark / 2, pass_mark, 1.5 * pass_mark, 2 * pass_mark],
                  "ticktext": [number(v, lang, 0) for v in (0, pass_mark / 2, pass_mark,
                                                            1.5 * pass_mark, 2 * pass_mark)]}))
    kit.layout(fig, lang, title=t("overview_fig_ue_title", lang, pass_mark=number(pass_mark, lang,
                                                                               0)),
            xaxis={"title": t("overview_axis_ue", lang), "type": "category", "side": "top"},
            yaxis={"title": t("axis_student", lang), "type": "category",
                   "autorange": "reversed"})
    order = list(people.iter_rows())
    return place(fig, [_zoom(order, selections(people, lang, students=True), "yaxis", True)],
                 height=230 + ROW_PX * max(len(order), 1), top=170, bottom=30)


def forecast(counts: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Horizontal stacked bars: students whose year is validated, on track, blocked by a UE
    below the pass mark, or without grades — the whole cohort, then each group (``counts``:
    overview.forecast_counts)."""
    fig = go.Figure()
    labels = [group_label(g, lang) for g in counts["group"]]
    for status in FORECAST:
        word = t(f"overview_status_{status}", lang)
        fig.add_trace(go.Bar(
            y=labels, x=counts[status].to_list(), orientation="h", name=word,
            marker_color=STATUS_COLOURS[status],
            text=[str(n) if n else "" for n in counts[status]], textposition="inside",
            customdata=[f"{who}<br>{kit.hover_pair(word, f'{n}/{total}', lang)}"
                        for who, n, total in
                        zip(labels, counts[status], counts["students"], strict=True)],
            hovertemplate="%{customdata}<extra></extra>"))
    kit.layout(fig, lang, title=t("overview_fig_forecast_title", lang), barmode="stack",
            height=180 + 44 * counts.height,
            xaxis={"title": t("axis_student_count", lang), "dtick": 1 if
                   (counts["students"].max() or 0) <= 10 else 2},
            yaxis={"type": "category", "autorange": "reversed"},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                    "traceorder": "normal"}, margin={"t": 110})
    return fig


def internship(frame: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Internship days done per student (red: behind the pace) against the days expected by
    now and the programme's minimum; the dropdown zooms onto a group or a student."""
    people = _members(frame)
    rows = people.join(frame.drop("group"), on="student", how="left", maintain_order="left")
    minimum = float(rows["min_days"][0]) if rows.height else 100.0
    fig = go.Figure()
    for behind in (False, True):
        part = rows.filter(pl.col("behind").fill_null(False) == behind)
        name = t("overview_internship_behind" if behind else "overview_internship_on_pace", lang)
        fig.add_trace(go.Bar(
            x=part["student"].to_list(), y=part["days_done"].fill_null(0).to_list(), name=name,
            marker_color=LEVEL_COLOURS["red"] if behind else "#4393c3",
            customdata=[_internship_hover(r, lang) for r in part.iter_rows(named=True)],
            hovertemplate="%{customdata}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=rows["student"].to_list(), y=rows["expected_days"].to_list(), mode="markers",
        name=t("overview_expected_days", lang),
        marker={"symbol": "line-ew-open", "size": 18, "color": "#222222",
                "line": {"width": 3, "color": "#222222"}},
        hoverinfo="skip"))
    fig.add_hline(y=minimum, line={"color": "#333333", "dash": "dash", "width": 2},
                  annotation_text=t("overview_min_days", lang, days=number(minimum, lang, 0)),
                  annotation_position="top left")
    kit.layout(fig, lang, title=t("overview_fig_internship_title", lang), barmode="overlay",
            xaxis={"title": t("axis_student", lang), "type": "category", "tickangle": -60,
                   "categoryorder": "array", "categoryarray": rows["student"].to_list()},
            yaxis={"title": t("overview_axis_days", lang), "rangemode": "tozero"},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    order = list(people.iter_rows())
    return place(fig, [_zoom(order, selections(people, lang, students=True), "xaxis", False)],
                 height=520, bottom=140)


def _internship_hover(r: dict, lang: str) -> str:
    letter = (t("overview_letter_on", lang, day=i18n_day(r["mission_letter_on"], lang))
              if r["mission_letter_on"] is not None else
              t("overview_letter_late", lang) if r["mission_letter_late"] else
              t("overview_letter_none", lang))
    return "<br>".join([
        f"{r['student']} ({group_label(r['group'], lang)})",
        kit.hover_pair(t("overview_days_done", lang), number(r["days_done"], lang), lang),
        kit.hover_pair(t("overview_expected_days", lang), number(r["expected_days"], lang), lang),
        escape(letter)])


def collective(frame: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Share of students who posted in the forums each week, for the whole cohort (bold) and
    each group (gaps: weeks without collective activity); the dropdown picks a group."""
    keys = list(dict.fromkeys(frame["group"].to_list()))
    colours = _colours(keys)
    fig = go.Figure()
    for key in keys:
        part = frame.filter(pl.col("group").eq_missing(key)).sort("week_start")
        name = group_label(key, lang)
        share = [s if c else None for s, c in zip(part["share"], part["collective_week"],
                                                  strict=True)]
        fig.add_trace(go.Scatter(
            x=part["week_start"].to_list(), y=share, mode="lines+markers", name=name,
            line={"width": 4 if key == ALL else 2, "color": colours.get(key, NO_GROUP_COLOUR)},
            text=[f"{name}<br>{week_label(w, lang)}<br>" + t(
                "overview_posting", lang, posting=p, students=n) for w, p, n in
                zip(part["iso_week"], part["posting"], part["students"], strict=True)],
            hovertemplate="%{text}<extra></extra>"))
    buttons = [(t("overview_all_groups", lang), visible([True] * len(keys)))]
    buttons += [(group_label(k, lang), visible([x in (ALL, k) for x in keys]))
                for k in keys if k != ALL]
    kit.holiday_bands(fig, frame, lang)
    kit.layout(fig, lang, title=t("overview_fig_collective_title", lang),
            xaxis=_date_axis(lang),
            yaxis={"title": t("overview_axis_share_posting", lang), "range": [0, 1.05],
                   "tickformat": ".0%"},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    weeks = sorted(set(frame["week_start"]))
    return place(fig, [dropdown(buttons), week_buttons(weeks, lang)], height=480)
