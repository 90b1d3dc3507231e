"""The research export (README: "Privacy"): engagement and collaboration tables for researchers,
with pseudonyms re-keyed for this export and cells describing fewer than k students suppressed.

    summary = export_research(ws, Path("export-2027-06"), k=5)
    print(summary.line())

Re-keying: every warehouse pseudonym becomes ``r`` + 12 hex digits of HMAC-SHA256(salt,
pseudonym), with a fresh random salt per export that is written nowhere (not in the
warehouse, not in the export). One person has one export id across the files of an export,
and different ids in another export, so an export cannot be joined back to the warehouse
(or to another export) by id. Rows are sorted by export id, never in warehouse order.

Suppression (k, default 5): a group with fewer than k students (from the roster) is
*suppressed*: its rows in ``group_metrics`` keep the group label, every other value becomes
null and ``suppressed`` is true; its label is blanked (null) in the individual-level files.
Further groups are suppressed, smallest first, while the students outside the groups shown
would be 1 to k − 1, or one group alone (see :func:`suppressed_groups`). A row of
``weekly_metrics`` is suppressed when its group is, or when fewer than k students authored a
post in that group and week; a cohort-wide ``all`` row when it minus the rows shown would
describe 1 to k − 1 students. Per-student rows and edges are individual-level data: they are
kept under export ids. The rules, for the recipient: docs/research.md and the export's README.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.workspace import Workspace

DEFAULT_K = 5
ALL_GROUP = "all"  # the cohort-wide row of collaboration.group_metrics / weekly_metrics
ID_PREFIX = "r"
ID_HEX_DIGITS = 12
EDGE_KINDS = ("reply", "coparticipation")
ENGAGEMENT_COLUMNS = ["student", "group", "week_start", "iso_week", "hours", "sessions",
                      "active_days", "events", "target_hours", "below_target", "holiday",
                      "in_progress"]
# Columns that name a person (re-keyed) and a group (blanked when the group is suppressed).
PERSON_COLUMNS = ("student", "source", "target")
GROUP_COLUMNS = ("group", "source_group", "target_group")
TABLES = ("weekly_engagement", "student_metrics", "group_metrics", "weekly_metrics", "edges")


@dataclass(frozen=True)
class ExportedTable:
    """One table of an export: written as ``<name>.csv`` and ``<name>.parquet``."""

    name: str
    rows: int
    suppressed_rows: int  # rows whose values were nulled (flag ``suppressed``)
    hidden_group_rows: int  # rows with at least one group label blanked


@dataclass(frozen=True)
class ExportSummary:
    """What an export holds and what was suppressed (the salt is not part of it)."""

    out_dir: Path
    cohort: str
    k: int
    students: int
    posts: int
    suppressed_groups: tuple[str, ...]
    tables: tuple[ExportedTable, ...]
    created: dt.datetime
    version: str

    def table(self, name: str) -> ExportedTable:
        return next(t for t in self.tables if t.name == name)

    def files(self) -> list[Path]:
        """Every file written, README first."""
        return [self.out_dir / "README.md"] + [
            self.out_dir / f"{t.name}.{ext}" for t in self.tables for ext in ("csv", "parquet")]

    def line(self) -> str:
        """A one-line account for the command line."""
        groups = ", ".join(self.suppressed_groups) or "none"
        suppressed = sum(t.suppressed_rows for t in self.tables)
        return (f"research export of cohort {self.cohort} in {self.out_dir}: "
                f"{len(self.tables)} tables (CSV and Parquet) and README.md, {self.students} "
                f"students, ids re-keyed, k = {self.k}: groups suppressed: {groups}; "
                f"{suppressed} rows suppressed")


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


# --- the tables -----------------------------------------------------------------------------

def research_tables(ws: Workspace, cohort: str | None = None,
                    include_teachers: bool = True) -> tuple[dict[str, pl.DataFrame],
                                                             pl.DataFrame, int]:
    """The export's tables as the warehouse knows them (warehouse pseudonyms, nothing
    suppressed), the cohort's students (student, group) and the number of forum posts."""
    from m2if_analytics import collaboration, engagement
    from m2if_analytics.collaboration import data as collaboration_data

    cohort_id = ws.cfg.cohort(cohort).id
    people = collaboration_data.members(ws, cohort_id, include_teachers=include_teachers)
    weekly = engagement.weekly(ws, cohort_id).select(ENGAGEMENT_COLUMNS)
    posts = collaboration_data.forum_frame(ws, cohort=cohort_id,
                                           include_teachers=include_teachers)
    edges = pl.concat([collaboration.edges(posts, kind, people).select(
        pl.lit(kind).alias("kind"), pl.all()) for kind in EDGE_KINDS], how="diagonal_relaxed")
    teachers = {"include_teachers": include_teachers}
    tables = {
        "weekly_engagement": weekly,
        "student_metrics": collaboration.student_metrics(posts, people, **teachers),
        "group_metrics": collaboration.group_metrics(posts, people, **teachers),
        "weekly_metrics": collaboration.weekly_metrics(posts, people, **teachers),
        "edges": edges,
    }
    students = people.filter(pl.col("role") == "student").select("student", "group")
    return tables, students, posts.height


