"""Rewriting the warehouse file whole, so that no freed block keeps what was erased.

DuckDB reuses the blocks of deleted rows without zeroing them: after ``m2if forget
--student``, a person's pseudonym and identity hashes stay readable in the file's free
blocks (and in any copy of it) until they happen to be overwritten. :func:`rewrite` copies
every table, view, macro and sequence (with its current value) into a new file beside the
warehouse and puts it in the warehouse's place; the old file is gone with it.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb


def rewrite(db: Path) -> None:
    """Replace the closed warehouse ``db`` by a fresh copy of its contents (one file rename:
    an interruption leaves either the old or the new file, and a stray ``.rewrite`` file)."""
    db = Path(db)
    fresh = db.with_name(f"{db.name}.rewrite")
    fresh.unlink(missing_ok=True)
    try:
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")  # DuckDB's own bar: standard output
            con.execute("ATTACH $old AS old (READ_ONLY)", {"old": str(db)})
            con.execute("ATTACH $fresh AS fresh", {"fresh": str(fresh)})
            con.execute("COPY FROM DATABASE old TO fresh")
            con.execute("DETACH fresh")  # written out and closed
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    os.chmod(fresh, db.stat().st_mode & 0o777)  # a warehouse kept private stays so
    os.replace(fresh, db)
