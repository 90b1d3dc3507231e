"""Risk levels over time, judged once per week and stored (tables ``risk_history`` and
``risk_history_weeks``), refreshed incrementally when the warehouse changes.

    frame = history.levels(ws, cohort, until=monday, lang="fr")   # refreshes, then reads
    fired = history.flags(ws, cohort)                              # the rules, week by week
    stats = history.refresh(ws, cohort)                            # what was judged again

A stored week is current when it was checked against the warehouse's pipeline stamp (which
changes with every ingestion, the configuration and the queries) and the rule settings. When
the stamp changed, the week's rule inputs are read again and hashed: the week is judged again
only when they differ (new events, a grade, a submission...), otherwise its rows stay. So the
weekly run judges one new week, and a render judges nothing. A read-only warehouse judges
the stale weeks in memory, without storing them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import polars as pl

from m2if_analytics import engagement
from m2if_analytics.risk.data import cohort_reads, week_inputs
from m2if_analytics.risk.inputs import RiskInputs
from m2if_analytics.risk.levels import StudentRisk, evaluate
from m2if_analytics.warehouse import meta
from m2if_analytics.warehouse import sql as sqlfiles
from m2if_analytics.warehouse.sql import registered, transaction
from m2if_analytics.warehouse.workspace import Workspace

LANGS = ("fr", "en")
SCHEMA = {"student": pl.String, "week_start": pl.Date, "iso_week": pl.String,
          "holiday": pl.Boolean, "level": pl.String, "rules": pl.List(pl.String),
          "reasons": pl.String}


@dataclass(frozen=True)
class HistoryStats:
    """One refresh: complete weeks, weeks whose inputs were read again, weeks judged again."""

    weeks: int
    checked: int
    judged: int


@cache
def _code_hash() -> str:
    """The rules' code and wording: a new version of either judges every week again."""
    here = Path(__file__).resolve().parent
    files = sorted([*here.glob("*.py"), *(here.parent / "i18n" / "catalogues").glob("*")])
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _settings(ws: Workspace) -> str:
    """The rule settings and the rules' code and wording, as text."""
    settings = {"risk": asdict(ws.cfg.risk), "target": ws.cfg.programme.weekly_target_hours,
                "pass_mark": ws.cfg.programme.pass_mark, "code": _code_hash()}
    return json.dumps(settings, default=str, sort_keys=True)


def _stamp(ws: Workspace, settings: str) -> str:
    """What a stored week was checked against: the pipeline stamp (raw layer, configuration,
    queries) and the rule settings."""
    pipeline = meta.get(ws.tables, "pipeline_stamp") or ""
    return hashlib.sha256(f"{pipeline}|{settings}".encode()).hexdigest()


def inputs_hash(inputs: RiskInputs, monday: dt.date, holiday: bool, settings: str = "") -> str:
    """A digest of everything the rules read to judge the week of ``monday`` with
    ``settings``: the weekly rows up to that week (later weeks are never read) and the other
    frames as of its Sunday."""
    digest = hashlib.sha256(f"{settings}|{monday}|{holiday}|{inputs.cohort_start}|".encode())
    digest.update("\x1f".join(inputs.students or ()).encode())
    for name, frame in sorted(inputs.frames().items()):
        digest.update(f"|{name}:".encode())
        if frame is None:
            continue
        if name == "weekly":
            frame = frame.filter(pl.col("week_start") <= monday)
        digest.update(str(frame.schema).encode())
        for seed in (11, 23):  # two 64-bit row hashes: a collision would need both
            digest.update(frame.hash_rows(seed=seed).to_numpy().tobytes())
    return digest.hexdigest()


def _rows(results: list[StudentRisk]) -> pl.DataFrame:
    """One row per student; the fired rules (and those of them at red) go through one
    comma-joined string each (rule names are identifiers), which Polars splits far faster
    than it builds lists of lists."""
    return pl.DataFrame(
        {"student": [r.student for r in results], "level": [r.level for r in results],
         "rules": [",".join(x.rule for x in r.fired) for r in results],
         "red_rules": [",".join(x.rule for x in r.fired if x.severity == "red")
                       for r in results],
         **{f"reasons_{lang}": [r.reasons(lang) for r in results] for lang in LANGS}},
        schema={"student": pl.String, "level": pl.String, "rules": pl.String,
                "red_rules": pl.String, "reasons_fr": pl.String, "reasons_en": pl.String},
    ).with_columns(pl.col(c).str.split(",").list.filter(pl.element() != "")
                   for c in ("rules", "red_rules"))


def _judge(ws: Workspace, inputs: RiskInputs, monday: dt.date) -> pl.DataFrame:
    programme = ws.cfg.programme
    return _rows(evaluate(inputs, ws.cfg.risk, monday, programme.weekly_target_hours,
                          programme.pass_mark))


def _stored_weeks(ws: Workspace, cohort: str) -> dict[dt.date, tuple[str, str]]:
    rows = sqlfiles.run(ws.tables, "risk/history_weeks.sql", {"cohort": cohort})
    return {week: (stamp, digest) for week, _holiday, stamp, digest in rows}


def refresh(ws: Workspace, cohort: str | None = None) -> HistoryStats:
    """Bring the stored levels of ``cohort`` (default: the latest) up to date: every complete
    week judged on the warehouse as it is now, each week judged again only if its inputs
    changed. Nothing is stored in a read-only warehouse (see :func:`levels`)."""
    stats, _, _ = _refresh(ws, ws.cfg.cohort(cohort).id, keep_frames=False)
    return stats


