"""Reports at scale: the weekly report and the cohort overview of one cohort of 20, 200 and
2,000 students, render time and size, beside the figures measured before the large-cohort
views (issue 16).

    python benchmarks/report_scale.py              # also run by `make bench`
    BENCH_SCALE_STUDENTS=20,200 python benchmarks/report_scale.py

The students are the first N of the 10 M-event benchmark dump (``generate_logstore.py``,
2,000 students, ids 1000..2999; 100 k, 1 M and 10 M events), no roster, ingested into a fresh
warehouse with ``m2if ingest moodle``. Each report is rendered twice in a fresh process with
``m2if report``: the first render after the ingestion also judges and stores the risk levels
of every week (``risk_history``), the second one reads them. Sizes are of the self-contained
page (``--plotlyjs inline``, the default; plotly.js is 4.6 MB of it). Prints a table, writes
``$BENCH_DIR/report_scale.json`` for results.md; asserts nothing.

The "before" figures (``report_scale_before.json``) were measured on the same machine at
commit ece6072 (one heatmap row and one menu entry per student, risk levels judged again at
every render): they cannot be run again in the same run without that code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import duckdb
from contenders.m2if_cli import m2if_command
from generate_logstore import FIRST_USERID, bench_dir, config_path, ensure_dataset
from measure import Measure, StepFailed, measure
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
BEFORE = HERE / "report_scale_before.json"
SIZES = {20: 100_000, 200: 1_000_000, 2000: 10_000_000}  # students → events of the dump
REPORTS = ("weekly", "cohort")
BUDGET_SECONDS, BUDGET_MB = 30.0, 10.0


def cohort_dump(students: int, work: Path) -> Path:
    """The events of the first ``students`` students of the 10 M dump (the whole dump for
    2,000), written once into ``work``."""
    source = ensure_dataset(SIZES[2000])
    if students >= 2000:
        return source
    out = work / f"logstore_{students}_students.csv"
    if not out.is_file():
        con = duckdb.connect()
        con.execute(f"COPY (SELECT * FROM read_csv('{source}', all_varchar = true) "
                    f"WHERE TRY_CAST(userid AS INTEGER) < {FIRST_USERID + students}) "
                    f"TO '{out}' (HEADER)")
        con.close()
    return out


def run_size(m2if: list[str], students: int, work: Path, env: dict[str, str]) -> dict:
    folder = work / f"{students}"
    folder.mkdir(parents=True, exist_ok=True)
    db, key = folder / "scale.duckdb", folder / "scale.key"
    for path in (db, Path(f"{db}.wal"), key):
        path.unlink(missing_ok=True)
    base = [*m2if, "--db", str(db), "--key-file", str(key), "--config", str(config_path())]
    ingest = measure([*base, "ingest", "moodle", str(cohort_dump(students, work))], env)
    figures: dict = {"students": students, "ingest_s": round(ingest.seconds, 2)}
    for report in REPORTS:
        runs: list[Measure] = []
        for n in range(2):
            out = folder / f"{report}-{n}"
            runs.append(measure([*base, "report", report, "--out", str(out)], env))
        page = Path(runs[-1].stdout.strip().splitlines()[-1])
        figures[report] = {"first_s": round(runs[0].seconds, 2),
                           "render_s": round(runs[1].seconds, 2),
                           "peak_mib": round(max(r.peak_rss_mib for r in runs), 1),
                           "bytes": page.stat().st_size}
    return figures


def main() -> int:
    console = Console(soft_wrap=True)
    m2if = m2if_command()
    if m2if is None:
        console.print("[yellow]report scale bench skipped[/]: m2if not found")
        return 0
    wanted = [int(s) for s in os.environ.get("BENCH_SCALE_STUDENTS", "20,200,2000").split(",")]
    work = bench_dir() / "report_scale"
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("M2IF_")}
    before = json.loads(BEFORE.read_text(encoding="utf-8"))["figures"]
    results = []
    try:
        for students in wanted:
            results.append(run_size(m2if, students, work, env))
    except StepFailed as exc:
        console.print(f"[red]report scale bench failed[/]: {exc}")
        return 1
    table = Table(title=f"Reports at scale ({os.cpu_count()} cores; before: commit ece6072)")
    for name in ("students", "report", "before s", "before MB", "first render s",
                 "render s", "MB", "peak MiB"):
        table.add_column(name, justify="left" if name == "report" else "right")
    for figures in results:
        for report in REPORTS:
            now, old = figures[report], before.get(str(figures["students"]), {}).get(report)
            table.add_row(f"{figures['students']:,}", report,
                          f"{old['seconds']:.1f}" if old else "–",
                          f"{old['bytes'] / 1e6:.1f}" if old else "–",
                          f"{now['first_s']:.1f}", f"{now['render_s']:.1f}",
                          f"{now['bytes'] / 1e6:.1f}", f"{now['peak_mib']:.0f}")
    console.print(table)
    worst = max((f[r]["first_s"], f[r]["bytes"] / 1e6) for f in results for r in REPORTS)
    console.print(f"slowest render {worst[0]:.1f} s (budget {BUDGET_SECONDS:g} s); "
                  f"largest page {max(f[r]['bytes'] for f in results for r in REPORTS) / 1e6:.1f}"
                  f" MB (budget {BUDGET_MB:g} MB)")
    record = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "cores": os.cpu_count(), "results": results, "before": before}
    (bench_dir() / "report_scale.json").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
