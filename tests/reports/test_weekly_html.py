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


def test_the_report_week_is_written_with_its_dates_month_and_year_once():
    from m2if_analytics.reports.weekly.data import week_dates

    cases = {
        (dt.date(2027, 2, 1), "fr"): "Semaine du 1er au 7 février 2027 (W)",
        (dt.date(2027, 2, 1), "en"): "Week of 1–7 February 2027 (W)",
        (dt.date(2027, 1, 25), "fr"): "Semaine du 25 au 31 janvier 2027 (W)",
        (dt.date(2027, 3, 29), "fr"): "Semaine du 29 mars au 4 avril 2027 (W)",
        (dt.date(2027, 3, 29), "en"): "Week of 29 March – 4 April 2027 (W)",
        (dt.date(2026, 12, 28), "fr"): "Semaine du 28 décembre 2026 au 3 janvier 2027 (W)",
        (dt.date(2026, 12, 28), "en"): "Week of 28 December 2026 – 3 January 2027 (W)",
    }
    for (monday, lang), want in cases.items():
        assert week_dates(monday, "W", lang) == want


def test_the_page_heading_carries_the_cohort_and_the_week_dates():
    html = report_blocks.week_heading("2026-2027", dt.date(2027, 2, 1), "2027-W05", "fr")
    assert "<h1>Suivi hebdomadaire — cohorte 2026-2027</h1>" in html
    assert "Semaine du 1er au 7 février 2027 (2027-W05)" in html
