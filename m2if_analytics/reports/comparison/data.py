"""Several cohorts (years) side by side on the same programme weeks: the data of the cohort
comparison (``notebooks/cohort_comparison.ipynb``) as Polars frames.

    ids = comparison.cohort_ids(ws)                 # every cohort with students, oldest first
    data = comparison.load(ws, ids)
    data.curves                                     # one row per cohort × programme week

Cohorts are aligned on the **programme week**: week 1 is the week (Monday to Sunday) of the
cohort's start, so that week 10 is each cohort's tenth week whatever the calendar date.
Holidays fall in different programme weeks from one year to the next: every weekly frame
says which weeks were holidays. Only complete weeks count, and numbers "at the same point of
the year" are taken at the last programme week that every compared cohort has completed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from m2if_analytics import engagement, risk
from m2if_analytics.calendar import monday
from m2if_analytics.errors import M2IFError
from m2if_analytics.programme import indicators as ind
from m2if_analytics.reports.overview.data import (
    FORECAST,
    forecast_concerns,
    forecast_status,
)
from m2if_analytics.risk.evaluation import SCHEMA as EVALUATION_SCHEMA
from m2if_analytics.risk.evaluation import not_measurable, scored
from m2if_analytics.warehouse.workspace import Workspace

WEEK = dt.timedelta(days=7)


def cohort_ids(ws: Workspace, cohorts: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """``cohorts`` checked against the configuration, oldest first (by start date), each
    once; None = every configured cohort with students."""
    table = engagement.cohorts(ws).sort("start")
    known = table["cohort"].to_list()
    wanted = list(cohorts) if cohorts else table.filter(pl.col("students") > 0)["cohort"].to_list()
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise M2IFError(f"unknown cohort(s) {', '.join(unknown)}; known: {', '.join(known)}")
    if not wanted:
        raise M2IFError("no cohort has students yet: ingest a roster or logs first")
    return sorted(dict.fromkeys(wanted), key=known.index)


def programme_week(start: dt.date, week_start: dt.date) -> int:
    """The programme week of the week starting ``week_start`` in a cohort that starts on
    ``start``: 1 for the week of the start, 2 for the next one, and so on."""
    return (week_start - monday(start)).days // 7 + 1


def week_monday(start: dt.date, week: int) -> dt.date:
    """The Monday of programme week ``week`` of a cohort starting on ``start``."""
    return monday(start) + (week - 1) * WEEK


def weekly(ws: Workspace, cohorts: list[str]) -> pl.DataFrame:
    """Complete weeks of every cohort, one row per cohort × student × week: cohort,
    programme_week, student, week_start, iso_week, hours, target_hours, below_target,
    holiday, cumulative_hours (the student's online hours since the cohort's start)."""
    parts = []
    for cohort in cohorts:
        start = ws.cfg.cohort(cohort).start
        table = engagement.weekly(ws, cohort).filter(~pl.col("in_progress")).sort("student",
                                                                           "week_start")
        parts.append(table.select(
            pl.lit(cohort).alias("cohort"),
            ((pl.col("week_start") - pl.lit(monday(start))).dt.total_days() // 7 + 1)
            .cast(pl.Int64).alias("programme_week"),
            "student", "week_start", "iso_week", "hours", "target_hours", "below_target",
            "holiday", pl.col("hours").cum_sum().over("student").alias("cumulative_hours")))
    return pl.concat(parts) if parts else pl.DataFrame()


def engagement_curves(table: pl.DataFrame) -> pl.DataFrame:
    """One row per cohort × programme week (``table``: :func:`weekly`): cohort,
    programme_week, week_start, iso_week, holiday, students, median_hours, q1_hours,
    q3_hours, mean_hours, below_target (students), below_target_share (null in holiday
    weeks, whose target is 0), median_cumulative_hours."""
    order = {c: i for i, c in enumerate(table["cohort"].unique(maintain_order=True))}
    curves = table.group_by("cohort", "programme_week").agg(
        pl.col("week_start").first(), pl.col("iso_week").first(), pl.col("holiday").any(),
        pl.len().cast(pl.Int64).alias("students"),
        pl.col("hours").median().alias("median_hours"),
        pl.col("hours").quantile(0.25, "linear").alias("q1_hours"),
        pl.col("hours").quantile(0.75, "linear").alias("q3_hours"),
        pl.col("hours").mean().alias("mean_hours"),
        pl.col("below_target").sum().cast(pl.Int64).alias("below_target"),
        pl.col("cumulative_hours").median().alias("median_cumulative_hours"))
    share = pl.when(pl.col("holiday")).then(None).otherwise(
        pl.col("below_target") / pl.col("students"))
    return (curves.with_columns(share.alias("below_target_share"))
            .select("cohort", "programme_week", "week_start", "iso_week", "holiday",
                    "students", "median_hours", "q1_hours", "q3_hours", "mean_hours",
                    "below_target", "below_target_share", "median_cumulative_hours")
            .sort(pl.col("cohort").replace_strict(order), "programme_week"))


def risk_prevalence(ws: Workspace, cohorts: list[str]) -> pl.DataFrame:
    """Risk levels at every complete week of each cohort (:func:`m2if_analytics.risk.
    levels_over_time`) on programme weeks: cohort, programme_week, week_start, iso_week,
    holiday, green, amber, red, students, at_risk_share ((amber + red) / students),
    red_share."""
    parts = []
    for cohort in cohorts:
        start = ws.cfg.cohort(cohort).start
        levels = risk.levels_over_time(ws, cohort)
        parts.append(levels.select(
            pl.lit(cohort).alias("cohort"),
            ((pl.col("week_start") - pl.lit(monday(start))).dt.total_days() // 7 + 1)
            .cast(pl.Int64).alias("programme_week"),
            "week_start", "iso_week", "holiday", "green", "amber", "red",
            (pl.col("green") + pl.col("amber") + pl.col("red")).alias("students")))
    out = pl.concat(parts)
    return out.with_columns(
        ((pl.col("amber") + pl.col("red")) / pl.col("students")).alias("at_risk_share"),
        (pl.col("red") / pl.col("students")).alias("red_share"))


def common_week(curves: pl.DataFrame) -> int | None:
    """The last programme week that every compared cohort has completed (None: none has)."""
    if curves.is_empty():
        return None
    return int(curves.group_by("cohort").agg(pl.col("programme_week").max())
               ["programme_week"].min())


def validation_rates(ws: Workspace, cohorts: list[str], week: int | None) -> pl.DataFrame:
    """The year's validation forecast of each cohort (see
    :func:`m2if_analytics.reports.overview.data.forecast_status`) at the end (Sunday) of its
    programme week ``week``, or with ``week=None`` on the date of the latest data (every grade
    known so far): cohort, programme_week (null for the latest data), as_of, final (the cohort's
    calendar ended by ``as_of``), grades (some grade is loaded), students, validated,
    on_track, compromised, blocked, no_grades, validated_share, blocked_share."""
    rows = []
    latest = ind.default_as_of(ws)
    for cohort in cohorts:
        c = ws.cfg.cohort(cohort)
        as_of = latest if week is None else week_monday(c.start, week) + dt.timedelta(days=6)
        status = forecast_status(ind.year_validation(ws, cohort, as_of),
                                 ind.ue_results(ws, cohort, as_of),
                                 forecast_concerns(ws, cohort, as_of))["status"].to_list()
        n = len(status)
        counts = {st: status.count(st) for st in FORECAST}
        rows.append({"cohort": cohort, "programme_week": week, "as_of": as_of,
                     "final": as_of > c.end, "grades": ind.available(ws, "grades", cohort),
                     "students": n, **counts,
                     "validated_share": counts["validated"] / n if n else None,
                     "blocked_share": counts["blocked"] / n if n else None})
    schema = {"cohort": pl.String, "programme_week": pl.Int64, "as_of": pl.Date,
              "final": pl.Boolean, "grades": pl.Boolean, "students": pl.Int64,
              **dict.fromkeys(FORECAST, pl.Int64),
              "validated_share": pl.Float64, "blocked_share": pl.Float64}
    return pl.DataFrame(rows, schema=schema)


def summary(ws: Workspace, table: pl.DataFrame, prevalence: pl.DataFrame,
            latest: pl.DataFrame, week: int) -> pl.DataFrame:
    """One row per cohort, up to programme week ``week``: cohort, start, students,
    weeks (``week``), median_weekly_hours (median of the students' hours over the complete
    teaching weeks), below_target_share (student-weeks below target / teaching
    student-weeks), red and at_risk (amber or red) at programme week ``week``, then
    validated and blocked on the latest data (``latest``: validation_rates(..., None))."""
    teaching = table.filter(~pl.col("holiday") & (pl.col("programme_week") <= week))
    hours = teaching.group_by("cohort").agg(
        pl.col("hours").median().alias("median_weekly_hours"),
        (pl.col("below_target").sum() / pl.len()).alias("below_target_share"))
    at_week = prevalence.filter(pl.col("programme_week") == week).select(
        "cohort", "red", (pl.col("amber") + pl.col("red")).alias("at_risk"))
    ids = latest["cohort"].to_list()
    base = pl.DataFrame({
        "cohort": ids, "start": [ws.cfg.cohort(c).start for c in ids],
        "students": [engagement.students(ws, c).height for c in ids], "weeks": [week] * len(ids)},
        schema={"cohort": pl.String, "start": pl.Date, "students": pl.Int64,
                "weeks": pl.Int64})
    return (base.join(hours, on="cohort", how="left")
            .join(at_week, on="cohort", how="left")
            .join(latest.select("cohort", "validated", "blocked"), on="cohort", how="left")
            .sort("start"))


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison report shows, computed once (the notebook only draws)."""

    cohorts: list[str]
    week: int | None  # the last programme week every cohort has completed
    weekly: pl.DataFrame
    curves: pl.DataFrame
    risk: pl.DataFrame
    rates: pl.DataFrame  # the validation forecast at programme week ``week``
    latest: pl.DataFrame  # ... and on the latest data
    summary: pl.DataFrame
    evaluation: pl.DataFrame  # the rules measured on each finished cohort (rule_evaluation)


