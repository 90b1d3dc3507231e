"""The weekly-engagement contract in idiomatic Polars (lazy queries), as a benchmark baseline.

The same work as the minimal pandas baseline, in two steps run as separate processes:

    python benchmarks/polars_baseline.py ingest DUMP.csv --store events.parquet
    python benchmarks/polars_baseline.py weekly --store events.parquet --config bench.toml \\
        --out weekly.csv

``ingest`` scans the dump lazily, parsing only ``id, userid, timecreated`` (projection pushdown,
streaming engine: one pass over the file), keeps one row per ``id`` and rows with a valid user
and time, and stores ``userid, timecreated`` as Parquet. ``weekly`` is one lazy query over
that file: sort by student and time, gaps to the neighbouring events, credits and session
starts, local (DST-aware) dates and Monday weeks, per-week aggregates, then the student × week
grid with zero weeks, targets and flags; students get m2if's keyed pseudonyms (HMAC of each
distinct id). Nothing is computed row by row in Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import polars as pl
from bench_config import MAX_TIMECREATED, OUTPUT_COLUMNS, Settings, iso_week, pseudonyms

ENGINE = "streaming"


def ingest(csv_path: Path, store: Path) -> dict[str, int]:
    """Read the three columns once; deduplicate by id, keep valid rows, write Parquet."""
    raw = (pl.scan_csv(csv_path, schema_overrides={"id": pl.Int64, "userid": pl.Int64,
                                                   "timecreated": pl.Int64},
                       ignore_errors=True)
           .select("id", "userid", "timecreated")
           .collect(engine=ENGINE))
    events = raw.unique(subset="id", keep="any")
    valid = (pl.col("userid") > 0) & pl.col("timecreated").is_between(0, MAX_TIMECREATED)
    clean = events.filter(valid).select("userid", "timecreated")
    clean.write_parquet(store)
    return {"read": raw.height, "loaded": clean.height, "duplicates": raw.height - events.height,
            "quarantined": events.height - clean.height}


def calendar(cfg: Settings, last: dt.date) -> pl.LazyFrame:
    """One row per programme week up to ``last``: Monday, ISO week and target hours."""
    weeks = pl.date_range(cfg.first_monday, last, "1w", eager=True).to_list()
    return pl.LazyFrame({
        "week_start": weeks,
        "iso_week": [iso_week(w) for w in weeks],
        "target_hours": [cfg.target(w) for w in weeks],
    }, schema={"week_start": pl.Date, "iso_week": pl.String, "target_hours": pl.Float64})


def per_week(store: Path, cfg: Settings) -> pl.LazyFrame:
    """Per student and local week: seconds, sessions, active days and events."""
    t, user = pl.col("timecreated"), pl.col("userid")
    same_next = user.shift(-1) == user
    same_prev = user.shift(1) == user
    gap_next = pl.when(same_next).then(t.shift(-1) - t)
    gap_prev = pl.when(same_prev).then(t - t.shift(1))
    local = (pl.from_epoch(t, time_unit="s").dt.replace_time_zone("UTC")
             .dt.convert_time_zone(cfg.timezone))
    return (
        pl.scan_parquet(store)
        .sort("userid", "timecreated")
        .select(
            "userid",
            date=local.dt.date(),
            credit=pl.when(gap_next <= cfg.timeout_s).then(gap_next)
            .otherwise(cfg.last_event_s),
            session=gap_prev.is_null() | (gap_prev > cfg.timeout_s),
        )
        .with_columns(week_start=pl.col("date").dt.truncate("1w"))
        .group_by("userid", "week_start")
        .agg(seconds=pl.col("credit").sum(), sessions=pl.col("session").sum(),
             active_days=pl.col("date").n_unique(), events=pl.len())
    )


def weekly(store: Path, cfg: Settings) -> pl.DataFrame:
    """One row per student × week from the cohort's first week to the last week with data."""
    agg = per_week(store, cfg).collect(engine=ENGINE).lazy()
    latest_week = agg.select(pl.col("week_start").max()).collect().item()
    last = min(latest_week, cfg.last_monday)
    students = agg.select("userid").unique()
    labels = pseudonyms(students.collect()["userid"].to_list())
    table = (
        students.join(calendar(cfg, last), how="cross")
        .join(agg, on=["userid", "week_start"], how="left")
        .with_columns(pl.col("seconds", "sessions", "active_days", "events").fill_null(0))
        .with_columns(hours=pl.col("seconds") / 3600)
        .with_columns(
            below_target=(pl.col("hours") < pl.col("target_hours"))
            & (pl.col("target_hours") > 0) & (pl.col("week_start") != latest_week),
            student=pl.col("userid").replace_strict(labels, return_dtype=pl.String),
        )
        .sort("userid", "week_start")
        .select(OUTPUT_COLUMNS)
    )
    return table.collect()


def main() -> None:
    parser = argparse.ArgumentParser(description="Polars baseline of `m2if ingest` + weekly")
    parser.add_argument("step", choices=["ingest", "weekly"])
    parser.add_argument("csv", nargs="?", type=Path, help="logstore dump (ingest)")
    parser.add_argument("--store", type=Path, required=True, help="Parquet between the steps")
    parser.add_argument("--config", type=Path, help="TOML configuration (weekly)")
    parser.add_argument("--out", type=Path, help="weekly CSV to write (weekly)")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.step == "ingest":
        counts = ingest(args.csv, args.store)
        print(json.dumps({"file": str(args.csv), **counts}), flush=True)
    else:
        weekly(args.store, Settings.from_toml(args.config)).write_csv(args.out)
    print(json.dumps({f"{args.step}_s": round(time.perf_counter() - started, 3)}), flush=True)


if __name__ == "__main__":
    main()
