"""Protecting an export: ids re-keyed per export, staff collapsed, small cells suppressed.

Re-keying: every warehouse pseudonym becomes ``r`` + 12 hex digits of HMAC-SHA256(salt,
pseudonym), with a fresh random salt per export that is written nowhere (not in the
warehouse, not in the export). One person has one export id across the files of an export,
and different ids in another export, so an export cannot be joined back to the warehouse
(or to another export) by id. Rows are sorted by export id, never in warehouse order.

Staff (teachers and any other non-student role) are never individual rows: they are dropped
from the per-student table and every staff end of an edge becomes the single node ``staff``
(weights summed), so a teacher cannot be singled out by the pattern of their ties.

Suppression (k, default 5): a group with fewer than k students (from the roster) is
*suppressed*: its rows in ``group_metrics`` keep the group label, every other value becomes
null and ``suppressed`` is true; its label is blanked (null) in the individual-level files.
Further groups are suppressed, smallest first, while the students outside the groups shown
would be 1 to k − 1, or one group alone (see :func:`suppressed_groups`). A row of
``weekly_metrics`` is suppressed when its group is, or when fewer than k students authored a
post in that group and week; a cohort-wide ``all`` row when it minus the rows shown would
describe 1 to k − 1 students.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import polars as pl

from m2if_analytics.errors import M2IFError

DEFAULT_K = 5
STAFF = "staff"  # the one node every staff member of an edge becomes
ALL_GROUP = "all"  # the cohort-wide row of collaboration.group_metrics / weekly_metrics
ID_PREFIX = "r"
ID_HEX_DIGITS = 12
# Columns that name a person (re-keyed) and a group (blanked when the group is suppressed).
PERSON_COLUMNS = ("student", "source", "target")
GROUP_COLUMNS = ("group", "source_group", "target_group")


# --- re-keying ------------------------------------------------------------------------------

def export_ids(pseudonyms: Iterable[str], salt: bytes) -> dict[str, str]:
    """Warehouse pseudonym → export id (``r`` + 12 hex digits of HMAC-SHA256(salt, it))."""
    if not salt:
        raise M2IFError("the export salt must not be empty")
    mapping = {p: ID_PREFIX + hmac.new(salt, p.encode(), hashlib.sha256).hexdigest()[
        :ID_HEX_DIGITS] for p in set(pseudonyms) if p is not None}
    if len(set(mapping.values())) != len(mapping):  # 48 bits: astronomically unlikely
        raise M2IFError("two people got the same export id; run the export again")
    return mapping


def rekey(table: pl.DataFrame, ids: dict[str, str]) -> pl.DataFrame:
    """Replace every person column by its export id (a pseudonym without one is an error)."""
    columns = [c for c in PERSON_COLUMNS if c in table.columns]
    for column in columns:
        missing = set(table[column].drop_nulls()) - ids.keys()
        if missing:
            raise M2IFError(f"{len(missing)} people of column {column!r} have no export id")
        table = table.with_columns(pl.col(column).replace_strict(ids, default=None))
    return table


def reorder_undirected(edges: pl.DataFrame) -> pl.DataFrame:
    """Co-participation ties are undirected and listed with source < target: redo that on
    the export ids, or the order of each pair would tell which warehouse pseudonym sorts
    first (enough, over many pairs, to rebuild the mapping)."""
    swap = (pl.col("kind") == "coparticipation") & (pl.col("source") > pl.col("target"))
    pairs = [("source", "target"), ("source_group", "target_group"),
             ("source_role", "target_role")]
    return edges.with_columns(
        expr for a, b in pairs if a in edges.columns and b in edges.columns
        for expr in (pl.when(swap).then(pl.col(b)).otherwise(pl.col(a)).alias(a),
                     pl.when(swap).then(pl.col(a)).otherwise(pl.col(b)).alias(b)))


# --- suppression ----------------------------------------------------------------------------

def group_sizes(students: pl.DataFrame) -> dict[str | None, int]:
    """Students per roster group (``None``: students without a group)."""
    return dict(students.group_by("group").len().iter_rows())


def suppressed_groups(sizes: dict[str | None, int], k: int) -> set[str]:
    """Groups with fewer than ``k`` students, then, smallest first, as many more as it takes
    for the students left out of the shown groups (suppressed groups and students without a
    group) to be none, or at least ``k`` and not exactly one group: otherwise the cohort-wide
    row minus the shown groups would describe them, and a blank label would name the group."""
    named = {g: n for g, n in sizes.items() if g is not None}
    hidden = {g for g, n in named.items() if n < k}
    ungrouped = sizes.get(None, 0)
    for _, group in sorted((n, g) for g, n in named.items() if g not in hidden):
        residual = ungrouped + sum(named[g] for g in hidden)
        if residual == 0 or (residual >= k and not (len(hidden) == 1 and ungrouped == 0)):
            break
        hidden.add(group)
    return hidden


def hide_groups(table: pl.DataFrame, hidden: set[str]) -> tuple[pl.DataFrame, int]:
    """Blank the group columns whose value is a suppressed group; rows touched."""
    columns = [c for c in GROUP_COLUMNS if c in table.columns]
    if not columns or not hidden:
        return table, 0
    touched = pl.any_horizontal([pl.col(c).is_in(list(hidden)).fill_null(False)
                                 for c in columns])
    count = int(table.select(touched.sum()).item() or 0)
    return table.with_columns(
        pl.when(pl.col(c).is_in(list(hidden))).then(None).otherwise(pl.col(c)).alias(c)
        for c in columns), count


def suppress_aggregates(table: pl.DataFrame, hidden: set[str], k: int, count: str,
                        keep: Iterable[str], by: list[str]) -> tuple[pl.DataFrame, int]:
    """Null every column but ``keep`` in the rows of a suppressed group or whose ``count`` of
    students is below ``k``, and in the cohort-wide row when it minus the rows still shown
    (within ``by``, e.g. the week) leaves 1 to k − 1 students; add the ``suppressed`` flag."""
    is_all = pl.col("group") == ALL_GROUP
    flagged = table.with_columns(
        (pl.col("group").is_in(list(hidden)).fill_null(False)
         | (pl.col(count).fill_null(0) < k)).alias("suppressed"))
    shown = (flagged.filter(~pl.col("suppressed") & ~is_all.fill_null(False))
             .group_by(by or pl.lit(0).alias("_one")).agg(pl.col(count).sum().alias("_shown")))
    if by:
        flagged = flagged.join(shown, on=by, how="left")
    else:
        flagged = flagged.with_columns(pl.lit(shown["_shown"].sum()).alias("_shown"))
    residual = pl.col(count).fill_null(0) - pl.col("_shown").fill_null(0)
    flagged = flagged.with_columns(
        (pl.col("suppressed") | (is_all.fill_null(False) & residual.is_between(1, k - 1)))
        .alias("suppressed")).drop("_shown")
    keep = set(keep) | {"suppressed"}
    nulled = flagged.with_columns(
        pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c)
        for c in flagged.columns if c not in keep)
    return nulled, int(flagged["suppressed"].sum())


# --- staff ----------------------------------------------------------------------------------

def collapse_staff(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """No staff member as an individual row: staff rows leave ``student_metrics``; every
    staff end of an edge becomes ``staff`` (group null), ties summed by kind and ends."""
    out = dict(tables)
    metrics = tables.get("student_metrics")
    if metrics is not None and "role" in metrics.columns:
        out["student_metrics"] = metrics.filter(pl.col("role") == "student").drop("role")
    edges = tables.get("edges")
    if edges is not None and {"source_role", "target_role"} <= set(edges.columns):
        ends = []
        for end in ("source", "target"):
            staff = pl.col(f"{end}_role").fill_null("student") != "student"
            ends += [pl.when(staff).then(pl.lit(STAFF)).otherwise(pl.col(end)).alias(end),
                     pl.when(staff).then(None).otherwise(pl.col(f"{end}_group"))
                     .alias(f"{end}_group"),
                     pl.when(staff).then(pl.lit(STAFF)).otherwise(pl.lit("student"))
                     .alias(f"{end}_role")]
        keys = ["kind", "source", "target", "source_group", "target_group", "source_role",
                "target_role"]
        out["edges"] = (edges.with_columns(ends)
                        .group_by(keys, maintain_order=True).agg(pl.col("weight").sum())
                        .select(edges.columns))
    return out


Account = tuple[str, int, int, int]  # table, rows, rows suppressed, rows with a group blanked


def protect(tables: dict[str, pl.DataFrame], students: pl.DataFrame, k: int,
            salt: bytes) -> tuple[dict[str, pl.DataFrame], list[Account], set[str]]:
    """Suppress small cells, blank small groups' labels and re-key every person; sort rows by
    export id so that row order tells nothing of the warehouse."""
    if k < 1:
        raise M2IFError(f"k must be at least 1, got {k}")
    tables = collapse_staff(tables)
    sizes = group_sizes(students)
    hidden = suppressed_groups(sizes, k)
    people = set(students["student"])
    for table in tables.values():
        for column in PERSON_COLUMNS:
            if column in table.columns:
                people |= set(table[column].drop_nulls())
    ids = export_ids(people - {STAFF}, salt) | {STAFF: STAFF}
    out: dict[str, pl.DataFrame] = {}
    accounts = []
    for name, table in tables.items():
        suppressed, hidden_rows = 0, 0
        if name == "group_metrics":
            table, suppressed = suppress_aggregates(table, hidden, k, "members", ["group"], [])
        elif name == "weekly_metrics":
            table, suppressed = suppress_aggregates(table, hidden, k, "active_authors",
                                                    ["week_start", "group"], ["week_start"])
        else:
            table, hidden_rows = hide_groups(table, hidden)
        table = rekey(table, ids)
        if name == "edges":
            table = reorder_undirected(table)
        out[name] = table.sort([c for c in _ORDER[name] if c in table.columns], nulls_last=True)
        accounts.append((name, table.height, suppressed, hidden_rows))
    return out, accounts, hidden


_ORDER = {"weekly_engagement": ["student", "week_start"], "student_metrics": ["student"],
          "group_metrics": ["group"], "weekly_metrics": ["week_start", "group"],
          "edges": ["kind", "source", "target"]}