def rule_evaluation(ws: Workspace, cohorts: list[str]) -> pl.DataFrame:
    """:func:`m2if_analytics.risk.evaluation.evaluate_rules` of every finished cohort (its
    calendar ended before the latest data) with a complete week of activity: cohort, then the
    evaluation's columns."""
    frames = [scored(ws, c).select(pl.lit(c).alias("cohort"), pl.all())
              for c in cohorts if not_measurable(ws, c) is None]
    return pl.concat(frames) if frames else pl.DataFrame(
        schema={"cohort": pl.String, **EVALUATION_SCHEMA})


def load(ws: Workspace, cohorts: list[str] | tuple[str, ...] | None = None) -> Comparison:
    """Every frame of the comparison of ``cohorts`` (default: every cohort with students)."""
    ids = cohort_ids(ws, cohorts)
    table = weekly(ws, ids)
    curves = engagement_curves(table)
    week = common_week(curves)
    if week is None:
        raise M2IFError(f"no complete week of data yet for {', '.join(ids)}")
    prevalence = risk_prevalence(ws, ids)
    rates, latest = validation_rates(ws, ids, week), validation_rates(ws, ids, None)
    return Comparison(ids, week, table, curves, prevalence, rates, latest,
                      summary(ws, table, prevalence, latest, week), rule_evaluation(ws, ids))
