"""Document coverage: which of the documents provided each student has opened, per UE (or
platform course), and the documents nobody or almost nobody opens.

    coverage.coverage(ws, ue="UE3")     # student, ue, documents, opened, share
    coverage.documents(ws)              # ue, course_id, cmid, opened_by, students, share, rare

A document is a course module of kind ``document`` (see :mod:`.split`): the distinct ones
seen in the cohort's logs, plus those of the cohort's resources list (``m2if ingest
resources``, or a list given with ``resources=``: course_id, cmid, listed_ue, name, as
:func:`m2if_analytics.ingest.resources_list.read_resources_list` reads a file), so that a
document nobody opened still counts. A document's UE is the list's ``ue``, else the UE whose
``[[units]] courses`` hold its course.
"""

from __future__ import annotations

import datetime as dt

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


def stored_resources(ws: Workspace, cohort: str | None = None) -> pl.DataFrame | None:
    """The documents ``m2if ingest resources`` stored for ``cohort`` (course_id, cmid,
    listed_ue, name), None when it stored none."""
    stored = sqlfiles.select(ws.tables, "engagement/coverage_resources.sql",
                             {"c": ws.cfg.cohort(cohort).id})
    return stored if stored.height else None


def _listed(ws: Workspace, cohort: str | None, resources: pl.DataFrame | None
            ) -> pl.DataFrame | None:
    return resources if resources is not None else stored_resources(ws, cohort)


def _documents(ws: Workspace, opened: pl.DataFrame, listed: pl.DataFrame | None
               ) -> pl.DataFrame:
    """course_id, cmid, ue, name of every document: those opened, then those listed; a listed
    document takes its course from the logs first, its UE and name from the list."""
    docs = opened.select("course_id", "cmid").unique("cmid", keep="first", maintain_order=True)
    if listed is None:
        return with_ue(ws, docs).with_columns(pl.lit(None, pl.String).alias("name"))
    seen = dict(docs.select("cmid", "course_id").iter_rows())
    listed = listed.unique("cmid", keep="last", maintain_order=True).with_columns(
        pl.coalesce(pl.col("cmid").replace_strict(seen, default=None, return_dtype=pl.Int64),
                    "course_id").alias("course_id"))
    docs = pl.concat([docs.filter(~pl.col("cmid").is_in(listed["cmid"].implode()))
                      .with_columns(pl.lit(None, pl.String).alias("listed_ue"),
                                    pl.lit(None, pl.String).alias("name")),
                      listed.select("course_id", "cmid", "listed_ue", "name")])
    return with_ue(ws, docs)


def _pick(frame: pl.DataFrame, ue: str | None) -> pl.DataFrame:
    if ue is None:
        return frame
    picked = frame.filter(pl.col("ue").str.to_lowercase() == ue.strip().lower())
    if picked.is_empty():
        known = ", ".join(sorted(set(frame["ue"]))) or "none"
        raise M2IFError(f"no document of {ue!r} in the logs; documents are in: {known}")
    return picked


def coverage(ws: Workspace, cohort: str | None = None, ue: str | None = None,
             as_of: dt.date | None = None, resources: pl.DataFrame | None = None
             ) -> pl.DataFrame:
    """Per student × UE with documents: student, ue, documents (available), opened (by the
    student at least once), share (opened / documents), sorted by student then UE."""
    opened = opens(ws, cohort, as_of)
    docs = _documents(ws, opened, _listed(ws, cohort, resources))
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
              as_of: dt.date | None = None, resources: pl.DataFrame | None = None
             ) -> pl.DataFrame:
    """Per document: ue, course_id, cmid, opened_by (students who opened it), students (in
    the cohort), share, rare (opened by at most :data:`RARE_SHARE` of the students: nobody
    or almost nobody), name (from the resources list, else empty), least opened first."""
    opened = opens(ws, cohort, as_of)
    docs = _documents(ws, opened, _listed(ws, cohort, resources))
    total = cohort_students(ws, ws.cfg.cohort(cohort).id).height
    counts = opened.group_by("cmid").agg(pl.col("student").n_unique().alias("opened_by"))
    table = (docs.join(counts, on="cmid", how="left")
             .with_columns(pl.col("opened_by").fill_null(0).cast(pl.Int64),
                           pl.lit(total, pl.Int64).alias("students"))
             .with_columns((pl.col("opened_by") / pl.max_horizontal(pl.col("students"), 1))
                           .alias("share"))
             .with_columns((pl.col("share") <= RARE_SHARE).alias("rare")))
    return _pick(table.select("ue", "course_id", "cmid", "opened_by", "students", "share",
                              "rare", "name").sort("share", "ue", "cmid"), ue)
