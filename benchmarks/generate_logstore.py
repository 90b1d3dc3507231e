"""Generate a synthetic Moodle ``logstore_standard_log`` CSV dump with DuckDB, deterministically.

N events for 2,000 students (ids 1000..2999) over the 2026-10-05..2027-07-02 academic year.
Every pseudo-random choice is ``hash()`` of the row number, so a given DuckDB version always
writes the same file. Per student, the gaps between consecutive events are mostly 0 s to 20 min,
and about 5% are session breaks longer than 30 min, sized so that a student's events span
85-94% of the year (~40% for one student in 20, who drop out). About 0.1% of rows are written
twice (exact duplicates, same ``id``) and about 0.01% have ``userid`` 0 (not logged in). Rows
are in ``id`` order, which is time order, like a real dump.

The file is written in bounded memory, whatever N (100 M events make a ~13 GiB file):

1. two aggregate passes over ``range(N)`` compute, per student, how to scale the session
   breaks to the student's span, then the sum of the gaps of each block of ``K`` consecutive
   events (so each block's first and last times are known without materialising any event);
2. the year is cut into time slices of about ``chunk_events`` events; for each slice, the
   blocks overlapping it are expanded into events, those inside the slice are numbered after
   the previous slices, written to a part file and appended to the dump.

The result is byte for byte what the one-statement :func:`reference_sql` writes (the test
suite checks it), which is too memory-hungry beyond ~20 M events. Files are cached in
``$BENCH_DIR`` (default ``/tmp/m2if-bench``) and reused when present.

    python benchmarks/generate_logstore.py 1000000      # prints the CSV path
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

GENERATOR_VERSION = 1  # the streaming writer reproduces version 1's files exactly
STUDENTS = 2000
FIRST_USERID = 1000
YEAR_START = 1791151200  # 2026-10-05 00:00 Europe/Paris, in Unix seconds
YEAR_SECONDS = 270 * 86400  # 2026-10-05 .. 2027-07-02
BREAK_PERMILLE = 50  # share of gaps that end a session (> 30 min)
TIE_PERMILLE = 10  # share of gaps of 0 s (several events in the same second)
CHUNK_EVENTS = 1_000_000  # events per time slice of the streaming writer
BLOCKS_PER_SLICE = 8  # a student's block of events spans about 1/8 of a slice
GENERATOR_MEMORY = "2GB"  # DuckDB's ceiling while generating (it spills beyond)
BYTES_PER_EVENT = 138  # size of the dump per event, measured at 1 M and 10 M

CONFIG_TOML = """\
[programme]
timezone = "Europe/Paris"
weekly_target_hours = 15

[time_on_task]
inactivity_timeout_minutes = 30
last_event_seconds = 60

