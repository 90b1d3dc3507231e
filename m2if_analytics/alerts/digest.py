"""Which students go in which digest, and under which heading (pure: frames in, digests
out).

A student's digest key is their tutor's code (roster column ``tutor``), else their group,
else ``*`` (the cohort). Headings: **new** (flagged this week, or worse: amber → red),
**not contacted** (an ongoing flag nobody has followed up since it was raised), **back to
green** (resolved this week). A digest lists the counts by level of its students."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

COHORT_KEY = "*"


@dataclass(frozen=True)
class Digest:
    """One digest: its key (tutor, group or ``*``), what kind of key it is, the report week
    (Monday) and the rows of each heading (from the flags table)."""

    key: str
    kind: str  # tutor | group | cohort
    cohort: str
    week_start: dt.date
    counts: dict[str, int]  # red, amber, green among the digest's students
    new: list[dict[str, object]]
    uncontacted: list[dict[str, object]]
    resolved: list[dict[str, object]]

    @property
    def empty(self) -> bool:
        return not (self.new or self.uncontacted or self.resolved)


def digest_keys(flags: pl.DataFrame, tutors: pl.DataFrame | None) -> pl.DataFrame:
    """The flags with ``key`` and ``kind`` columns: tutor when the roster gives one to some
    student, else group, else the cohort."""
    table = flags
    if tutors is not None and tutors["tutor"].drop_nulls().len():
        table = table.join(tutors.select("student", "tutor"), on="student", how="left")
        return table.with_columns(
            pl.coalesce("tutor", "group", pl.lit(COHORT_KEY)).alias("key"),
            pl.when(pl.col("tutor").is_not_null()).then(pl.lit("tutor"))
            .when(pl.col("group").is_not_null()).then(pl.lit("group"))
            .otherwise(pl.lit("cohort")).alias("kind"))
    return table.with_columns(
        pl.coalesce("group", pl.lit(COHORT_KEY)).alias("key"),
        pl.when(pl.col("group").is_not_null()).then(pl.lit("group"))
        .otherwise(pl.lit("cohort")).alias("kind"))


def build_digests(flags: pl.DataFrame, cohort: str,
                  tutors: pl.DataFrame | None = None) -> list[Digest]:
    """One digest per key (sorted), from a :func:`m2if_analytics.risk.flags` table."""
    rank = {"red": 0, "amber": 1, "green": 2}
    table = digest_keys(flags, tutors)
    out = []
    for key in sorted(table["key"].unique().to_list()):
        mine = table.filter(pl.col("key") == key)
        rows = sorted(mine.to_dicts(), key=lambda r: (rank[str(r["level"])], r["student"]))
        out.append(Digest(
            key=key, kind=str(mine["kind"][0]), cohort=cohort,
            week_start=mine["week_start"][0],
            counts={lv: int((mine["level"] == lv).sum()) for lv in ("red", "amber", "green")},
            new=[r for r in rows if r["status"] in ("new", "worse")],
            uncontacted=[r for r in rows if r["status"] == "ongoing"
                         and r["uncontacted_days"] is not None],
            resolved=[r for r in rows if r["status"] == "resolved"]))
    return out
