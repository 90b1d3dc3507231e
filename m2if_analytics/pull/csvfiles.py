"""The temporary CSV files a pull hands to the file ingesters."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any


def remove(path: Path) -> None:
    """A batch file and its private folder."""
    if path.exists():
        path.unlink()
    path.parent.rmdir()


def number(value: Any) -> str:
    return f"{float(value):g}" if value is not None else ""


def write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def records(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return max(0, sum(1 for _ in csv.reader(f)) - 1)
