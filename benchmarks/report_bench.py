"""Time ``m2if report weekly`` on the sample cohort (the issue's budget: under 30 s on 2 cores).

    python benchmarks/report_bench.py            # also run by `make bench`
    BENCH_REPORT_RUNS=3 python benchmarks/report_bench.py

Builds the sample warehouse with ``m2if demo`` in ``$BENCH_DIR/report`` (default
``/tmp/m2if-bench/report``), then, each in a fresh subprocess: the whole command
(``m2if report weekly``: resolve the week, execute the notebook in a new kernel, export HTML)
and, beside it, the notebook alone (``papermill`` with the same parameters, no HTML export).
Prints wall times (median of the runs) and the HTML size, and saves them to
``$BENCH_DIR/report_bench.json`` for ``run.py`` to quote in results.md; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
from pathlib import Path

from contenders.m2if_cli import m2if_command
from generate_logstore import bench_dir
from measure import Measure, StepFailed, measure
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 30.0


def _median(runs: list[Measure]) -> float:
    return statistics.median(m.seconds for m in runs)


def main() -> int:
    console = Console(soft_wrap=True)
    m2if = m2if_command()
    notebook = REPO / "notebooks" / "weekly_report.ipynb"
    if m2if is None or not notebook.is_file():
        console.print(f"[yellow]report bench skipped[/]: m2if {'found' if m2if else 'missing'}, "
                      f"{notebook} {'found' if notebook.is_file() else 'missing'}")
        return 0
    runs = max(1, int(os.environ.get("BENCH_REPORT_RUNS", "1")))
    work = bench_dir() / "report"
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("M2IF_")}
    db, key = work / "demo.duckdb", work / "demo.key"
    try:
        demo = measure([*m2if, "demo", "--out", str(work)], env)
        report_cmd = [*m2if, "--db", str(db), "--key-file", str(key), "report", "weekly",
                      "--out", str(out)]
        whole = [measure(report_cmd, env) for _ in range(runs)]
        html = Path(whole[-1].stdout.strip().splitlines()[-1])
        cohort_week = html.stem.removeprefix("weekly-")
        cohort, week = cohort_week[:-9], cohort_week[-8:]
        papermill = [sys.executable, "-m", "papermill", str(notebook), str(work / "alone.ipynb"),
                     "-p", "db", str(db), "-p", "cohort", cohort, "-p", "week", week,
                     "-p", "lang", "fr", "--no-progress-bar"]
        alone = [measure(papermill, env) for _ in range(runs)]
    except StepFailed as exc:
        console.print(f"[red]report bench failed[/]: {exc}")
        return 1
    table = Table(title=f"Weekly report, sample cohort {cohort}, {week} "
                        f"({os.cpu_count()} cores, median of {runs})")
    table.add_column("step")
    table.add_column("wall s", justify="right")
    table.add_row("sample warehouse (m2if demo)", f"{demo.seconds:.2f}")
    table.add_row("notebook alone (papermill)", f"{_median(alone):.2f}")
    table.add_row("m2if report weekly (execute + HTML)", f"{_median(whole):.2f}")
    console.print(table)
    verdict = "within" if _median(whole) < BUDGET_SECONDS else "[red]over[/]"
    figures = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "runs": runs,
               "whole_s": round(_median(whole), 2), "notebook_s": round(_median(alone), 2),
               "demo_s": round(demo.seconds, 2), "budget_s": BUDGET_SECONDS}
    (bench_dir() / "report_bench.json").write_text(json.dumps(figures) + "\n", encoding="utf-8")
    console.print(f"{html} ({html.stat().st_size / 2**20:.1f} MiB): {verdict} the "
                  f"{BUDGET_SECONDS:g} s budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
