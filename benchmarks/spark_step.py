"""Run ``spark_weekly(db_path, config)`` (benchmarks/spark_weekly.py) as one measured process.

    python benchmarks/spark_step.py --db run_N/m2if.duckdb --config bench.toml \
        [--module spark_weekly]

Prints ``{"seconds": ..., "rows": ...}`` as returned by ``spark_weekly``. ``config`` is passed
as a path, or as m2if's loaded ``Config`` when the function's signature asks for one.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def config_argument(function: Callable[..., Any], path: Path) -> Any:
    """The configuration in the form ``function``'s second parameter is annotated with."""
    params = list(inspect.signature(function).parameters.values())
    annotation = str(params[1].annotation) if len(params) > 1 else ""
    if "Config" in annotation and "Path" not in annotation and "str" not in annotation:
        from m2if_analytics.config import load_config

        return load_config(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="m2if warehouse (DuckDB file)")
    parser.add_argument("--config", type=Path, required=True, help="TOML configuration")
    parser.add_argument("--module", default="spark_weekly",
                        help="module providing spark_weekly (default %(default)s)")
    args = parser.parse_args()
    spark_weekly = importlib.import_module(args.module).spark_weekly  # pyspark is optional
    seconds, rows = spark_weekly(args.db, config_argument(spark_weekly, args.config))
    print(json.dumps({"seconds": float(seconds), "rows": int(rows)}), flush=True)


if __name__ == "__main__":
    main()
