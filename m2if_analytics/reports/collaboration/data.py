"""The collaboration report's own numbers: its period, and the period at a glance."""

from __future__ import annotations

import datetime as dt

import polars as pl


def window(cohort_start: dt.date, cohort_end: dt.date, start: str | dt.date | None = None,
           end: str | dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The report's period as dates: ``start``/``end`` (ISO text or dates), by default the
    cohort's first and last day."""
    def as_date(value: str | dt.date | None, default: dt.date) -> dt.date:
        if value is None:
            return default
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    first, last = as_date(start, cohort_start), as_date(end, cohort_end)
    if first > last:
        raise ValueError(f"the period starts ({first}) after it ends ({last})")
    return first, last


def headline(posts: pl.DataFrame, people: pl.DataFrame) -> dict[str, int]:
    """The period at a glance: posts, distinct authors, students, isolated students
    (``people``: student_metrics of the cohort)."""
    students = people.filter(pl.col("role") == "student")
    return {"posts": posts.height, "authors": posts["author"].n_unique(),
            "students": students.height, "isolated_students": int(students["isolated"].sum())}
