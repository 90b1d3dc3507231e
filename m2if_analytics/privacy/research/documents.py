"""The export's documents: README, data-use terms, CITATION.cff and datapackage.json."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from m2if_analytics.config import Research
from m2if_analytics.privacy.research.codebook import DESCRIPTIONS, table_schema
from m2if_analytics.privacy.research.summary import ExportSummary

DEFAULT_TERMS = """# Terms of use

These data describe real students of a training programme. They are pseudonymous, not
anonymous. By receiving them you agree:

1. to use them only for the research project they were shared for, under the data-use
   agreement signed with the programme;
2. never to try to re-identify a person, and not to link these files with any other data
   about the programme's students or staff (platform exports, grades, social networks);
3. to keep them on encrypted storage that only the project's members can read, and never
   to publish individual rows: publish aggregates describing at least k students (k is
   given in README.md), or nothing;
4. to delete them when the project ends, or earlier if the programme asks;
5. to cite the data set as CITATION.cff says.
"""


def terms(settings: Research) -> str:
    """The data-use terms: the programme's own (``[research] terms``) or the packaged ones."""
    text = settings.terms.strip() or DEFAULT_TERMS.strip()
    contact = f"\n\nContact: {settings.contact}" if settings.contact else ""
    return f"{text}\n\nPublisher: {settings.publisher}. Licence: {settings.licence}.{contact}\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a valid YAML double-quoted scalar


def citation(summary: ExportSummary, settings: Research) -> str:
    """CITATION.cff (Citation File Format 1.2.0) of the data set."""
    day = summary.created.date().isoformat()
    return f"""cff-version: 1.2.0
message: {_quoted("If you use these data, cite them as below and respect TERMS.md.")}
type: dataset
title: {_quoted(f"m2if-analytics research export, cohort {summary.cohort}, {day}")}
authors:
  - name: {_quoted(settings.publisher)}
date-released: {_quoted(day)}
license-url: {_quoted("TERMS.md")}
keywords:
  - learning analytics
  - collaborative learning
  - time-on-task
notes: {_quoted(f"{summary.students} students, k = {summary.k}, ids re-keyed for this export"
                + ("; coarsened" if summary.coarsened else "")
                + f". Made with m2if-analytics {summary.version}.")}
"""


def datapackage(summary: ExportSummary, tables: dict[str, pl.DataFrame],
                provenance: dict[str, Any], settings: Research) -> dict[str, Any]:
    """A Frictionless Data Package descriptor: one resource (CSV) per table with its
    schema, the licence, the sources and the provenance."""
    return {
        "name": f"m2if-research-{summary.cohort}".lower().replace("_", "-"),
        "title": f"Research export of cohort {summary.cohort}",
        "description": "Engagement and forum collaboration of one cohort of a fully online "
                       "master's programme, pseudonymised for this export, small cells "
                       f"suppressed (k = {summary.k}). See README.md and CODEBOOK.md.",
        "created": summary.created.isoformat(),
        "version": summary.version,
        "licenses": [{"name": settings.licence, "path": "TERMS.md"}],
        "sources": [{"title": "The programme's learning platform (Moodle logs, roster, "
                              "forum structure)"}],
        "contributors": [{"title": settings.publisher, "role": "publisher"}],
        "resources": [{
            "name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "description": DESCRIPTIONS[name],
            "schema": table_schema(name, table.columns, summary.coarsened),
        } for name, table in tables.items()],
        "provenance": provenance,
    }


def readme(summary: ExportSummary, tables: dict[str, pl.DataFrame]) -> str:
    """README.md: contents, suppression account, re-keying, staff, coarsening, linking."""
    k = summary.k
    rows = "\n".join(
        f"| `{t.name}.csv` / `.parquet` | {t.rows} | {t.suppressed_rows} | "
        f"{t.hidden_group_rows} | {DESCRIPTIONS[t.name]} |" for t in summary.tables)
    groups = ", ".join(f"`{g}`" for g in summary.suppressed_groups) or "none"
    no_forum = ("\n**No forum posts** were found for this cohort: the collaboration tables "
                "have no data rows (or zeros only).\n" if summary.posts == 0 else "")
    coarse = ("Counts of the individual-level files are **banded** and hours rounded to the "
              "half hour (`--coarsen`); see CODEBOOK.md." if summary.coarsened else
              "Values are **exact** (no `--coarsen`): weekly-hours vectors and totals can be "
              "matched by someone who also holds the warehouse or the programme's reports.")
    return f"""# Research export — cohort {summary.cohort}

Written {summary.created.isoformat()} by m2if-analytics {summary.version}
(`m2if export research`). {summary.students} students, {summary.posts} forum posts.
The data come from the programme's own platform (Moodle logs, roster, forum structure);
no third-party data set is included. Read **TERMS.md** before use; columns are described in
**CODEBOOK.md** and, machine-readably, in **datapackage.json** (Frictionless Data Package,
with the provenance: period, time-on-task settings, every input file's sha256, quarantined
rows, software version and commit). Cite with **CITATION.cff**.
{no_forum}
## Files

| file | rows | rows suppressed | rows with a group label blanked | contents |
|---|---|---|---|---|
{rows}

## Identifiers are re-keyed; staff are not individual rows

`student`, `source` and `target` are export ids (`r` + 12 hex digits): a keyed hash of the
warehouse pseudonym with a random salt drawn for this export and then forgotten. The same
person has the same id in every file of this export, and a different id in any other export:
this export cannot be joined to the warehouse or to another export by id. Rows are sorted
by export id. Teachers and other staff have no id: they are absent from `student_metrics`
and every staff end of an edge is the single node `staff`. No name, e-mail, IP address,
forum subject or message is included.

## Small cells are suppressed (k = {k})

- **Groups with fewer than {k} students** are suppressed: in `group_metrics` the row keeps
  its label, every value is empty and `suppressed` is `true`; in the other files the group
  label of their members is empty. Then, smallest first, further groups are suppressed until
  the students outside the groups shown (suppressed groups and students without a group) are
  none, or at least {k} and not one group alone. Groups suppressed here: {groups}.
- **`weekly_metrics`**: a week × group row is suppressed when its group is suppressed or
  fewer than {k} students authored a post in it that week — zero included. The week's `all`
  row is suppressed too when it has fewer than {k} authors, or when its authors minus those of
  the group rows shown that week are 1 to {k - 1} students.
- An empty `group` elsewhere means "no group in the roster, or a suppressed group".

## What linking risk remains

`weekly_engagement`, `student_metrics` and `edges` are individual-level: one student or one
tie per row. {coarse} In a cohort of about 20, a student can also stand out by a rare value
(the only one with no post, the most active week). Do not publish rows, only aggregates of
at least {k} students, and never combine these files with other data about the cohort.
"""
