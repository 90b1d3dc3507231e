"""HTML fragments of the reports: escaped text, raw values beside formatted ones."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from m2if_analytics.api import DataQuality, Headline
from m2if_analytics.reports.weekly import html as report_blocks

HEAD = Headline(cohort="2026-2027", week_start=dt.date(2027, 1, 11), iso_week="2027-W02",
                holiday=False, students=20, below_target=7, median_hours=12.25,
                previous_median_hours=14.0, trend_hours=-1.75)


def values(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-key="(\w+)" data-value="([^"]*)"', html))


def test_headline_cards_carry_raw_values_and_localised_text():
    fr, en = report_blocks.headline(HEAD, "fr"), report_blocks.headline(HEAD, "en")
    assert values(fr) == {"students": "20.0", "below_target": "7.0", "median_hours": "12.25",
                          "trend_hours": "-1.75"}
    assert "12,2\u00a0h" in fr or "12,3\u00a0h" in fr  # French decimal comma
    assert "12.2\u00a0h" in en or "12.3\u00a0h" in en
    assert "Étudiants sous l&#x27;objectif" in fr and "Students below target" in en


def test_missing_trend_shows_a_dash_and_an_empty_value():
    html = report_blocks.headline(
        Headline(**{**HEAD.__dict__, "previous_median_hours": None, "trend_hours": None}), "en")
    assert values(html)["trend_hours"] == "" and "–" in html


def test_streak_table_escapes_and_lists_every_row():
    frame = pl.DataFrame({"student": ["p<script>", "pb"], "group": ["A", None], "weeks": [3, 2],
                          "mean_hours": [4.0, 9.5], "last_hours": [0.0, 8.0]})
    html = report_blocks.streaks(frame, "fr")
    assert "<script>" not in html and "p&lt;script&gt;" in html
    assert html.count("<tr>") == 3
    assert report_blocks.streaks(frame.clear(), "en") == "<p>None</p>"


def test_data_quality_panel_lists_freshness_quarantine_and_silent_students():
    dq = DataQuality(last_event=dt.datetime(2027, 1, 17, 22, 5), files=pl.DataFrame(),
                     quarantined=1234, silent_students=["pa"], inactive_last_week=[])
    html = report_blocks.data_quality(dq, "fr")
    assert "17/01/2027 22:05" in html and "1\u202f234" in html and "pa" in html
    assert "2027-01-17 22:05" in report_blocks.data_quality(dq, "en")
    assert "Aucun" in html
