"""One function per report figure: Polars frames from :mod:`m2if_analytics.api` in, a plotly
``go.Figure`` out, every word from :mod:`m2if_analytics.i18n`. Nothing is drawn or saved here.

    fig = engagement_heatmap(engagement.weekly(ws), lang="en")
    kit.show(fig)                      # in a notebook: plotly.js inlined once, works offline
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import date_format, hours, number, t, week_label
from m2if_analytics.reports import kit, scale
from m2if_analytics.reports.controls import group_label


def _digits(x: float) -> int:
    return 0 if float(x).is_integer() else 1


ROW_PX = 26  # heatmap row height (pixels) at any cohort size
HEATMAP_TOP, HEATMAP_BOTTOM = 100, 110


def _target_text(target: float, lang: str) -> str:
    return hours(target, lang, _digits(target))


def _hover(lang: str, label_key: str, value: str) -> str:
    return kit.hover_pair(t(label_key, lang), value, lang)


def _students_in_order(weekly: pl.DataFrame) -> pl.DataFrame:
    """student, group: sorted by group (no group last) then pseudonym."""
    return (weekly.select("student", "group").unique("student")
            .sort("group", "student", nulls_last=True))


def _one_week(weekly: pl.DataFrame, week_start: dt.date) -> pl.DataFrame:
    rows = weekly.filter(pl.col("week_start") == week_start)
    if rows.is_empty():
        raise ValueError(f"no weekly rows for the week starting {week_start}")
    return rows.join(_students_in_order(weekly).with_row_index("order"), on="student",
                     suffix="_").sort("order")


def _week_title(key: str, rows: pl.DataFrame, lang: str) -> str:
    title = t(key, lang, week=week_label(rows["iso_week"][0], lang))
    if rows["holiday"].any():
        title += f" — {t('holiday_week', lang).lower()}"
    if rows["in_progress"].any():
        title += f" — {t('week_in_progress', lang).lower()}"
    return title


def _column_shape(fig: go.Figure, i: int, name: str, legend: bool, **style: object) -> None:
    """A rectangle over the whole heatmap column ``i`` (categorical x: column i is at x = i)."""
    fig.add_shape(type="rect", x0=i - 0.5, x1=i + 0.5, y0=0, y1=1, xref="x", yref="paper",
                  name=name, legendgroup=name, showlegend=legend, layer="above", **style)


def engagement_heatmap(weekly: pl.DataFrame, lang: str = "fr", target: float = 15.0,
                       report_week: dt.date | None = None) -> go.Figure:
    """Students × weeks coloured by online hours around the weekly target.

    Rows are sorted by group then pseudonym; holiday weeks are greyed, the week in progress
    is dashed and the report week (default: the latest complete week) is outlined.
    """
    if target <= 0:
        raise ValueError(f"target must be positive, got {target}")
    people = _students_in_order(weekly)
    weeks = (weekly.select("week_start", "iso_week", "holiday", "in_progress")
             .group_by("week_start").agg(pl.col("iso_week").first(), pl.col("holiday").any(),
                                         pl.col("in_progress").any()).sort("week_start"))
    cells = {(r["student"], r["week_start"]): r for r in weekly.iter_rows(named=True)}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for student, group in people.iter_rows():
        z.append([])
        text.append([])
        for week_start, iso_week, holiday, in_progress in weeks.iter_rows():
            cell = cells.get((student, week_start))
            z[-1].append(None if cell is None else cell["hours"])
            lines = [f"{student} ({group_label(group, lang)})",
                     week_label(iso_week, lang)]
            if cell is not None:
                lines += [_hover(lang, "online_hours", hours(cell["hours"], lang)),
                          _hover(lang, "sessions", str(cell["sessions"])),
                          _hover(lang, "active_days", str(cell["active_days"]))]
            lines += [t(k, lang) for k, on in (("holiday_week", holiday),
                                                ("week_in_progress", in_progress)) if on]
            text[-1].append("<br>".join(lines))
    fig = go.Figure(go.Heatmap(
        z=z, x=weeks["iso_week"].to_list(), y=people["student"].to_list(), text=text,
        hovertemplate="%{text}<extra></extra>", zmin=0, zmax=2 * target,
        colorscale=kit.DIVERGING, xgap=1, ygap=1,
        # the title runs along the bar: above it, it would sit on the top tick label
        colorbar={"title": {"text": t("axis_online_hours", lang), "side": "right"},
                  "tickvals": [0, target / 2, target, 1.5 * target, 2 * target],
                  "ticktext": [number(v, lang, _digits(v)) for v in
                               (0, target / 2, target, 1.5 * target)]
                  + [f"≥{number(2 * target, lang, _digits(2 * target))}"]}))
    for kind in ("holiday", "in_progress"):
        for n, i in enumerate(weeks.with_row_index("i").filter(pl.col(kind))["i"]):
            if kind == "holiday":
                _column_shape(fig, i, t("holiday_week", lang), n == 0, fillcolor=kit.HOLIDAY_FILL,
                              line={"width": 0}, label={"text": t("holiday_short", lang),
                                                        "textangle": -90})
            else:
                _column_shape(fig, i, t("week_in_progress", lang), n == 0,
                              fillcolor=kit.IN_PROGRESS_FILL, line={"dash": "dash", "width": 2})
                fig.add_annotation(x=i, y=1, xref="x", yref="paper", yanchor="bottom",
                                   xanchor="right", text=t("week_in_progress", lang),
                                   showarrow=False, font={"size": 11})
    complete = weeks.filter(~pl.col("in_progress"))
    if report_week is None and not complete.is_empty():
        report_week = complete["week_start"].max()  # type: ignore[assignment]
    if report_week is not None:
        starts = weeks["week_start"].to_list()
        if report_week not in starts:
            raise ValueError(f"report week {report_week} is not a week of the table")
        _column_shape(fig, starts.index(report_week), t("report_week", lang), True,
                      line={"color": "black", "width": 3})
    # rows of at least ROW_PX pixels, whatever the number of students: the plot area is the
    # height less the top margin (title, legend) and the bottom one (angled week labels)
    return kit.layout(
        fig, lang, title=t("fig_engagement_title", lang),
        height=HEATMAP_TOP + HEATMAP_BOTTOM + ROW_PX * max(len(people), 4),
        xaxis={"title": t("axis_week", lang), "type": "category", "tickangle": -60,
               "automargin": False},
        yaxis={"title": t("axis_student", lang), "type": "category", "autorange": "reversed"},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        margin={"t": HEATMAP_TOP, "b": HEATMAP_BOTTOM})


def engagement(weekly: pl.DataFrame, lang: str = "fr", target: float = 15.0,
               report_week: dt.date | None = None) -> go.Figure:
    """:func:`engagement_heatmap`, or past :data:`~m2if_analytics.reports.scale.LARGE_COHORT`
    students the weekly hours' quantile bands over weeks (a dropdown per group)."""
    if not scale.is_large(scale.students_of(weekly)):
        return engagement_heatmap(weekly, lang, target, report_week)
    bands = scale.quantile_bands(weekly, "hours", by_group=True, target=target)
    return scale.bands_figure(bands, lang, title=t("scale_fig_engagement_title", lang),
                              axis=t("axis_online_hours", lang),
                              fmt=lambda v: hours(v, lang), target=target,
                              report_week=report_week)


