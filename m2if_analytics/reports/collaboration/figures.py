"""Figures and HTML blocks of the collaboration report: frames from
:mod:`m2if_analytics.collaboration` in, a plotly ``go.Figure`` (or escaped HTML) out.

    fig = network(collaboration.student_metrics(posts, people, include_teachers=True),
                  collaboration.edges(posts, "reply", people), lang="en")
    plots.show(fig)

The words of this report are the ``collab_*`` messages of :mod:`m2if_analytics.i18n`.
"""

from __future__ import annotations

import datetime as dt
import math
from html import escape

import networkx as nx
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from m2if_analytics import i18n
from m2if_analytics.i18n import NBSP, number
from m2if_analytics.reports.weekly.figures import GROUP_COLOURS, NO_GROUP_COLOUR, _layout
from m2if_analytics.reports.weekly.html import STYLE

SEED = 20261005  # spring layout: the same warehouse always gives the same picture
ALL_GROUP = "all"  # the cohort-wide row of group_metrics / weekly_metrics
TEACHER_COLOUR = "#333333"
MIN_SIZE, MAX_SIZE = 8, 34  # marker diameters (px) for no post and for the most posts
ISOLATED_OUTLINE = "#cf222e"
COMPARED = ("density", "reciprocity", "gini", "teacher_centredness")
TABLE_COLUMNS = ("members", "posts", "density", "reciprocity", "gini", "teacher_centredness",
                 "cross_group_share", "median_response_hours")



def label(key: str, lang: str = "fr", **values: object) -> str:
    """The ``lang`` text of the collaboration report's message ``key`` (i18n ``collab_*``)."""
    return i18n.t(f"collab_{key}", lang, **values)


def day(value: dt.date, lang: str = "fr") -> str:
    """05/10/2026 in French, 2026-10-05 in English."""
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def period_text(start: dt.date, end: dt.date, lang: str = "fr") -> str:
    return label("period", lang, start=day(start, lang), end=day(end, lang))


