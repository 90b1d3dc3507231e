"""At-risk students: the programme's rules, a level per student, reasons in words.

    import m2if_analytics.risk as risk
    table = risk.assess(ws)                        # last complete week, French
    table = risk.assess(ws, week="2027-W05", lang="en")

:func:`evaluate` is pure: indicator frames (:class:`RiskInputs`) in, one
:class:`StudentRisk` per student out. Only :func:`~m2if_analytics.risk.data.risk_inputs`
reads the warehouse. Levels: **red** when a red rule fired or two amber rules fired,
**amber** when exactly one amber rule fired, **green** otherwise. A rule whose data is
absent is *not evaluated*: it never raises a level, and the table says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

import polars as pl

from m2if_analytics.i18n import t
from m2if_analytics.risk.data import inputs_over_time, risk_inputs
from m2if_analytics.risk.inputs import RiskInputs, RiskThresholds, RuleResult, prepare
from m2if_analytics.risk.rules import RULES
from m2if_analytics.warehouse.workspace import Workspace

Level = Literal["green", "amber", "red"]
LEVELS: tuple[Level, ...] = ("red", "amber", "green")  # table order: most urgent first
TABLE_COLUMNS = ["student", "week_start", "level", "reasons"]


@dataclass(frozen=True)
class StudentRisk:
    """One student at one report week: every rule's result and the level they give."""

    student: str
    week_start: dt.date
    level: Level
    results: tuple[RuleResult, ...]

    @property
    def fired(self) -> list[RuleResult]:
        return [r for r in self.results if r.fired]

    @property
    def not_evaluated(self) -> list[str]:
        return [r.rule for r in self.results if r.status == "not_evaluated"]

    def result(self, rule: str) -> RuleResult:
        return next(r for r in self.results if r.rule == rule)

    def reasons(self, lang: str = "fr") -> str:
        """Fired rules' reasons (red first), or "nothing to report", then which rules were
        not evaluated; joined by " ; " in French and "; " in English."""
        fired = sorted(self.fired, key=lambda r: r.severity != "red")
        parts = [r.reason(lang) for r in fired] or [t("risk_nothing_to_report", lang)]
        not_evaluated = tuple(self.not_evaluated)
        if not_evaluated:
            parts.append(_not_evaluated_text(not_evaluated, lang))
        return (" ; " if lang == "fr" else "; ").join(parts)  # French typography


@cache
def _not_evaluated_text(rules: tuple[str, ...], lang: str) -> str:
    """"Not evaluated: …" for these rules (the same few sets for every student and week)."""
    names = ", ".join(t(f"risk_rule_{rule}", lang) for rule in rules)
    return t("risk_not_evaluated", lang, rules=names)


def level_of(results: list[RuleResult] | tuple[RuleResult, ...]) -> Level:
    """Red if any red rule fired or ≥ 2 amber rules fired; amber if one; green otherwise."""
    fired = [r for r in results if r.fired]
    if any(r.severity == "red" for r in fired) or len(fired) >= 2:
        return "red"
    return "amber" if fired else "green"


def evaluate(frames: RiskInputs, thresholds: RiskThresholds | None, report_week: dt.date,
             target_hours: float, pass_mark: float) -> list[StudentRisk]:
    """Every rule for every student at ``report_week`` (any day of it), judged on complete
    weeks up to that week. Pure: reads only ``frames``."""
    ctx, lookups, students = prepare(frames, report_week, thresholds or RiskThresholds(),
                                     target_hours, pass_mark)
    out = []
    for student in students:
        results = tuple(rule(student, lookups, ctx) for rule in RULES.values())
        out.append(StudentRisk(student, ctx.report_week, level_of(results), results))
    return out


def risk_table(results: list[StudentRisk], lang: str = "fr",
               scores: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per student: ``student, week_start, level, reasons``, red first, then amber,
    then green, then by student. With ``scores`` (student, score[, top_features]) a model's
    ``score`` (and ``top_features``) columns follow — beside the rules, never instead."""
    t("risk_nothing_to_report", lang)  # rejects an unknown language early
    rank = {level: i for i, level in enumerate(LEVELS)}
    rows = sorted(results, key=lambda r: (rank[r.level], r.student))
    table = pl.DataFrame(
        {"student": [r.student for r in rows], "week_start": [r.week_start for r in rows],
         "level": [r.level for r in rows], "reasons": [r.reasons(lang) for r in rows]},
        schema={"student": pl.String, "week_start": pl.Date, "level": pl.String,
                "reasons": pl.String})
    return table if scores is None else join_scores(table, scores)


def join_scores(table: pl.DataFrame, scores: pl.DataFrame) -> pl.DataFrame:
    """``table`` (one row per student) with a model's ``score`` (and ``top_features``, joined
    as text) after its columns — beside the rules, never instead."""
    extra = scores.select("student", pl.col("score").cast(pl.Float64),
                          *(["top_features"] if "top_features" in scores.columns else []))
    if "top_features" in extra.columns and extra.schema["top_features"] == pl.List(pl.String):
        extra = extra.with_columns(pl.col("top_features").list.join(", "))
    return table.join(extra, on="student", how="left", maintain_order="left")


def student_risks(ws: Workspace, cohort: str | None = None,
                  week: str | dt.date | None = None) -> list[StudentRisk]:
    """The rules for the cohort's students at ``week`` (default: the last complete week)."""
    cfg = ws.cfg
    inputs, monday = risk_inputs(ws, cohort, week)
    return evaluate(inputs, cfg.risk, monday,
                    cfg.programme.weekly_target_hours, cfg.programme.pass_mark)


def assess(ws: Workspace, cohort: str | None = None, week: str | dt.date | None = None,
           lang: str = "fr", scores: pl.DataFrame | None = None) -> pl.DataFrame:
    """The risk table of the cohort at ``week`` (``2027-W05`` or a date; default: the last
    complete week), reasons in ``lang``; ``scores`` adds a model's score beside the rules."""
    return risk_table(student_risks(ws, cohort, week), lang, scores)


def results_over_time(ws: Workspace, cohort: str | None = None,
                      until: dt.date | None = None
                      ) -> Iterator[tuple[dt.date, bool, list[StudentRisk]]]:
    """Every complete week of the cohort (up to the week of ``until``): its Monday, whether
    it is a holiday week, and every student's results, judged as :func:`assess` judges
    that week."""
    cfg = ws.cfg
    thresholds = cfg.risk
    for monday, holiday, inputs in inputs_over_time(ws, cohort):
        if until is not None and monday > until:
            return
        yield monday, holiday, evaluate(inputs, thresholds, monday,
                                        cfg.programme.weekly_target_hours,
                                        cfg.programme.pass_mark)
