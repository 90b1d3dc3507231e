"""Time adding one more week of logs: incremental refresh against a full rebuild.

    python benchmarks/incremental_refresh.py /tmp/m2if-bench/logstore_10000000_v1_*.csv \\
        --config /tmp/m2if-bench/bench.toml --work /tmp/m2if-incremental

The dump is cut at the Monday (Europe/Paris) a week before its last event: ``history.csv``
holds everything before, ``week.csv`` the last week or so. Each step runs in its own
process (wall time and peak RSS of that process, as ``run.py`` measures them):

1. ``m2if ingest moodle history.csv``, then ``m2if weekly`` (a full build);
2. ``m2if ingest moodle week.csv`` (into the existing warehouse);
3. ``m2if weekly``: the incremental refresh (its figures are read from the warehouse);
4. the same ``m2if weekly`` after forgetting what was covered: a full rebuild of the same data.

The two weekly tables of steps 3 and 4 must be identical (hours within 1e-9). Times are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEY = "m2if-bench-key"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stdout) of one command in a fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out


def split(dump: Path, work: Path) -> tuple[Path, Path, str]:
    """history.csv and week.csv (the dump cut a week before the Monday of its last event)."""
    import duckdb

    history, week = work / "history.csv", work / "week.csv"
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    src = str(dump)
    cut = con.execute(
        "SELECT epoch(CAST(date_trunc('week', to_timestamp(max(timecreated)) "
        "AT TIME ZONE 'Europe/Paris') - INTERVAL 7 DAY AS TIMESTAMP) "
        "AT TIME ZONE 'Europe/Paris') FROM read_csv($p)", {"p": src}).fetchall()[0][0]
    for out, cond in ((history, "timecreated < $cut"), (week, "timecreated >= $cut")):
        if not out.is_file():
            con.execute(f"COPY (SELECT * FROM read_csv($p, all_varchar = true) "
                        f"WHERE CAST(timecreated AS BIGINT) {cond.split(' ', 1)[1]}) "
                        f"TO '{out}' (HEADER, DELIMITER ',')", {"p": src, "cut": int(cut)})
    con.close()
    return history, week, time.strftime("%Y-%m-%d", time.gmtime(int(cut)))


def same_tables(a: Path, b: Path) -> tuple[bool, float]:
    import pandas as pd

    left, right = pd.read_csv(a), pd.read_csv(b)
    if list(left.columns) != list(right.columns) or len(left) != len(right):
        return False, float("inf")
    delta = float((left["hours"] - right["hours"]).abs().max()) if len(left) else 0.0
    rest = [c for c in left.columns if c != "hours"]
    return bool(left[rest].equals(right[rest]) and delta <= 1e-9), delta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dump", type=Path)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/m2if-incremental"))
    parser.add_argument("--m2if", default=str(Path(sys.executable).parent / "m2if"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    # cut in a child process: this one stays small, as ru_maxrss of a forked child starts
    # from its parent's size
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from incremental_refresh import split; "
            "from pathlib import Path; print(split(Path(sys.argv[2]), Path(sys.argv[3]))[2])")
    cut = subprocess.run([sys.executable, "-c", code, str(HERE), str(args.dump), str(args.work)],
                         check=True, capture_output=True, text=True).stdout.strip()
    history, week = args.work / "history.csv", args.work / "week.csv"
    db = args.work / "m2if.duckdb"
    for stale in (db, db.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "M2IF_PSEUDONYM_KEY": KEY}
    m2if = [args.m2if, "--db", str(db), "--config", str(args.config)]
    refreshed, full = args.work / "weekly_refresh.csv", args.work / "weekly_full.csv"
    steps = {
        "ingest history": run([*m2if, "ingest", "moodle", str(history), "--json"], env),
        "weekly (full build)": run([*m2if, "weekly", "--out", str(args.work / "w0.csv")], env),
        "ingest one more week": run([*m2if, "ingest", "moodle", str(week), "--json"], env),
        "weekly (incremental)": run([*m2if, "weekly", "--out", str(refreshed)], env),
    }
    import duckdb

    con = duckdb.connect(str(db))
    stats = json.loads(con.execute(
        "SELECT value FROM meta WHERE key = 'weekly_refresh'").fetchall()[0][0])
    con.execute("DELETE FROM meta WHERE key IN ('weekly_file', 'pipeline_stamp')")
    con.close()
    steps["weekly (full rebuild)"] = run([*m2if, "weekly", "--out", str(full)], env)
    ok, delta = same_tables(refreshed, full)
    print(f"dump {args.dump.name}: history before {cut}, {week.stat().st_size / 2**20:,.0f} MiB "
          "for the last week")
    for name, (seconds, peak, out) in steps.items():
        counts = out.strip().splitlines()[-1] if "ingest" in name else ""
        print(f"{name:24s} {seconds:8.2f} s {peak:8.0f} MiB  {counts}")
    print(f"refresh: {stats}")
    print(f"weekly tables {'IDENTICAL' if ok else 'DIFFER'} (max |Δhours| = {delta:.1e})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