[ingest]
latest = 2027-12-31
[[cohorts]]
id = "bench"
start = 2026-10-05
end = 2027-07-02
holidays = [[2026-12-19, 2027-01-03], [2027-04-17, 2027-05-02]]
"""

# eventname, component, action, target, objecttable, crud, edulevel, contextlevel (repeats = weight)
EVENT_TYPES = [
    (r"\core\event\course_viewed", "core", "viewed", "course", None, "r", 2, 50),
    (r"\core\event\course_viewed", "core", "viewed", "course", None, "r", 2, 50),
    (r"\core\event\course_viewed", "core", "viewed", "course", None, "r", 2, 50),
    (r"\mod_page\event\course_module_viewed", "mod_page", "viewed", "course_module", "page",
     "r", 2, 70),
    (r"\mod_page\event\course_module_viewed", "mod_page", "viewed", "course_module", "page",
     "r", 2, 70),
    (r"\mod_resource\event\course_module_viewed", "mod_resource", "viewed", "course_module",
     "resource", "r", 2, 70),
    (r"\mod_resource\event\course_module_viewed", "mod_resource", "viewed", "course_module",
     "resource", "r", 2, 70),
    (r"\mod_url\event\course_module_viewed", "mod_url", "viewed", "course_module", "url",
     "r", 2, 70),
    (r"\mod_forum\event\course_module_viewed", "mod_forum", "viewed", "course_module", "forum",
     "r", 2, 70),
    (r"\mod_forum\event\discussion_viewed", "mod_forum", "viewed", "discussion",
     "forum_discussions", "r", 2, 70),
    (r"\mod_forum\event\post_created", "mod_forum", "created", "post", "forum_posts",
     "c", 2, 70),
    (r"\mod_quiz\event\course_module_viewed", "mod_quiz", "viewed", "course_module", "quiz",
     "r", 2, 70),
    (r"\mod_quiz\event\attempt_started", "mod_quiz", "started", "attempt", "quiz_attempts",
     "c", 2, 70),
    (r"\mod_quiz\event\attempt_viewed", "mod_quiz", "viewed", "attempt", "quiz_attempts",
     "r", 2, 70),
    (r"\mod_quiz\event\attempt_submitted", "mod_quiz", "submitted", "attempt", "quiz_attempts",
     "u", 2, 70),
    (r"\mod_assign\event\submission_status_viewed", "mod_assign", "viewed", "submission_status",
     "assign", "r", 2, 70),
    (r"\assignsubmission_file\event\assessable_uploaded", "assignsubmission_file", "uploaded",
     "assessable", "files", "c", 2, 70),
    (r"\core\event\dashboard_viewed", "core", "viewed", "dashboard", None, "r", 0, 30),
    (r"\core\event\user_loggedin", "core", "loggedin", "user", "user", "r", 0, 10),
    (r"\gradereport_user\event\grade_report_viewed", "gradereport_user", "viewed",
     "grade_report", None, "r", 2, 50),
]


def bench_dir() -> Path:
    """The cache directory: ``$BENCH_DIR`` or ``/tmp/m2if-bench``."""
    return Path(os.environ.get("BENCH_DIR") or "/tmp/m2if-bench")


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _event_types_sql() -> str:
    rows = ", ".join(
        f"({k}, " + ", ".join(_sql_literal(v) for v in row) + ")"
        for k, row in enumerate(EVENT_TYPES)
    )
    return (f"SELECT * FROM (VALUES {rows}) t(k, eventname, component, action, target, "
            "objecttable, crud, edulevel, contextlevel)")


# The pieces below are shared by the one-statement reference and the streaming writer, so
# both compute every value with the same expressions and types.

# Columns drawn from the row number i (a BIGINT); `rest` carries extra columns along.
def _draws(source: str, rest: str = "") -> str:
    return f"""SELECT i,
         {FIRST_USERID} + i % {STUDENTS} AS student,
         i // {STUDENTS} AS k,
         hash(i, 1) % 1000 AS g, hash(i, 2) AS h2, hash(i, 3) AS h3, hash(i, 4) AS h4{rest}
  FROM {source}"""


SPANS = f"""SELECT student,
         CASE WHEN hash(student, 7) % 20 = 0 THEN 0.40
              ELSE 0.85 + (hash(student, 6) % 10) / 100 END * {YEAR_SECONDS} AS span
  FROM (SELECT DISTINCT student FROM draws)"""

RAW = f"""SELECT *,
         k > 0 AND g < {BREAK_PERMILLE} AS is_break,
         CASE
           WHEN k = 0 THEN hash(student, 8) % 259200
           WHEN g < {BREAK_PERMILLE} THEN 0
           WHEN g < {BREAK_PERMILLE + TIE_PERMILLE} THEN 0
           WHEN g < 700 THEN 5 + h2 % 176
           ELSE 180 + h2 % 1021
         END AS short_gap,
         CASE WHEN k > 0 AND g < {BREAK_PERMILLE} THEN pow(1 + h2 % 1000, 2) ELSE 0 END AS w
  FROM draws"""

BUDGET = """SELECT r.student,
         greatest(0, any_value(s.span) - sum(r.short_gap) - 1801 * count(*) FILTER (r.is_break))
           / greatest(1, sum(r.w)) AS per_w
  FROM raw r JOIN spans s USING (student)
  GROUP BY r.student"""

GAPS = """SELECT r.*,
         CASE WHEN is_break THEN 1801 + CAST(floor(r.w * b.per_w) AS BIGINT)
              ELSE short_gap END AS gap
  FROM raw r JOIN budget b USING (student)"""

ROWS = f"""SELECT ev.id, ty.eventname, ty.component, ty.action, ty.target, ty.objecttable,
         CASE WHEN ty.objecttable IS NULL THEN NULL ELSE 1 + (ev.h3 >> 8) % 50000 END
           AS objectid,
         ty.crud, ty.edulevel,
         CASE ty.contextlevel WHEN 70 THEN 500 + ev.course * 100 + ev.h4 % 60
                              WHEN 50 THEN 20 + ev.course
                              WHEN 30 THEN 10000 + ev.student
                              ELSE 1 END AS contextid,
         ty.contextlevel,
         CASE ty.contextlevel WHEN 70 THEN ev.course * 100 + ev.h4 % 60
                              WHEN 50 THEN ev.course
                              WHEN 30 THEN ev.student
                              ELSE 0 END AS contextinstanceid,
         CASE WHEN ev.h3 % 10000 = 7 THEN 0 ELSE ev.student END AS userid,
         CASE WHEN ty.contextlevel IN (50, 70) THEN ev.course ELSE 0 END AS courseid,
         NULL::INTEGER AS relateduserid,
         0 AS anonymous,
         'N;' AS other,
         ev.t AS timecreated,
         CASE WHEN ev.h2 % 10 = 0 THEN 'ws' ELSE 'web' END AS origin,
         '192.0.2.' || (ev.student % 254 + 1) AS ip,
         NULL::INTEGER AS realuserid,
         ev.dup_draw
  FROM events ev JOIN types ty ON ty.k = ev.h2 % {len(EVENT_TYPES)}"""

EVENT_EXTRAS = "2 + h4 % 12 AS course, 1 + (h3 >> 20) % 1000 AS dup_draw"

WITH_DUPLICATES = """SELECT * EXCLUDE (dup_draw) FROM (
  SELECT * FROM rows
  UNION ALL
  SELECT * FROM rows WHERE dup_draw = 1
) ORDER BY id"""


def reference_sql(n_events: int, out: Path) -> str:
    """The one ``COPY`` statement writing ``n_events`` events (plus duplicates) to ``out``.

    Its window functions hold every event at once: fine up to ~20 M events, used by the tests
    to check the streaming writer, which must produce the same bytes.
    """
    return f"""
