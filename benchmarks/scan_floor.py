"""The scan floor: DuckDB reading the dump once (row count and the 3 columns the weekly uses).

    python benchmarks/scan_floor.py DUMP.csv        # prints {"rows": N}

No ingest of this dump by any engine can cost less than reading it once, so this is the unit
the other steps are measured in ("× scan floor" in results.md).
"""

from __future__ import annotations

import json
import sys

import duckdb

QUERY = """SELECT count(*), max(id), max(userid), max(timecreated)
           FROM read_csv($path, header = true)"""


def main() -> None:
    row = duckdb.execute(QUERY, {"path": sys.argv[1]}).fetchone()
    assert row is not None
    print(json.dumps({"rows": int(row[0])}), flush=True)


if __name__ == "__main__":
    main()
