"""What is still needed: per student and UE, the mark needed on the remaining assessments to
reach the pass mark; per semester, the mark needed (the same on every remaining assessment)
for the semester mean to reach the pass mark and each honours band (``m2if validation``).

The remaining share of a UE comes from its planned assessments when ``[[units]]`` lists them
(``assessments = [{ name = "Dossier", weight = 0.5 }, ...]``: the graded ones are matched by
name, case- and accent-insensitively); otherwise the grades file's weights are read as
shares of the UE and 1 − their sum is still to come (6/20 on a 0.5 share needs 14/20 on the
other half); weights adding up to 1 or more mean the UE is fully graded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from m2if_analytics.config import Unit
from m2if_analytics.programme import indicators as ind
from m2if_analytics.text import fold_header
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.workspace import Workspace

SCALE = 20.0
EPSILON = 1e-9


@dataclass(frozen=True)
class Standing:
    """One UE for one student: points earned (Σ weight × mark), total and remaining weight."""

    points: float
    total: float
    remaining: float

    @property
    def graded(self) -> float:
        return self.total - self.remaining

    @property
    def mean(self) -> float | None:
        return self.points / self.graded if self.graded > EPSILON else None

    def needed(self, target: float) -> float | None:
        """The mark needed on the remaining weight for the UE mean to reach ``target``."""
        if self.remaining <= EPSILON:
            return None
        return (target * self.total - self.points) / self.remaining


def standing(unit: Unit, grades: list[tuple[str, float, float]]) -> Standing:
    """``grades``: (assessment key, mark out of 20, weight) of one student in ``unit``."""
    if unit.assessments:
        planned = {fold_header(a.name): a.weight for a in unit.assessments}
        points = total = 0.0
        for key, mark, weight in grades:
            w = planned.pop(key, weight)
            points, total = points + w * mark, total + w
        remaining = sum(planned.values())
        return Standing(points, total + remaining, remaining)
    points = sum(mark * weight for _, mark, weight in grades)
    shares = sum(weight for _, _, weight in grades)
    if shares < 1 - EPSILON:
        return Standing(points, 1.0, 1.0 - shares)
    return Standing(points, shares, 0.0)


def _status(s: Standing, pass_mark: float) -> tuple[str, float | None]:
    if s.graded <= EPSILON:
        return "not_graded", pass_mark if s.remaining > EPSILON else None
    needed = s.needed(pass_mark)
    if needed is None:
        mean = s.mean if s.mean is not None else 0.0
        return ("validated" if mean >= pass_mark - EPSILON else "not_validated"), None
    if needed <= EPSILON:
        return "secured", 0.0
    return ("out_of_reach" if needed > SCALE + EPSILON else "needed"), needed


def _standings(ws: Workspace, cohort: str | None, as_of: dt.date | None
               ) -> tuple[pl.DataFrame, dict[tuple[str, str], Standing]]:
    base = ind.ue_results(ws, cohort, as_of)
    scope = {"c": ws.cfg.cohort(cohort).id,
             "as_of": as_of if as_of is not None else ind.default_as_of(ws)}
    records = sql.select(ws.tables, "programme/grade_records.sql", scope)
    marks: dict[tuple[str, str], list[tuple[str, float, float]]] = {}
    for student, ue, key, _name, mark, weight in records.iter_rows():
        marks.setdefault((student, ue), []).append((key, mark, weight))
    units = {u.code: u for u in ws.cfg.units}
    out = {(s, ue): standing(units[ue], marks.get((s, ue), []))
           for s, ue in base.select("student", "ue").iter_rows()}
    return base, out


def validation(ws: Workspace, cohort: str | None = None,
               as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × UE (configuration order).

    Columns: student, ue, semester, mean (so far, out of 20; null: nothing graded),
    graded_share and remaining_share (of the UE's weight), needed (the mark out of 20 needed
    on everything still to come for the UE to reach the pass mark; 0 when already secured,
    null when nothing remains), status ('validated' | 'not_validated' | 'secured' | 'needed'
    | 'out_of_reach' (needed above 20) | 'not_graded').
    """
    base, standings = _standings(ws, cohort, as_of)
    pass_mark = ws.cfg.programme.pass_mark
    rows = []
    for student, ue, semester in base.select("student", "ue", "semester").iter_rows():
        s = standings[(student, ue)]
        status, needed = _status(s, pass_mark)
        rows.append({"student": student, "ue": ue, "semester": semester, "mean": s.mean,
                     "graded_share": s.graded / s.total if s.total > EPSILON else 0.0,
                     "remaining_share": s.remaining / s.total if s.total > EPSILON else 1.0,
                     "needed": needed, "status": status})
    return pl.DataFrame(rows, schema={
        "student": pl.String, "ue": pl.String, "semester": pl.String, "mean": pl.Float64,
        "graded_share": pl.Float64, "remaining_share": pl.Float64, "needed": pl.Float64,
        "status": pl.String})


BANDS = ("pass", "passable", "assez_bien", "bien", "tres_bien")


def semester_needs(ws: Workspace, cohort: str | None = None,
                   as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per student × semester: mean so far (coefficient-weighted over the UEs'
    marks so far), remaining_share (coefficient-weighted), and for the pass mark and each
    honours band (``needed_pass``, ``needed_passable``, ``needed_assez_bien``,
    ``needed_bien``, ``needed_tres_bien``) the mark needed on every remaining assessment of
    the semester for its mean to reach it (0: already reached whatever comes; above 20: out
    of reach; null: nothing remains)."""
    base, standings = _standings(ws, cohort, as_of)
    targets = {"pass": ws.cfg.programme.pass_mark,
               **{key: low for key, _, low in ws.cfg.honours.bands()}}
    rows = []
    for (student, semester), part in base.group_by(["student", "semester"],
                                                   maintain_order=True):
        coefs = dict(part.select("ue", "coefficient").iter_rows())
        total_c = sum(coefs.values())
        fixed = sum(c * standings[(student, ue)].points / standings[(student, ue)].total
                    for ue, c in coefs.items())
        slope = sum(c * standings[(student, ue)].remaining / standings[(student, ue)].total
                    for ue, c in coefs.items())
        graded = total_c - slope
        row = {"student": student, "semester": semester,
               "mean": fixed / graded if graded > EPSILON else None,
               "remaining_share": slope / total_c}
        for band, target in targets.items():
            row[f"needed_{band}"] = (max(0.0, (target * total_c - fixed) / slope)
                                     if slope > EPSILON else None)
        rows.append(row)
    return pl.DataFrame(rows, schema={"student": pl.String, "semester": pl.String,
                                      "mean": pl.Float64, "remaining_share": pl.Float64,
                                      **{f"needed_{b}": pl.Float64 for b in BANDS}})
