"""The Polars baseline (lazy queries, streaming engine), doing the minimal pandas work."""

from __future__ import annotations

from contenders.base import BENCHMARKS, PYTHON, Contender, Outcome, SizeRun, accounts, fresh

SCRIPT = str(BENCHMARKS / "polars_baseline.py")


class PolarsLazy(Contender):
    name = "polars"
    title = "Polars (lazy)"
    does = ("`polars_baseline.py`: the minimal pandas baseline's work written the Polars way: "
            "`scan_csv` parsing only the 3 columns (streaming engine, one pass), `unique` on "
            "`id`, the same validity filter, Parquet; weekly: one lazy query (sort, shifted "
            "gaps masked at student boundaries, `convert_time_zone`, `truncate('1w')`, "
            "`group_by().agg`), then a cross join of students × weeks for the zero weeks.")
    mib_per_m_events = 110.0  # measured by the design study: 1,041 MiB at 10 M

    def run(self, size: SizeRun) -> Outcome:
        store = size.work / "polars_events.parquet"
        out = size.work / "weekly_polars.csv"
        fresh(store, out)
        ingest = size.measure([PYTHON, SCRIPT, "ingest", str(size.csv), "--store", str(store)])
        weekly = size.measure([PYTHON, SCRIPT, "weekly", "--store", str(store), "--config",
                               str(size.config), "--out", str(out)])
        return Outcome(steps={"ingest": ingest, "weekly": weekly}, weekly_csv=out, stores=[store],
                       accounts=accounts(ingest.stdout))
