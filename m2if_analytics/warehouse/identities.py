"""Who the platform saw but no roster lists: the people to match by hand.

    unmatched(ws)          # person, events, first_seen, last_seen, candidates
    summary(ws)            # (people, events), for one-line warnings

A name typed differently from the roster (accents, case, word order, hyphens) is matched
automatically when exactly one roster person has that folded name
(``queries/pipeline/10_persons.sql``); what is left is listed here with the roster people
whose names share the most words (compared as keyed hashes: no name is stored). An alias
file (:mod:`m2if_analytics.ingest.aliases`) links them for good.
"""

from __future__ import annotations

import polars as pl

from m2if_analytics.warehouse.sql import select
from m2if_analytics.warehouse.workspace import Workspace

SCHEMA = {"person": pl.String, "events": pl.Int64, "first_seen": pl.Datetime("us"),
          "last_seen": pl.Datetime("us"),
          "candidates": pl.List(pl.Struct({"person": pl.String, "similarity": pl.Float64}))}


def unmatched(ws: Workspace) -> pl.DataFrame:
    """One row per person with events whom no roster lists (most events first), with up to
    three roster candidates by name similarity; empty when no roster is loaded."""
    rows = select(ws.tables, "ingest/unmatched_people.sql", {"tz": ws.cfg.programme.timezone})
    if rows.is_empty() or not _has_roster(ws):
        return pl.DataFrame(schema=SCHEMA)
    return (rows.group_by("person", "events", "first_seen", "last_seen", maintain_order=True)
            .agg(pl.struct(pl.col("candidate").alias("person"), "similarity")
                 .filter(pl.col("candidate").is_not_null()).alias("candidates"))
            .cast(SCHEMA))  # type: ignore[arg-type]


def summary(ws: Workspace) -> tuple[int, int]:
    """(people, events) not matched to any roster (0, 0 without a roster)."""
    table = unmatched(ws)
    return table.height, int(table["events"].sum()) if table.height else 0


def warning(ws: Workspace) -> str | None:
    """The one-line warning ``weekly``, ``risk`` and ``report`` print, or None."""
    people, events = summary(ws)
    if not people:
        return None
    return (f"{people} person(s) with {events} event(s) are in no roster (a name typed "
            "differently?): list them with `m2if identities`, link them with "
            "`m2if ingest aliases FILE`")


def _has_roster(ws: Workspace) -> bool:
    return bool(select(ws.tables, "ingest/roster_size.sql")["n"][0])
