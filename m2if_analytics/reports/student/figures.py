"""Figures of the student profile: frames from :mod:`m2if_analytics.reports.student.data` in, a
plotly ``go.Figure`` out, every word from the ``student_*`` messages of :mod:`~.i18n`.

    fig = weeks_against_target(student_profile.weekly_hours(ws, scope), lang="en")
    kit.show(fig)

Partners appear by pseudonym only: these functions never receive a name.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from m2if_analytics import i18n
from m2if_analytics.i18n import hours, number, week_label
from m2if_analytics.reports import kit
from m2if_analytics.reports.kit import DIVERGING, HOLIDAY_FILL, LEVEL_COLOURS

BELOW, ON_TARGET, HOLIDAY_BAR = "#ef8a62", "#2166ac", "#bbbbbb"
WEEKDAYS = range(1, 8)  # ISO: 1 = Monday


label = kit.messages("student_")  # the words of the profile: i18n ``student_*``


def _hover(lang: str, name: str, value: str) -> str:
    return kit.hover_pair(name, value, lang)


def weeks_against_target(weeks: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """One bar per week (online hours): orange below the target, blue on target, grey in
    holiday weeks and the week in progress (never judged); the week's target as a step
    line."""
    colours = [HOLIDAY_BAR if h or p else BELOW if b else ON_TARGET
               for h, p, b in zip(weeks["holiday"], weeks["in_progress"], weeks["below_target"],
                                  strict=True)]
    text = []
    for row in weeks.iter_rows(named=True):
        lines = [week_label(row["iso_week"], lang),
                 _hover(lang, i18n.t("online_hours", lang), hours(row["hours"], lang)),
                 _hover(lang, i18n.t("sessions", lang), str(row["sessions"])),
                 _hover(lang, i18n.t("active_days", lang), str(row["active_days"]))]
        if row["in_progress"]:
            lines.append(i18n.t("week_in_progress", lang))
        if row["holiday"]:
            lines.append(i18n.t("holiday_week", lang))
        elif row["below_target"]:
            lines.append(label("below_target", lang))
        text.append("<br>".join(lines))
    x = weeks["iso_week"].to_list()
    fig = go.Figure(go.Bar(x=x, y=weeks["hours"].to_list(), marker_color=colours,
                           name=i18n.t("online_hours", lang), text=text,
                           textposition="none", hovertemplate="%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=weeks["target_hours"].to_list(), mode="lines", line_shape="hvh",
        name=i18n.t("target", lang, hours="").strip(), line={"color": "#b2182b", "width": 3},
        hovertemplate=f"{i18n.t('target', lang, hours='%{y} h')}<extra></extra>"))
    for n, (iso, holiday) in enumerate(weeks.filter(pl.col("holiday"))
                                       .select("iso_week", "holiday").iter_rows()):
        fig.add_vrect(x0=x.index(iso) - 0.5, x1=x.index(iso) + 0.5, fillcolor=HOLIDAY_FILL,
                      opacity=0.4, line_width=0, layer="below", name=i18n.t("holiday_week", lang),
                      showlegend=bool(holiday) and n == 0)
    return kit.layout(fig, lang, title=label("fig_weeks_title", lang), height=420,
                   xaxis={"title": i18n.t("axis_week", lang), "type": "category",
                          "tickangle": -60},
                   yaxis={"title": i18n.t("axis_online_hours", lang), "rangemode": "tozero"},
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                   margin={"t": 90})


def activity_heatmap(cells: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Weekdays × hours of the day (local), coloured by online hours; the hover adds the
    sessions started in that hour. Every hour 0-23 is drawn, empty ones blank."""
    by_cell = {(r["weekday"], r["hour"]): r for r in cells.iter_rows(named=True)}
    days = [label(f"weekday_{d}", lang) for d in WEEKDAYS]
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for d, name in zip(WEEKDAYS, days, strict=True):
        z.append([])
        text.append([])
        for h in range(24):
            cell = by_cell.get((d, h))
            z[-1].append(None if cell is None else cell["hours"])
            lines = [f"{name} {h:02d}:00–{h:02d}:59"]
            if cell is not None:
                lines += [_hover(lang, i18n.t("online_hours", lang), hours(cell["hours"], lang)),
                          _hover(lang, label("sessions_started", lang), str(cell["sessions"]))]
            text[-1].append("<br>".join(lines))
    top = max([v for row in z for v in row if v is not None] or [1.0])
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{h:02d}" for h in range(24)], y=days, text=text, zmin=0, zmax=top,
        hovertemplate="%{text}<extra></extra>", xgap=1, ygap=1,
        colorscale=[[0.0, "#f7f7f7"], *DIVERGING[3:]],
        colorbar={"title": {"text": i18n.t("axis_online_hours", lang)}}))
    return kit.layout(fig, lang, title=label("fig_rhythm_title", lang), height=360,
                   xaxis={"title": label("axis_hour", lang), "type": "category"},
                   yaxis={"type": "category", "autorange": "reversed"})


