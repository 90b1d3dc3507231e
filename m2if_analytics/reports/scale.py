"""Reports for cohorts of any size: above :data:`LARGE_COHORT` students a report shows
distributions (quantile bands over weeks, histograms), per-group drill-down menus and ranked
lists of the first :data:`TOP` students with the whole list as a CSV file inside the page,
never one plot row per student.

    if scale.is_large(students):
        bands = scale.quantile_bands(weekly, "hours", by_group=True)
        kit.show(scale.bands_figure(bands, lang, title=..., axis=..., target=15))
        display(HTML(scale.capped(rows_html, frame, "risk.csv", lang)))

Figure data go out as typed arrays (numpy arrays, which plotly writes as base64): a
2,000-student report stays a few megabytes.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from html import escape

import numpy as np
import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import number, t, week_label
from m2if_analytics.outputs import csv_text
from m2if_analytics.reports import kit
from m2if_analytics.reports.controls import ALL, dropdown, group_label, place, visible, week_buttons

LARGE_COHORT = 40  # above this many students: distributions and ranked lists
TOP = 25  # rows of a ranked list shown in the page; the CSV holds them all
QUANTILES = (("q10", 0.1), ("q25", 0.25), ("q50", 0.5), ("q75", 0.75), ("q90", 0.9))
BAND_COLOUR = "33,102,172"  # the bands' blue (rgb), the median drawn in it


def is_large(students: int) -> bool:
    """Whether a cohort of ``students`` gets the large-cohort views."""
    return students > LARGE_COHORT


def students_of(frame: pl.DataFrame) -> int:
    """Distinct students of a per-student frame."""
    return frame["student"].n_unique() if frame.height else 0


def note(students: int, lang: str) -> str:
    """The line under a large report's title that says what its figures show."""
    return kit.remark(t("scale_note", lang, students=number(students, lang, 0), top=TOP))


# --- quantile bands over weeks -------------------------------------------------------------

def quantile_bands(frame: pl.DataFrame, value: str, by_group: bool = False,
                   target: float | None = None) -> pl.DataFrame:
    """Per week (and group): week_start, iso_week, holiday, group (:data:`ALL`, then each
    group when ``by_group``), q10, q25, q50, q75, q90 of ``value``, students, below (students
    under ``target``; null without one). ``frame``: one row per student × week with
    week_start, iso_week, group and ``value``; a missing ``holiday`` column reads as False."""
    if "holiday" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("holiday"))
    rows = frame.with_columns(pl.lit(ALL).alias("group"))
    if by_group and frame["group"].drop_nulls().len():  # named groups: one set of bands each
        rows = pl.concat([rows, frame.select(rows.columns)])
    below = ((pl.col(value) < target).sum() if target is not None
             else pl.lit(None, pl.UInt32)).cast(pl.Int64).alias("below")
    out = rows.group_by("week_start", "group").agg(
        pl.col("iso_week").first(), pl.col("holiday").any(),
        *[pl.col(value).quantile(q, "linear").alias(name) for name, q in QUANTILES],
        pl.len().cast(pl.Int64).alias("students"), below)
    return out.sort(pl.col("group") != ALL, "group", "week_start", nulls_last=True).select(
        "week_start", "iso_week", "holiday", "group", *[n for n, _ in QUANTILES], "students",
        "below")


def _band_traces(part: pl.DataFrame, lang: str, label: str, fmt: Callable[[float], str],
                 shown: bool) -> list[go.Scatter]:
    """The 10–90 % band, the 25–75 % band and the median of one group (5 traces)."""
    x = [d.isoformat() for d in part["week_start"]]
    q = {name: part[name].to_numpy().astype(np.float64) for name, _ in QUANTILES}
    hover = []
    for row in part.iter_rows(named=True):
        lines = [f"{label}, {week_label(row['iso_week'], lang)}",
                 t("scale_hover_median", lang, value=fmt(row["q50"])),
                 t("scale_hover_range", lang, share="25–75 %" if lang == "fr" else "25–75%",
                   low=fmt(row["q25"]), high=fmt(row["q75"])),
                 t("scale_hover_range", lang, share="10–90 %" if lang == "fr" else "10–90%",
                   low=fmt(row["q10"]), high=fmt(row["q90"]))]
        if row["below"] is not None:
            lines.append(t("scale_hover_below", lang, below=row["below"],
                           students=row["students"]))
        hover.append("<br>".join(escape(line) for line in lines))
    band = {"mode": "lines", "line": {"width": 0}, "hoverinfo": "skip", "visible": shown,
            "showlegend": False}
    return [
        go.Scatter(x=x, y=q["q90"], **band),
        go.Scatter(x=x, y=q["q10"], fill="tonexty", fillcolor=f"rgba({BAND_COLOUR},0.15)",
                   name=t("scale_band_outer", lang), **{**band, "showlegend": shown}),
        go.Scatter(x=x, y=q["q75"], **band),
        go.Scatter(x=x, y=q["q25"], fill="tonexty", fillcolor=f"rgba({BAND_COLOUR},0.35)",
                   name=t("scale_band_inner", lang), **{**band, "showlegend": shown}),
        go.Scatter(x=x, y=q["q50"], mode="lines+markers", visible=shown,
                   name=t("scale_median", lang), line={"width": 3, "color": f"rgb({BAND_COLOUR})"},
                   marker={"size": 5}, text=hover, hovertemplate="%{text}<extra></extra>")]


