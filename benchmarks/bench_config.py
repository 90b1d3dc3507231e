"""The benchmark configuration as the baselines read it: settings, calendar and pseudonyms.

Pure standard library, so that importing it costs a baseline nothing (the pandas, equal-work
pandas and Polars baselines share it; m2if reads the same TOML through its own loader).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

OUTPUT_COLUMNS = ["student", "week_start", "iso_week", "hours", "sessions", "active_days",
                  "events", "target_hours", "below_target"]
KEY_ENV = "M2IF_PSEUDONYM_KEY"
MAX_TIMECREATED = 17179869183  # the largest time m2if accepts (2^34 - 1 seconds)


@dataclass(frozen=True)
class Settings:
    """The part of the TOML configuration the weekly table needs (first cohort)."""

    timezone: str
    target_hours: float
    timeout_s: float
    last_event_s: float
    start: dt.date
    end: dt.date
    holidays: list[tuple[dt.date, dt.date]]

    @classmethod
    def from_toml(cls, path: Path) -> Settings:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        programme, tot = data.get("programme", {}), data.get("time_on_task", {})
        cohort = data["cohorts"][0]
        return cls(
            timezone=programme.get("timezone", "Europe/Paris"),
            target_hours=float(programme.get("weekly_target_hours", 15)),
            timeout_s=60 * float(tot.get("inactivity_timeout_minutes", 30)),
            last_event_s=float(tot.get("last_event_seconds", 60)),
            start=cohort["start"],
            end=cohort["end"],
            holidays=[(first, last) for first, last in cohort.get("holidays", [])],
        )

    @property
    def first_monday(self) -> dt.date:
        return monday(self.start)

    @property
    def last_monday(self) -> dt.date:
        return monday(self.end)

    def target(self, week_start: dt.date) -> float:
        """The week's target: 0 when its Monday to Friday are all holidays."""
        return 0.0 if is_holiday_week(week_start, self.holidays) else self.target_hours


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def is_holiday_week(week_start: dt.date, holidays: list[tuple[dt.date, dt.date]]) -> bool:
    weekdays = [week_start + dt.timedelta(days=i) for i in range(5)]
    return all(any(first <= d <= last for first, last in holidays) for d in weekdays)


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def pseudonym_key() -> bytes:
    return os.environ.get(KEY_ENV, "benchmark").encode()


def ident(user_id: object, key: bytes | None = None) -> str:
    """m2if's identity hash of a platform user id: HMAC-SHA256 of ``id:<id>``, 128 bits hex."""
    msg = f"id:{user_id}".encode()
    return hmac.new(key or pseudonym_key(), msg, hashlib.sha256).hexdigest()[:32]


def pseudonyms(user_ids: Iterable[object]) -> dict[object, str]:
    """Label of each distinct id as m2if shows it (``p`` + 12 hex digits), hashing each once."""
    key = pseudonym_key()
    return {u: "p" + ident(u, key)[:12] for u in set(user_ids)}
