"""PySpark in local mode on the transpiled SQL (``benchmarks/spark_weekly.py``), weekly only.

Optional: it runs when pyspark, a Java runtime, ``m2if_analytics.engines`` and
``benchmarks/spark_weekly.py`` are all present, otherwise the harness prints why it skipped.
Nothing here imports pyspark: ``spark_step.py`` does, in the measured process.
``$BENCH_SPARK_MODULE`` names another module providing ``spark_weekly`` (default
``spark_weekly``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil

from contenders.base import BENCHMARKS, PYTHON, Contender, Outcome, SizeRun

SCRIPT = str(BENCHMARKS / "spark_step.py")
MODULE_ENV = "BENCH_SPARK_MODULE"


def module_name() -> str:
    return os.environ.get(MODULE_ENV) or "spark_weekly"


class SparkLocal(Contender):
    name = "spark"
    title = "Spark local"
    does = ("`spark_weekly(db_path, config)` from `benchmarks/spark_weekly.py` (PySpark "
            "`local[*]`, m2if's SQL transpiled by sqlglot) over the warehouse m2if's ingest "
            "just built: a weekly step only, so it has no ingest or end-to-end figures. Its "
            "memory is the Python driver plus the JVM; its wall time includes starting the JVM.")
    bounded = True
    mib_per_m_events = 250.0

    def unavailable(self) -> str | None:
        missing = []
        if importlib.util.find_spec("pyspark") is None:
            missing.append("pyspark is not installed (pip install -e '.[spark]')")
        if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
            missing.append("no Java runtime (java on PATH or JAVA_HOME)")
        if not _importable("m2if_analytics.engines"):
            missing.append("m2if_analytics.engines does not exist yet")
        if not _importable(module_name()):
            missing.append(f"no module {module_name()} (benchmarks/spark_weekly.py) yet")
        return "; ".join(missing) or None

    def run(self, size: SizeRun) -> Outcome:
        db = size.shared.get("m2if_db")
        if db is None:
            raise RuntimeError("needs the warehouse of m2if's ingest (run the m2if contender)")
        weekly = size.measure([PYTHON, SCRIPT, "--db", str(db), "--config", str(size.config),
                               "--module", size.env.get(MODULE_ENV) or module_name()])
        result = json.loads(weekly.stdout.strip().splitlines()[-1])
        return Outcome(steps={"weekly": weekly}, weekly_rows=int(result["rows"]),
                       notes=[f"spark_weekly itself reported {result['seconds']:.2f} s of the "
                              f"step's {weekly.seconds:.2f} s (the rest: Python and JVM start, "
                              "session set-up)"])


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # a parent package is missing
        return False
