"""Interactive controls that live inside a plotly figure (``layout.updatemenus``), so that
they work in the offline HTML reports without a kernel: a dropdown choosing whom a figure
shows (the whole cohort, a group or one student) and buttons choosing which weeks.

    options = selections(members, lang, students=True)
    menu = dropdown([(o.label, [{"visible": [...]}]) for o in options])
    place(fig, [menu, week_buttons(weeks, lang)], height=520)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import t

ALL = "all"  # the whole cohort (as in m2if_analytics.reports.overview.data)
WINDOWS = (12, 4)  # "the last N weeks" buttons, besides "every week"
MENU_ROW_PX = 48  # height of the row of controls above the plot area
MIN_PLOT_PX = 2 * MENU_ROW_PX  # the smallest plot area under them
PLOT_WIDTH_PX = 850  # the plot area's usual width in a report, to lay the controls out
CHAR_PX = 7  # the usual width of a character of the controls' labels
MENU_STYLE = {"bgcolor": "#ffffff", "bordercolor": "#d0d7de", "font": {"size": 12}}


@dataclass(frozen=True)
class Selection:
    """One entry of a "show" dropdown: the whole cohort, a group or one student."""

    label: str
    group: str | None = ALL  # ALL, a group name, or None (students without a group)
    student: str | None = None

    def matches(self, group: str | None, student: str | None = None) -> bool:
        """Whether a row of ``group`` (and ``student``) belongs to this selection."""
        if self.student is not None:
            return student == self.student
        return self.group == ALL or group == self.group

    @property
    def group_key(self) -> str | None:
        """The group whose aggregates this selection shows (ALL for one student)."""
        return ALL if self.student is not None else self.group


GROUP_WORDS = {"group", "groupe", "gr", "grp"}  # a name that already says it is a group


def group_label(group: str | None, lang: str) -> str:
    """'Whole cohort', 'Group A' or 'No group'; a group already named "Groupe Nord" or
    "Group 3" keeps its own name (never "Groupe Groupe Nord")."""
    if group == ALL:
        return t("overview_whole_cohort", lang)
    if group is None:
        return t("no_group", lang)
    first = group.strip().split()[0].rstrip(".:").casefold() if group.strip() else ""
    if first in GROUP_WORDS:
        return group.strip()
    return t("overview_group_name", lang, group=group)


def selections(members: pl.DataFrame, lang: str = "fr", *,
               students: bool = False) -> list[Selection]:
    """The whole cohort, then each group (named groups sorted, no group last), then — with
    ``students`` — each student (``members``: student, group)."""
    groups = sorted(set(members["group"].to_list()), key=lambda g: (g is None, g or ""))
    out = [Selection(group_label(ALL, lang))]
    if any(g is not None for g in groups):
        out += [Selection(group_label(g, lang), g) for g in groups]
    if students:
        ordered = members.sort("group", "student", nulls_last=True)
        out += [Selection(f"{s} ({group_label(g, lang)})", g, s)
                for s, g in ordered.select("student", "group").iter_rows()]
    return out


def dropdown(buttons: Sequence[tuple[str, list]], method: str = "update",
             active: int = 0) -> dict:
    """A dropdown menu; each button is (label, args of ``method``)."""
    return {"type": "dropdown", "direction": "down", "active": active, "showactive": True,
            "buttons": [{"label": label, "method": method, "args": args}
                        for label, args in buttons], **MENU_STYLE}


def week_buttons(weeks: Sequence[dt.date] | Sequence[str] | Sequence[int], lang: str = "fr",
                 axis: str = "xaxis") -> dict:
    """Buttons showing every week, or only the last 12 or 4: ``weeks`` are the x values in
    order, dates (a date axis: ranges in days), numbers (programme weeks on a linear axis)
    or labels (a category axis: ranges in positions)."""
    buttons: list[tuple[str, list]] = [(t("overview_weeks_all", lang),
                                        [{f"{axis}.autorange": True}])]
    n = len(weeks)
    for size in WINDOWS:
        if n <= size:
            continue
        if isinstance(weeks[0], dt.date):
            first, last = weeks[n - size], weeks[-1]
            span = [(first - dt.timedelta(days=4)).isoformat(),  # type: ignore[operator]
                    (last + dt.timedelta(days=4)).isoformat()]  # type: ignore[operator]
        elif isinstance(weeks[0], int):
            span = [weeks[n - size] - 0.5, weeks[-1] + 0.5]  # type: ignore[operator]
        else:
            span = [n - size - 0.5, n - 0.5]
        buttons.append((t("overview_weeks_last", lang, weeks=size),
                        [{f"{axis}.range": span, f"{axis}.autorange": False}]))
    return {"type": "buttons", "direction": "right", "active": 0, "showactive": True,
            "buttons": [{"label": label, "method": "relayout", "args": args}
                        for label, args in buttons], **MENU_STYLE}


def place(fig: go.Figure, menus: Sequence[dict], height: int, top: int = 150,
          bottom: int = 80) -> go.Figure:
    """Put ``menus`` side by side on a row above the plot area (under the title, above a
    legend at y = 1.02), and fix the figure's height and margins so that they stay there.
    The plot area keeps at least ``MIN_PLOT_PX`` (the figure grows for it): a heatmap of one or
    two students would otherwise leave a plot area of a few pixels, and the menus' row, placed
    in its units, beyond the 3 plot heights plotly accepts."""
    plot_height = max(height - top - bottom, MIN_PLOT_PX)
    height = top + plot_height + bottom
    y = 1 + MENU_ROW_PX / plot_height
    placed, x = [], 0.0
    for menu in menus:
        labels = [len(b["label"]) for b in menu["buttons"]]
        width = (max(labels) * CHAR_PX + 50 if menu["type"] == "dropdown"
                 else sum(n * CHAR_PX + 26 for n in labels))
        placed.append({**menu, "x": x, "xanchor": "left", "y": y, "yanchor": "bottom",
                       "pad": {"r": 6, "t": 0, "b": 0, "l": 0}})
        x += width / PLOT_WIDTH_PX + 0.03
    margin = {**(fig.layout.margin.to_plotly_json() if fig.layout.margin else {}),
              "t": top, "b": bottom}
    fig.update_layout(updatemenus=placed, height=height, margin=margin,
                      title={"y": 1 - 18 / height, "yanchor": "top", "x": 0, "xanchor": "left"})
    return fig


def visible(flags: Sequence[bool]) -> list[dict]:
    """``update`` args showing exactly the traces flagged True."""
    return [{"visible": list(flags)}]
