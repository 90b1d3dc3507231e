"""m2if itself: ``m2if ingest moodle`` then ``m2if weekly``, DuckDB under the hood."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from contenders.base import BENCHMARKS, Contender, Outcome, SizeRun, accounts, fresh


def m2if_command() -> list[str] | None:
    """How to call our CLI (``$M2IF_BIN``, next to this Python, .venv, PATH), or None."""
    if os.environ.get("M2IF_BIN"):
        return shlex.split(os.environ["M2IF_BIN"])
    for candidate in (Path(sys.executable).parent / "m2if", BENCHMARKS.parent / ".venv/bin/m2if"):
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("m2if")
    return [found] if found else None


class M2IF(Contender):
    name = "m2if"
    title = "m2if (DuckDB)"
    does = ("`m2if ingest moodle DUMP --json` then `m2if weekly --out weekly.csv`, the product "
            "as a user runs it: ingest reads the 11 columns it needs from all 21, validates "
            "every row (user, time range, event name, malformed lines) and quarantines bad ones "
            "with their line, hashes each distinct user and related user once (HMAC-SHA256), "
            "deduplicates on the event key and stores 11 columns in the DuckDB warehouse, in "
            "one transaction; weekly runs the SQL of `queries/` (sessions, local weeks, "
            "zero weeks, targets) and exports CSV. DuckDB's memory is capped by the config's "
            "`warehouse.memory_limit` (default 600MB); beyond it DuckDB spills to disk.")
    bounded = True
    mib_per_m_events = 120.0

    def unavailable(self) -> str | None:
        return None if m2if_command() else "m2if not found (install it or set M2IF_BIN)"

    def run(self, size: SizeRun) -> Outcome:
        m2if = m2if_command()
        assert m2if is not None
        db = size.work / "m2if.duckdb"
        out = size.work / "weekly_m2if.csv"
        fresh(db, db.with_suffix(".duckdb.wal"), db.with_suffix(".key"), out)
        common = [*m2if, "--db", str(db), "--config", str(size.config)]
        ingest = size.measure([*common, "ingest", "moodle", str(size.csv), "--json"])
        weekly = size.measure([*common, "weekly", "--out", str(out)])
        size.shared["m2if_db"] = db
        return Outcome(steps={"ingest": ingest, "weekly": weekly}, weekly_csv=out, stores=[db],
                       accounts=accounts(ingest.stdout))