def protect(tables: dict[str, pl.DataFrame], students: pl.DataFrame, k: int,
            salt: bytes) -> tuple[dict[str, pl.DataFrame], list[ExportedTable], set[str]]:
    """Suppress small cells, blank small groups' labels and re-key every person; sort rows by
    export id so that row order tells nothing of the warehouse."""
    if k < 1:
        raise M2IFError(f"k must be at least 1, got {k}")
    sizes = group_sizes(students)
    hidden = suppressed_groups(sizes, k)
    people = set(students["student"])
    for table in tables.values():
        for column in PERSON_COLUMNS:
            if column in table.columns:
                people |= set(table[column].drop_nulls())
    ids = export_ids(people, salt)
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
        accounts.append(ExportedTable(name, table.height, suppressed, hidden_rows))
    return out, accounts, hidden


_ORDER = {"weekly_engagement": ["student", "week_start"], "student_metrics": ["student"],
          "group_metrics": ["group"], "weekly_metrics": ["week_start", "group"],
          "edges": ["kind", "source", "target"]}


def export_research(ws: Workspace, out_dir: Path, cohort: str | None = None,
                    k: int = DEFAULT_K, salt: bytes | None = None,
                    include_teachers: bool = True) -> ExportSummary:
    """Write the research export of ``cohort`` into ``out_dir`` (created if needed).

    Files: ``weekly_engagement``, ``student_metrics``, ``group_metrics``, ``weekly_metrics``
    and ``edges``, each as CSV and Parquet, and ``README.md`` (what was suppressed, k, the
    rule, the re-keying, the date and the tool version). ``salt`` is for tests only: by
    default a fresh random one is drawn and forgotten. ``include_teachers`` keeps teachers as
    labelled people (role ``teacher``) in the metrics and edges.
    """
    from m2if_analytics import __version__

    cohort_id = ws.cfg.cohort(cohort).id
    if out_dir.exists() and not out_dir.is_dir():
        raise M2IFError(f"{out_dir} is a file; give a folder for the research export")
    tables, students, posts = research_tables(ws, cohort_id, include_teachers)
    protected, accounts, hidden = protect(tables, students, k,
                                          salt if salt is not None else secrets.token_bytes(32))
    summary = ExportSummary(
        out_dir=out_dir, cohort=cohort_id, k=k, students=students.height, posts=posts,
        suppressed_groups=tuple(sorted(hidden)), tables=tuple(accounts),
        created=dt.datetime.now(dt.UTC).replace(microsecond=0), version=__version__)
    _write(protected, summary)
    return summary


def _write(tables: dict[str, pl.DataFrame], summary: ExportSummary) -> None:
    """Write every file into a staging folder inside ``out_dir``, then rename them into
    place: a failure while writing leaves the folder's previous export as it was."""
    out_dir = summary.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".m2if-export-", dir=out_dir) as tmp:
        staging = Path(tmp)
        for name, table in tables.items():
            table.write_csv(staging / f"{name}.csv")
            table.write_parquet(staging / f"{name}.parquet")
        (staging / "README.md").write_text(readme(summary, tables), encoding="utf-8")
        for path in summary.files():
            shutil.move(staging / path.name, path)