def cumulative(cum: pl.DataFrame, lang: str = "fr", *, target: float = 15.0,
               total_hours: float = 1500.0, report_week: dt.date | None = None) -> go.Figure:
    """:func:`cumulative_hours`, or past :data:`~m2if_analytics.reports.scale.LARGE_COHORT`
    students the cumulative hours' quantile bands against the pace and the cumulative
    target (a dropdown per group)."""
    if not scale.is_large(scale.students_of(cum)):
        return cumulative_hours(cum, lang, target=target, total_hours=total_hours)
    return cumulative_bands(cum, cum.unique("week_start").sort("week_start"), lang,
                            target=target, total_hours=total_hours, report_week=report_week)


def cumulative_bands(cum: pl.DataFrame, line: pl.DataFrame, lang: str = "fr", *,
                     target: float = 15.0, total_hours: float = 1500.0,
                     report_week: dt.date | None = None) -> go.Figure:
    """The cumulative hours' quantile bands (a dropdown per group) against the pace to
    ``total_hours`` and the cumulative ``target`` (``line``: week_start, pace_hours,
    target_cumulative, over the weeks to draw them)."""
    bands = scale.quantile_bands(cum, "cumulative_hours", by_group=True)
    lines = [(line, "pace_hours", t("pace", lang, hours=_target_text(total_hours, lang)),
              {"width": 3, "color": "#333333", "dash": "dash"}),
             (line, "target_cumulative", t("target_cumulative", lang,
                                           hours=_target_text(target, lang)),
              {"width": 3, "color": "#b2182b"})]
    return scale.bands_figure(bands, lang, title=t("scale_fig_cumulative_title", lang),
                              axis=t("axis_cumulative_hours", lang),
                              fmt=lambda v: hours(v, lang, 0), lines=lines,
                              report_week=report_week)


