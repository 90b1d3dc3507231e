"""What a report is about, resolved before any kernel starts: the cohort and week, a period,
a student or several cohorts, checked against the warehouse (a bad request is a one-line
error, never a failed notebook)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from m2if_analytics import engagement
from m2if_analytics.calendar import iso_week_label, parse_week
from m2if_analytics.errors import M2IFError
from m2if_analytics.paths import resolve_paths
from m2if_analytics.warehouse.workspace import open_workspace


@dataclass(frozen=True)
class RenderOptions:
    """Everything a render may be given; each report's subject says which parts it reads
    and refuses the ones that do not apply to it."""

    db: Path | None = None
    config: Path | None = None
    key_file: Path | None = None
    cohort: str | None = None
    week: str | dt.date | None = None
    lang: str = "fr"
    keep_notebook: bool = False
    notebook: Path | None = None  # replaces the report's notebook (tests)
    start: str | dt.date | None = None  # a period report's first day
    end: str | dt.date | None = None  # and last day
    include_teachers: bool = True  # collaboration: teachers as labelled nodes
    student: str | None = None  # the profiled student's pseudonym
    mapping: Path | None = None  # the re-identification mapping (student profile only)
    cohorts: tuple[str, ...] = ()  # the cohorts compared
    plotlyjs: str = "inline"  # inline: one self-contained file; beside: plotly.min.js next to it


@dataclass(frozen=True)
class ReportTarget:
    """What a report is about: cohort id, week (ISO label), resolved paths, and for a period
    report its first and last day, for a profile its student, for a comparison its cohorts."""

    cohort: str
    iso_week: str
    db: Path
    config: Path | None
    start: dt.date | None = None
    end: dt.date | None = None
    student: str | None = None
    cohorts: tuple[str, ...] = ()


def _day(value: str | dt.date | None, option: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise M2IFError(f"{option} {value!r} is not a date (write 2027-01-31)") from None


def resolve_target(options: RenderOptions, *, period: bool = False) -> ReportTarget:
    """Open the warehouse briefly to resolve cohort and week, then close it (DuckDB allows
    one writer and the notebook's kernel opens it again).

    With ``period`` (the collaboration report) the target also has a first and last day:
    ``start`` (default: the cohort's start) and ``end`` (default: the Sunday of ``week``, or
    of the last complete week with data)."""
    if not period and (options.start is not None or options.end is not None):
        raise M2IFError("a start or end date applies to the collaboration report only; "
                        "the weekly report takes --week")
    first, last = _day(options.start, "start"), _day(options.end, "end")
    if period and options.week is not None and last is not None:
        raise M2IFError("give the end of the period or a week, not both")
    paths = resolve_paths(options.db, options.config, options.key_file)
    week = options.week
    monday = parse_week(week) if isinstance(week, str) else week
    with open_workspace(paths.db, paths.config, paths.key_file, create=False) as ws:
        c = ws.cfg.cohort(options.cohort)
        if period and last is not None:
            monday = last - dt.timedelta(days=last.weekday())
        else:
            monday = engagement.report_week(ws, c.id, monday)
    if period:
        first = first if first is not None else c.start
        last = last if last is not None else monday + dt.timedelta(days=6)
        if first > last:
            raise M2IFError(f"the period starts on {first} after it ends on {last}")
    return ReportTarget(c.id, iso_week_label(monday), paths.db.resolve(),
                        paths.config.resolve() if paths.config else None, first, last)


def with_student(target: ReportTarget, options: RenderOptions) -> ReportTarget:
    """The target of a profile: ``options.student`` checked as a pseudonym of the cohort."""
    student = options.student
    with open_workspace(target.db, target.config, options.key_file, create=False) as ws:
        known = set(engagement.students(ws, target.cohort)["student"])
    if student not in known:
        raise M2IFError(f"{student!r} is not a student of cohort {target.cohort}; "
                        "list them with: m2if risk --cohort " + target.cohort)
    return replace(target, student=student)


def with_cohorts(target: ReportTarget, options: RenderOptions) -> ReportTarget:
    """The target of a comparison: ``options.cohorts`` (default: every configured cohort
    with students, oldest first; at least two)."""
    with open_workspace(target.db, target.config, options.key_file, create=False) as ws:
        table = engagement.cohorts(ws).sort("start")
    ids = list(options.cohorts) or table.filter(table["students"] > 0)["cohort"].to_list()
    unknown = sorted(set(ids) - set(table["cohort"]))
    if unknown:
        raise M2IFError(f"unknown cohort(s) {', '.join(unknown)}; known: "
                        f"{', '.join(table['cohort'])}")
    if len(set(ids)) < 2:
        raise M2IFError("a comparison needs at least two cohorts with students "
                        f"(found: {', '.join(ids) or 'none'}); ingest an earlier cohort's "
                        "roster and logs, or name them with --cohorts")
    order = {c: i for i, c in enumerate(table["cohort"])}
    return replace(target, cohorts=tuple(sorted(dict.fromkeys(ids), key=order.__getitem__)))
