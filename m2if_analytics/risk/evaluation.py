"""The rules measured on a finished cohort (``m2if risk evaluate``): as they fired week by week
(the stored levels, :mod:`m2if_analytics.risk.history`), compared with what became of each
student.

    outcomes = evaluation.outcomes(ws, "2025-2026")     # validated / not_validated / dropped
    table = evaluation.evaluate_rules(ws, "2025-2026")  # per rule and level: precision, ...

**Outcome** of a student, at the cohort's end:

- ``dropped``: no platform event in the last :data:`DROP_DAYS` days of the cohort's calendar
  (visible from the Monday after the week of their last event);
- ``not_validated``: some UE below the pass mark, or some UE without a grade (visible from
  the first week whose Sunday sees a UE below the pass mark, else the cohort's last week);
- ``validated``: every UE graded and at the pass mark (never visible: a good outcome).

A **flag** is a rule firing (level ``amber``: at any severity; ``red``: at red) or the combined
level (rule ``level``) at some complete week of the cohort. Per rule and level: students
flagged, true positives (flagged and dropped or not validated), precision = true positives /
flagged, recall = true positives / students with a bad outcome, and the median lead time in
weeks from the first flag to the week the outcome became visible (positive: the flag came
first), over the true positives.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from m2if_analytics import engagement
from m2if_analytics.errors import M2IFError
from m2if_analytics.programme import indicators
from m2if_analytics.risk import history
from m2if_analytics.risk.data import last_events
from m2if_analytics.risk.levels import StudentRisk
from m2if_analytics.risk.rules import RULES
from m2if_analytics.warehouse.workspace import Workspace

DROP_DAYS = 28  # no event in the cohort's last four weeks: the student has dropped out
WEEK = dt.timedelta(days=7)
OUTCOMES = ("validated", "not_validated", "dropped")
BAD = frozenset({"not_validated", "dropped"})
EVAL_LEVELS = ("amber", "red")
SCHEMA = {"rule": pl.String, "level": pl.String, "flagged": pl.Int64,
          "true_positives": pl.Int64, "bad_outcomes": pl.Int64, "precision": pl.Float64,
          "recall": pl.Float64, "median_lead_weeks": pl.Float64}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Outcome:
    """What became of one student and the Monday from which it could be seen (None: a
    good outcome)."""

    outcome: str
    visible: dt.date | None


def outcomes(ws: Workspace, cohort: str | None = None) -> dict[str, Outcome]:
    """Each student's outcome at the cohort's end (see the module's docstring)."""
    c = ws.cfg.cohort(cohort)
    end = c.end
    last = dict(last_events(ws, c.id, _monday(end) + dt.timedelta(days=6))
                .select("student", "last_event_local").iter_rows())
    final = dict(indicators.year_validation(ws, c.id, end)
                 .select("student", "validated").iter_rows())
    first_blocked: dict[str, dt.date] = {}
    # the validation as of a Sunday changes only in a week holding a grade's date: the
    # first week and those weeks are read, any other repeats the week before
    changes = {_monday(day) for day in indicators.grade_dates(ws, c.id)}
    monday = _monday(c.start)
    while monday <= end:
        if monday == _monday(c.start) or monday in changes:
            week = indicators.year_validation(ws, c.id, monday + dt.timedelta(days=6))
            for student in week.filter(pl.col("validated").eq(False))["student"].to_list():
                first_blocked.setdefault(student, monday)
        monday += WEEK
    out = {}
    for student in sorted(set(last) | set(final)):
        seen = last.get(student)
        day = seen.date() if isinstance(seen, dt.datetime) else seen
        if day is None or (end - day).days >= DROP_DAYS:
            start = day or c.start - dt.timedelta(days=1)
            out[student] = Outcome("dropped", _monday(start) + WEEK)
        elif final.get(student) is True:
            out[student] = Outcome("validated", None)
        else:
            out[student] = Outcome("not_validated", first_blocked.get(student, _monday(end)))
    return out


def first_flags(judged: list[tuple[dt.date, list[StudentRisk]]]
                ) -> dict[tuple[str, str], dict[str, dt.date]]:
    """(rule, level) → {student: Monday of the first week flagged}; rule ``level`` is the
    combined level (amber = amber or red). ``judged``: each week's results, in week order."""
    return _first((r.student, monday, r.level, [x.rule for x in r.fired],
                   [x.rule for x in r.fired if x.severity == "red"])
                  for monday, results in judged for r in results)


def stored_first_flags(fired: pl.DataFrame) -> dict[tuple[str, str], dict[str, dt.date]]:
    """:func:`first_flags` from the stored weeks (:func:`m2if_analytics.risk.history.flags`:
    student, week_start, level, rules, red_rules)."""
    return _first(fired.select("student", "week_start", "level", "rules", "red_rules")
                  .sort("week_start").iter_rows())


def _first(rows: Iterable[tuple[str, dt.date, str, list[str], list[str]]]
           ) -> dict[tuple[str, str], dict[str, dt.date]]:
    """(student, Monday, level, rules fired, those at red), in week order → first flags."""
    first: dict[tuple[str, str], dict[str, dt.date]] = {}
    for student, monday, level, rules, red in rows:
        hits = [("level", "amber")] if level != "green" else []
        hits += [("level", "red")] if level == "red" else []
        for rule in rules:
            hits.append((rule, "amber"))
            if rule in red:
                hits.append((rule, "red"))
        for key in hits:
            first.setdefault(key, {}).setdefault(student, monday)
    return first


def score(first: dict[tuple[str, str], dict[str, dt.date]], result: dict[str, Outcome]
          ) -> pl.DataFrame:
    """The evaluation table from first flags and outcomes (pure)."""
    bad = {s for s, o in result.items() if o.outcome in BAD}
    rows = []
    for rule in ("level", *RULES):
        for level in EVAL_LEVELS:
            flagged = first.get((rule, level), {})
            hits = [s for s in flagged if s in bad]
            leads = [(result[s].visible - flagged[s]).days / 7 for s in hits
                     if result[s].visible is not None]
            rows.append({"rule": rule, "level": level, "flagged": len(flagged),
                         "true_positives": len(hits), "bad_outcomes": len(bad),
                         "precision": len(hits) / len(flagged) if flagged else None,
                         "recall": len(hits) / len(bad) if bad else None,
                         "median_lead_weeks": statistics.median(leads) if leads else None})
    return pl.DataFrame(rows, schema=SCHEMA)


def not_measurable(ws: Workspace, cohort: str | None = None) -> str | None:
    """Why the rules cannot be measured on ``cohort`` yet, or None when they can: its
    calendar has not ended with the data (its students' outcomes are not known: every one
    would count as dropped out), or it has no complete week in which one of its students was
    active (a roster without logs)."""
    c = ws.cfg.cohort(cohort)
    latest = indicators.default_as_of(ws)
    if c.end >= latest:
        return (f"cohort {c.id} has not ended with the data: its calendar ends on {c.end}, "
                f"the latest data is of {latest}; the rules are measured on a finished "
                "cohort (choose one with --cohort)")
    try:
        engagement.report_week(ws, c.id)
    except M2IFError as exc:
        return str(exc)
    return None


def evaluate_rules(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """The rules as they fired at every complete week of ``cohort`` (the stored levels,
    refreshed first: a week is judged only when its inputs changed), scored against its
    outcomes: rule, level, flagged, true_positives, bad_outcomes, precision, recall,
    median_lead_weeks (rule ``level``: the combined level). Refused (:class:`M2IFError`)
    where :func:`not_measurable` says why."""
    c = ws.cfg.cohort(cohort)
    reason = not_measurable(ws, c.id)
    if reason is not None:
        raise M2IFError(reason)
    return scored(ws, c.id)


def scored(ws: Workspace, cohort: str) -> pl.DataFrame:
    """:func:`evaluate_rules` of a cohort already known to be measurable."""
    return score(stored_first_flags(history.flags(ws, cohort)), outcomes(ws, cohort))


def outcome_table(result: dict[str, Outcome]) -> pl.DataFrame:
    """student, outcome, visible (Monday; null for validated)."""
    return pl.DataFrame([{"student": s, "outcome": o.outcome, "visible": o.visible}
                         for s, o in sorted(result.items())],
                        schema={"student": pl.String, "outcome": pl.String,
                                "visible": pl.Date})
