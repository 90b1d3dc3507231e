"""What a contender is: two measured steps (ingest, weekly) and a statement of its work."""

from __future__ import annotations

import json
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from measure import Measure, measure

BENCHMARKS = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class SizeRun:
    """Everything a contender needs for one input size."""

    csv: Path
    config: Path
    work: Path  # run_<events>/: each contender names its files after itself
    rows: int  # rows in the dump (events + duplicates)
    env: dict[str, str]  # includes the pseudonym key every contender uses
    rss_limit_mib: float | None = None  # a step above this is stopped (see measure.py)
    shared: dict[str, Any] = field(default_factory=dict)  # e.g. m2if's warehouse, for Spark

    def measure(self, cmd: list[str]) -> Measure:
        return measure(cmd, self.env, self.rss_limit_mib)


@dataclass
class Outcome:
    """One run of a contender: its measured steps and what it produced."""

    steps: dict[str, Measure]  # "ingest" and/or "weekly"
    weekly_csv: Path | None = None  # compared with the reference table
    weekly_rows: int | None = None  # when no table is written (Spark)
    stores: list[Path] = field(default_factory=list)  # what the ingest step left on disk
    accounts: list[dict[str, Any]] = field(default_factory=list)  # read/loaded/dup/quarantined
    notes: list[str] = field(default_factory=list)


class Contender(ABC):
    """One implementation of ingest + weekly engagement."""

    name: ClassVar[str]  # command-line name (--contenders)
    title: ClassVar[str]  # table label
    does: ClassVar[str]  # the work it does, one paragraph for results.md
    bounded: ClassVar[bool] = False  # memory does not grow with the input (it spills)
    mib_per_m_events: ClassVar[float] = 200.0  # peak memory guess before anything is measured

    def unavailable(self) -> str | None:
        """Why this contender cannot run here, or None."""
        return None

    @abstractmethod
    def run(self, size: SizeRun) -> Outcome:
        """Run the steps once on ``size`` (raising ``StepFailed`` when one fails)."""


def accounts(stdout: str) -> list[dict[str, Any]]:
    """The JSON objects with a ``file`` key an ingest step printed (the row account)."""
    found = []
    for line in stdout.splitlines():
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and "file" in data:
            found.append(data)
    return found


def fresh(*paths: Path) -> None:
    """Delete what a previous run left, so every run starts from nothing."""
    for path in paths:
        path.unlink(missing_ok=True)
