"""A plain pandas implementation of the weekly-engagement contract, as a benchmark baseline.

Two steps, each meant to run in its own process like ``m2if ingest`` and ``m2if weekly``:

    python benchmarks/pandas_baseline.py ingest DUMP.csv --store events.parquet
    python benchmarks/pandas_baseline.py weekly --store events.parquet --config bench.toml \\
        --out weekly.csv

``ingest`` reads the dump, keeps one row per ``id``, drops rows without a valid user or time,
and stores ``userid, timecreated`` as Parquet (the baseline's "warehouse"). ``weekly`` computes
one row per student × programme week (time on task, sessions, active days, events, target)
and writes it as CSV. ``all`` does both in one process and prints the time of each step.
The code is ordinary pandas: no numba, no hand-written loops, no tuning beyond ``usecols``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

OUTPUT_COLUMNS = ["student", "week_start", "iso_week", "hours", "sessions", "active_days",
                  "events", "target_hours", "below_target"]


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


def ingest(csv_path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """Read a logstore dump; keep one row per id and only rows with a user and a time."""
    raw = pd.read_csv(csv_path, usecols=["id", "userid", "timecreated"], dtype={"id": "int64"})
    events = raw.drop_duplicates(subset="id")
    userid = pd.to_numeric(events["userid"], errors="coerce")
    timecreated = pd.to_numeric(events["timecreated"], errors="coerce")
    valid = (userid > 0) & timecreated.notna()
    clean = pd.DataFrame({"userid": userid[valid].astype("int64"),
                          "timecreated": timecreated[valid].astype("int64")})
    counts = {"read": len(raw), "loaded": len(clean), "duplicates": len(raw) - len(events),
              "quarantined": len(events) - len(clean)}
    return clean.reset_index(drop=True), counts


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _is_holiday_week(week_start: dt.date, holidays: list[tuple[dt.date, dt.date]]) -> bool:
    weekdays = [week_start + dt.timedelta(days=i) for i in range(5)]
    return all(any(first <= d <= last for first, last in holidays) for d in weekdays)


def per_event(events: pd.DataFrame, cfg: Settings) -> pd.DataFrame:
    """Each event's credited seconds, session start flag, local date and local week."""
    ev = events.sort_values(["userid", "timecreated"], ignore_index=True)
    times = ev.groupby("userid", sort=False)["timecreated"]
    gap_next = times.shift(-1) - ev["timecreated"]
    gap_prev = ev["timecreated"] - times.shift(1)
    local = (pd.to_datetime(ev["timecreated"], unit="s", utc=True)
             .dt.tz_convert(cfg.timezone).dt.tz_localize(None))
    date = local.dt.normalize()
    return pd.DataFrame({
        "userid": ev["userid"],
        "week_start": date - pd.to_timedelta(date.dt.day_of_week, unit="D"),
        "date": date,
        "credit": gap_next.where(gap_next <= cfg.timeout_s, cfg.last_event_s),
        "session": ~(gap_prev <= cfg.timeout_s),
    })


def pseudonyms(userids: pd.Series) -> pd.Series:
    """Keyed pseudonyms like the contract's: HMAC-SHA256 of each distinct id, then a map."""
    key = os.environ.get("M2IF_PSEUDONYM_KEY", "benchmark").encode()
    labels = {u: "p" + hmac.new(key, f"id:{u}".encode(), hashlib.sha256).hexdigest()[:12]
              for u in userids.unique()}
    return userids.map(labels)


def weekly(events: pd.DataFrame, cfg: Settings) -> pd.DataFrame:
    """One row per student × week from the cohort's first week to the last week with data."""
    ev = per_event(events, cfg)
    agg = ev.groupby(["userid", "week_start"]).agg(
        seconds=("credit", "sum"), sessions=("session", "sum"),
        active_days=("date", "nunique"), events=("credit", "size"))
    latest_week = ev["week_start"].max()
    first = pd.Timestamp(_monday(cfg.start))
    last = min(latest_week, pd.Timestamp(_monday(cfg.end)))
    weeks = pd.date_range(first, last, freq="7D", name="week_start")
    grid = pd.MultiIndex.from_product([ev["userid"].unique(), weeks],
                                      names=["userid", "week_start"])
    table = agg.reindex(grid, fill_value=0).sort_index().reset_index()

    calendar = pd.DataFrame({"week_start": weeks})
    calendar["iso_week"] = [f"{y}-W{w:02d}" for y, w, _ in
                            (d.isocalendar() for d in weeks)]
    calendar["target_hours"] = [0.0 if _is_holiday_week(d.date(), cfg.holidays)
                                else cfg.target_hours for d in weeks]
    table = table.merge(calendar, on="week_start", how="left")
    table["hours"] = table["seconds"] / 3600
    table["below_target"] = ((table["hours"] < table["target_hours"])
                             & (table["target_hours"] > 0)
                             & (table["week_start"] != latest_week))
    table["student"] = pseudonyms(table["userid"])
    table["week_start"] = table["week_start"].dt.strftime("%Y-%m-%d")
    return table[OUTPUT_COLUMNS]


def main() -> None:
    parser = argparse.ArgumentParser(description="pandas baseline of `m2if ingest` + weekly")
    parser.add_argument("step", choices=["ingest", "weekly", "all"])
    parser.add_argument("csv", nargs="?", type=Path, help="logstore dump (ingest, all)")
    parser.add_argument("--store", type=Path, help="Parquet file between the two steps")
    parser.add_argument("--config", type=Path, help="TOML configuration (weekly, all)")
    parser.add_argument("--out", type=Path, help="weekly CSV to write (weekly, all)")
    args = parser.parse_args()
    timings: dict[str, float] = {}
    if args.step in ("ingest", "all"):
        started = time.perf_counter()
        events, counts = ingest(args.csv)
        if args.step == "ingest":
            events.to_parquet(args.store, index=False)
        timings["ingest_s"] = time.perf_counter() - started
        print(json.dumps({"file": str(args.csv), **counts}), flush=True)
    if args.step in ("weekly", "all"):
        started = time.perf_counter()
        if args.step == "weekly":
            events = pd.read_parquet(args.store)
        weekly(events, Settings.from_toml(args.config)).to_csv(args.out, index=False)
        timings["weekly_s"] = time.perf_counter() - started
    print(json.dumps({k: round(v, 3) for k, v in timings.items()}), flush=True)


if __name__ == "__main__":
    main()
