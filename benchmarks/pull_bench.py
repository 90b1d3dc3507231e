"""Pulling the log from Moodle's database beside ingesting the same rows from a CSV dump
(issue 14): rows/s and peak memory, in the same run.

    python benchmarks/pull_bench.py                 # 10 M events (make bench)
    python benchmarks/pull_bench.py --size 1M --results /tmp/results.md

The synthetic dump of ``generate_logstore.py`` (cached in ``$BENCH_DIR``) is copied into a
throw-away PostgreSQL server on 127.0.0.1 (the tests' ``servers.postgresql``) as Moodle's
``mdl_logstore_standard_log`` table; then, each in a fresh process (``measure.py``):

- ``m2if ingest moodle DUMP.csv`` into one warehouse;
- ``m2if pull moodle --dsn ...`` as the read-only user of ``m2if pull grants``, into another
  (batches of ``[moodle] batch_rows`` = 2,000,000 rows, one transaction each).

Both warehouses must hold the same events (checked). The figures replace the "Pull from
PostgreSQL" section of ``benchmarks/results.md``. Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate_logstore import bench_dir, config_path, ensure_dataset  # noqa: E402
from machine import machine_facts  # noqa: E402
from measure import measure  # noqa: E402

from m2if_analytics.pull.grants import script  # noqa: E402
from tests.pull import moodle_schema, servers  # noqa: E402

BEGIN, END = "<!-- pull-bench:begin -->", "<!-- pull-bench:end -->"
KEY = "m2if-bench-key"
PASSWORD = "bench-reader-pw"


def m2if_bin() -> str:
    local = Path(sys.executable).with_name("m2if")
    return str(local) if local.is_file() else "m2if"


def load_postgres(server: servers.Server, dump: Path) -> tuple[float, int]:
    """Create Moodle's log table and COPY the dump into it (the dump's exact copies, which
    the primary key refuses, once); (seconds taken, rows in the table)."""
    admin = servers.admin_connection(server)
    with admin.cursor() as cur:
        cur.execute("CREATE DATABASE moodle")
    admin.close()
    con = servers.admin_connection(server, "moodle")
    started = time.perf_counter()
    [ddl] = [d for d in moodle_schema.ddl("postgresql") if "logstore_standard_log" in d]
    columns = ", ".join(moodle_schema.columns("logstore_standard_log"))
    with con.cursor() as cur:
        cur.execute(ddl)
        cur.execute("CREATE UNLOGGED TABLE stage (LIKE mdl_logstore_standard_log)")
        with cur.copy(f"COPY stage ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"
                      ) as copy, dump.open("rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        cur.execute(f"INSERT INTO mdl_logstore_standard_log ({columns}) SELECT DISTINCT ON "
                    f"(id) {columns} FROM stage ORDER BY id")
        cur.execute("DROP TABLE stage")
        [(count,)] = cur.execute("SELECT count(*) FROM mdl_logstore_standard_log").fetchall()
        for statement in script("postgresql").replace("choose-a-long-password", PASSWORD
                                                      ).splitlines():
            if not statement.startswith("GRANT SELECT") or "logstore" in statement:
                cur.execute(statement.rstrip(";"))  # the other tables are absent here
        cur.execute("VACUUM ANALYZE mdl_logstore_standard_log")
    con.close()
    return time.perf_counter() - started, int(count)


def events(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        [(n, keys)] = con.execute("SELECT count(*), sum(hash(event_key)) FROM raw_events"
                                  ).fetchall()
        return int(n), int(keys)
    finally:
        con.close()


def render(size: int, rows: list[tuple[str, float, float, int]], copy_seconds: float) -> str:
    facts = machine_facts(bench_dir())
    lines = [BEGIN, "## Pull from PostgreSQL (issue 14)", "",
             f"{size:,} logstore rows; {facts['usable_cpus']} CPUs, {facts['ram_gib']} GiB, "
             f"{facts['date'][:10]}; PostgreSQL on "
             f"127.0.0.1 (loading the table took {copy_seconds:.1f} s, not counted). Each "
             "step in a fresh process; `pull` reads as the read-only user, in batches of "
             "2,000,000 rows (one warehouse transaction each). `python benchmarks/pull_bench.py`"
             " (run by `make bench`).", "",
             "| step | wall s | peak RSS MiB | rows/s | vs CSV ingest |",
             "| --- | ---: | ---: | ---: | ---: |"]
    base = rows[0][1]
    for name, seconds, peak, count in rows:
        lines.append(f"| {name} | {seconds:.1f} | {peak:.0f} | {count / seconds:,.0f} | "
                     f"{seconds / base:.2f}× |")
    lines += ["", "Rows/s counts the rows each step read: the dump's lines, the table's rows "
              "(the dump's ~0.1 % exact copies, which Moodle's primary key forbids, are stored "
              "once). Both warehouses hold the same events (count and key checksum compared).",
              END]
    return "\n".join(lines) + "\n"


def write_results(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if BEGIN in text and END in text:
        text = text.split(BEGIN)[0] + section + text.split(END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default=os.environ.get("BENCH_PULL_SIZE", "10M"))
    parser.add_argument("--results", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    text = args.size.upper().replace("_", "")
    size = int(float(text[:-1]) * {"K": 1e3, "M": 1e6}[text[-1]]) if text[-1] in "KM" else int(
        text)
    dump = ensure_dataset(size)
    work = bench_dir() / f"pull_{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = config_path()
    env = {**os.environ, "M2IF_PSEUDONYM_KEY": KEY, "M2IF_MOODLE_PASSWORD": PASSWORD}
    with servers.postgresql() as server:
        copy_seconds, table_rows = load_postgres(server, dump)
        csv_db, pulled_db = work / "csv.duckdb", work / "pulled.duckdb"
        ingest = measure([m2if_bin(), "--db", str(csv_db), "--config", str(config), "ingest",
                          "moodle", str(dump)], env=env)
        pull = measure([m2if_bin(), "--db", str(pulled_db), "--config", str(config), "pull",
                        "moodle", "--dsn", server.dsn("m2if_reader", "moodle")], env=env)
    same = events(csv_db) == events(pulled_db)
    rows = [("CSV ingest (`m2if ingest moodle`)", ingest.seconds, ingest.peak_rss_mib, size),
            ("pull (`m2if pull moodle`)", pull.seconds, pull.peak_rss_mib, table_rows)]
    for name, seconds, peak, count in rows:
        print(f"{name}: {seconds:.1f} s, peak {peak:.0f} MiB, {count / seconds:,.0f} rows/s")
    if not same:
        print("the two warehouses differ", file=sys.stderr)
        return 1
    write_results(args.results, render(size, rows, copy_seconds))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