COPY (
WITH types AS ({_event_types_sql()}),
draws AS ({_draws(f"range({n_events}) r(i)")}),
spans AS ({SPANS}),
raw AS ({RAW}),
budget AS ({BUDGET}),
gaps AS ({GAPS}),
timed AS (
  SELECT *, {YEAR_START} + sum(gap) OVER (PARTITION BY student ORDER BY k) AS t
  FROM gaps
),
events AS (
  SELECT row_number() OVER (ORDER BY t, i) AS id, e.*, {EVENT_EXTRAS}
  FROM timed e
),
rows AS ({ROWS})
{WITH_DUPLICATES}
) TO {_sql_literal(str(out))} (HEADER, DELIMITER ',')
"""


def _block_size(n_events: int, chunk_events: int) -> int:
    per_student = math.ceil(n_events / STUDENTS)
    slices = math.ceil(n_events / chunk_events)
    return max(1, math.ceil(per_student / (BLOCKS_PER_SLICE * slices)))


def _prepare_blocks(con: duckdb.DuckDBPyConnection, n_events: int, block: int) -> None:
    """Temp tables ``budget`` (per student) and ``block_times`` (per student × block)."""
    draws = _draws(f"range({n_events}) r(i)")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE budget AS
WITH draws AS ({draws}), spans AS ({SPANS}), raw AS ({RAW})
{BUDGET}""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE block_times AS
WITH draws AS ({draws}), raw AS ({RAW}), gaps AS ({GAPS}),
sums AS (SELECT student, k // {block} AS blk, sum(gap) AS total FROM gaps GROUP BY ALL),
starts AS (
  SELECT *, {YEAR_START} + coalesce(sum(total) OVER (PARTITION BY student ORDER BY blk
             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS lo
  FROM sums
)
SELECT student, blk, lo, lo + total AS hi FROM starts""")


