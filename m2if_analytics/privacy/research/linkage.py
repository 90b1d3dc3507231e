"""How many export ids someone holding the programme's weekly table could link to a
pseudonym: the residual risk the README states, measured on the export itself.

For each export id, its *key* (the weekly-hours vector, or its events: the total when exact,
the vector of event bands when coarsened) is compared with the keys the warehouse's own
weekly table gives, coarsened the same way; an id is *linkable* when exactly one person of
the warehouse has its key.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from m2if_analytics.privacy.research.coarsen import coarsen

KEYS = ("weekly_hours", "events")


def _keys(weekly: pl.DataFrame, person: str, coarsened: bool) -> dict[str, dict[str, tuple]]:
    rows = weekly.sort(person, "iso_week")
    out: dict[str, dict[str, tuple]] = {k: {} for k in KEYS}
    for (who,), part in rows.group_by(person, maintain_order=True):
        out["weekly_hours"][who] = tuple(round(float(h), 6) for h in part["hours"])
        out["events"][who] = (tuple(part["events"].cast(pl.String)) if coarsened
                              else (int(part["events"].cast(pl.Int64).sum()),))
    return out


def linkage_rates(report_weekly: pl.DataFrame, export_weekly: pl.DataFrame,
                  coarsened: bool) -> dict[str, float]:
    """Share of export ids linkable to exactly one warehouse pseudonym, per key.

    ``report_weekly``: the warehouse's weekly table (student, iso_week, hours, events, as
    :func:`m2if_analytics.engagement.weekly` gives it, complete weeks); ``export_weekly``: the
    export's ``weekly_engagement`` over the same weeks."""
    reference = report_weekly.select("student", "iso_week", "hours", "events")
    if coarsened:
        reference = coarsen("weekly_engagement", reference)
    theirs = _keys(reference, "student", coarsened)
    ours = _keys(export_weekly.select("student", "iso_week", "hours", "events"), "student",
                 coarsened)
    rates = {}
    for key in KEYS:
        counts = Counter(theirs[key].values())
        ids = ours[key]
        rates[key] = sum(counts[v] == 1 for v in ids.values()) / len(ids) if ids else 0.0
    return rates
