"""Time the Spark engine's weekly engagement on a built warehouse.

    python benchmarks/spark_weekly.py m2if.duckdb [--config bench.toml] [--repeat 2]

Prints one line per run: wall seconds and rows of the weekly table. The first run includes
the JVM start (local[2] unless M2IF_SPARK_MASTER or SPARK_REMOTE say otherwise); later runs
reuse the session. The benchmark harness can call :func:`spark_weekly` directly.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import warnings
from pathlib import Path

from m2if_analytics.config import Config
from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.warehouse.workspace import open_workspace


def spark_weekly(db_path: str | Path, config: str | Path | Config | None = None,
                 cohort: str | None = None) -> tuple[float, int]:
    """(seconds, rows) of the weekly table computed by the Spark engine: export to Parquet,
    Spark SQL and collection into Polars, plus the session start on the first call.
    ``config``: a TOML path or a loaded Config (None: M2IF_CONFIG, then the defaults)."""
    path = None if isinstance(config, Config) else config
    with open_workspace(db_path, path) as ws, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the no-roster warning is not what is measured
        cfg = config if isinstance(config, Config) else ws.cfg
        start = time.perf_counter()
        table = weekly_engagement(dataclasses.replace(ws, cfg=cfg), cohort, engine="spark")
        return time.perf_counter() - start, table.height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="a warehouse built by m2if ingest")
    parser.add_argument("--config", type=Path, default=None, help="its configuration TOML")
    parser.add_argument("--cohort", default=None, help="cohort id (default: the latest)")
    parser.add_argument("--repeat", type=int, default=1, help="runs in the same session")
    args = parser.parse_args()
    for run in range(1, args.repeat + 1):
        seconds, rows = spark_weekly(args.db, args.config, args.cohort)
        note = " (includes the Spark session start)" if run == 1 else ""
        print(f"spark weekly run {run}: {seconds:.2f} s, {rows} rows{note}")


if __name__ == "__main__":
    main()
