"""Benchmark ``m2if ingest`` + ``m2if weekly`` against a plain pandas baseline.

    python benchmarks/run.py                     # 1 M and 10 M events
    BENCH_SIZES=1M python benchmarks/run.py      # or 1000000,10000000 / 500k ...

For each size: generate (or reuse) a logstore dump in ``$BENCH_DIR`` (default
``/tmp/m2if-bench``), time a DuckDB ``count(*)`` of the CSV (the scan floor), then
``m2if ingest moodle`` and ``m2if weekly`` and the two pandas steps, each in its own fresh
subprocess (wall time, peak RSS via ``os.wait4``). The two weekly tables are compared, a table is
printed and the figures are written to ``benchmarks/last_run.json``. ``$M2IF_BIN`` overrides the
``m2if`` command (default: the one next to this Python, then ``.venv/bin/m2if``, then PATH).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from compare import compare_weekly
from generate_logstore import bench_dir, config_path, dataset_path, ensure_dataset
from measure import Measure, StepFailed, measure
from report import check_line, machine_facts, print_machine, size_table
from rich.console import Console

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = "1000000,10000000"
SCAN = ("import sys, duckdb; path = sys.argv[1].replace(\"'\", \"''\"); "
        "print(duckdb.sql(f\"SELECT count(*) FROM read_csv('{path}')\").fetchall()[0][0])")
SUFFIXES = {"k": 1_000, "m": 1_000_000}


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


def m2if_command() -> list[str] | None:
    """How to call our CLI, or None when it is not installed."""
    if os.environ.get("M2IF_BIN"):
        return shlex.split(os.environ["M2IF_BIN"])
    for candidate in (Path(sys.executable).parent / "m2if", HERE.parent / ".venv/bin/m2if"):
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("m2if")
    return [found] if found else None


def _mib(path: Path) -> float:
    return path.stat().st_size / 2**20 if path.exists() else 0.0


def _side(ingest: Measure, weekly: Measure, rows: int, store: Path) -> dict[str, Any]:
    total = ingest.seconds + weekly.seconds
    return {"ingest": ingest.as_dict(), "weekly": weekly.as_dict(), "total_s": round(total, 3),
            "peak_rss_mib": round(max(ingest.peak_rss_mib, weekly.peak_rss_mib), 1),
            "rows_per_s": round(rows / total), "store_mib": round(_mib(store), 1),
            "ingest_report": _file_reports(ingest.stdout)}


def _file_reports(stdout: str) -> list[dict[str, Any]]:
    """The JSON objects with a ``file`` key printed by an ingest step."""
    reports = []
    for line in stdout.splitlines():
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and "file" in data:
            reports.append(data)
    return reports


def run_ours(m2if: list[str], csv: Path, cfg: Path, work: Path, rows: int) -> dict[str, Any]:
    db = work / "m2if.duckdb"
    for stale in (db, db.with_suffix(".duckdb.wal"), db.with_suffix(".key")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "M2IF_PSEUDONYM_KEY": "m2if-bench-key"}
    common = [*m2if, "--db", str(db), "--config", str(cfg)]
    ingest = measure([*common, "ingest", "moodle", str(csv), "--json"], env)
    weekly = measure([*common, "weekly", "--out", str(work / "weekly_m2if.csv")], env)
    return _side(ingest, weekly, rows, db)


def run_pandas(csv: Path, cfg: Path, work: Path, rows: int) -> dict[str, Any]:
    store = work / "pandas_events.parquet"
    store.unlink(missing_ok=True)
    script = [sys.executable, str(HERE / "pandas_baseline.py")]
    ingest = measure([*script, "ingest", str(csv), "--store", str(store)])
    weekly = measure([*script, "weekly", "--store", str(store), "--config", str(cfg),
                      "--out", str(work / "weekly_pandas.csv")])
    return _side(ingest, weekly, rows, store)


def run_size(n: int, m2if: list[str] | None, console: Console) -> dict[str, Any]:
    started = time.perf_counter()
    cached = dataset_path(n).is_file()
    csv, cfg = ensure_dataset(n), config_path()
    console.print(f"[dim]{csv} ready in {time.perf_counter() - started:.1f} s[/]")
    work = bench_dir() / f"run_{n}"
    work.mkdir(parents=True, exist_ok=True)
    scan = measure([sys.executable, "-c", SCAN, str(csv)])
    rows = int(scan.stdout.strip().splitlines()[-1])
    result: dict[str, Any] = {
        "events": n, "rows": rows, "dump": str(csv), "dump_mib": round(_mib(csv), 1),
        "dump_was_cached": cached,
        "scan": {**scan.as_dict(), "rows_per_s": round(rows / scan.seconds)},
    }
    if m2if is None:
        console.print("[yellow]m2if not found (set M2IF_BIN): timing pandas only[/]")
    else:
        try:
            result["ours"] = run_ours(m2if, csv, cfg, work, rows)
        except StepFailed as exc:
            console.print(f"[red]m2if failed[/]: {exc}")
            result["ours_error"] = str(exc)
    result["pandas"] = run_pandas(csv, cfg, work, rows)
    result["ratios_pandas_over_ours"] = _ratios(result)
    if "ours" in result:
        try:
            result["check"] = compare_weekly(work / "weekly_m2if.csv",
                                             work / "weekly_pandas.csv")
        except (ValueError, KeyError, OSError) as exc:
            result["check"] = {"ok": False, "error": str(exc)}
    return result


def _ratios(result: dict[str, Any]) -> dict[str, float] | None:
    ours, pandas = result.get("ours"), result["pandas"]
    if not ours:
        return None
    return {"end_to_end": round(pandas["total_s"] / ours["total_s"], 3),
            "weekly": round(pandas["weekly"]["seconds"] / ours["weekly"]["seconds"], 3),
            "ingest": round(pandas["ingest"]["seconds"] / ours["ingest"]["seconds"], 3),
            "peak_rss": round(pandas["peak_rss_mib"] / ours["peak_rss_mib"], 3)}


def main() -> int:
    console = Console(soft_wrap=True)
    sizes = parse_sizes(os.environ.get("BENCH_SIZES") or DEFAULT_SIZES)
    facts = machine_facts()
    print_machine(console, facts)
    m2if = m2if_command()
    console.print(f"[bold]m2if[/]: {' '.join(m2if) if m2if else 'not found'}; "
                  f"[bold]bench dir[/]: {bench_dir()}")
    report: dict[str, Any] = {"started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "machine": facts, "m2if": m2if, "sizes": []}
    ok = True
    for n in sizes:
        result = run_size(n, m2if, console)
        report["sizes"].append(result)
        console.print(size_table(result))
        console.print(check_line(result.get("check")))
        ok = ok and result.get("check", {}).get("ok", True) and "ours_error" not in result
        (HERE / "last_run.json").write_text(json.dumps(report, indent=2) + "\n",
                                            encoding="utf-8")
    console.print(f"[dim]figures written to {HERE / 'last_run.json'}[/]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
