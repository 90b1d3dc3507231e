"""HTML blocks of the collaboration report: title with headline cards, the period, the group
table (section titles come from ``kit.section``)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from m2if_analytics.i18n import day, number
from m2if_analytics.reports import kit
from m2if_analytics.reports.collaboration.figures import TABLE_COLUMNS, group_name, label, ratio


def period_text(start: dt.date, end: dt.date, lang: str = "fr") -> str:
    return label("period", lang, start=day(start, lang), end=day(end, lang))


def title_html(cohort: str, start: dt.date, end: dt.date, numbers: dict[str, int],
               lang: str = "fr") -> str:
    """Report title, intro and headline cards (``data-value``: the raw number)."""
    cards = [kit.card(key, label(key, lang), value, number(value, lang, 0))
             for key, value in numbers.items()]
    title = label("title", lang, cohort=cohort, period=period_text(start, end, lang))
    return kit.title(title, label("intro", lang), kit.cards(cards))


def no_forum(lang: str = "fr") -> str:
    return kit.empty(label("no_forum", lang))


def group_table(groups: pl.DataFrame, lang: str = "fr") -> str:
    """group_metrics as an HTML table (groups, then the whole cohort)."""
    columns = [c for c in TABLE_COLUMNS if c in groups.columns]
    rows = []
    for r in groups.iter_rows(named=True):
        cells = [group_name(r["group"], lang)]
        for c in columns:
            value = r[c]
            cells.append(number(value, lang, 0) if c in ("members", "posts") and value is not None
                         else number(value, lang, 1) if c == "median_response_hours"
                         and value is not None else ratio(value, lang))
        rows.append(cells)
    heads = [label(c, lang) for c in ("group", *columns)]
    return kit.table(heads, rows, numeric=range(1, len(columns) + 1))
