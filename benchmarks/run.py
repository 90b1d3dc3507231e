"""Benchmark m2if against pandas, Polars and Spark on synthetic Moodle logs (issue 7).

    make bench                                        # 1 M and 10 M events
    BENCH_SIZES=1M,10M,100M make bench                # or: python benchmarks/run.py --sizes 100M
    python benchmarks/run.py --sizes 20k --contenders m2if,polars --results /tmp/results.md

For each size: generate (or reuse) a logstore dump in the bench directory (``$BENCH_DIR``,
default ``/tmp/m2if-bench``), time the scan floor (DuckDB reading the dump once), then run
each contender's ingest and weekly steps (``contenders/``), each in a fresh process (wall time,
peak memory, rows/s). Every weekly table is compared with m2if's. Figures go to
``benchmarks/last_run.json`` and ``benchmarks/results.md`` (machine described), rewritten after
each size. Exit status 1 when a contender fails or a table differs; times are never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import contenders
import results_md
from compare import compare_weekly
from contenders import Contender, Outcome, SizeRun
from generate_logstore import BYTES_PER_EVENT, bench_dir, config_path, dataset_path, ensure_dataset
from machine import machine_facts, meminfo_gib
from measure import Measure, StepFailed, measure
from report import check_lines, print_machine, size_table
from rich.console import Console

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = "1M,10M"
SUFFIXES = {"k": 1_000, "m": 1_000_000}
BENCH_KEY = "m2if-bench-key"  # the pseudonym key every contender uses
MEMORY_FRACTION = 0.6  # default budget: this share of the memory available at each size
WORK_FILES_RATIO = 0.5  # warehouse and Parquet stores, relative to the dump, on disk
BASE_MIB = 150.0  # a Python process with its imports, before any data


def parse_sizes(text: str) -> list[int]:
    """``"1M,10M"``, ``"500k"`` or ``"1000000,10_000_000"`` → event counts."""
    sizes = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        factor = SUFFIXES.get(part[-1].lower(), 1)
        digits = part[:-1] if factor > 1 else part
        sizes.append(int(float(digits.replace("_", "")) * factor))
    return sizes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=env("BENCH_SIZES") or DEFAULT_SIZES,
                        help="event counts, e.g. 1M,10M,100M ($BENCH_SIZES; default %(default)s)")
    parser.add_argument("--contenders", default=env("BENCH_CONTENDERS") or "all",
                        help="comma-separated subset of: " + ", ".join(contenders.BY_NAME)
                        + " ($BENCH_CONTENDERS; default all)")
    parser.add_argument("--repeat", type=int, default=int(env("BENCH_REPEAT") or 1),
                        help="runs per step; figures are medians ($BENCH_REPEAT; default 1)")
    parser.add_argument("--bench-dir", type=Path, default=None,
                        help="dumps and work files ($BENCH_DIR; default /tmp/m2if-bench)")
    parser.add_argument("--results", type=Path, default=Path(env("BENCH_RESULTS")
                                                             or HERE / "results.md"),
                        help="results.md to write ($BENCH_RESULTS)")
    parser.add_argument("--json", type=Path, default=HERE / "last_run.json",
                        help="where to write every figure as JSON")
    parser.add_argument("--memory-budget", type=float, default=None, metavar="GIB",
                        help=f"skip/stop in-memory contenders beyond this (default "
                             f"{MEMORY_FRACTION * 100:.0f}%% of the memory available)")
    parser.add_argument("--chunk-events", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bench_dir is not None:
        os.environ["BENCH_DIR"] = str(args.bench_dir)
    return args


def selected(text: str) -> list[Contender]:
    if text.strip() in ("", "all"):
        return list(contenders.ALL)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in contenders.BY_NAME]
    if unknown:
        raise SystemExit(f"unknown contender(s) {unknown}; choose from "
                         f"{', '.join(contenders.BY_NAME)}")
    return [c for c in contenders.ALL if c.name in names]


def memory_budget_mib(args: argparse.Namespace) -> float:
    if args.memory_budget is not None:
        return args.memory_budget * 1024
    available = meminfo_gib("MemAvailable") or 4.0
    return available * 1024 * MEMORY_FRACTION


def expected_peak_mib(contender: Contender, rows: int,
                      history: dict[str, tuple[int, float]]) -> float:
    """Peak memory expected for ``rows``: the last measured peak scaled, else a guess."""
    if contender.name in history:
        seen_rows, seen_peak = history[contender.name]
        return seen_peak * rows / seen_rows
    return BASE_MIB + contender.mib_per_m_events * rows / 1e6


def _mib(*paths: Path) -> float | None:
    found = [p for p in paths if p.exists()]
    return round(sum(p.stat().st_size for p in found) / 2**20, 1) if found else None


def _step(measures: list[Measure], rows: int) -> dict[str, Any]:
    seconds = statistics.median(m.seconds for m in measures)
    figures = {"seconds": round(seconds, 3),
               "peak_rss_mib": round(max(m.peak_rss_mib for m in measures), 1),
               "rows_per_s": round(rows / seconds) if seconds else None}
    if len(measures) > 1:
        figures["runs_s"] = [round(m.seconds, 3) for m in measures]
    return figures


def summarise(runs: list[Outcome], rows: int) -> dict[str, Any]:
    """Median time and highest peak per step over the runs, and end to end."""
    steps = {name: _step([r.steps[name] for r in runs], rows) for name in runs[0].steps}
    if "ingest" in steps and "weekly" in steps:
        total = steps["ingest"]["seconds"] + steps["weekly"]["seconds"]
        steps["end_to_end"] = {
            "seconds": round(total, 3),
            "peak_rss_mib": max(steps["ingest"]["peak_rss_mib"], steps["weekly"]["peak_rss_mib"]),
            "rows_per_s": round(rows / total) if total else None}
    last = runs[-1]
    return {"status": "ok", "steps": steps, "store_mib": _mib(*last.stores),
            "accounts": last.accounts, "notes": last.notes,
            "weekly_csv": str(last.weekly_csv) if last.weekly_csv else None,
            "weekly_rows": last.weekly_rows}


def run_contender(contender: Contender, size: SizeRun, repeat: int) -> dict[str, Any]:
    runs = [contender.run(size) for _ in range(repeat)]
    return summarise(runs, size.rows)


def check_against(reference: dict[str, Any] | None, result: dict[str, Any]) -> dict[str, Any]:
    """Compare a contender's weekly table (or row count) with the reference's."""
    if reference is None or not reference.get("weekly_csv"):
        return {"error": "no reference table (m2if did not run)"}
    ref_csv = Path(reference["weekly_csv"])
    if result.get("weekly_csv"):
        try:
            return compare_weekly(ref_csv, Path(result["weekly_csv"]))
        except (ValueError, KeyError, OSError) as exc:
            return {"ok": False, "error": str(exc)}
    ref_rows = _csv_rows(ref_csv)
    rows = result.get("weekly_rows")
    return {"ok": rows == ref_rows, "rows_ours": ref_rows, "rows_baseline": rows}


def _csv_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def prepare_dump(n: int, chunk: int | None, console: Console) -> tuple[Path, float | None]:
    """The cached dump of ``n`` events, generated when missing; (path, seconds spent)."""
    if dataset_path(n).is_file():
        return dataset_path(n), None
    console.print(f"[dim]generating {n:,} events into {dataset_path(n)} "
                  f"(~{n * BYTES_PER_EVENT / 2**30:,.1f} GiB)…[/]")
    started = time.perf_counter()
    path = ensure_dataset(n, **({"chunk_events": chunk} if chunk else {}))
    return path, round(time.perf_counter() - started, 1)


def disk_shortage(n: int) -> str | None:
    """Why the bench directory cannot hold this size's files, or None."""
    dump = n * BYTES_PER_EVENT
    need = dump * WORK_FILES_RATIO + (0 if dataset_path(n).is_file() else dump)
    directory = bench_dir()
    directory.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(directory).free
    if free >= need:
        return None
    return (f"needs about {need / 2**30:,.1f} GiB in {directory}, {free / 2**30:,.1f} GiB free "
            "(set BENCH_DIR to a larger disk)")