def grades_against_pass_mark(grades: pl.DataFrame, lang: str = "fr",
                             pass_mark: float = 10.0) -> go.Figure:
    """The student's mean per UE (red below the pass mark), the cohort's median as a
    marker, and the pass mark as a vertical line; UEs without a grade say so."""
    names = [f"{u} — {t}" for u, t in zip(grades["ue"], grades["title"], strict=True)]
    means = grades["mean"].to_list()
    colours = ["#cf222e" if b else "#2166ac" for b in grades["below_pass"].fill_null(False)]
    text = [number(m, lang, 2) if m is not None else label("no_grade_yet", lang) for m in means]
    fig = go.Figure(go.Bar(
        y=names, x=[m if m is not None else 0 for m in means], orientation="h",
        marker_color=colours, name=label("mean", lang), text=text, textposition="outside",
        hovertemplate="%{y}<br>%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(
        y=names, x=grades["cohort_median"].to_list(), mode="markers",
        name=label("cohort_median", lang), marker={"symbol": "diamond", "size": 11,
                                                   "color": "#333333"},
        hovertemplate=f"%{{y}}<br>{label('cohort_median', lang)}: %{{x:.2f}}<extra></extra>"))
    mark = label("pass_mark", lang, mark=number(pass_mark, lang, 0 if pass_mark % 1 == 0 else 1))
    fig.add_vline(x=pass_mark, line={"color": "#b2182b", "width": 3, "dash": "dash"},
                  annotation_text=mark, annotation_position="top")
    return kit.layout(fig, lang, title=label("fig_grades_title", lang),
                   height=140 + 40 * max(grades.height, 1),
                   xaxis={"title": label("axis_grade", lang), "range": [0, 21]},
                   yaxis={"type": "category", "autorange": "reversed", "automargin": True},
                   legend={"orientation": "h", "x": 0, "y": -0.25}, margin={"t": 80})


def internship_pace(weeks: pl.DataFrame, lang: str = "fr", min_days: float = 100.0,
                    ratio: float = 0.8) -> go.Figure:
    """Cumulative internship days against the linear pace to the minimum days and the
    warning threshold (below it the internship rule fires)."""
    x = weeks["week_start"].to_list()
    fig = go.Figure()
    for column, name, style in (
            ("cumulative_days", label("days_done", lang), {"color": "#2166ac", "width": 4}),
            ("expected_days", label("expected_days", lang, days=number(min_days, lang, 0)),
             {"color": "#333333", "width": 2, "dash": "dash"}),
            ("threshold_days", label("threshold_days", lang,
                                     ratio=f"{number(100 * ratio, lang, 0)}\u00a0%"),
             {"color": "#b2182b", "width": 2, "dash": "dot"})):
        text = [f"{name}<br>{week_label(w, lang)}<br>{number(v, lang, 1)}"
                for w, v in zip(weeks["iso_week"], weeks[column], strict=True)]
        fig.add_trace(go.Scatter(x=x, y=weeks[column].to_list(), mode="lines", name=name,
                                 line=style, text=text, hovertemplate="%{text}<extra></extra>"))
    return kit.layout(fig, lang, title=label("fig_internship_title", lang), height=420,
                   xaxis={"title": i18n.t("axis_week", lang),
                          "tickformat": i18n.date_format(lang)},
                   yaxis={"title": label("axis_days", lang), "rangemode": "tozero"},
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                   margin={"t": 90})


def partner_label(partner: str, role: str | None, lang: str = "fr") -> str:
    """A partner's pseudonym, marked as a teacher when they are one."""
    return label("teacher", lang, partner=partner) if role == "teacher" else partner


def forum_partners(partners: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Replies exchanged with each partner (pseudonyms): the student's replies to them and
    theirs to the student, side by side, most exchanges first."""
    names = [partner_label(p, r, lang)
             for p, r in zip(partners["partner"], partners["role"], strict=True)]
    fig = go.Figure()
    for column, key, colour in (("replies_to", "replies_to", "#2166ac"),
                                ("replies_from", "replies_from", "#ef8a62")):
        fig.add_trace(go.Bar(y=names, x=partners[column].to_list(), orientation="h",
                             name=label(key, lang), marker_color=colour,
                             hovertemplate=f"%{{y}}<br>{label(key, lang)}: %{{x}}"
                                           "<extra></extra>"))
    return kit.layout(fig, lang, title=label("fig_partners_title", lang), barmode="group",
                   height=160 + 34 * max(partners.height, 1),
                   xaxis={"title": label("axis_replies", lang), "dtick": 5},
                   yaxis={"type": "category", "autorange": "reversed", "automargin": True},
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                   margin={"t": 90})


def risk_timeline(weeks: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """The rules' level at each complete week (one coloured marker per week, on a green /
    amber / red axis); the hover gives that week's reasons."""
    levels = ["green", "amber", "red"]
    names = {lv: i18n.t(f"risk_level_{lv}", lang) for lv in levels}
    fig = go.Figure()
    for lv in levels:
        rows = weeks.filter(pl.col("level") == lv)
        text = [f"{week_label(w, lang)}<br>{_wrap(r)}"
                for w, r in zip(rows["iso_week"], rows["reasons"], strict=True)]
        fig.add_trace(go.Scatter(
            x=rows["iso_week"].to_list(), y=[names[lv]] * rows.height, mode="markers",
            name=names[lv], marker={"color": LEVEL_COLOURS[lv], "size": 14, "symbol": "square"},
            text=text, hovertemplate="%{text}<extra></extra>"))
    return kit.layout(fig, lang, title=label("fig_risk_title", lang), height=300,
                   xaxis={"title": i18n.t("axis_week", lang), "type": "category",
                          "categoryorder": "array", "categoryarray": weeks["iso_week"].to_list(),
                          "tickangle": -60},
                   yaxis={"type": "category", "categoryorder": "array",
                          "categoryarray": [names[lv] for lv in levels]},
                   showlegend=False, margin={"t": 60})


def _wrap(text: str, width: int = 80) -> str:
    """Hover text broken into lines of about ``width`` characters."""
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return "<br>".join([*lines, current])
