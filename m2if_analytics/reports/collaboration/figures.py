"""Figures of the collaboration report: frames from :mod:`m2if_analytics.collaboration` in,
a plotly ``go.Figure`` out (hover texts escaped).

    fig = network(collaboration.student_metrics(posts, people, include_teachers=True),
                  collaboration.edges(posts, "reply", people), lang="en")
    kit.show(fig)

The words of this report are the ``collab_*`` messages of :mod:`m2if_analytics.i18n`.
"""

from __future__ import annotations

import math
from html import escape

import networkx as nx
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from m2if_analytics.i18n import date_format, number
from m2if_analytics.reports import kit

SEED = 20261005  # spring layout: the same warehouse always gives the same picture
ALL_GROUP = "all"  # the cohort-wide row of group_metrics / weekly_metrics
TEACHER_COLOUR = "#333333"
MIN_SIZE, MAX_SIZE = 8, 34  # marker diameters (px) for no post and for the most posts
ISOLATED_OUTLINE = "#cf222e"
COMPARED = ("density", "reciprocity", "gini", "teacher_centredness")
TABLE_COLUMNS = ("members", "posts", "density", "reciprocity", "gini", "teacher_centredness",
                 "cross_group_share", "median_response_hours")



label = kit.messages("collab_")  # the words of this report: i18n ``collab_*``


def group_name(group: str | None, lang: str) -> str:
    """A group's name as shown: 'Groupe A', 'Sans groupe', 'Toute la promotion'."""
    if group is None:
        return label("no_group", lang)
    if group == ALL_GROUP:
        return label("whole_cohort", lang)
    return label("group_name", lang, group=group)


def ratio(x: float | None, lang: str) -> str:
    """A ratio with two decimals; ``–`` when undefined."""
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else number(x, lang, 2)


def _colours(groups: list[str | None]) -> dict[str | None, str]:
    return kit.group_colours(groups, unnamed=(None, ALL_GROUP))


# --- figures --------------------------------------------------------------------------------

def _edge_width(weight: int) -> float:
    return 0.8 if weight <= 1 else 1.8 if weight <= 3 else 3.0 if weight <= 7 else 4.5


def layout_positions(nodes: list[str], edges: pl.DataFrame,
                     seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Spring layout of the undirected reply graph (weights pull), nodes in sorted order and
    a fixed seed so that the same data always give the same picture."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    for source, target, weight in sorted(edges.select("source", "target", "weight").iter_rows()):
        previous = graph.get_edge_data(source, target, {"weight": 0})["weight"]
        graph.add_edge(source, target, weight=previous + weight)
    if graph.number_of_nodes() == 0:
        return {}
    positions = nx.spring_layout(graph, seed=seed, weight="weight")
    return {n: (float(x), float(y)) for n, (x, y) in positions.items()}


def network(people: pl.DataFrame, edges: pl.DataFrame, lang: str = "fr",
            seed: int = SEED) -> go.Figure:
    """The reply network: one marker per person (``people``: student_metrics with teachers),
    coloured by group, sized by posts, teachers as diamonds, isolated students outlined in
    red; lines for reply ties (``edges``: collaboration.edges(posts, "reply")), wider for
    more replies. Spring layout with a fixed seed."""
    names = people["student"].to_list()
    edges = edges.filter(pl.col("source").is_in(names) & pl.col("target").is_in(names))
    pos = layout_positions(names, edges, seed)
    fig = go.Figure()
    widths: dict[float, tuple[list, list]] = {}
    for source, target, weight in sorted(edges.select("source", "target", "weight").iter_rows()):
        xs, ys = widths.setdefault(_edge_width(weight), ([], []))
        xs += [pos[source][0], pos[target][0], None]
        ys += [pos[source][1], pos[target][1], None]
    for width, (xs, ys) in sorted(widths.items()):
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": width, "color": "rgba(90,90,90,0.25)"}))
    colours = _colours(people["group"].to_list())
    teacher = pl.col("role") != "student"
    students = people.filter(~teacher)
    most = max(people["posts"].max() or 0, 1)
    for group in sorted(set(students["group"].to_list()), key=lambda g: (g is None, g or "")):
        rows = students.filter(pl.col("group").eq_missing(group)).sort("student")
        fig.add_trace(_markers(rows, pos, group_name(group, lang), colours[group], "circle",
                               lang, most))
    staff = people.filter(teacher).sort("student")
    if staff.height:
        fig.add_trace(_markers(staff, pos, label("teachers", lang), TEACHER_COLOUR, "diamond",
                               lang, most))
    if students.filter(pl.col("isolated")).height:  # legend entry for the red outline
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label("isolated", lang),
                                 marker={"size": 12, "color": "white",
                                         "line": {"color": ISOLATED_OUTLINE, "width": 3}}))
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    return kit.layout(fig, lang, title=label("section_network", lang), height=640,
                   xaxis=hidden, yaxis={**hidden, "scaleanchor": "x"},
                   legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top"},
                   margin={"l": 10, "r": 10, "t": 50, "b": 40}, hovermode="closest")