def _slice_sql(n_events: int, block: int, t0: int, t1: int, first_id: int) -> str:
    """Events with ``t0 <= t < t1``, numbered from ``first_id + 1``, into temp table ``slice``."""
    expand = f"""(
    SELECT CAST((b.blk * {block} + j) * {STUDENTS} + (b.student - {FIRST_USERID}) AS BIGINT)
             AS i, b.blk, b.lo
    FROM block_times b, range({block}) r(j)
    WHERE b.lo < {t1} AND b.hi >= {t0}
  ) x WHERE i < {n_events}"""
    return f"""CREATE OR REPLACE TEMP TABLE slice AS
WITH draws AS ({_draws(expand, rest=", blk, lo")}),
raw AS ({RAW}),
gaps AS ({GAPS}),
timed AS (
  SELECT * FROM (
    SELECT *, lo + sum(gap) OVER (PARTITION BY student, blk ORDER BY k) AS t FROM gaps
  ) WHERE t >= {t0} AND t < {t1}
)
SELECT {first_id} + row_number() OVER (ORDER BY t, i) AS id, e.*, {EVENT_EXTRAS}
FROM timed e"""


def write_dump(con: duckdb.DuckDBPyConnection, n_events: int, out: Path,
               chunk_events: int = CHUNK_EVENTS, progress: bool = False) -> None:
    """Write the dump of ``n_events`` events to ``out`` slice by slice (bounded memory)."""
    block = _block_size(n_events, chunk_events)
    _prepare_blocks(con, n_events, block)
    row = con.execute("SELECT min(lo), max(hi) FROM block_times").fetchone()
    assert row is not None
    start, end = int(row[0]), int(row[1]) + 1
    slices = max(1, math.ceil(n_events / chunk_events))
    bounds = [start + (end - start) * s // slices for s in range(slices)] + [end]
    part = out.with_suffix(".slice.csv")
    written = 0
    with out.open("wb") as dump:
        for s in range(slices):
            con.execute(_slice_sql(n_events, block, bounds[s], bounds[s + 1], written))
            count = con.execute("SELECT count(*) FROM slice").fetchone()
            header = "true" if s == 0 else "false"
            con.execute(f"""COPY (WITH types AS ({_event_types_sql()}),
events AS (SELECT * FROM slice), rows AS ({ROWS})
{WITH_DUPLICATES}) TO {_sql_literal(str(part))} (HEADER {header}, DELIMITER ',')""")
            with part.open("rb") as piece:
                shutil.copyfileobj(piece, dump, 1 << 24)
            written += int(count[0]) if count else 0
            if progress:
                print(f"  slice {s + 1}/{slices}: {written:,} of {n_events:,} events",
                      file=sys.stderr, flush=True)
    part.unlink(missing_ok=True)
    con.execute("DROP TABLE IF EXISTS slice")
    if written != n_events:
        raise RuntimeError(f"{out}: wrote {written} events instead of {n_events}")


def config_path(directory: Path | None = None) -> Path:
    """Write (if missing) and return the benchmark's TOML configuration."""
    directory = directory or bench_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "bench.toml"
    if not path.is_file() or path.read_text(encoding="utf-8") != CONFIG_TOML:
        path.write_text(CONFIG_TOML, encoding="utf-8")
    return path


def dataset_path(n_events: int, directory: Path | None = None) -> Path:
    """Where the dump of ``n_events`` events is cached."""
    directory = directory or bench_dir()
    return directory / f"logstore_{n_events}_v{GENERATOR_VERSION}_duckdb{duckdb.__version__}.csv"


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a memory ceiling, spilling into ``directory``."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = {_sql_literal(GENERATOR_MEMORY)}")
    con.execute(f"SET temp_directory = {_sql_literal(str(directory / 'duckdb_tmp'))}")
    return con


def ensure_dataset(n_events: int, directory: Path | None = None, force: bool = False,
                   chunk_events: int = CHUNK_EVENTS) -> Path:
    """Generate the dump of ``n_events`` events unless a cached copy exists; return its path."""
    out = dataset_path(n_events, directory)
    if out.is_file() and not force:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial.csv")
    con = connect(out.parent)
    try:
        write_dump(con, n_events, partial, chunk_events, progress=n_events >= 20 * chunk_events)
    finally:
        con.close()
    partial.replace(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=int, help="number of events (before duplicates)")
    parser.add_argument("--dir", type=Path, default=None, help="cache directory ($BENCH_DIR)")
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    args = parser.parse_args()
    started = time.perf_counter()
    path = ensure_dataset(args.events, args.dir, args.force)
    config_path(args.dir)
    print(path)
    print(f"ready in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
