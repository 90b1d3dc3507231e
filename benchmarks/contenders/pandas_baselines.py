"""The pandas baselines: minimal (the issue's baseline) and equal work (m2if's ingest duties)."""

from __future__ import annotations

from contenders.base import BENCHMARKS, PYTHON, Contender, Outcome, SizeRun, accounts, fresh

SCRIPT = str(BENCHMARKS / "pandas_baseline.py")


class PandasMinimal(Contender):
    name = "pandas"
    title = "pandas (minimal)"
    does = ("`pandas_baseline.py`: `read_csv` of 3 of the 21 columns (`id, userid, "
            "timecreated`), `drop_duplicates` on `id`, drops rows whose user or time is "
            "missing or not positive, stores 2 columns as Parquet; weekly: `sort_values`, "
            "`groupby().shift` gaps, `tz_convert`, `groupby().agg`, `reindex` over the student "
            "× week grid, HMAC pseudonym of each distinct id. No event names, no quarantine "
            "lines, no related users: the least work that gives the weekly table.")
    mib_per_m_events = 190.0  # measured by the design study: 1,792 MiB at 10 M

    def run(self, size: SizeRun) -> Outcome:
        return _run(self.name, size, [])


class PandasEqualWork(Contender):
    name = "pandas-equal"
    title = "pandas (equal work)"
    does = ("`pandas_baseline.py --equal-work`: what m2if's ingest does, in pandas: reads the "
            "same 11 columns with their types, applies m2if's row checks (user, time range, "
            "event name) and keeps each rejected row's line and reason, deduplicates on the "
            "event key (id, user, time), hashes each distinct user and related user once "
            "(HMAC-SHA256) into integer surrogates and stores m2if's 8 event columns plus the "
            "identity and quarantine tables as Parquet; weekly as the minimal baseline. "
            "Unlike m2if it has no transaction and stops at a malformed line.")
    mib_per_m_events = 450.0

    def run(self, size: SizeRun) -> Outcome:
        return _run(self.name, size, ["--equal-work"])


def _run(name: str, size: SizeRun, options: list[str]) -> Outcome:
    store = size.work / f"{name}_events.parquet"
    out = size.work / f"weekly_{name}.csv"
    fresh(out, *size.work.glob(f"{name}_events*.parquet"))
    ingest = size.measure([PYTHON, SCRIPT, "ingest", str(size.csv), "--store", str(store),
                           *options])
    weekly = size.measure([PYTHON, SCRIPT, "weekly", "--store", str(store), "--config",
                           str(size.config), "--out", str(out)])
    stores = sorted(size.work.glob(f"{name}_events*.parquet"))  # with the equal-work tables
    return Outcome(steps={"ingest": ingest, "weekly": weekly}, weekly_csv=out, stores=stores,
                   accounts=accounts(ingest.stdout))
