"""Figures of the cohort comparison: frames from :mod:`.data` in, a plotly ``go.Figure``
out, every word from i18n (``comparison_*``).

    data = comparison.load(ws)
    kit.show(engagement_curves(data.curves, "en"))

The x axis of every weekly figure is the programme week (week 1 = each cohort's first week);
holiday weeks are drawn as open markers, since they fall in different weeks from one year to
the next. Buttons inside the figures switch the measure and the weeks shown (plotly
controls: they work in the offline HTML report).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import day as i18n_day
from m2if_analytics.i18n import hours, number, t
from m2if_analytics.reports import kit
from m2if_analytics.reports.controls import dropdown, place, visible, week_buttons
from m2if_analytics.reports.kit import STATUS_COLOURS
from m2if_analytics.reports.overview.data import FORECAST

COHORT_COLOURS = ["#2166ac", "#e08214", "#8073ac", "#35978f", "#c51b7d", "#7f7f7f"]
HOURS_METRICS = ("median_hours", "mean_hours", "below_target_share", "median_cumulative_hours")
RISK_METRICS = ("at_risk_share", "red_share")


def colours(cohorts: list[str]) -> dict[str, str]:
    """One colour per cohort, in the order given (oldest first)."""
    return {c: COHORT_COLOURS[i % len(COHORT_COLOURS)] for i, c in enumerate(cohorts)}


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def share(x: float | None, lang: str) -> str:
    """A share as a whole percentage (``42 %``); ``–`` for None."""
    return "–" if x is None else f"{number(100 * x, lang, 0)}\u00a0%"


def _value(metric: str, x: float | None, lang: str) -> str:
    return share(x, lang) if metric.endswith("share") else hours(x, lang)


def _week_hover(cohort: str, week: int, iso: str, holiday: bool, lang: str) -> str:
    text = f"{cohort}<br>{t('comparison_programme_week', lang, week=week, iso_week=iso)}"
    return text + (f"<br>{t('holiday_week', lang)}" if holiday else "")


def _metric_menu(metrics: tuple[str, ...], owners: list[str], lang: str) -> dict:
    """A dropdown showing the traces of one measure and titling the y axis after it."""
    buttons = []
    for metric in metrics:
        axis = {"yaxis.title.text": t(f"comparison_metric_{metric}", lang),
                "yaxis.tickformat": ".0%" if metric.endswith("share") else ""}
        buttons.append((t(f"comparison_metric_{metric}", lang),
                        [*visible([o == metric for o in owners]), axis]))
    return dropdown(buttons)


def _lines(fig: go.Figure, frame: pl.DataFrame, metric: str, colour: dict[str, str],
           lang: str, counts: tuple[str, str] | None = None) -> int:
    """One line per cohort of ``metric`` over programme weeks (open markers: holiday weeks);
    returns the number of traces added. ``counts`` (numerator, denominator columns) adds
    "n/N students" to the hover."""
    added = 0
    for (cohort,), part in frame.group_by("cohort", maintain_order=True):
        part = part.sort("programme_week")
        text = []
        for r in part.iter_rows(named=True):
            line = kit.hover_pair(t(f"comparison_metric_{metric}", lang),
                                  _value(metric, r[metric], lang), lang)
            if counts is not None:
                line += " " + t("comparison_of_students", lang, n=r[counts[0]],
                                students=r[counts[1]])
            text.append(_week_hover(cohort, r["programme_week"], r["iso_week"], r["holiday"],
                                    lang) + "<br>" + line)
        fig.add_trace(go.Scatter(
            x=part["programme_week"].to_list(), y=part[metric].to_list(),
            mode="lines+markers", name=cohort, legendgroup=cohort, text=text,
            hovertemplate="%{text}<extra></extra>",
            line={"color": colour[cohort], "width": 3},
            marker={"size": 7, "color": colour[cohort],
                    "symbol": ["circle-open" if h else "circle" for h in part["holiday"]]}))
        added += 1
    return added


def _axis(lang: str) -> dict:
    return {"title": t("comparison_axis_programme_week", lang), "dtick": 2,
            "rangemode": "tozero"}


def engagement_curves(curves: pl.DataFrame, lang: str = "fr", target: float = 15.0) -> go.Figure:
    """Median online hours per programme week for each cohort (a band from the first to the
    third quartile), with buttons switching to the mean, the share of students below target
    and the median cumulative hours; the weekly target as a dashed line."""
    cohorts = curves["cohort"].unique(maintain_order=True).to_list()
    colour = colours(cohorts)
    fig, owners = go.Figure(), []
    for n, ((cohort,), part) in enumerate(curves.group_by("cohort", maintain_order=True)):
        part = part.sort("programme_week")
        for column, fill in (("q3_hours", None), ("q1_hours", "tonexty")):
            fig.add_trace(go.Scatter(  # one legend entry shows or hides every band
                x=part["programme_week"].to_list(), y=part[column].to_list(), mode="lines",
                line={"width": 0, "color": colour[cohort]}, fill=fill,
                fillcolor=_rgba(colour[cohort], 0.15), hoverinfo="skip",
                showlegend=n == 0 and fill is not None, legendgroup="quartiles",
                name=t("comparison_quartiles", lang)))
            owners.append("median_hours")
    weeks = sorted(set(curves["programme_week"].to_list()))
    for metric in HOURS_METRICS:
        added = _lines(fig, curves, metric, colour, lang,
                       ("below_target", "students") if metric == "below_target_share" else None)
        owners += [metric] * added
        if metric in ("median_hours", "mean_hours"):
            fig.add_trace(go.Scatter(
                x=[weeks[0], weeks[-1]] if weeks else [], y=[target, target], mode="lines",
                name=t("target", lang, hours=hours(target, lang, 0)), hoverinfo="skip",
                line={"color": "#b2182b", "dash": "dash", "width": 2}))
            owners.append(metric)
    for i, owner in enumerate(owners):
        fig.data[i].visible = owner == "median_hours"
    kit.layout(fig, lang, title=t("comparison_fig_engagement_title", lang), xaxis=_axis(lang),
            yaxis={"title": t("comparison_metric_median_hours", lang), "rangemode": "tozero"},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    return place(fig, [_metric_menu(HOURS_METRICS, owners, lang), week_buttons(weeks, lang)],
                 height=520)


def risk_prevalence(prevalence: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Share of each cohort's students at amber or red level per programme week, with a
    button switching to the red level only."""
    cohorts = prevalence["cohort"].unique(maintain_order=True).to_list()
    colour = colours(cohorts)
    fig, owners = go.Figure(), []
    for metric in RISK_METRICS:
        with_counts = prevalence.with_columns((pl.col("amber") + pl.col("red")).alias("at_risk"))
        added = _lines(fig, with_counts, metric, colour, lang,
                       ("at_risk" if metric == "at_risk_share" else "red", "students"))
        owners += [metric] * added
    for i, owner in enumerate(owners):
        fig.data[i].visible = owner == RISK_METRICS[0]
    weeks = sorted(set(prevalence["programme_week"].to_list()))
    kit.layout(fig, lang, title=t("comparison_fig_risk_title", lang), xaxis=_axis(lang),
            yaxis={"title": t("comparison_metric_at_risk_share", lang), "tickformat": ".0%",
                   "rangemode": "tozero"},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    return place(fig, [_metric_menu(RISK_METRICS, owners, lang), week_buttons(weeks, lang)],
                 height=480)


def validation(rates: pl.DataFrame, latest: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Horizontal stacked bars, two per cohort: the share of students whose year is
    validated, on track, blocked by a UE below the pass mark or without grades — at the
    same programme week (``rates``) and on the latest data (``latest``)."""
    rows = []
    for frame in (rates, latest):
        for r in frame.iter_rows(named=True):
            when = (t("comparison_at_week", lang, week=r["programme_week"])
                    if r["programme_week"] is not None else t("comparison_final", lang)
                    if r["final"] else t("comparison_latest", lang, day=i18n_day(r["as_of"], lang)))
            rows.append({**r, "label": f"{r['cohort']} — {when}"})
    rows.sort(key=lambda r: (rates["cohort"].to_list().index(r["cohort"]),
                             r["programme_week"] is None))
    labels = [r["label"] for r in rows]
    fig = go.Figure()
    for status in FORECAST:
        word = t(f"overview_status_{status}", lang)
        fig.add_trace(go.Bar(
            y=labels, x=[r[status] / r["students"] if r["students"] else 0 for r in rows],
            orientation="h", name=word, marker_color=STATUS_COLOURS[status],
            text=[str(r[status]) if r[status] else "" for r in rows], textposition="inside",
            customdata=[r["label"] + "<br>"
                        + kit.hover_pair(word, f"{r[status]}/{r['students']}", lang)
                        for r in rows], hovertemplate="%{customdata}<extra></extra>"))
    return kit.layout(fig, lang, title=t("comparison_fig_validation_title", lang),
                   barmode="stack", height=200 + 46 * len(rows),
                   xaxis={"title": t("comparison_share_of_students", lang),
                          "tickformat": ".0%", "range": [0, 1]},
                   yaxis={"type": "category", "autorange": "reversed"},
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                           "traceorder": "normal"}, margin={"t": 110, "l": 10})


def rule_evaluation(evaluation: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Precision and recall of each rule (at any severity) and of the combined level, per
    finished cohort, as horizontal bars; the median lead time in weeks as the bars' text."""
    frame = evaluation.filter(pl.col("level") == "amber")
    fig = go.Figure()
    names = {"precision": t("comparison_precision", lang), "recall": t("comparison_recall", lang)}
    for cohort in frame["cohort"].unique(maintain_order=True).to_list():
        rows = frame.filter(pl.col("cohort") == cohort).to_dicts()
        labels = [t("comparison_rule_level", lang) if r["rule"] == "level"
                  else t(f"risk_rule_{r['rule']}", lang) for r in rows]
        for measure, colour in (("precision", "#2166ac"), ("recall", "#e08214")):
            lead = [("" if r["median_lead_weeks"] is None else t(
                "comparison_lead", lang, weeks=number(r["median_lead_weeks"], lang, 1)))
                for r in rows]
            fig.add_trace(go.Bar(
                y=labels, x=[r[measure] for r in rows], orientation="h",
                name=f"{names[measure]} — {cohort}", marker_color=colour,
                text=[share(r[measure], lang) for r in rows], textposition="outside",
                customdata=[f"{lab}<br>"
                            f"{kit.hover_pair(names[measure], share(r[measure], lang), lang)}"
                            f"<br>{r['true_positives']}/{r['flagged']} · {r['true_positives']}/"
                            f"{r['bad_outcomes']}<br>{ld}"
                            for lab, r, ld in zip(labels, rows, lead, strict=True)],
                hovertemplate="%{customdata}<extra></extra>"))
    return kit.layout(fig, lang, title=t("comparison_fig_evaluation_title", lang),
                      barmode="group", height=160 + 48 * max(frame.height, 1),
                      xaxis={"tickformat": ".0%", "range": [0, 1.15]},
                      yaxis={"type": "category", "autorange": "reversed", "automargin": True},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                      margin={"t": 110, "l": 10})