def cumulative_hours(cumulative: pl.DataFrame, lang: str = "fr", *, target: float = 15.0,
                     total_hours: float = 1500.0) -> go.Figure:
    """Each student's cumulative online hours (thin, coloured by group) against the pace to
    the programme's ``total_hours`` and the cumulative weekly ``target`` (bold lines; the
    values come from the frame, the two numbers only label them)."""
    fig = go.Figure()
    groups = sorted({g for g in cumulative["group"] if g is not None})
    colours = {g: kit.GROUP_COLOURS[i % len(kit.GROUP_COLOURS)] for i, g in enumerate(groups)}
    seen: set[str | None] = set()
    ordered = cumulative.sort("group", "student", "week_start", nulls_last=True)
    for (student,), rows in ordered.group_by("student", maintain_order=True):
        group = rows["group"][0]
        label = group_label(group, lang)
        fig.add_trace(go.Scatter(
            x=rows["week_start"].to_list(), y=rows["cumulative_hours"].to_list(),
            mode="lines", name=label, legendgroup=label, showlegend=group not in seen, opacity=0.7,
            line={"width": 1, "color": colours.get(group, kit.NO_GROUP_COLOUR)},
            text=[f"{student}<br>{week_label(w, lang)}<br>{hours(h, lang)}"
                  for w, h in zip(rows["iso_week"], rows["cumulative_hours"], strict=True)],
            hovertemplate="%{text}<extra></extra>"))
        seen.add(group)
    pace = cumulative.unique("week_start").sort("week_start")
    for column, name, style in (
            ("pace_hours", t("pace", lang, hours=_target_text(total_hours, lang)),
             {"width": 4, "color": "#333333", "dash": "dash"}),
            ("target_cumulative", t("target_cumulative", lang, hours=_target_text(target, lang)),
             {"width": 4, "color": "#b2182b"})):
        fig.add_trace(go.Scatter(
            x=pace["week_start"].to_list(), y=pace[column].to_list(), mode="lines", name=name,
            line=style,
            text=[f"{name}<br>{week_label(w, lang)}<br>{hours(v, lang)}"
                  for w, v in zip(pace["iso_week"], pace[column], strict=True)],
            hovertemplate="%{text}<extra></extra>"))
    for n, week_start in enumerate(pace.filter(pl.col("in_progress"))["week_start"]):
        fig.add_vrect(x0=week_start, x1=week_start + dt.timedelta(days=7), fillcolor="#dddddd",
                      opacity=0.5, line={"dash": "dash", "width": 1}, layer="below",
                      name=t("week_in_progress", lang), showlegend=n == 0)
    fig.add_annotation(
        text=f"<b>{t('platform_time_only', lang)}</b> — {t('platform_time_note', lang)}",
        xref="paper", yref="paper", x=0, y=-0.18, xanchor="left", yanchor="top",
        showarrow=False, font={"size": 11})
    return kit.layout(fig, lang, title=t("fig_cumulative_title", lang), height=520,
                   xaxis_title=t("axis_week", lang), margin={"b": 120},
                   # numeric dates: plotly.js ships month names in English only
                   xaxis_tickformat=date_format(lang),
                   yaxis={"title": t("axis_cumulative_hours", lang), "separatethousands": True})