def run_size(n: int, chosen: list[Contender], args: argparse.Namespace,
             history: dict[str, tuple[int, float]], console: Console) -> dict[str, Any]:
    result: dict[str, Any] = {"events": n, "results": {}}
    shortage = disk_shortage(n)
    if shortage:
        console.print(f"[yellow]{n:,} events skipped[/]: {shortage}")
        result["skipped"] = shortage
        return result
    csv, generated = prepare_dump(n, args.chunk_events, console)
    work = bench_dir() / f"run_{n}"
    work.mkdir(parents=True, exist_ok=True)
    budget = memory_budget_mib(args)
    scan = measure([sys.executable, str(HERE / "scan_floor.py"), str(csv)])
    rows = int(json.loads(scan.stdout.strip().splitlines()[-1])["rows"])
    result.update({"rows": rows, "dump": str(csv), "dump_mib": _mib(csv),
                   "dump_generated_s": generated, "memory_budget_mib": round(budget),
                   "scan": {**scan.as_dict(), "rows_per_s": round(rows / scan.seconds)}})
    size = SizeRun(csv=csv, config=config_path(), work=work, rows=rows,
                   env={**os.environ, "M2IF_PSEUDONYM_KEY": BENCH_KEY}, rss_limit_mib=budget)
    for contender in chosen:
        result["results"][contender.name] = _one(contender, size, args.repeat, history, budget,
                                                 console)
    reference = result["results"].get("m2if")
    reference = reference if reference and reference["status"] == "ok" else None
    for name, outcome in result["results"].items():
        if outcome["status"] != "ok":
            continue
        if outcome is reference:
            outcome["check"] = {"ok": True, "reference": True,
                                "rows_ours": _csv_rows(Path(outcome["weekly_csv"]))}
        else:
            outcome["check"] = check_against(reference, outcome)
        steps = outcome["steps"]
        history[name] = (rows, steps.get("end_to_end", steps["weekly"])["peak_rss_mib"])
    return result


