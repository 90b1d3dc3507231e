"""A plain pandas implementation of the weekly-engagement contract, as a benchmark baseline.

Two steps, each meant to run in its own process like ``m2if ingest`` and ``m2if weekly``:

    python benchmarks/pandas_baseline.py ingest DUMP.csv --store events.parquet [--equal-work]
    python benchmarks/pandas_baseline.py weekly --store events.parquet --config bench.toml \\
        --out weekly.csv

Minimal (the default): ``ingest`` reads 3 of the dump's 21 columns (``id, userid,
timecreated``), keeps one row per ``id``, drops rows without a valid user or time and stores
``userid, timecreated`` as Parquet; ``weekly`` computes one row per student × programme week
and labels students with keyed pseudonyms (HMAC of each distinct id, like m2if).

``--equal-work`` does what ``m2if ingest`` does on top of that: reads the 11 columns m2if
reads, applies m2if's validation (user, time range, event name) and records the line and
reason of every rejected row, deduplicates on m2if's event key (id, user, time), hashes every
distinct user and related user once and stores the 8 columns m2if keeps (identity
surrogates, UTC timestamp, event, component, course, course module, origin) plus the
identity table and the quarantine, all as Parquet.

The code is ordinary pandas: no numba, no hand-written loops, no tuning beyond ``usecols``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
from bench_config import (
    MAX_TIMECREATED,
    OUTPUT_COLUMNS,
    Settings,
    ident,
    iso_week,
    pseudonym_key,
    pseudonyms,
)

# The columns `m2if ingest moodle` reads from a logstore dump, with its types.
EQUAL_WORK_TYPES = {"id": "int64", "userid": "Int64", "timecreated": "Int64",
                    "eventname": "str", "component": "str", "contextid": "Int64",
                    "contextlevel": "str", "contextinstanceid": "Int64", "courseid": "Int64",
                    "relateduserid": "Int64", "origin": "str"}
EPOCH = pd.Timestamp(0, tz="UTC")


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


def _reasons(raw: pd.DataFrame) -> pd.Series:
    """m2if's reason for rejecting each row (missing where the row is valid)."""
    reason = pd.Series(pd.NA, index=raw.index, dtype="object")
    checks = [
        (raw["userid"].isna(), "no user: empty userid"),
        (raw["userid"] <= 0, "no user: userid <= 0 (not logged in, guest or system)"),
        (raw["timecreated"].isna(), "empty timecreated"),
        ((raw["timecreated"] < 0) | (raw["timecreated"] > MAX_TIMECREATED),
         "timecreated is out of range"),
        (raw["eventname"].fillna("").str.strip() == "", "empty eventname"),
    ]
    for failed, text in reversed(checks):  # the first failing check names the row
        reason = reason.mask(failed.fillna(False).astype(bool), text)
    return reason


def ingest_equal_work(csv_path: Path, store: Path) -> dict[str, int]:
    """m2if's ingest in pandas: validate, quarantine, deduplicate, pseudonymise, store."""
    raw = pd.read_csv(csv_path, usecols=list(EQUAL_WORK_TYPES), dtype=EQUAL_WORK_TYPES)
    reason = _reasons(raw)
    bad = reason.notna()
    quarantine = pd.DataFrame({"line": raw.index[bad] + 2, "reason": reason[bad]})
    valid = raw[~bad]
    events = valid.drop_duplicates(subset=["id", "userid", "timecreated"])
    key = pseudonym_key()
    users = pd.concat([events["userid"], events["relateduserid"]]).dropna().unique()
    idents = pd.DataFrame({"ident": [ident(u, key) for u in users]}, index=users)
    idents["ident_id"] = range(1, len(idents) + 1)
    surrogate = idents["ident_id"]
    table = pd.DataFrame({
        "ident_id": events["userid"].map(surrogate).astype("int32"),
        "related_ident_id": events["relateduserid"].map(surrogate).astype("Int32"),
        "ts": pd.to_datetime(events["timecreated"].astype("int64"), unit="s", utc=True),
        "event_name": events["eventname"],
        "component": events["component"],
        "course_id": events["courseid"],
        "cmid": events["contextinstanceid"].where(events["contextlevel"] == "70"),
        "origin": events["origin"],
    })
    table.to_parquet(store, index=False)
    idents.to_parquet(_sidecar(store, "idents"), index=False)
    quarantine.to_parquet(_sidecar(store, "quarantine"), index=False)
    return {"read": len(raw), "loaded": len(table), "duplicates": len(valid) - len(events),
            "quarantined": int(bad.sum())}


