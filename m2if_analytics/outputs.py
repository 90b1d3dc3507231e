"""Files m2if writes: whole or not at all, and no cell a spreadsheet would run as a formula.

Every output is written to a hidden temporary name in the target's folder and renamed into
place (``os.replace`` is atomic on one file system): a failure while writing — a full disk,
an interrupted run — leaves the previous file as it was and no cut file behind.

CSV cells that are text and start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return get a leading apostrophe (OWASP's CSV-injection rule), so a roster name such as
``=HYPERLINK(...)`` is shown as text by Excel or LibreOffice, never run. Numbers — numeric
columns, and text cells that are a plain number such as ``-2.5`` — are left untouched.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl

from m2if_analytics.errors import M2IFError

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_RISKY = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = f"^{_NUMBER.pattern}$"  # the same rule, for polars' regex


def neutral_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it as text: an apostrophe before a formula trigger."""
    if value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def plain_cell(value: str) -> str:
    """The value :func:`neutral_cell` neutralised, read back (its apostrophe dropped)."""
    if value.startswith("'") and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell made safe (see :func:`neutral_cell`); other types kept."""
    text = [name for name, dtype in frame.schema.items() if dtype in (pl.String, pl.Categorical)]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(_RISKY)
                & ~pl.col(c).cast(pl.String).str.contains(_PLAIN_NUMBER))
        .then(pl.lit("'") + pl.col(c).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String)).alias(c)
        for c in text)


def csv_text(frame: pl.DataFrame) -> str:
    """The CSV text of ``frame`` with its text cells neutralised."""
    return neutralise(frame).write_csv()


def neutral_rows(rows: Iterable[Iterable[object]]) -> list[list[object]]:
    """Rows for ``csv.writer`` with every string cell neutralised."""
    return [[neutral_cell(v) if isinstance(v, str) else v for v in row] for row in rows]


def atomic(out: Path, write: Callable[[Path], None], mode: int | None = None) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``out``, then rename it to ``out``.

    ``mode`` (e.g. 0o600) is set on the temporary file before anything is written to it."""
    out = out.expanduser()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    tmp = Path(name)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        os.close(fd)
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:  # name the file the user asked for, not the temporary one
        tmp.unlink(missing_ok=True)
        raise M2IFError(f"{out}: not written ({exc.strerror or exc}); the previous file, if "
                        "any, is unchanged: free space or choose another --out") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def write_text(out: Path, text: str, mode: int | None = None) -> Path:
    """Write ``text`` (UTF-8) to ``out`` atomically."""
    def _write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    return atomic(out, _write, mode)


def check_output(out: Path) -> None:
    """Refuse an output path that is not a .csv/.parquet file name (before any work)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise M2IFError(f"{out}: the output must end in .csv or .parquet")
    if out.is_dir():
        raise M2IFError(f"{out} is a folder; give a file name ending in {suffix}")


def write_table(frame: pl.DataFrame, out: Path) -> Path:
    """Write CSV (text cells neutralised, ``week_start`` as YYYY-MM-DD, booleans true/false)
    or Parquet (values as they are) by extension, atomically."""
    check_output(out)
    if out.suffix.lower() == ".parquet":
        return atomic(out, frame.write_parquet)
    return write_text(out, csv_text(frame))
