"""The implementations ``benchmarks/run.py`` times, in the order they run.

Each module holds one contender: how to run its ingest and weekly steps as separate processes
and a one-paragraph statement of the work it does (printed in ``results.md``). m2if runs first:
its weekly table is the reference the others are compared with, and Spark reads its warehouse.
"""

from __future__ import annotations

from contenders.base import Contender, Outcome, SizeRun
from contenders.m2if_cli import M2IF
from contenders.pandas_baselines import PandasEqualWork, PandasMinimal
from contenders.polars_lazy import PolarsLazy
from contenders.spark_local import SparkLocal

ALL: list[Contender] = [M2IF(), PandasMinimal(), PandasEqualWork(), PolarsLazy(), SparkLocal()]
BY_NAME = {c.name: c for c in ALL}
PANDAS = PandasMinimal.name  # the baseline: ratios are given against it
PANDAS_EQUAL = PandasEqualWork.name

__all__ = ["ALL", "BY_NAME", "PANDAS", "PANDAS_EQUAL", "Contender", "Outcome", "SizeRun"]