def _sidecar(store: Path, name: str) -> Path:
    return store.with_name(f"{store.stem}.{name}.parquet")


def read_store(store: Path) -> tuple[pd.DataFrame, dict[object, str] | None]:
    """Events (``userid``, ``timecreated``) and, for an equal-work store, the pseudonyms."""
    idents_path = _sidecar(store, "idents")
    if not idents_path.is_file():
        return pd.read_parquet(store), None
    table = pd.read_parquet(store, columns=["ident_id", "ts"])
    events = pd.DataFrame({"userid": table["ident_id"],
                           "timecreated": (table["ts"] - EPOCH) // pd.Timedelta(seconds=1)})
    idents = pd.read_parquet(idents_path)
    labels = dict(zip(idents["ident_id"], "p" + idents["ident"].str[:12], strict=True))
    return events, labels


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


def weekly(events: pd.DataFrame, cfg: Settings,
           labels: dict[object, str] | None = None) -> pd.DataFrame:
    """One row per student × week from the cohort's first week to the last week with data."""
    ev = per_event(events, cfg)
    agg = ev.groupby(["userid", "week_start"]).agg(
        seconds=("credit", "sum"), sessions=("session", "sum"),
        active_days=("date", "nunique"), events=("credit", "size"))
    latest_week = ev["week_start"].max()
    first = pd.Timestamp(cfg.first_monday)
    last = min(latest_week, pd.Timestamp(cfg.last_monday))
    weeks = pd.date_range(first, last, freq="7D", name="week_start")
    grid = pd.MultiIndex.from_product([ev["userid"].unique(), weeks],
                                      names=["userid", "week_start"])
    table = agg.reindex(grid, fill_value=0).sort_index().reset_index()

    calendar = pd.DataFrame({"week_start": weeks})
    calendar["iso_week"] = [iso_week(d.date()) for d in weeks]
    calendar["target_hours"] = [cfg.target(d.date()) for d in weeks]
    table = table.merge(calendar, on="week_start", how="left")
    table["hours"] = table["seconds"] / 3600
    table["below_target"] = ((table["hours"] < table["target_hours"])
                             & (table["target_hours"] > 0)
                             & (table["week_start"] != latest_week))
    names = labels if labels is not None else pseudonyms(table["userid"].unique())
    table["student"] = table["userid"].map(names)
    table["week_start"] = table["week_start"].dt.strftime("%Y-%m-%d")
    return table[OUTPUT_COLUMNS]


def main() -> None:
    parser = argparse.ArgumentParser(description="pandas baseline of `m2if ingest` + weekly")
    parser.add_argument("step", choices=["ingest", "weekly"])
    parser.add_argument("csv", nargs="?", type=Path, help="logstore dump (ingest)")
    parser.add_argument("--store", type=Path, required=True, help="Parquet between the steps")
    parser.add_argument("--equal-work", action="store_true",
                        help="ingest: do the work m2if's ingest does (see the module doc)")
    parser.add_argument("--config", type=Path, help="TOML configuration (weekly)")
    parser.add_argument("--out", type=Path, help="weekly CSV to write (weekly)")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.step == "ingest":
        if args.equal_work:
            counts = ingest_equal_work(args.csv, args.store)
        else:
            events, counts = ingest(args.csv)
            events.to_parquet(args.store, index=False)
        print(json.dumps({"file": str(args.csv), **counts}), flush=True)
    else:
        events, labels = read_store(args.store)
        weekly(events, Settings.from_toml(args.config), labels).to_csv(args.out, index=False)
    print(json.dumps({f"{args.step}_s": round(time.perf_counter() - started, 3)}), flush=True)


if __name__ == "__main__":
    main()
