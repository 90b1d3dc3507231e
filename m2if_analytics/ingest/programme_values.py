"""Reading the values of programme tables: numbers, dates, local date-times, student ids.

Each reader returns the typed value or raises :class:`RowError` with a reason that names
the value and the expected form; the caller quarantines the row with its line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from zoneinfo import ZoneInfo

from m2if_analytics.warehouse.pseudonyms import Pseudonymiser


class RowError(ValueError):
    """One row cannot be loaded; the message is the quarantine reason."""


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_HMS = re.compile(r"^(\d{1,2})[:hH](\d{2})(?::(\d{2})(?:\.\d+)?)?$")


def number(text: str, what: str) -> float:
    """'15', '15.5', '15,5' (French decimal comma), '1 234,5' → float."""
    raw = _SPACES.sub("", text)
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise RowError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise RowError(f"{what} {text!r} is not a finite number")
    return value


def grade_and_scale(grade_text: str, scale_text: str) -> tuple[float, float]:
    """The grade and its scale; '15/20' or '75/100' in the grade column carries its own."""
    scale: float | None = None
    if "/" in grade_text:
        grade_part, _, scale_part = grade_text.partition("/")
        grade_text, scale = grade_part, number(scale_part, "scale")
    if scale_text:
        written = number(scale_text, "scale")
        if scale is not None and written != scale:
            raise RowError(f"grade {grade_text}/{scale:g} contradicts scale {scale_text!r}")
        scale = written
    scale = 20.0 if scale is None else scale
    if scale <= 0:
        raise RowError(f"scale {scale:g} should be positive (e.g. 20 or 100)")
    grade = number(grade_text, "grade")
    if not 0 <= grade <= scale:
        raise RowError(f"grade {grade:g} is outside 0..{scale:g} (the scale)")
    return grade, scale


def _ymd(text: str) -> dt.date:
    m = _YMD.match(text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.match(text)
    if m:
        year = int(m.group(3))
        return dt.date(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(1)))
    raise ValueError(text)


def date(text: str, what: str) -> dt.date:
    """'2027-01-15', '15/01/2027', '15/01/27' (day first); a 00:00 time part is ignored."""
    value = text.strip()
    day_part, _, time_part = value.replace("T", " ").partition(" ")
    try:
        day = _ymd(day_part.rstrip(","))
    except ValueError:
        raise RowError(f"{what} {text!r} is not a date (write 2027-01-15 or 15/01/2027)"
                       ) from None
    if time_part.strip(", ") not in ("", "00:00", "00:00:00"):
        raise RowError(f"{what} {text!r} should be a date without a time")
    return day


def local_datetime(text: str, what: str, tz: str,
                   date_only: dt.time | None = None) -> dt.datetime:
    """A local date-time in the programme's timezone → an aware UTC datetime.

    Accepted: '2026-11-22 23:59', '2026-11-22T23:59:00', '22/11/2026 23:59', '22/11/26, 23h59',
    and ISO with an offset ('2026-11-22T22:59:00Z', '+01:00'), which is used as given. A date
    alone is read at ``date_only`` (None: refused). A repeated autumn hour is read as its
    first occurrence; a time in the skipped spring hour with the offset before the change.
    """
    value = text.strip()
    if len(value) > 10 and value[:4].isdigit():
        try:
            parsed = dt.datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z")
                                               else value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return _to_utc(parsed, what, text)
    parts = value.replace("T", " ").replace(",", " ").split()
    try:
        day = _ymd(parts[0]) if parts else None
    except ValueError:
        day = None
    if day is None or len(parts) > 2:
        raise RowError(f"{what} {text!r} is not a date-time (write 2026-11-22 23:59 or "
                       "22/11/2026 23:59, local time)")
    if len(parts) == 1:
        if date_only is None:
            raise RowError(f"{what} {text!r} has no time (write 2026-11-22 18:30, local time)")
        clock = date_only
    else:
        m = _HMS.match(parts[1])
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59:
            raise RowError(f"{what} {text!r}: {parts[1]!r} is not a time (write 23:59)")
        clock = dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
    local = dt.datetime.combine(day, clock).replace(tzinfo=ZoneInfo(tz))
    return _to_utc(local, what, text)


def _to_utc(moment: dt.datetime, what: str, text: str) -> dt.datetime:
    """``moment`` in UTC; a date at the very edge of the calendar (year 1 or 9999) is a
    row error, not an OverflowError."""
    try:
        return moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise RowError(f"{what} {text!r} is outside the years a date-time can hold "
                       "(check the year)") from None


def student_ident(pseudo: Pseudonymiser, user_id: str, name: str, email: str) -> str:
    """The hashed identity of a student row: user id, else full name, else e-mail.

    The same rule as the roster's canonical identity, so that a roster linking ids and
    names resolves the row to one pseudonym (see queries/pipeline/10_persons.sql).
    """
    ident = ((pseudo.id_ident(user_id) if user_id else None)
             or (pseudo.name_ident(name) if name else None)
             or (pseudo.mail_ident(email) if email else None))
    if ident is None:
        raise RowError("no student: user_id, full_name and email are all empty")
    return ident