def _refresh(ws: Workspace, cohort: str, keep_frames: bool
             ) -> tuple[HistoryStats, list[dt.date], dict[dt.date, pl.DataFrame]]:
    """(what was done, the cohort's complete weeks now, the weeks judged in memory when
    ``keep_frames`` and the warehouse is read-only)."""
    settings = _settings(ws)
    stamp = _stamp(ws, settings)
    stored = _stored_weeks(ws, cohort)
    weeks: list[dt.date] = []
    fresh: dict[dt.date, pl.DataFrame] = {}  # judged in memory (read-only warehouse)
    checked = judged = 0
    con = ws.tables
    for monday, holiday, inputs in _lazy_inputs(ws, cohort, stamp, stored):
        weeks.append(monday)
        if inputs is None:
            continue  # current: checked against this stamp already
        checked += 1
        digest = inputs_hash(inputs, monday, holiday, settings)
        params = {"cohort": cohort, "week": monday, "stamp": stamp}
        if stored.get(monday, ("", ""))[1] == digest:
            if not ws.read_only:
                sqlfiles.run(con, "risk/history_restamp.sql", params)
            continue
        judged += 1
        rows = _judge(ws, inputs, monday)
        if ws.read_only:
            fresh[monday] = rows.with_columns(pl.lit(monday).alias("week_start"),
                                              pl.lit(holiday).alias("holiday"))
            continue
        with transaction(con), registered(con, {"_risk_rows": rows}):
            sqlfiles.run(con, "risk/history_replace.sql",
                         {**params, "holiday": holiday, "inputs_hash": digest})
    if not ws.read_only and set(stored) - set(weeks):
        sqlfiles.run(con, "risk/history_prune.sql", {"cohort": cohort, "keep": weeks})
    return HistoryStats(len(weeks), checked, judged), weeks, fresh if keep_frames else {}


def _lazy_inputs(ws: Workspace, cohort: str, stamp: str,
                 stored: dict[dt.date, tuple[str, str]]
                 ) -> Iterator[tuple[dt.date, bool, RiskInputs | None]]:
    """(Monday, holiday, inputs) for every complete week; inputs None when the stored week
    was checked against ``stamp`` already (its inputs are then not read)."""
    weekly = engagement.weekly(ws, cohort)
    weeks = (weekly.filter(~pl.col("in_progress")).select("week_start", "holiday").unique()
             .sort("week_start"))
    reads = None
    for monday, holiday in weeks.iter_rows():
        if stored.get(monday, ("", ""))[0] == stamp:
            yield monday, bool(holiday), None
            continue
        if reads is None:  # students, last events per week, data loaded: read once
            reads = cohort_reads(ws, cohort, weekly)
        yield monday, bool(holiday), week_inputs(ws, cohort, monday, weekly, reads)


def levels(ws: Workspace, cohort: str | None = None, until: dt.date | None = None,
           lang: str = "fr") -> pl.DataFrame:
    """Every student's level at every complete week up to the week of ``until`` (default:
    all): student, week_start, iso_week, holiday, level, rules (the rules that fired),
    reasons (in ``lang``) — from the stored table, refreshed first."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    table = _current_rows(ws, ws.cfg.cohort(cohort).id, until or dt.date.max).select(
        "student", "week_start", "holiday", "level", "rules",
        pl.col(f"reasons_{lang}").alias("reasons"))
    table = table.with_columns(pl.col("week_start").dt.strftime("%G-W%V").alias("iso_week"))
    return table.select(list(SCHEMA)).cast(SCHEMA).sort("week_start", "student")


def flags(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """Which rules fired for whom at every complete week of ``cohort``, from the stored table
    (refreshed first): student, week_start, level, rules, red_rules (those of the rules that
    fired at red), sorted by week then student."""
    table = _current_rows(ws, ws.cfg.cohort(cohort).id, dt.date.max)
    return table.select("student", "week_start", "level", "rules", "red_rules").sort(
        "week_start", "student")


def _current_rows(ws: Workspace, cohort: str, until: dt.date) -> pl.DataFrame:
    """Every stored column of the cohort's weeks up to ``until``, refreshed first; in a
    read-only warehouse the weeks judged in memory replace the stale stored ones, and stored
    weeks that are no longer complete weeks of the cohort (their events forgotten since) are
    left out, as a writable warehouse prunes them."""
    _, weeks, fresh = _refresh(ws, cohort, keep_frames=True)
    table = sqlfiles.select(ws.tables, "risk/history_rows.sql",
                            {"cohort": cohort, "until": until})
    table = table.filter(pl.col("week_start").is_in(weeks))
    if fresh:
        table = pl.concat([table.filter(~pl.col("week_start").is_in(list(fresh)))] + [
            frame.select(table.columns).cast(table.schema)
            for monday, frame in fresh.items() if monday <= until])
    return table


def levels_over_time(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """How many students were green, amber and red at each complete week of the cohort:
    week_start, iso_week, holiday, green, amber, red (from the stored levels)."""
    table = levels(ws, cohort)
    counts = table.group_by("week_start", "iso_week", "holiday").agg(
        *[(pl.col("level") == lv).sum().cast(pl.Int64).alias(lv)
          for lv in ("green", "amber", "red")])
    return counts.sort("week_start")