def _markers(rows: pl.DataFrame, pos: dict[str, tuple[float, float]], name: str, colour: str,
             symbol: str, lang: str, most: int) -> go.Scatter:
    """One trace of people; marker area proportional to posts (``most``: the largest)."""
    text = []
    for r in rows.iter_rows(named=True):
        who = escape(label("teacher", lang) if r["role"] != "student"
                     else group_name(r["group"], lang))
        lines = [f"{r['student']} ({who})"] + [
            kit.hover_pair(label(key, lang), r[key], lang)
            for key in ("posts", "replies_sent", "replies_received", "partners")]
        if r["isolated"] and r["role"] == "student":
            lines.append(label("isolated", lang))
        text.append("<br>".join(lines))
    return go.Scatter(
        x=[pos[s][0] for s in rows["student"]], y=[pos[s][1] for s in rows["student"]],
        mode="markers", name=name, text=text, hovertemplate="%{text}<extra></extra>",
        marker={"symbol": symbol, "color": colour, "opacity": 0.9,
                "size": [MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(p / most)
                         for p in rows["posts"]],
                "line": {"width": [3 if i and r == "student" else 1 for i, r in
                                   zip(rows["isolated"], rows["role"], strict=True)],
                         "color": [ISOLATED_OUTLINE if i and r == "student" else "white"
                                   for i, r in zip(rows["isolated"], rows["role"],
                                                   strict=True)]}})


def group_comparison(groups: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Grouped bars: density, reciprocity, Gini and teacher share for each group and the
    whole cohort (all between 0 and 1; a missing value leaves a gap)."""
    metrics = [m for m in COMPARED if m in groups.columns]
    colours = _colours(groups["group"].to_list())
    fig = go.Figure()
    for r in groups.iter_rows(named=True):
        name = group_name(r["group"], lang)
        fig.add_trace(go.Bar(
            x=[label(m, lang) for m in metrics], y=[r[m] for m in metrics], name=name,
            marker_color=colours.get(r["group"], kit.NO_GROUP_COLOUR),
            customdata=[ratio(r[m], lang) for m in metrics],
            hovertemplate=f"{escape(name)}<br>{kit.hover_pair('%{x}', '%{customdata}', lang)}"
                          "<extra></extra>"))
    return kit.layout(fig, lang, title=label("fig_groups_title", lang), height=460,
                   barmode="group", yaxis={"title": label("value", lang), "range": [0, 1]},
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                   margin={"t": 110})


def _by_group(weekly: pl.DataFrame) -> pl.DataFrame:
    """The per-group rows of weekly_metrics (the whole-cohort row when there is no group)."""
    groups = weekly.filter(pl.col("group") != ALL_GROUP)
    return groups if groups.height else weekly


def weekly_activity(weekly: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Two stacked panels sharing the week axis: posts and active authors per group."""
    rows = _by_group(weekly).sort("group", "week_start")
    colours = _colours(rows["group"].to_list())
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=(label("posts", lang), label("active_authors", lang)))
    for (group,), part in rows.group_by("group", maintain_order=True):
        name = group_name(group, lang)
        for row, column in ((1, "posts"), (2, "active_authors")):
            fig.add_trace(go.Scatter(
                x=part["week_start"].to_list(), y=part[column].to_list(), mode="lines+markers",
                name=name, legendgroup=name, showlegend=row == 1,
                line={"color": colours.get(group, kit.NO_GROUP_COLOUR), "width": 2},
                hovertemplate=f"{escape(name)}<br>%{{x}}<br>"
                              f"{kit.hover_pair(escape(label(column, lang)), '%{y}', lang)}"
                              "<extra></extra>"), row=row, col=1)
    fig.update_xaxes(tickformat=date_format(lang))
    fig.update_xaxes(title_text=label("week", lang), row=2, col=1)
    fig.update_yaxes(rangemode="tozero")
    return kit.layout(fig, lang, title=label("fig_weekly_title", lang), height=600,
                   legend={"orientation": "h", "x": 0, "y": 1.06, "yanchor": "bottom"},
                   margin={"t": 120})


def isolated_over_time(weekly: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Stacked bars: students isolated each week (posted, no reply from anyone), by group."""
    rows = _by_group(weekly).sort("group", "week_start")
    colours = _colours(rows["group"].to_list())
    fig = go.Figure()
    for (group,), part in rows.group_by("group", maintain_order=True):
        name = group_name(group, lang)
        fig.add_trace(go.Bar(
            x=part["week_start"].to_list(), y=part["isolated_students"].to_list(), name=name,
            marker_color=colours.get(group, kit.NO_GROUP_COLOUR),
            hovertemplate=f"{escape(name)}<br>%{{x}}<br>" + kit.hover_pair(
                escape(label("isolated_students", lang)), "%{y}", lang) + "<extra></extra>"))
    return kit.layout(fig, lang, title=label("fig_isolated_title", lang), height=420,
                   barmode="stack", xaxis=kit.date_axis(lang, title=label("week", lang)),
                   yaxis={"title": label("isolated_students", lang), "dtick": 1,
                          "rangemode": "tozero"},
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                           "traceorder": "normal"},
                   margin={"t": 100})