def _one(contender: Contender, size: SizeRun, repeat: int,
         history: dict[str, tuple[int, float]], budget: float,
         console: Console) -> dict[str, Any]:
    reason = contender.unavailable()
    if reason is None and not contender.bounded:
        expected = expected_peak_mib(contender, size.rows, history)
        if expected > budget:
            reason = (f"expected peak {expected / 1024:,.1f} GiB > memory budget "
                      f"{budget / 1024:,.1f} GiB (it holds the data in memory)")
    if reason is not None:
        console.print(f"[yellow]{contender.title} skipped[/]: {reason}")
        return {"status": "skipped", "reason": reason}
    console.print(f"[dim]{contender.title}…[/]")
    try:
        return run_contender(contender, size, repeat)
    except (StepFailed, RuntimeError, KeyError, ValueError) as exc:
        console.print(f"[red]{contender.title} failed[/]: {exc}")
        return {"status": "failed", "reason": str(exc)}


def _report_bench(name: str = "report_bench.json") -> dict[str, Any] | None:
    path = bench_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _ok(size: dict[str, Any]) -> bool:
    return all(r["status"] != "failed" and r.get("check", {}).get("ok", True)
               for r in size["results"].values())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(soft_wrap=True)
    chosen = selected(args.contenders)
    sizes = parse_sizes(args.sizes)
    facts = machine_facts(bench_dir())
    print_machine(console, facts)
    if facts["disk"]["fstype"] in ("tmpfs", "ramfs") and max(sizes, default=0) >= 10_000_000:
        console.print(f"[yellow]warning[/]: {bench_dir()} is in memory ({facts['disk']['fstype']}"
                      "): the dumps will use RAM and distort peak memory; set BENCH_DIR to a "
                      "disk (e.g. bench-data/, git-ignored)")
    command = "python benchmarks/run.py " + " ".join(map(shlex.quote, sys.argv[1:] if argv is None
                                                         else argv))
    report: dict[str, Any] = {
        "command": command.strip(), "machine": facts, "repeat": args.repeat,
        "memory_budget_gib": round(memory_budget_mib(args) / 1024, 1),
        "contenders": {c.name: {"title": c.title, "does": c.does} for c in chosen},
        "pandas": contenders.PANDAS, "pandas_equal": contenders.PANDAS_EQUAL,
        "sizes": [], "report_bench": _report_bench(),
        "report_scale": _report_bench("report_scale.json"),
    }
    history: dict[str, tuple[int, float]] = {}
    ok = True
    for n in sizes:
        size = run_size(n, chosen, args, history, console)
        report["sizes"].append(size)
        report["load_end"] = [round(x, 2) for x in os.getloadavg()]
        report["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if "scan" in size:
            console.print(size_table(report, size))
            for line in check_lines(report, size):
                console.print(line)
        ok = ok and _ok(size)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        results_md.write(args.results, report)
    console.print(f"[dim]figures in {args.json}; results in {args.results}[/]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