# --- README ---------------------------------------------------------------------------------

_DESCRIPTIONS = {
    "weekly_engagement": "one row per student × programme week: online hours, sessions, "
                         "active days and events (zero weeks included)",
    "student_metrics": "one row per student (and teacher, role `teacher`): forum posts, "
                       "replies, partners, degrees, betweenness, clustering, isolation",
    "group_metrics": "one row per group: density, reciprocity, Gini of contributions, "
                     "teacher share, response times",
    "weekly_metrics": "one row per week × group: posts, active authors, replies, isolated "
                      "students, density",
    "edges": "one row per directed reply tie (`kind` = reply: source answered target, weight "
             "= replies) or co-participation tie (`kind` = coparticipation: both posted in "
             "`weight` discussions)",
}


def readme(summary: ExportSummary, tables: dict[str, pl.DataFrame]) -> str:
    """The export's README.md: contents, suppression account, re-keying, provenance."""
    k = summary.k
    rows = "\n".join(
        f"| `{t.name}.csv` / `.parquet` | {t.rows} | {t.suppressed_rows} | "
        f"{t.hidden_group_rows} | {_DESCRIPTIONS[t.name]} |" for t in summary.tables)
    columns = "\n".join(f"- `{name}`: " + ", ".join(f"`{c}`" for c in table.columns)
                        for name, table in tables.items())
    groups = ", ".join(f"`{g}`" for g in summary.suppressed_groups) or "none"
    no_forum = ("\n**No forum posts** were found for this cohort: the collaboration tables "
                "have no data rows (or zeros only).\n" if summary.posts == 0 else "")
    return f"""# Research export — cohort {summary.cohort}

Written {summary.created.isoformat()} by m2if-analytics {summary.version}
(`m2if export research`). {summary.students} students, {summary.posts} forum posts.
The data come from the programme's own platform (Moodle logs, roster, forum structure);
no third-party data set is included.
{no_forum}
## Files

| file | rows | rows suppressed | rows with a group label blanked | contents |
|---|---|---|---|---|
{rows}

Columns:

{columns}

## Identifiers are re-keyed

`student`, `source` and `target` are export ids (`r` + 12 hex digits): a keyed hash of the
warehouse pseudonym with a random salt drawn for this export and then forgotten. The same
person has the same id in every file of this export, and a different id in any other export:
this export cannot be joined to the warehouse or to another export by id. Rows are sorted
by export id. No name, e-mail, IP address, forum subject or message is included.

## Small cells are suppressed (k = {k})

- **Groups with fewer than {k} students** are suppressed: in `group_metrics` the row keeps
  its label, every value is empty and `suppressed` is `true`; in the other files the group
  label of their members is empty. Then, smallest first, further groups are suppressed until
  the students outside the groups shown (suppressed groups and students without a group) are
  none, or at least {k} and not one group alone: otherwise the cohort-wide row (`all`) minus
  the groups shown would describe fewer than {k} students, or an empty label would name a
  group. Groups suppressed here: {groups}.
- **`weekly_metrics`**: a week × group row is suppressed (values empty, `suppressed` =
  `true`) when its group is suppressed or fewer than {k} students authored a post in it that
  week — zero included, so an empty cell does not say whether anyone posted. The week's `all`
  row is suppressed too when it has fewer than {k} authors, or when its authors minus those of
  the group rows shown that week are 1 to {k - 1} students.
- Counts inside a row that is shown (e.g. `isolated_students`) are not suppressed: the row
  describes at least {k} students, and the per-student file holds the same facts anyway.
- An empty `group` elsewhere means "no group in the roster, or a suppressed group".
- `weekly_engagement`, `student_metrics` and `edges` are individual-level (one student or
  one tie per row): they are kept under export ids, not aggregated. They remain
  pseudonymous personal data: values (e.g. weekly hours) could be matched by someone who also
  has the warehouse. Keep the export under the data agreement it was shared with, and do not
  publish rows, only aggregates of at least {k} students.

## Citing

Cite the programme's data as agreed with the programme's managers, and the tool as
"m2if-analytics {summary.version}, research export of cohort {summary.cohort},
{summary.created.date().isoformat()}".
"""
