"""The jury table: one row per student, the columns a jury reads, in order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from m2if_analytics.engagement.cohort import students, weekly
from m2if_analytics.i18n import day as i18n_day
from m2if_analytics.i18n import t
from m2if_analytics.programme import indicators as ind
from m2if_analytics.programme.milestones import milestones
from m2if_analytics.warehouse.workspace import Workspace

DECISIONS = ("jury_decision", "jury_mention_awarded", "jury_remarks")


@dataclass
class Column:
    """A column of the document: its key, its header (in the document's language), the
    group of columns it belongs to, and its kind (text, mark, number, date, empty)."""

    key: str
    header: str
    group: str
    kind: str = "text"


@dataclass
class JuryTable:
    cohort: str
    as_of: dt.date
    columns: list[Column] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)


def _silences(ws: Workspace, cohort: str, as_of: dt.date) -> dict[str, int]:
    """Per student, the longest run of complete teaching weeks without any time on task."""
    table = weekly(ws, cohort).filter(~pl.col("holiday") & ~pl.col("in_progress")
                                      & (pl.col("week_start") <= as_of))
    out: dict[str, int] = {}
    for (student,), part in table.sort("week_start").group_by("student", maintain_order=True):
        run = best = 0
        for hours in part["hours"]:
            run = run + 1 if hours == 0 else 0
            best = max(best, run)
        out[student] = best
    return out


def jury_table(ws: Workspace, cohort: str | None, mapping: Path | None = None,
               lang: str = "fr") -> JuryTable:
    """Everything the document shows, judged on the cohort's last day (or the latest event's
    day when the year is not over)."""
    cfg = ws.cfg
    c = cfg.cohort(cohort)
    as_of = min(ind.default_as_of(ws), c.end)
    names: dict[str, str] = {}
    if mapping is not None:
        from m2if_analytics.privacy.mapping import load_mapping

        names = load_mapping(mapping)
    people = students(ws, c.id).select("student", "group")
    ues = {(s, u): m for s, u, m in ind.ue_results(ws, c.id, as_of)
           .select("student", "ue", "mean").iter_rows()}
    sems = {(s, label): (m, st) for s, label, m, st, _ in
            ind.semester_results(ws, c.id, as_of).iter_rows()}
    year = {r["student"]: r for r in ind.year_validation(ws, c.id, as_of).iter_rows(named=True)}
    pace = ({r["student"]: r for r in ind.internship_pace(ws, c.id, as_of).iter_rows(
        named=True)} if ind.available(ws, "internship", c.id) else {})
    work = ({r["student"]: r for r in ind.submission_summary(ws, c.id, as_of).iter_rows(
        named=True)} if ind.available(ws, "submissions", c.id) else {})
    steps = {(s, m): (st, d) for s, m, _t, _due, d, st in milestones(ws, c.id, as_of)
             .iter_rows()}
    silences = _silences(ws, c.id, as_of)
    table = JuryTable(c.id, as_of)
    cols = table.columns
    cols.append(Column("student", t("jury_student", lang), "who"))
    if names:
        cols.append(Column("name", t("jury_name", lang), "who"))
    cols.append(Column("group", t("jury_group", lang), "who"))
    cols += [Column(f"ue:{u.code}", u.code, "ues", "mark") for u in cfg.units]
    for label in cfg.semesters:
        shown = f"S{label}" if label.isdigit() else label
        cols.append(Column(f"sem:{label}", t("jury_semester_mean", lang, semester=shown),
                           "semesters", "mark"))
        cols.append(Column(f"semstatus:{label}", t("jury_semester_status", lang,
                                                   semester=shown), "semesters"))
    cols += [Column("year_mean", t("jury_year_mean", lang), "year", "mark"),
             Column("validated", t("jury_validated", lang), "year"),
             Column("blocking", t("jury_blocking", lang), "year"),
             Column("mention", t("jury_mention", lang), "year"),
             *[Column(f"ms:{m.id}", m.title, "memoire") for m in cfg.milestones],
             Column("internship", t("jury_internship", lang), "facts", "number"),
             Column("late", t("jury_late", lang), "facts", "number"),
             Column("missing", t("jury_missing", lang), "facts", "number"),
             Column("silence", t("jury_silence", lang), "facts", "number"),
             *[Column(k, t(k, lang), "decision", "empty") for k in DECISIONS]]
    for student, group in people.iter_rows():
        y = year.get(student, {})
        row: dict[str, object] = {"student": student, "name": names.get(student, ""),
                                  "group": group or ""}
        for u in cfg.units:
            row[f"ue:{u.code}"] = ues.get((student, u.code))
        for label in cfg.semesters:
            mean, status = sems.get((student, label), (None, "not_yet"))
            row[f"sem:{label}"] = mean
            row[f"semstatus:{label}"] = t(f"jury_status_{status}", lang)
        validated = y.get("validated")
        row["year_mean"] = y.get("year_mean")
        row["validated"] = t("jury_yes" if validated else "jury_no" if validated is False
                             else "jury_incomplete", lang)
        row["blocking"] = ", ".join(y.get("blocking_ues") or [])
        graded = [(ues[(student, u.code)], u.coefficient) for u in cfg.units
                  if ues.get((student, u.code)) is not None]
        so_far = (sum(m * w for m, w in graded) / sum(w for _, w in graded)) if graded else None
        mention = y.get("honours") if validated else (
            cfg.honours.band_of(so_far) if validated is None else None)
        row["mention"] = (t("jury_projected", lang, mention=mention)
                          if mention and not validated else mention or "")
        p = pace.get(student)
        row["internship"] = p["days_done"] if p else None
        for m in cfg.milestones:
            status, day = steps.get((student, m.id), ("no_due", None))
            shown = t(f"jury_milestone_{status}", lang)
            row[f"ms:{m.id}"] = f"{shown} ({i18n_day(day, lang)})" if day else shown
        w = work.get(student, {})
        row["late"], row["missing"] = w.get("late"), w.get("missing")
        row["silence"] = silences.get(student, 0)
        for key in DECISIONS:
            row[key] = ""
        table.rows.append(row)
    return table
