"""Check that two weekly tables agree.

Every contender labels students with m2if's keyed pseudonym (same key), so when both tables
hold the same students the rows are paired by (student, week) and must be equal, hours within
``HOURS_TOLERANCE``. Otherwise (a table made with another key) each student is reduced to a
signature, the sorted tuple of their weekly rows (hours as whole seconds); the two tables
must hold the same multiset of signatures, and students paired in signature order must have
hours within the tolerance.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

HOURS_TOLERANCE = 1e-6
KEY = ["week_start", "iso_week", "seconds", "sessions", "active_days", "events",
       "target_hours", "below_target"]
CONTRACT = ["student", "week_start", "iso_week", "hours", "sessions", "active_days", "events",
            "target_hours", "below_target"]


def _load(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"student": str, "week_start": str, "iso_week": str})
    missing = [c for c in CONTRACT if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    df = df[CONTRACT].copy()
    for col in ("sessions", "active_days", "events"):
        df[col] = df[col].astype("int64")
    df["hours"] = df["hours"].astype(float)
    df["target_hours"] = df["target_hours"].astype(float)
    df["below_target"] = df["below_target"].astype(str).str.lower().isin(["true", "1", "t"])
    df["seconds"] = (df["hours"] * 3600).round().astype("int64")
    return df.sort_values(["student", "week_start"], ignore_index=True)


def _signatures(df: pd.DataFrame) -> pd.Series:
    rows = pd.Series(list(df[KEY].itertuples(index=False, name=None)), index=df.index)
    return rows.groupby(df["student"], sort=False).agg(tuple)


def _by_pseudonym(a: pd.DataFrame, b: pd.DataFrame) -> tuple[bool, float]:
    """Rows paired by (student, week): all equal? and the largest hours difference."""
    both = a.merge(b, on=["student", "week_start"], how="outer", suffixes=("_a", "_b"),
                   indicator=True)
    paired = both["_merge"] == "both"
    same = bool(paired.all()) and all(
        (both[f"{c}_a"] == both[f"{c}_b"]).all() for c in KEY if c != "week_start")
    diff = (both["hours_a"] - both["hours_b"]).abs()
    return same, float(diff.max()) if len(diff) else 0.0


def _by_history(a: pd.DataFrame, b: pd.DataFrame) -> tuple[bool, float]:
    """Students paired by their whole weekly history (when pseudonyms differ)."""
    sig_a, sig_b = _signatures(a), _signatures(b)
    if Counter(sig_a.tolist()) != Counter(sig_b.tolist()):
        return False, float("nan")
    order_a = sig_a.sort_values(key=lambda s: s.map(repr)).index
    order_b = sig_b.sort_values(key=lambda s: s.map(repr)).index
    hours_a = a.set_index("student").loc[order_a, "hours"].to_numpy()
    hours_b = b.set_index("student").loc[order_b, "hours"].to_numpy()
    return True, float(abs(hours_a - hours_b).max()) if len(hours_a) else 0.0


def compare_weekly(ours: Path, baseline: Path) -> dict[str, Any]:
    """Compare two weekly CSVs; the result's ``ok`` is True when they agree."""
    a, b = _load(ours), _load(baseline)
    rows_a = Counter(a[KEY].itertuples(index=False, name=None))
    rows_b = Counter(b[KEY].itertuples(index=False, name=None))
    same_labels = set(a["student"]) == set(b["student"])
    same_students, max_diff = (_by_pseudonym if same_labels else _by_history)(a, b)
    result = {
        "rows_ours": len(a), "rows_baseline": len(b),
        "students_ours": int(a["student"].nunique()),
        "students_baseline": int(b["student"].nunique()),
        "rows_only_ours": sum((rows_a - rows_b).values()),
        "rows_only_baseline": sum((rows_b - rows_a).values()),
        "paired_by": "pseudonym" if same_labels else "weekly history",
        "same_students": same_students,
        "max_hours_diff": max_diff,
    }
    result["ok"] = bool(same_students and len(a) == len(b) and max_diff <= HOURS_TOLERANCE)
    if not result["ok"]:
        result["examples_only_ours"] = [list(map(str, r)) for r in (rows_a - rows_b)][:3]
        result["examples_only_baseline"] = [list(map(str, r)) for r in (rows_b - rows_a)][:3]
    return result
