"""Reading Moodle's time strings: formats, day/month order, year inference, DST."""

from __future__ import annotations

import datetime as dt

import pytest

from m2if_analytics.config import Cohort
from m2if_analytics.ingest.moodle_time import (
    TimeReader,
    YearInferenceError,
    infer_year,
    read_parts,
)

C2627 = Cohort("2026-2027", dt.date(2026, 10, 5), dt.date(2027, 7, 2))
C2526 = Cohort("2025-2026", dt.date(2025, 10, 6), dt.date(2026, 7, 3))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args)


def reader(**kw: object) -> TimeReader:
    return TimeReader("Europe/Paris", (C2627,), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("28/11/26, 14:03", utc(2026, 11, 28, 13, 3)),
        ("28/11/26, 14:03:12", utc(2026, 11, 28, 13, 3, 12)),
        ("28 November 2026, 2:03:12 PM", utc(2026, 11, 28, 13, 3, 12)),
        ("28 novembre 2026, 14:03", utc(2026, 11, 28, 13, 3)),
        ("Saturday, 28 November 2026, 2:03 PM", utc(2026, 11, 28, 13, 3)),
        ("samedi 28 novembre 2026, 14:03", utc(2026, 11, 28, 13, 3)),
        ("November 28, 2026, 2:03 PM", utc(2026, 11, 28, 13, 3)),
        ("2026-11-28 14:03:12", utc(2026, 11, 28, 13, 3, 12)),
        ("11 May, 09:44", utc(2027, 5, 11, 7, 44)),
        ("11 mai, 09:44", utc(2027, 5, 11, 7, 44)),
        ("1 févr., 08:00", utc(2027, 2, 1, 7, 0)),
        ("12 October, 12:00 AM", utc(2026, 10, 11, 22, 0)),
        ("12 October, 12:30 PM", utc(2026, 10, 12, 10, 30)),
    ],
)
def test_moodle_time_formats_are_read_as_paris_wall_time(text: str, expected_utc: dt.datetime):
    assert reader().read_all([text])[text] == expected_utc


def test_numeric_dates_are_day_first_unless_a_value_proves_month_first():
    both = ["03/04/27, 10:00", "04/25/27, 10:00"]
    out = reader().read_all(both)
    assert out["03/04/27, 10:00"] == utc(2027, 3, 4, 9, 0)  # March 4th (CET)
    assert out["04/25/27, 10:00"] == utc(2027, 4, 25, 8, 0)
    assert reader().read_all(["03/04/27, 10:00"])["03/04/27, 10:00"] == utc(2027, 4, 3, 8, 0)


def test_unreadable_time_gives_a_reason_not_an_exception():
    out = reader().read_all(["yesterday at noon", "31/02/27, 10:00"])
    assert "--time-format" in str(out["yesterday at noon"])
    assert "not a valid date" in str(out["31/02/27, 10:00"])


def test_time_format_option_overrides_detection():
    out = reader(time_format="%Y%m%d %H%M").read_all(["20261128 1403"])
    assert out["20261128 1403"] == utc(2026, 11, 28, 13, 3)


def test_autumn_repeated_hour_is_read_as_its_first_occurrence():
    # 2026-10-25: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    assert reader().read_all(["25/10/26, 02:30"])["25/10/26, 02:30"] == utc(2026, 10, 25, 0, 30)


def test_spring_missing_hour_uses_the_offset_before_the_change():
    # 2027-03-28 02:30 does not exist in Paris; read with CET (+01:00).
    assert reader().read_all(["28/03/27, 02:30"])["28/03/27, 02:30"] == utc(2027, 3, 28, 1, 30)


def test_year_is_inferred_from_the_cohort_calendar():
    assert infer_year(12, 1, [C2627], 31) == 2026
    assert infer_year(3, 15, [C2627], 31) == 2027


def test_year_inference_stops_when_two_cohorts_could_hold_the_date():
    with pytest.raises(YearInferenceError, match="--cohort"):
        infer_year(5, 11, [C2526, C2627], 31)


def test_year_inference_stops_when_no_cohort_holds_the_date():
    with pytest.raises(YearInferenceError, match="no configured cohort"):
        infer_year(8, 20, [C2627], 31)


def test_an_explicit_cohort_dates_its_whole_academic_year():
    assert infer_year(8, 20, [C2627], 31, wide=True) == 2027
    assert infer_year(10, 1, [C2627], 31, wide=True) == 2026


def test_read_parts_rejects_a_24_hour_clock_with_pm():
    with pytest.raises(ValueError):
        read_parts("28 November 2026, 14:03 PM")
