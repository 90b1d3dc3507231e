"""The weekly report's first screen answers "who needs a call this week": the call list's
order and wording, group names not doubled, the pace to the configured total (the rendered
page's layout at 3 and 20 students is measured in tests/reports/test_weekly_layout.py)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from m2if_analytics.i18n import t
from m2if_analytics.reports.controls import group_label
from m2if_analytics.reports.weekly import figures
from m2if_analytics.reports.weekly import html as blocks

W = dt.date(2027, 1, 11)

def flags(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(
        [{"student": s, "week_start": W, "level": lv, "reasons": f"why {s}", "status": st,
          "since": since, "previous_level": None, "last_contact": lc, "uncontacted_days": d,
          "group": "Groupe Nord"} for s, lv, st, since, lc, d in rows],
        schema={"student": pl.String, "week_start": pl.Date, "level": pl.String,
                "reasons": pl.String, "status": pl.String, "since": pl.Date,
                "previous_level": pl.String, "last_contact": pl.Date,
                "uncontacted_days": pl.Int64, "group": pl.String})


def test_the_call_list_puts_new_and_uncontacted_first_with_reasons_and_contact():
    table = flags(("p_ongoing_ok", "red", "ongoing", W, W, None),
                  ("p_amber_new", "amber", "new", W, None, 7),
                  ("p_uncontacted", "amber", "ongoing", dt.date(2026, 12, 28),
                   dt.date(2026, 12, 1), 21),
                  ("p_red_worse", "red", "worse", dt.date(2026, 12, 28), None, 21),
                  ("p_back", "green", "resolved", None, None, None),
                  ("p_fine", "green", "", None, None, None))
    html = blocks.call_list(table, "fr")
    order = [s for s in ("p_red_worse", "p_amber_new", "p_uncontacted", "p_ongoing_ok")
             if s in html]
    assert sorted(order, key=html.index) == ["p_red_worse", "p_amber_new", "p_uncontacted",
                                             "p_ongoing_ok"]
    assert "aggravé" in html and "sans contact depuis 21 jours" in html
    assert "dernier contact le 11/01/2027" in html and "why p_red_worse" in html
    # a contact before the flag was raised does not count, but is shown
    assert "sans contact depuis 21 jours (dernier contact le 01/12/2026)" in html
    assert "Revenus au vert cette semaine\u00a0: p_back" in html and "p_fine" not in html
    cards = blocks.level_counts(table, "en")
    assert 'data-key="level_red" data-value="2.0">2 (1 new)' in cards
    assert 'data-key="level_green" data-value="2.0">2<' in cards
    two = flags(("p1", "red", "new", W, None, 7), ("p2", "red", "worse", W, None, 7))
    assert ">2 (dont 2 nouveaux)<" in blocks.level_counts(two, "fr")
    assert ">1 (dont 1 nouveau)<" in blocks.level_counts(two.head(1), "fr")


@pytest.mark.parametrize(("group", "fr", "en"), [
    ("A", "Groupe A", "Group A"), ("Groupe Nord", "Groupe Nord", "Groupe Nord"),
    ("group 3", "group 3", "group 3"), (None, t("no_group", "fr"), t("no_group", "en"))])
def test_group_labels_are_never_doubled(group: str | None, fr: str, en: str):
    assert (group_label(group, "fr"), group_label(group, "en")) == (fr, en)


def test_the_pace_line_names_the_configured_total():
    cumulative = pl.DataFrame({
        "student": ["s"], "group": ["Groupe Nord"], "week_start": [W], "iso_week": ["2027-W02"],
        "cumulative_hours": [10.0], "pace_hours": [20.0], "target_cumulative": [15.0],
        "in_progress": [False]})
    fig = figures.cumulative_hours(cumulative, "fr", target=10.0, total_hours=600.0)
    names = [tr.name for tr in fig.data]
    assert names[0] == "Groupe Nord" and any("600" in n for n in names)
    assert not any("1 500" in n or "1500" in n for n in names)
