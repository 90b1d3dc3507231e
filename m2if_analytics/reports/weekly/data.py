"""The weekly report's first screen as data: who needs a call this week.

    screen = data.call_list(risk.flags(ws, cohort, week, lang))
    screen.counts["red"], screen.new_counts["red"]      # red students, of which new or worse
    screen.to_call                                       # new and worse first, then uncontacted

Pure: a :func:`m2if_analytics.risk.flags` table in (one row per student: level, status,
since, reasons, last contact, days without contact), a :class:`CallList` out. Also the words
of the report week ("Semaine du 1er au 7 février 2027") and of a group ("Groupe Nord", never
"Groupe Groupe Nord"), which the figures share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from m2if_analytics.i18n import t

LEVEL_ORDER = ("red", "amber", "green")
_RANK = {level: i for i, level in enumerate(LEVEL_ORDER)}
FLAG_COLUMNS = ("student", "group", "week_start", "level", "previous_level", "status", "since",
                "reasons", "last_contact", "uncontacted_days")


@dataclass(frozen=True)
class CallList:
    """The first screen: counts by level, how many of them are new (or worse) this week,
    the students to call (rows of the flags table, in call order) and those back to green."""

    week_start: dt.date
    counts: dict[str, int]  # red, amber, green
    new_counts: dict[str, int]  # red, amber: new or worse this week
    to_call: list[dict[str, object]]
    resolved: list[dict[str, object]]
    contacted: int  # ongoing flags already followed up since they were raised


def call_list(flags: pl.DataFrame) -> CallList:
    """Who needs a call: new and worse flags first (red before amber, then pseudonym), then
    ongoing flags nobody has followed up since they were raised (longest wait first); the
    students back to green apart. ``flags`` has the columns of :data:`FLAG_COLUMNS`."""
    missing = [c for c in FLAG_COLUMNS if c not in flags.columns]
    if missing:
        raise ValueError(f"the flags table lacks the columns {missing} (see risk.flags)")
    if flags.is_empty():
        raise ValueError("the flags table is empty: no student in the report week")
    rows = flags.to_dicts()
    fresh = sorted((r for r in rows if r["status"] in ("new", "worse")),
                   key=lambda r: (_RANK[r["level"]], r["student"]))
    waiting = sorted((r for r in rows if r["status"] == "ongoing"
                      and r["uncontacted_days"] is not None),
                     key=lambda r: (-int(r["uncontacted_days"]), _RANK[r["level"]],
                                    r["student"]))
    return CallList(
        week_start=flags["week_start"][0],
        counts={lv: sum(r["level"] == lv for r in rows) for lv in LEVEL_ORDER},
        new_counts={lv: sum(r["level"] == lv for r in fresh) for lv in ("red", "amber")},
        to_call=fresh + waiting,
        resolved=sorted((r for r in rows if r["status"] == "resolved"),
                        key=lambda r: r["student"]),
        contacted=sum(r["status"] == "ongoing" and r["uncontacted_days"] is None
                      for r in rows))


def group_label(group: str | None, lang: str = "fr") -> str:
    """``Groupe A`` / ``Group A``; a name that already starts with the word (``Groupe Nord``,
    ``group b``, ``Group North``) is kept as it is; no group → ``Sans groupe``."""
    if group is None or not group.strip():
        return t("no_group", lang)
    word = t("group", lang)
    first = group.split()[0].casefold()
    if first in {t("group", other).casefold() for other in ("fr", "en")} | {word.casefold()}:
        return group
    return f"{word} {group}"


def _day_month(day: dt.date, lang: str) -> str:
    months = t("month_names", lang).split(",")
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{number} {months[day.month - 1]}"


def week_dates(week_start: dt.date, iso_week: str, lang: str = "fr") -> str:
    """``Semaine du 1er au 7 février 2027 (2027-W05)`` / ``Week of 1–7 February 2027
    (2027-W05)``; the month and the year are written once when the week stays inside them."""
    last = week_start + dt.timedelta(days=6)
    if week_start.year != last.year:
        first = f"{_day_month(week_start, lang)} {week_start.year}"
    elif week_start.month != last.month:
        first = _day_month(week_start, lang)
    else:
        first = "1er" if lang == "fr" and week_start.day == 1 else str(week_start.day)
    key = "week_of_dates_same_month" if week_start.month == last.month else "week_of_dates"
    return t(key, lang, first=first, last=f"{_day_month(last, lang)} {last.year}",
             week=iso_week)


__all__ = ["FLAG_COLUMNS", "LEVEL_ORDER", "CallList", "call_list", "group_label", "week_dates"]
