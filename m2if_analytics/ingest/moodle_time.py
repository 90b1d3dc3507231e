"""Times as Moodle writes them in its "Logs" downloads → UTC instants.

Accepted without options (English and French, any case, optional weekday prefix):
``28/11/26, 14:03`` · ``28/11/26, 14:03:12`` · ``28 November 2026, 2:03:12 PM`` ·
``11 May, 09:44`` · ``11 mai, 09:44`` · ``November 28, 2026, 2:03 PM`` · ``2026-11-28 14:03:12``.
Numeric dates are day/month unless a value in the file proves month/day. Year-less dates
get their year from the cohort calendar (:func:`infer_year`); ``--time-format`` (strptime)
overrides detection. Export times are wall-clock times in the programme's timezone: an
ambiguous autumn hour is read as its first occurrence (summer time, ``fold=0``) and a
non-existent spring time is read with the offset before the change (02:30 → 01:30 UTC).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from m2if_analytics.config import Cohort
from m2if_analytics.ingest.window import outside

MONTHS = {
    "january": 1, "jan": 1, "janvier": 1, "janv": 1,
    "february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "fev": 2,
    "march": 3, "mar": 3, "mars": 3,
    "april": 4, "apr": 4, "avril": 4, "avr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juin": 6,
    "july": 7, "jul": 7, "juillet": 7, "juil": 7,
    "august": 8, "aug": 8, "aout": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9,
    "october": 10, "oct": 10, "octobre": 10,
    "november": 11, "nov": 11, "novembre": 11,
    "december": 12, "dec": 12, "decembre": 12,
}
WEEKDAYS = ("monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
            "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
            "mon|tue|wed|thu|fri|sat|sun")
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_CLOCK = r"(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([ap])?\.?m?\.?"
_WD = rf"(?:(?:{WEEKDAYS})\.?,?\s+)?"
NUMERIC = re.compile(rf"^{_WD}(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{2}}|\d{{4}}),?\s+{_CLOCK}$")
ISO = re.compile(rf"^(\d{{4}})-(\d{{2}})-(\d{{2}})[ t]{_CLOCK}$")
_YEAR = r"(?:\s+(\d{4}))?,?\s+"
DAY_FIRST = re.compile(rf"^{_WD}(\d{{1,2}})(?:er)?\s+{_MONTH}{_YEAR}(?:a\s+)?{_CLOCK}$")
MONTH_FIRST = re.compile(rf"^{_WD}{_MONTH}\s+(\d{{1,2}}),?{_YEAR}(?:at\s+)?{_CLOCK}$")


class TimeFormatError(ValueError):
    """A single value cannot be read as a time (the row is quarantined)."""


class YearInferenceError(ValueError):
    """A year-less date cannot be dated from the calendar (the file is refused)."""


@dataclass(frozen=True)
class Parts:
    """Fields read from one time string; ``year`` None when the export omits it."""

    year: int | None
    first: int  # day, or month when the numeric order turns out to be month/day
    second: int
    hour: int
    minute: int
    second_of_minute: int
    numeric: bool


def _fold(text: str) -> str:
    text = text.strip().casefold()
    if not text.isascii():  # accents dropped (an ASCII text has none to drop)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def _hour(hour: str, ampm: str | None) -> int:
    h = int(hour)
    if ampm is None:
        return h
    if not 1 <= h <= 12:
        raise TimeFormatError(f"hour {h} with AM/PM")
    return (h % 12) + (12 if ampm == "p" else 0)


def read_parts(value: str) -> Parts:
    """Split one Moodle time string into fields; raises TimeFormatError."""
    text = _fold(value)
    if m := NUMERIC.match(text):
        a, b, y, hh, mm, ss, ap = m.groups()
        year = int(y) + (2000 if len(y) == 2 else 0)
        return Parts(year, int(a), int(b), _hour(hh, ap), int(mm), int(ss or 0), True)
    if m := ISO.match(text):
        y, mo, d, hh, mm, ss, ap = m.groups()
        return Parts(int(y), int(d), int(mo), _hour(hh, ap), int(mm), int(ss or 0), False)
    if m := DAY_FIRST.match(text):
        d, mon, y, hh, mm, ss, ap = m.groups()
        return Parts(int(y) if y else None, int(d), MONTHS[mon], _hour(hh, ap), int(mm),
                     int(ss or 0), False)
    if m := MONTH_FIRST.match(text):
        mon, d, y, hh, mm, ss, ap = m.groups()
        return Parts(int(y) if y else None, int(d), MONTHS[mon], _hour(hh, ap), int(mm),
                     int(ss or 0), False)
    raise TimeFormatError("matches no Moodle time format")


def numeric_order(parts: Iterable[Parts]) -> str:
    """'dmy' (Moodle's default) unless some numeric date can only be month/day."""
    first_big = second_big = False
    for p in parts:
        if p.numeric:
            first_big |= p.first > 12
            second_big |= p.second > 12
    return "mdy" if second_big and not first_big else "dmy"


def infer_year(month: int, day: int, cohorts: Iterable[Cohort], margin_days: int,
               wide: bool = False) -> int:
    """The only year in which (month, day) falls within a cohort's dates (± margin).

    ``wide`` (a cohort chosen explicitly) uses the 12 months from the first day of the
    cohort's start month instead, so that every date of its academic year is dated.
    """
    years: set[int] = set()
    cohorts = list(cohorts)
    margin = dt.timedelta(days=margin_days)
    for c in cohorts:
        if wide:
            lo = c.start.replace(day=1)
            hi = lo.replace(year=lo.year + 1) - dt.timedelta(days=1)
        else:
            lo, hi = c.start - margin, c.end + margin
        for year in range(lo.year, hi.year + 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue
            if lo <= candidate <= hi:
                years.add(year)
    label = f"{day:02d}/{month:02d}"
    if not years:
        names = ", ".join(c.id for c in cohorts) or "none"
        raise YearInferenceError(
            f"the export gives no year and {label} falls in no configured cohort (cohorts: "
            f"{names}); add the cohort to the config or pass --cohort ID")
    if len(years) > 1:
        raise YearInferenceError(
            f"the export gives no year and {label} could be {sorted(years)} under different "
            "cohorts; pass --cohort ID to say which cohort the export belongs to")
    return years.pop()


@dataclass
class TimeReader:
    """Reads the distinct time strings of one file into UTC datetimes."""

    timezone: str
    cohorts: tuple[Cohort, ...]
    margin_days: int = 31
    wide: bool = False
    time_format: str | None = None
    window: tuple[dt.datetime, dt.datetime] | None = None  # plausible UTC times

    def read_all(self, values: Iterable[str]) -> dict[str, dt.datetime | str]:
        """Map each distinct value to a UTC datetime, or to the reason it cannot be read.

        Raises YearInferenceError (for the whole file) when a year cannot be inferred.
        """
        distinct = set(values)
        parsed: dict[str, Parts | str] = {}
        for value in distinct:
            try:
                parsed[value] = self._custom(value) if self.time_format else read_parts(value)
            except (TimeFormatError, ValueError) as exc:
                parsed[value] = f"time {value!r} {exc}; pass --time-format to read it"
        order = numeric_order(p for p in parsed.values() if isinstance(p, Parts))
        zone = ZoneInfo(self.timezone)
        out: dict[str, dt.datetime | str] = {}
        years: dict[tuple[int, int], int] = {}
        for value, p in parsed.items():
            if isinstance(p, str):
                out[value] = p
                continue
            day, month = (p.second, p.first) if p.numeric and order == "mdy" else (p.first,
                                                                                    p.second)
            year = p.year
            if year is None:
                if (month, day) not in years:
                    try:
                        years[(month, day)] = infer_year(month, day, self.cohorts,
                                                         self.margin_days, self.wide)
                    except YearInferenceError as exc:
                        raise YearInferenceError(f"time {value!r}: {exc}") from None
                year = years[(month, day)]
            try:
                local = dt.datetime(year, month, day, p.hour, p.minute, p.second_of_minute)
                utc = to_utc(local, zone)
            except (ValueError, OverflowError) as exc:
                out[value] = f"time {value!r} is not a valid date ({exc})"
                continue
            late = outside(utc.replace(tzinfo=dt.UTC), self.window)
            out[value] = f"time {value!r}: {late}" if late else utc
        return out

    def _custom(self, value: str) -> Parts:
        fmt = self.time_format or ""
        try:
            t = dt.datetime.strptime(value.strip(), fmt)
        except ValueError as exc:
            raise TimeFormatError(f"does not match --time-format {fmt!r} ({exc})") from None
        has_year = "%Y" in fmt or "%y" in fmt
        return Parts(t.year if has_year else None, t.day, t.month, t.hour, t.minute, t.second,
                     False)


def to_utc(local: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Wall-clock time in ``zone`` → naive UTC datetime (first occurrence when repeated)."""
    aware = local.replace(tzinfo=zone, fold=0)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)
