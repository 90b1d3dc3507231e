"""Document coverage: which of the documents provided each student has opened, per UE (or
platform course), and the documents nobody or almost nobody opens.

    coverage.coverage(ws, ue="UE3")     # student, ue, documents, opened, share
    coverage.documents(ws)              # ue, course_id, cmid, opened_by, students, share, rare

A document is a course module of kind ``document`` (see :mod:`.split`): the distinct ones
seen in the cohort's logs, plus those of a resources list (``cmid[,course_id]`` CSV) when one
is given, so that a document nobody opened still counts. UEs come from ``[[units]] courses``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from m2if_analytics.engagement.cohort import students as cohort_students
from m2if_analytics.engagement.split import with_ue
from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.workspace import Workspace

RARE_SHARE = 0.1  # a document opened by at most 10 % of the students is "almost nobody's"
COLUMNS = ["student", "ue", "documents", "opened", "share"]


def opens(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None
          ) -> pl.DataFrame:
    """student, course_id, cmid, first_opened: every document each student of ``cohort``
    opened, up to ``as_of`` (a whole local day; default: everything)."""
    c = ws.cfg.cohort(cohort)
    after = (as_of or dt.date(9999, 12, 30)) + dt.timedelta(days=1)
    return sqlfiles.select(ws.tables, "engagement/coverage_opens.sql",
                           {"c": c.id, "tz": ws.cfg.programme.timezone, "after_day": after})


def read_resources(path: Path) -> pl.DataFrame:
    """course_id, cmid of a resources list (CSV with a ``cmid`` column, ``course_id``
    optional); a clear error naming the file otherwise."""
    try:
        table = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise M2IFError(f"{path}: cannot read the resources list ({exc})") from None
    names = {c.strip().casefold(): c for c in table.columns}
    if "cmid" not in names:
        raise M2IFError(f"{path}: no cmid column (course module ids, one per document); "
                        f"columns: {', '.join(table.columns)}")
    out = table.select(
        pl.col(names["course_id"]).str.strip_chars().cast(pl.Int64, strict=False)
        .alias("course_id") if "course_id" in names else pl.lit(None, pl.Int64)
        .alias("course_id"),
        pl.col(names["cmid"]).str.strip_chars().cast(pl.Int64, strict=False).alias("cmid"))
    bad = out.with_row_index("line", 2).filter(pl.col("cmid").is_null())
    if bad.height:
        raise M2IFError(f"{path}, line {bad['line'][0]}: cmid is not a whole number; fix the "
                        "list (one course module id per row)")
    return out


def _documents(ws: Workspace, opened: pl.DataFrame, resources: pl.DataFrame | None
               ) -> pl.DataFrame:
    docs = opened.select("course_id", "cmid")
    if resources is not None:
        # a listed document's course, from the logs when the list does not give it
        known = dict(docs.unique("cmid").select("cmid", "course_id").iter_rows())
        resources = resources.with_columns(pl.coalesce(
            "course_id", pl.col("cmid").replace_strict(known, default=None,
                                                       return_dtype=pl.Int64)))
        docs = pl.concat([docs, resources.select("course_id", "cmid")])
    return with_ue(ws, docs.unique("cmid", keep="first"))


def _pick(frame: pl.DataFrame, ue: str | None) -> pl.DataFrame:
    if ue is None:
        return frame
    picked = frame.filter(pl.col("ue").str.to_lowercase() == ue.strip().lower())
    if picked.is_empty():
        known = ", ".join(sorted(set(frame["ue"]))) or "none"
        raise M2IFError(f"no document of {ue!r} in the logs; documents are in: {known}")
    return picked


def coverage(ws: Workspace, cohort: str | None = None, ue: str | None = None,
             as_of: dt.date | None = None, resources: Path | None = None) -> pl.DataFrame:
    """Per student × UE with documents: student, ue, documents (available), opened (by the
    student at least once), share (opened / documents), sorted by student then UE."""
    opened = opens(ws, cohort, as_of)
    listed = read_resources(resources) if resources is not None else None
    docs = _documents(ws, opened, listed)
    people = cohort_students(ws, ws.cfg.cohort(cohort).id).select("student")
    available = docs.group_by("ue").agg(pl.col("cmid").n_unique().alias("documents"))
    seen = (opened.select("student", "cmid").join(docs.select("cmid", "ue"), on="cmid")
            .group_by("student", "ue").agg(pl.col("cmid").n_unique().alias("opened")))
    table = (people.join(available, how="cross")
             .join(seen, on=["student", "ue"], how="left")
             .with_columns(pl.col("opened").fill_null(0).cast(pl.Int64),
                           pl.col("documents").cast(pl.Int64))
             .with_columns((pl.col("opened") / pl.col("documents")).alias("share")))
    return _pick(table.select(COLUMNS).sort("student", "ue"), ue)


def documents(ws: Workspace, cohort: str | None = None, ue: str | None = None,
              as_of: dt.date | None = None, resources: Path | None = None) -> pl.DataFrame:
    """Per document: ue, course_id, cmid, opened_by (students who opened it), students (in
    the cohort), share, rare (opened by at most :data:`RARE_SHARE` of the students: nobody
    or almost nobody), least opened first."""
    opened = opens(ws, cohort, as_of)
    listed = read_resources(resources) if resources is not None else None
    docs = _documents(ws, opened, listed)
    total = cohort_students(ws, ws.cfg.cohort(cohort).id).height
    counts = opened.group_by("cmid").agg(pl.col("student").n_unique().alias("opened_by"))
    table = (docs.join(counts, on="cmid", how="left")
             .with_columns(pl.col("opened_by").fill_null(0).cast(pl.Int64),
                           pl.lit(total, pl.Int64).alias("students"))
             .with_columns((pl.col("opened_by") / pl.max_horizontal(pl.col("students"), 1))
                           .alias("share"))
             .with_columns((pl.col("share") <= RARE_SHARE).alias("rare")))
    return _pick(table.select("ue", "course_id", "cmid", "opened_by", "students", "share",
                              "rare").sort("share", "ue", "cmid"), ue)
