"""What every report shares, written once: the figures' layout and colours, the page style,
section titles, key-number cards, tables, hover labels, and showing a figure offline.

    from m2if_analytics.reports import kit
    kit.section("overview_section_pace", lang, note="overview_note_pace", hours="1 500 h")
    kit.cards([kit.card("students", t("students", lang), 20, "20")])
    kit.show(kit.layout(fig, lang, title="…"))   # in a notebook: plotly.js inlined once

Text comes from :mod:`m2if_analytics.i18n` (message keys are whole keys, prefix included);
everything a reader sees is escaped here. A report's own blocks (``<report>/html.py``) and
figures (``<report>/figures.py``) are built from these pieces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from html import escape

import plotly.graph_objects as go
import polars as pl

from m2if_analytics.i18n import date_format, t

# Diverging around the target: red below, neutral at the target, blue above (ColorBrewer RdBu).
DIVERGING = [[0.0, "#b2182b"], [0.25, "#ef8a62"], [0.5, "#f7f7f7"], [0.75, "#67a9cf"],
             [1.0, "#2166ac"]]
GROUP_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
NO_GROUP_COLOUR = "#888888"
HOLIDAY_FILL = "rgba(205,205,205,0.92)"
IN_PROGRESS_FILL = "rgba(255,255,255,0.6)"
LEVEL_COLOURS = {"green": "#1a7f37", "amber": "#bf8700", "red": "#cf222e"}
STATUS_COLOURS = {"validated": "#1a7f37", "on_track": "#67a9cf", "compromised": "#e8912d",
                  "blocked": "#cf222e",
                  "no_grades": "#bbbbbb"}

STYLE = """<style>
.m2if-cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 16px}
.m2if-card{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:150px}
.m2if-card .label{font-size:0.85em;color:#57606a}
.m2if-card .m2if-headline{font-size:1.6em;font-weight:600}
table.m2if{border-collapse:collapse;margin:6px 0 14px}
table.m2if th,table.m2if td{border-bottom:1px solid #d0d7de;padding:3px 10px;
  text-align:left !important;vertical-align:top}
table.m2if td.num{text-align:right !important}
.m2if-note{color:#57606a;font-size:0.9em}
.m2if-level{border-radius:10px;padding:1px 9px;color:#fff;font-weight:600;white-space:nowrap}
.m2if-level.red{background:#cf222e}.m2if-level.amber{background:#bf8700}
.m2if-level.green{background:#1a7f37}
</style>"""

# plotly.js names two CDN defaults (geo topojson, map icons) that these figures never use;
# pointing them at relative paths keeps the HTML free of any network address.
_CDN = re.compile(r"https://cdn\.[\w.-]+/[\w./@-]*")
_plotlyjs_shown = False


# --- text ----------------------------------------------------------------------------------

def messages(prefix: str) -> Callable[..., str]:
    """``t`` for one report's keys: ``messages("student_")("title", lang, ...)`` is
    ``t("student_title", lang, ...)``."""
    def text(key: str, lang: str = "fr", **values: object) -> str:
        return t(prefix + key, lang, **values)

    return text


def hover_pair(label: str, value: object, lang: str = "fr") -> str:
    """``Label : value`` in French (no-break space before the colon), ``Label: value``."""
    return t("hover_value", lang, label=label, value=value)


# --- HTML blocks ---------------------------------------------------------------------------

def section(key: str, lang: str = "fr", note: str | None = None, **values: object) -> str:
    """A section title (message ``key``) and an optional note (message ``note``) under it;
    ``values`` fill both."""
    html = f"<h2>{escape(t(key, lang, **values))}</h2>"
    return html + (remark(t(note, lang, **values)) if note is not None else "")


def remark(text: str) -> str:
    """A note in small grey type (already translated text)."""
    return f'<p class="m2if-note">{escape(text)}</p>'


def paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def empty(text: str) -> str:
    """"No grades loaded yet" and the like: an italic line."""
    return f"<p><em>{escape(text)}</em></p>"


def title(heading: str, note: str | None = None, cards_html: str = "") -> str:
    """The page's style, its title, an optional note under it and its key-number cards."""
    return (f"{STYLE}<h1>{escape(heading)}</h1>" + (remark(note) if note else "")
            + cards_html)


def card(key: str, label: str, value: float | int | None, shown: str) -> str:
    """One key number: ``shown`` to the reader, the raw ``value`` in ``data-value`` (tests
    compare what a reader sees with what the API computes)."""
    raw = "" if value is None else repr(float(value))
    return (f'<div class="m2if-card"><div class="label">{escape(label)}</div>'
            f'<span class="m2if-headline" data-key="{escape(key)}" data-value="{raw}">'
            f"{escape(shown)}</span></div>")


def cards(items: Iterable[str]) -> str:
    return '<div class="m2if-cards">' + "".join(items) + "</div>"


def table(heads: Iterable[str], rows: Iterable[Iterable[str]],
          numeric: Iterable[int] = (), *, html_cells: bool = False) -> str:
    """A table with escaped headings and cells (``html_cells``: the cells are HTML already,
    escaped by the caller); cells of the ``numeric`` column positions are right-aligned."""
    right = set(numeric)

    def cell(i: int, text: str) -> str:
        inner = text if html_cells else escape(text)
        return f'<td class="num">{inner}</td>' if i in right else f"<td>{inner}</td>"

    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>"
                   for row in rows)
    return f'<table class="m2if"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def badge(level: str, lang: str = "fr") -> str:
    """A coloured risk level (``red``, ``amber``, ``green``)."""
    return (f'<span class="m2if-level {escape(level)}" data-level="{escape(level)}">'
            f"{escape(t('risk_level_' + level, lang))}</span>")


# --- figures -------------------------------------------------------------------------------

def layout(fig: go.Figure, lang: str, **options: object) -> go.Figure:
    """Every figure's layout: numbers on axes written the ``lang`` way (``1 500``, ``7,5``)."""
    fig.update_layout(separators=",\u202f" if lang == "fr" else ".,", template="plotly_white",
                      **options)
    return fig


def date_axis(lang: str, **extra: object) -> dict:
    """An axis of dates written as numbers (plotly.js knows English month names only)."""
    return {"tickformat": date_format(lang), **extra}


def holiday_bands(fig: go.Figure, weeks: pl.DataFrame, lang: str) -> None:
    """Grey bands over holiday weeks on a date axis (``weeks``: week_start, holiday)."""
    for n, monday in enumerate(weeks.filter(pl.col("holiday"))["week_start"].unique().sort()):
        fig.add_vrect(x0=monday - dt.timedelta(days=3.5), x1=monday + dt.timedelta(days=3.5),
                      fillcolor="#cccccc", opacity=0.35, line={"width": 0}, layer="below",
                      name=t("holiday_week", lang), showlegend=n == 0)


def group_colours(groups: Iterable[str | None], unnamed: Iterable[str | None] = (None,)
                  ) -> dict[str | None, str]:
    """One palette colour per named group (sorted), grey for ``unnamed`` (no group, all)."""
    grey = set(unnamed)
    named = sorted(g for g in set(groups) if g not in grey)
    colours: dict[str | None, str] = {g: GROUP_COLOURS[i % len(GROUP_COLOURS)]
                                      for i, g in enumerate(named)}
    return colours | dict.fromkeys(grey, NO_GROUP_COLOUR)


def figure_html(fig: go.Figure, include_plotlyjs: bool) -> str:
    """The figure as an HTML fragment, plotly.js inlined or not, never fetched from a CDN."""
    html = fig.to_html(full_html=False, include_plotlyjs=bool(include_plotlyjs),
                       config={"displaylogo": False, "responsive": True})
    return _CDN.sub("./plotly-offline/", html)


def show(fig: go.Figure) -> None:
    """Display ``fig`` in a notebook; plotly.js is inlined in the first output only, so the
    rendered notebook is self-contained and works offline (call :func:`reset_show` first)."""
    global _plotlyjs_shown
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, include_plotlyjs=not _plotlyjs_shown)))
    _plotlyjs_shown = True


def reset_show() -> None:
    """Inline plotly.js again at the next :func:`show` (first cell of a report notebook)."""
    global _plotlyjs_shown
    _plotlyjs_shown = False