def hours_distribution(weekly: pl.DataFrame, week_start: dt.date, lang: str = "fr",
                       target: float = 15.0) -> go.Figure:
    """Histogram of one week's online hours (2.5 h bins for a 15 h target), with the target
    and the median as labelled vertical lines."""
    rows = _one_week(weekly, week_start)
    values = rows["hours"].to_list()
    size = target / 6 if target > 0 else 1.0
    fig = go.Figure(go.Histogram(
        x=values, xbins={"start": 0, "end": max([2 * target, *values]) + size, "size": size},
        marker={"color": "#67a9cf", "line": {"color": "white", "width": 1}},
        name=t("axis_student_count", lang),
        hovertemplate=f"%{{x}}<br>{_hover(lang, 'axis_student_count', '%{y}')}<extra></extra>"))
    median = rows["hours"].median()
    # the label of the leftmost line goes to its left, the other one to its right
    for x, name, colour, dash, side in (
            (target, t("target", lang, hours=_target_text(target, lang)), "#b2182b", "solid",
             "right" if target <= median else "left"),
            (median, t("median", lang, hours=hours(median, lang)), "#333333", "dot",
             "left" if target <= median else "right")):
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, xref="x", yref="paper", name=name,
                      line={"color": colour, "width": 3, "dash": dash})
        fig.add_annotation(x=x, y=1, xref="x", yref="paper", text=name, showarrow=False,
                           xanchor=side, yanchor="bottom", font={"color": colour})
    return kit.layout(fig, lang, title=_week_title("fig_week_hours_title", rows, lang),
                   height=420, bargap=0.05, margin={"t": 90}, showlegend=False,
                   xaxis={"title": t("axis_online_hours", lang),
                          "range": [0, max([2 * target, *values]) + size]},
                   yaxis={"title": t("axis_student_count", lang),
                          "dtick": None if scale.is_large(len(values)) else 1})


def week_activity(weekly: pl.DataFrame, week_start: dt.date, lang: str = "fr") -> go.Figure:
    """:func:`sessions_and_days`, or past :data:`~m2if_analytics.reports.scale.LARGE_COHORT`
    students how many students had each number of sessions and of active days that week."""
    if not scale.is_large(scale.students_of(weekly)):
        return sessions_and_days(weekly, week_start, lang)
    rows = _one_week(weekly, week_start)
    return scale.count_bars({t("sessions", lang): rows["sessions"],
                             t("active_days", lang): rows["active_days"]}, lang,
                            title=_week_title("scale_fig_week_activity_title", rows, lang),
                            axis=t("axis_count", lang))


def sessions_and_days(weekly: pl.DataFrame, week_start: dt.date, lang: str = "fr") -> go.Figure:
    """Grouped bars per student (group then pseudonym): sessions and active days that week."""
    rows = _one_week(weekly, week_start)
    text = ["<br>".join([s, _hover(lang, "online_hours", hours(h, lang))])
            for s, h in zip(rows["student"], rows["hours"], strict=True)]
    fig = go.Figure()
    for column, colour in (("sessions", "#2166ac"), ("active_days", "#ef8a62")):
        fig.add_trace(go.Bar(
            x=rows["student"].to_list(), y=rows[column].to_list(), name=t(column, lang),
            marker_color=colour, customdata=text,
            hovertemplate=f"%{{customdata}}<br>{_hover(lang, column, '%{y}')}<extra></extra>"))
    return kit.layout(fig, lang, title=_week_title("fig_sessions_title", rows, lang),
                   height=460, barmode="group",
                   xaxis={"title": t("axis_student", lang), "type": "category",
                          "tickangle": -60},
                   yaxis={"title": t("axis_count", lang), "dtick": 1})
