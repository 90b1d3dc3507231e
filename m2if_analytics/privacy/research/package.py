"""``m2if export research``: the protected tables and their documents, written atomically."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
import tempfile
from pathlib import Path

import polars as pl

from m2if_analytics import __version__
from m2if_analytics.errors import M2IFError
from m2if_analytics.outputs import neutralise
from m2if_analytics.privacy.research import documents
from m2if_analytics.privacy.research.coarsen import coarsen as coarsen_table
from m2if_analytics.privacy.research.codebook import codebook_markdown
from m2if_analytics.privacy.research.protect import DEFAULT_K, protect
from m2if_analytics.privacy.research.provenance import provenance
from m2if_analytics.privacy.research.summary import ExportedTable, ExportSummary
from m2if_analytics.privacy.research.tables import research_tables
from m2if_analytics.warehouse.workspace import Workspace


def export_research(ws: Workspace, out_dir: Path, cohort: str | None = None,
                    k: int = DEFAULT_K, salt: bytes | None = None,
                    include_teachers: bool = True, coarsen: bool = False,
                    drop: tuple[str, ...] = ()) -> ExportSummary:
    """Write the research export of ``cohort`` into ``out_dir`` (created if needed).

    Files: ``weekly_engagement``, ``student_metrics``, ``group_metrics``, ``weekly_metrics``
    and ``edges``, each as CSV and Parquet, with README.md, CODEBOOK.md, TERMS.md,
    CITATION.cff and datapackage.json (schemas and provenance). ``salt`` is for tests only:
    by default a fresh random one is drawn and forgotten. ``include_teachers`` counts
    teachers as reply partners in the metrics (never as rows of their own); ``coarsen``
    bands counts and rounds hours (:mod:`.coarsen`); ``drop`` leaves tables out (the
    surest way to lower the linking risk of individual-level rows).
    """
    cohort_id = ws.cfg.cohort(cohort).id
    if out_dir.exists() and not out_dir.is_dir():
        raise M2IFError(f"{out_dir} is a file; give a folder for the research export")
    tables, students, posts = research_tables(ws, cohort_id, include_teachers)
    protected, accounts, hidden = protect(tables, students, k,
                                          salt if salt is not None else secrets.token_bytes(32))
    if coarsen:
        protected = {name: coarsen_table(name, table) for name, table in protected.items()}
    provenance_of = protected["weekly_engagement"]
    protected = {name: table for name, table in protected.items() if name not in drop}
    accounts = [a for a in accounts if a[0] not in drop]
    summary = ExportSummary(
        out_dir=out_dir, cohort=cohort_id, k=k, students=students.height, posts=posts,
        suppressed_groups=tuple(sorted(hidden)),
        tables=tuple(ExportedTable(*a) for a in accounts),
        created=dt.datetime.now(dt.UTC).replace(microsecond=0), version=__version__,
        coarsened=coarsen)
    record = provenance(ws, cohort_id, provenance_of, k, coarsen)
    _write(protected, summary, record, ws.cfg.research)
    return summary


def _write(tables: dict[str, pl.DataFrame], summary: ExportSummary, record: dict,
           settings: object) -> None:
    """Write every file into a staging folder inside ``out_dir``, then rename them into
    place: a failure while writing leaves the folder's previous export as it was."""
    out_dir = summary.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = {
        "README.md": documents.readme(summary, tables),
        "CODEBOOK.md": codebook_markdown({n: t.columns for n, t in tables.items()},
                                         summary.coarsened, summary.k),
        "TERMS.md": documents.terms(settings),  # type: ignore[arg-type]
        "CITATION.cff": documents.citation(summary, settings),  # type: ignore[arg-type]
        "datapackage.json": json.dumps(
            documents.datapackage(summary, tables, record, settings),  # type: ignore[arg-type]
            ensure_ascii=False, indent=2, default=str) + "\n",
    }
    with tempfile.TemporaryDirectory(prefix=".m2if-export-", dir=out_dir) as tmp:
        staging = Path(tmp)
        for name, table in tables.items():
            neutralise(table).write_csv(staging / f"{name}.csv")
            table.write_parquet(staging / f"{name}.parquet")
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
        for path in summary.files():
            shutil.move(staging / path.name, path)
