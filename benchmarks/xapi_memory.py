"""Peak memory of `m2if ingest xapi` on a large JSON Lines file (issue 7: < 2 GiB for 1 GB).

Generates a seeded file of realistic statements (as Moodle's xAPI plugin writes them: account
actors, mixed time-zone offsets, activity definitions, context activities, a few duplicate
ids and malformed statements) in a temporary folder, then runs the real command in a
subprocess and prints its wall time, rows/s and peak RSS (``ru_maxrss`` of the reaped child,
``resource.RUSAGE_CHILDREN``). The figures are printed, never asserted.

    .venv/bin/python benchmarks/xapi_memory.py                 # 1 GB, JSON Lines
    .venv/bin/python benchmarks/xapi_memory.py --size-gb 0.1 --gzip --keep --dir bench-data
    .venv/bin/python benchmarks/xapi_memory.py --array          # 1 GB as one JSON array

This process stays small while it writes (statements are streamed to the file), so the
child's peak is not inflated by the parent's (Linux carries ``maxrss`` across fork/exec); its
own peak is printed as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import IO, Any

HOME = "https://moodle.example.org"
OFFSETS = [dt.timezone(dt.timedelta(minutes=m)) for m in (0, 60, 120, -300, 330, -210, 600)]
MODULES = ["page", "resource", "forum", "assign", "quiz", "url", "book", "h5pactivity"]
# verb, weight, object shape
VERBS = [
    ("http://id.tincanapi.com/verb/viewed", 60, "module"),
    ("http://id.tincanapi.com/verb/viewed", 10, "course"),
    ("http://id.tincanapi.com/verb/replied", 6, "discussion"),
    ("http://activitystrea.ms/schema/1.0/create", 1, "discussion"),
    ("http://activitystrea.ms/schema/1.0/submit", 2, "module"),
    ("http://adlnet.gov/expapi/verbs/answered", 8, "module"),
    ("http://adlnet.gov/expapi/verbs/completed", 6, "module"),
    ("https://w3id.org/xapi/adl/verbs/logged-in", 4, "site"),
    ("https://w3id.org/xapi/video/verbs/played", 3, "video"),
]


def _activity(shape: str, rng: random.Random, course: int) -> tuple[dict[str, Any], list]:
    site = {"id": HOME, "definition": {"type": "http://id.tincanapi.com/activitytype/lms",
                                       "name": {"fr": "Plateforme de formation"}}}
    course_activity = {
        "id": f"{HOME}/course/view.php?id={course}",
        "definition": {"type": "http://id.tincanapi.com/activitytype/lms/course",
                       "name": {"fr": f"M2 Ingénierie de formation – cours {course}"}}}
    grouping = [site, course_activity]
    cmid = 300 + rng.randrange(400)
    module = MODULES[cmid % len(MODULES)]
    if shape == "course":
        return course_activity, [site]
    if shape == "site":
        return site, []
    if shape == "discussion":
        grouping.append({"id": f"{HOME}/mod/forum/view.php?id={cmid}",
                         "definition": {"type": "http://id.tincanapi.com/activitytype/forum-topic"}})
        return {"id": f"{HOME}/mod/forum/discuss.php?d={rng.randrange(100_000)}",
                "definition": {"type": "http://id.tincanapi.com/activitytype/discussion",
                               "name": {"fr": "Travail collectif : échanges du groupe"}}}, grouping
    if shape == "video":
        return {"id": f"https://video.example.net/v/{rng.randrange(500)}",
                "definition": {"type": "https://w3id.org/xapi/video/activity-type/video",
                               "name": {"fr": "Séminaire enregistré"}}}, grouping
    return {"id": f"{HOME}/mod/{module}/view.php?id={cmid}",
            "definition": {"type": "http://id.tincanapi.com/activitytype/lms/module",
                           "name": {"fr": f"Activité {cmid} : {module}"}}}, grouping


def statements(rng: random.Random, users: int) -> Any:
    """An endless, seeded stream of statements (about 1 KB each, JSON)."""
    weights = [w for _, w, _ in VERBS]
    start = dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC).timestamp()
    clock = start
    recent: list[str] = []
    n = 0
    while True:
        n += 1
        clock += rng.expovariate(1 / 20)  # an event every 20 s on average, day and night
        verb, _, shape = rng.choices(VERBS, weights)[0]
        obj, grouping = _activity(shape, rng, 40 + rng.randrange(3))
        when = dt.datetime.fromtimestamp(int(clock), rng.choice(OFFSETS))
        statement_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if n % 400 == 0 and recent:  # 0.25 % re-sent statements (an LRS export overlap)
            statement_id = rng.choice(recent)
        recent = [*recent[-49:], statement_id]
        user = str(1000 + rng.randrange(users))
        statement: dict[str, Any] = {
            "id": statement_id,
            "actor": {"objectType": "Agent", "account": {"homePage": HOME, "name": user}},
            "verb": {"id": verb, "display": {"en": verb.rsplit("/", 1)[-1]}},
            "object": obj,
            "timestamp": when.isoformat(),
            "context": {"platform": "Moodle", "language": "fr",
                        "extensions": {"http://lrs.learninglocker.net/define/extensions/info": {
                            "https://moodle.org/": "4.1", "event_function": "viewed"}},
                        "contextActivities": {"grouping": grouping, "category": [{
                            "id": "http://moodle.org",
                            "definition": {"type": "http://id.tincanapi.com/activitytype/source",
                                           "name": {"en": "Moodle"}}}]}},
            "stored": when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "authority": {"objectType": "Agent", "name": "LRS", "mbox": "mailto:lrs@example.org"},
            "version": "1.0.3",
        }
        if n % 1000 == 0:  # 0.1 % malformed: no timestamp
            del statement["timestamp"]
        yield statement


def generate(path: Path, size: int, seed: int, users: int, gzipped: bool,
             array: bool = False) -> int:
    """Write statements until the file holds ``size`` bytes (uncompressed); their count.
    JSON Lines, or with ``array`` one JSON array with a statement per line."""
    rng = random.Random(seed)
    written = count = 0
    fh: IO[str]
    with (gzip.open(path, "wt", encoding="utf-8", compresslevel=1) if gzipped
          else path.open("w", encoding="utf-8")) as fh:
        for statement in statements(rng, users):
            text = json.dumps(statement, ensure_ascii=False, separators=(",", ":"))
            line = ("[" if count == 0 else ",") + text + "\n" if array else text + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            count += 1
            if written >= size:
                break
        if array:
            fh.write("]\n")
    return count


def m2if_bin() -> str:
    here = Path(sys.executable).with_name("m2if")
    return str(here) if here.exists() else (shutil.which("m2if") or "m2if")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=1.0, help="uncompressed size (GB)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--gzip", action="store_true", help="write the file gzip-compressed")
    parser.add_argument("--array", action="store_true", help="one JSON array, not JSON Lines")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="m2if-xapi-", dir=args.dir))
    try:
        name = "statements" + (".json" if args.array else ".jsonl") + (".gz" if args.gzip else "")
        path = work / name
        started = time.perf_counter()
        count = generate(path, int(args.size_gb * 1e9), args.seed, args.users, args.gzip,
                         args.array)
        print(f"generated {count:,} statements, {path.stat().st_size / 2**20:,.0f} MiB on disk "
              f"({args.size_gb:g} GB uncompressed) in {time.perf_counter() - started:.1f} s")
        parent_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        env = {**os.environ, "M2IF_PSEUDONYM_KEY": "benchmark-key-not-secret"}
        env.pop("M2IF_CONFIG", None)
        command = [m2if_bin(), "--db", str(work / "w.duckdb"), "ingest", "xapi", str(path),
                   "--json"]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        if done.returncode != 0:
            sys.exit(f"m2if failed ({done.returncode}): {done.stderr.strip()}")
        account = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"account: {account}")
        print(f"ingest: {seconds:.1f} s, {account['read'] / seconds:,.0f} statements/s, "
              f"{args.size_gb * 1e9 / 2**20 / seconds:,.1f} MiB/s (uncompressed); CPU "
              f"{cpu:.1f} s, {account['read'] / cpu:,.0f} statements per CPU second (wall time "
              "is noisy on a shared machine)")
        print(f"peak RSS of the ingest process: {peak:,.0f} MiB ({peak / 1024:.2f} GiB; "
              f"target < 2 GiB); this script's own peak: {parent_peak:,.0f} MiB")
        for line in done.stderr.strip().splitlines():
            print(f"stderr: {line}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
