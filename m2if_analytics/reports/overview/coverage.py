"""The cohort overview's document coverage figure: students × UEs coloured by the share of
the UE's documents each student opened (a heatmap up to
:data:`~m2if_analytics.reports.scale.LARGE_COHORT` students; beyond, one box per UE)."""

from __future__ import annotations

from html import escape

import numpy as np
import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import t
from m2if_analytics.reports import kit, scale
from m2if_analytics.reports.controls import group_label

ROW_PX = 24


def coverage(frame: pl.DataFrame, lang: str = "fr") -> go.Figure:
    """``frame``: overview.coverage (student, group, ue, documents, opened, share)."""
    if scale.is_large(scale.students_of(frame)):
        return _boxes(frame, lang)
    people = (frame.select("student", "group").unique("student")
              .sort("group", "student", nulls_last=True))
    units = frame["ue"].unique(maintain_order=True).sort().to_list()
    cells = {(r["student"], r["ue"]): r for r in frame.iter_rows(named=True)}
    z, text = [], []
    for student, group in people.iter_rows():
        z.append([cells[(student, u)]["share"] if (student, u) in cells else None
                  for u in units])
        text.append(["<br>".join([escape(f"{student} ({group_label(group, lang)})"), escape(u),
                                  f"{cells[(student, u)]['opened']} / "
                                  f"{cells[(student, u)]['documents']}"])
                     if (student, u) in cells else "" for u in units])
    fig = go.Figure(go.Heatmap(
        z=z, x=units, y=people["student"].to_list(), text=text,
        hovertemplate="%{text}<extra></extra>", zmin=0, zmax=1, xgap=1, ygap=1,
        colorscale=[[0, "#b2182b"], [0.5, "#f7f7f7"], [1, "#2166ac"]],
        colorbar={"title": {"text": t("overview_axis_share_opened", lang), "side": "right"},
                  "tickformat": ".0%"}))
    return kit.layout(fig, lang, title=t("overview_fig_coverage_title", lang),
                      height=200 + ROW_PX * max(people.height, 3),
                      xaxis={"type": "category", "side": "top"},
                      yaxis={"title": t("axis_student", lang), "type": "category",
                             "autorange": "reversed"}, margin={"t": 120})


def rare(frame: pl.DataFrame, lang: str = "fr") -> str:
    """``frame``: overview.rare_documents (ue, cmid, name, opened_by, students): a table of
    the documents nobody or almost nobody opened, or a line saying there is none."""
    if frame.is_empty():
        return kit.empty(t("overview_no_rare_documents", lang))
    rows = [(r["ue"], r["name"] or f"cmid {r['cmid']}", f"{r['opened_by']} / {r['students']}")
            for r in frame.iter_rows(named=True)]
    heads = [t("overview_axis_ue", lang), t("overview_col_document", lang),
             t("overview_col_opened_by", lang)]
    return (f"<h3>{escape(t('overview_rare_documents', lang))}</h3>"
            + kit.table(heads, rows, numeric=(2,)))


def _boxes(frame: pl.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    for (ue,), part in frame.sort("ue").group_by("ue", maintain_order=True):
        fig.add_trace(go.Box(y=part["share"].to_numpy().astype(np.float64), name=str(ue),
                             boxpoints=False, marker_color="#2166ac", showlegend=False))
    return kit.layout(fig, lang, title=t("overview_fig_coverage_title", lang), height=440,
                      yaxis={"title": t("overview_axis_share_opened", lang),
                             "tickformat": ".0%", "range": [0, 1.02]},
                      xaxis={"type": "category"}, margin={"t": 90})
