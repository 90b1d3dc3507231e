"""French and English texts, and numbers written the French or English way."""

from __future__ import annotations

import string

import pytest

from m2if_analytics.i18n import LANGS, MESSAGES, hours, number, t, week_label

NNBSP, NBSP = "\u202f", "\u00a0"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_a_french_and_an_english_text_with_the_same_placeholders(key: str):
    assert set(MESSAGES[key]) == set(LANGS)
    texts = MESSAGES[key]
    assert texts["fr"].strip() and texts["en"].strip()
    assert placeholders(texts["fr"]) == placeholders(texts["en"])


def test_the_weekly_report_keys_exist_in_natural_french_and_english():
    expected = {
        "students_below_target": ("Étudiants sous l'objectif", "Students below target"),
        "section_engagement": ("Engagement par semaine", "Engagement by week"),
        "section_cumulative": ("Heures cumulées", "Cumulative hours"),
        "section_data_quality": ("Qualité des données", "Data quality"),
        "week_in_progress": ("Semaine en cours", "Week in progress"),
        "holiday_week": ("Semaine de vacances", "Holiday week"),
        "axis_online_hours": ("Heures en ligne", "Online hours"),
    }
    for key, (fr, en) in expected.items():
        assert (t(key), t(key, "en")) == (fr, en)
    for key in ("students", "median_hours", "change_vs_previous_week", "section_last_week",
                "section_sessions", "last_data", "rows_quarantined", "students_without_activity",
                "platform_time_only", "platform_time_note", "report_week"):
        assert t(key) != t(key, "en")


def test_t_fills_placeholders_in_the_requested_language():
    assert t("target", hours=hours(15, digits=0)) == f"Objectif 15{NBSP}h"
    assert t("pace", "en", hours=hours(1500, "en", 0)) == f"Pace to 1,500{NBSP}h"
    assert (t("section_below_target_streak", "en", weeks=2)
            == "Below target for 2 consecutive teaching weeks or more")
    assert t("section_below_target_streak", weeks=2).startswith("Sous l'objectif depuis 2 ")


def test_t_rejects_an_unknown_language_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="fr, en"):
        t("students", "de")
    with pytest.raises(ValueError, match="fr, en"):
        number(1.0, "es")


def test_t_rejects_an_unknown_key_and_a_missing_value():
    with pytest.raises(KeyError, match="no_such_key"):
        t("no_such_key")
    with pytest.raises(KeyError, match="weeks"):
        t("section_below_target_streak")


def test_number_uses_a_decimal_comma_and_narrow_spaces_in_french_and_commas_in_english():
    assert number(1234.5) == f"1{NNBSP}234,5"
    assert number(1234.5, "en") == "1,234.5"
    assert number(1234567.891, "fr", 2) == f"1{NNBSP}234{NNBSP}567,89"
    assert number(12.46, "en", 0) == "12"
    assert number(0.25, "fr", 2) == "0,25"
    assert number(-1234.5, "fr") == f"-1{NNBSP}234,5"
    assert number(-0.04) == "0,0"  # never "-0,0"
    assert number(2.5, "fr", sign=True) == "+2,5"
    assert number(-2.5, "en", sign=True) == "-2.5"


def test_number_and_hours_write_a_dash_for_missing_values():
    assert number(None) == number(float("nan"), "en") == "–"
    assert hours(None) == hours(None, "en") == "–"


def test_hours_carry_their_unit_after_a_no_break_space():
    assert hours(12.5) == f"12,5{NBSP}h"
    assert hours(12.5, "en") == f"12.5{NBSP}h"
    assert hours(1500, "fr", 0) == f"1{NNBSP}500{NBSP}h"


def test_week_label_names_the_iso_week():
    assert week_label("2027-W05") == "semaine 2027-W05"
    assert week_label("2027-W05", "en") == "week 2027-W05"