def bands_figure(bands: pl.DataFrame, lang: str, *, title: str, axis: str,
                 fmt: Callable[[float], str], target: float | None = None,
                 lines: Sequence[tuple[pl.DataFrame, str, str, dict]] = (),
                 report_week: dt.date | None = None) -> go.Figure:
    """Quantile bands over weeks (``bands``: :func:`quantile_bands`), a dropdown choosing the
    whole cohort or a group when there are groups, buttons choosing the weeks, holiday weeks
    greyed, a horizontal ``target`` and extra ``lines`` (frame with week_start, its value
    column, name, line style) always shown."""
    keys = list(dict.fromkeys(bands["group"].to_list()))
    fig = go.Figure()
    for key in keys:
        part = bands.filter(pl.col("group").eq_missing(key)).sort("week_start")
        fig.add_traces(_band_traces(part, lang, group_label(key, lang), fmt, key == ALL))
    for frame, column, name, style in lines:
        fig.add_trace(go.Scatter(
            x=[d.isoformat() for d in frame["week_start"]],
            y=frame[column].to_numpy().astype(np.float64), mode="lines", name=name, line=style,
            hovertemplate=f"{escape(name)}<br>%{{x}}<br>%{{y:.0f}}<extra></extra>"))
    if target is not None:
        fig.add_hline(y=target, line={"color": "#b2182b", "width": 2},
                      annotation_text=t("target", lang, hours=fmt(target)),
                      annotation_position="top left")
    weeks = bands.filter(pl.col("group") == ALL).sort("week_start")
    kit.holiday_bands(fig, weeks, lang)
    if report_week is not None:
        fig.add_vline(x=report_week.isoformat(), line={"color": "black", "width": 2,
                                                       "dash": "dot"})
    kit.layout(fig, lang, title=title, xaxis=kit.date_axis(lang, title=t("axis_week", lang)),
               yaxis={"title": axis, "rangemode": "tozero", "separatethousands": True},
               legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
               hovermode="closest")
    menus = [week_buttons(weeks["week_start"].to_list(), lang)]
    if len(keys) > 1:
        extra = [True] * len(lines)
        buttons = [(group_label(key, lang),
                    visible([k == key for k in keys for _ in range(5)] + extra))
                   for key in keys]
        menus.insert(0, dropdown(buttons))
    return place(fig, menus, height=560, bottom=90)


# --- ranked lists and the CSV beside them ------------------------------------------------

def csv_link(frame: pl.DataFrame, filename: str, lang: str) -> str:
    """A link that saves ``frame`` as a CSV file: the data travel inside the page (a data
    URI), so the report stays one offline file; text cells neutralised as every CSV m2if
    writes (:func:`m2if_analytics.outputs.csv_text`), lists joined by ", "."""
    flat = frame.with_columns(
        pl.col(c).list.eval(pl.element().cast(pl.String)).list.join(", ")
        for c, dtype in frame.schema.items() if isinstance(dtype, pl.List))
    data = base64.b64encode(csv_text(flat).encode("utf-8")).decode("ascii")
    label = t("scale_download", lang, rows=number(frame.height, lang, 0))
    return (f'<a class="m2if-csv" download="{escape(filename)}" '
            f'href="data:text/csv;charset=utf-8;base64,{data}">{escape(label)}</a>')


def capped(table_html: Callable[[pl.DataFrame], str], frame: pl.DataFrame, filename: str,
           lang: str, top: int = TOP) -> str:
    """``table_html`` of the first ``top`` rows of ``frame`` (already ranked), then how many
    were shown and a link to the whole list as CSV; the whole table when it has no more rows
    than :data:`LARGE_COHORT` (so a cohort of 40 or fewer never sees a list cut)."""
    if frame.height <= max(top, LARGE_COHORT):
        return table_html(frame)
    shown = t("scale_shown", lang, shown=top, total=number(frame.height, lang, 0))
    return (table_html(frame.head(top))
            + f'<p class="m2if-note">{escape(shown)} {csv_link(frame, filename, lang)}</p>')


def names(items: Sequence[str], lang: str, top: int = TOP) -> str:
    """``a, b, c`` or, past ``top`` names, the first ones and "and N more"."""
    if len(items) <= top:
        return ", ".join(items)
    return t("scale_more_names", lang, names=", ".join(items[:top]),
             more=number(len(items) - top, lang, 0))


# --- histograms ----------------------------------------------------------------------------

def count_bars(values: dict[str, pl.Series], lang: str, *, title: str, axis: str,
               colours: Sequence[str] = ("#2166ac", "#ef8a62")) -> go.Figure:
    """Side-by-side bars: how many students have each whole value (0, 1, 2, ...) of each
    named series (sessions and active days in a week, say)."""
    fig = go.Figure()
    for (name, series), colour in zip(values.items(), colours, strict=False):
        counts = series.drop_nulls().cast(pl.Int64).value_counts().sort(series.name or "")
        column = counts.columns[0]
        fig.add_trace(go.Bar(
            x=counts[column].to_numpy(), y=counts["count"].to_numpy().astype(np.int64),
            name=name, marker_color=colour,
            hovertemplate=f"{escape(name)}: %{{x}}<br>"
                          f"{escape(t('scale_students_with', lang))}: %{{y}}<extra></extra>"))
    return kit.layout(fig, lang, title=title, barmode="group", height=440,
                      xaxis={"title": axis}, yaxis={"title": t("axis_student_count", lang)},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                      margin={"t": 100})