def window(cohort_start: dt.date, cohort_end: dt.date, start: str | dt.date | None = None,
           end: str | dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The report's period as dates: ``start``/``end`` (ISO text or dates), by default the
    cohort's first and last day."""
    def as_date(value: str | dt.date | None, default: dt.date) -> dt.date:
        if value is None:
            return default
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    first, last = as_date(start, cohort_start), as_date(end, cohort_end)
    if first > last:
        raise ValueError(f"the period starts ({first}) after it ends ({last})")
    return first, last


def _group_name(group: str | None, lang: str) -> str:
    if group is None:
        return label("no_group", lang)
    if group == ALL_GROUP:
        return label("whole_cohort", lang)
    return label("group_name", lang, group=group)


def _colours(groups: list[str | None]) -> dict[str | None, str]:
    named = sorted(g for g in set(groups) if g not in (None, ALL_GROUP))
    colours: dict[str | None, str] = {g: GROUP_COLOURS[i % len(GROUP_COLOURS)]
                                      for i, g in enumerate(named)}
    colours[None] = colours[ALL_GROUP] = NO_GROUP_COLOUR
    return colours


def _pair(name: str, value: object, lang: str) -> str:
    """'Messages : 3' (no-break space before the French colon), 'Posts: 3'."""
    return f"{name}{NBSP if lang == 'fr' else ''}: {value}"


def _ratio(x: float | None, lang: str) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else number(x, lang, 2)


# --- headline and table ---------------------------------------------------------------------

def headline(posts: pl.DataFrame, people: pl.DataFrame) -> dict[str, int]:
    """The period at a glance: posts, distinct authors, students, isolated students
    (``people``: student_metrics of the cohort)."""
    students = people.filter(pl.col("role") == "student")
    return {"posts": posts.height, "authors": posts["author"].n_unique(),
            "students": students.height, "isolated_students": int(students["isolated"].sum())}


def title_html(cohort: str, start: dt.date, end: dt.date, numbers: dict[str, int],
               lang: str = "fr") -> str:
    """Report title, intro and headline cards (``data-value``: the raw number)."""
    cards = "".join(
        f'<div class="m2if-card"><div class="label">{escape(label(key, lang))}</div>'
        f'<span class="m2if-headline" data-key="{key}" data-value="{value}">'
        f"{escape(number(value, lang, 0))}</span></div>" for key, value in numbers.items())
    title = label("title", lang, cohort=cohort, period=period_text(start, end, lang))
    return (f"{STYLE}<h1>{escape(title)}</h1><p class=\"m2if-note\">"
            f"{escape(label('intro', lang))}</p><div class=\"m2if-cards\">{cards}</div>")


def section(key: str, lang: str = "fr", note: str | None = None) -> str:
    """A section title, with an optional note (a message key) under it."""
    html = f"<h2>{escape(label(key, lang))}</h2>"
    if note is not None:
        html += f'<p class="m2if-note">{escape(label(note, lang))}</p>'
    return html


def no_forum(lang: str = "fr") -> str:
    return f"<p><em>{escape(label('no_forum', lang))}</em></p>"


def group_table(groups: pl.DataFrame, lang: str = "fr") -> str:
    """group_metrics as an HTML table (groups, then the whole cohort)."""
    columns = [c for c in TABLE_COLUMNS if c in groups.columns]
    head = "".join(f"<th>{escape(label(c, lang))}</th>" for c in ("group", *columns))
    rows = []
    for r in groups.iter_rows(named=True):
        cells = []
        for c in columns:
            value = r[c]
            text = (number(value, lang, 0) if c in ("members", "posts") and value is not None
                    else number(value, lang, 1) if c == "median_response_hours"
                    and value is not None else _ratio(value, lang))
            cells.append(f'<td class="num">{escape(text)}</td>')
        rows.append(f"<tr><td>{escape(_group_name(r['group'], lang))}</td>{''.join(cells)}</tr>")
    return f'<table class="m2if"><tr>{head}</tr>{"".join(rows)}</table>'


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
        fig.add_trace(_markers(rows, pos, _group_name(group, lang), colours[group], "circle",
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
    return _layout(fig, lang, title=label("section_network", lang), height=640,
                   xaxis=hidden, yaxis={**hidden, "scaleanchor": "x"},
                   legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top"},
                   margin={"l": 10, "r": 10, "t": 50, "b": 40}, hovermode="closest")


def _markers(rows: pl.DataFrame, pos: dict[str, tuple[float, float]], name: str, colour: str,
             symbol: str, lang: str, most: int) -> go.Scatter:
    """One trace of people; marker area proportional to posts (``most``: the largest)."""
    text = []
    for r in rows.iter_rows(named=True):
        who = escape(label("teacher", lang) if r["role"] != "student"
                     else _group_name(r["group"], lang))
        lines = [f"{r['student']} ({who})"] + [
            _pair(label(key, lang), r[key], lang)
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
        name = _group_name(r["group"], lang)
        fig.add_trace(go.Bar(
            x=[label(m, lang) for m in metrics], y=[r[m] for m in metrics], name=name,
            marker_color=colours.get(r["group"], NO_GROUP_COLOUR),
            customdata=[_ratio(r[m], lang) for m in metrics],
            hovertemplate=f"{escape(name)}<br>{_pair('%{x}', '%{customdata}', lang)}"
                          "<extra></extra>"))
    return _layout(fig, lang, title=label("fig_groups_title", lang), height=460,
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
        name = _group_name(group, lang)
        for row, column in ((1, "posts"), (2, "active_authors")):
            fig.add_trace(go.Scatter(
                x=part["week_start"].to_list(), y=part[column].to_list(), mode="lines+markers",
                name=name, legendgroup=name, showlegend=row == 1,
                line={"color": colours.get(group, NO_GROUP_COLOUR), "width": 2},
                hovertemplate=f"{escape(name)}<br>%{{x}}<br>"
                              f"{_pair(escape(label(column, lang)), '%{y}', lang)}"
                              "<extra></extra>"), row=row, col=1)
    fig.update_xaxes(tickformat="%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    fig.update_xaxes(title_text=label("week", lang), row=2, col=1)
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, lang, title=label("fig_weekly_title", lang), height=600,
                   legend={"orientation": "h", "x": 0, "y": 1.06, "yanchor": "bottom"},
                   margin={"t": 120})


def isolated_over_time(weekly: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """Stacked bars: students isolated each week (posted, no reply from anyone), by group."""
    rows = _by_group(weekly).sort("group", "week_start")
    colours = _colours(rows["group"].to_list())
    fig = go.Figure()
    for (group,), part in rows.group_by("group", maintain_order=True):
        name = _group_name(group, lang)
        fig.add_trace(go.Bar(
            x=part["week_start"].to_list(), y=part["isolated_students"].to_list(), name=name,
            marker_color=colours.get(group, NO_GROUP_COLOUR),
            hovertemplate=f"{escape(name)}<br>%{{x}}<br>"
                          f"{_pair(escape(label('isolated_students', lang)), '%{y}', lang)}"
                          "<extra></extra>"))
    return _layout(fig, lang, title=label("fig_isolated_title", lang), height=420,
                   barmode="stack", xaxis={"title": label("week", lang),
                                           "tickformat": "%d/%m/%Y" if lang == "fr"
                                           else "%Y-%m-%d"},
                   yaxis={"title": label("isolated_students", lang), "dtick": 1,
                          "rangemode": "tozero"},
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                           "traceorder": "normal"},
                   margin={"t": 100})
