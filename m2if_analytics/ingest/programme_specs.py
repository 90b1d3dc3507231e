"""How each programme table is read: column aliases, required columns, row parsers, keys.

Used by :mod:`m2if_analytics.ingest.programme`, which does the reading and loading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.errors import ConfigError
from m2if_analytics.ingest.common import fold_header
from m2if_analytics.ingest.programme_values import (
    RowError,
    date,
    grade_and_scale,
    local_datetime,
    number,
)

DUE_TIME_WHEN_DATE_ONLY = dt.time(23, 59)  # Moodle's default due time

STUDENT_ALIASES = {
    "user_id": {"user id", "userid", "id", "identifiant", "moodle id", "student id",
                "id etudiant", "numero etudiant"},
    "full_name": {"full name", "fullname", "nom complet", "name", "nom et prenom", "student",
                  "etudiant", "etudiante", "apprenant", "learner"},
    "first_name": {"first name", "firstname", "prenom"},
    "last_name": {"last name", "lastname", "surname", "nom de famille", "nom"},
    "email": {"email", "e-mail", "mail", "courriel", "adresse de courriel", "adresse email"},
}
COHORT_ALIASES = {"cohort": {"cohort", "cohorte", "promotion"}}
ASSIGNMENT = {"assignment", "devoir", "travail", "deliverable", "livrable", "activity",
              "activite", "intitule", "title", "titre"}
CMID = {"cmid", "course module id", "course module", "module id", "id du module", "moodle cmid"}
UE = {"ue", "unit", "unite", "unite d'enseignement", "teaching unit", "course unit", "module"}

Getter = Callable[[str], str]


@dataclass(frozen=True)
class Spec:
    """How one kind of programme table is read and stored."""

    kind: str  # ingest_files.kind and the command's name
    table: str  # warehouse table
    aliases: dict[str, set[str]]  # column role → folded header names
    required: tuple[tuple[str, ...], ...]  # each: alternatives, one of which must be there
    student: bool  # rows belong to a student (ident_id)
    key: tuple[str, ...]  # columns identifying a row (after ident_id and cohort_id)
    values: tuple[str, ...]  # the other columns
    schema: dict[str, pl.DataType]  # key and value columns' types
    parse: Callable[[Getter, Config], dict[str, Any]]
    describe_key: str  # for the in-file conflict message


def _grades_row(get: Getter, cfg: Config) -> dict[str, Any]:
    try:
        unit = cfg.unit(get("ue"))
    except ConfigError:
        codes = ", ".join(u.code for u in cfg.units)
        raise RowError(f"unknown UE {get('ue')!r} (configured: {codes})") from None
    grade, scale = grade_and_scale(get("grade"), get("scale"))
    weight = number(get("weight"), "weight") if get("weight") else 1.0
    if weight <= 0:
        raise RowError(f"weight {weight:g} should be positive")
    assessment = " ".join(get("assessment").split())
    return {"ue": unit.code, "assessment_key": fold_header(assessment),
            "assessment": assessment, "grade": grade, "scale": scale,
            "grade_on_20": grade * 20.0 / scale, "weight": weight,
            "graded_on": date(get("date"), "date") if get("date") else None}


def _optional_ue(get: Getter, cfg: Config) -> str | None:
    """The configured code of the row's UE; None when the cell is empty."""
    if not get("ue"):
        return None
    try:
        return cfg.unit(get("ue")).code
    except ConfigError:
        codes = ", ".join(u.code for u in cfg.units)
        raise RowError(f"unknown UE {get('ue')!r} (configured: {codes}; or leave it "
                       "empty)") from None


def _deadlines_row(get: Getter, cfg: Config) -> dict[str, Any]:
    assignment = " ".join(get("assignment").split())
    if not assignment:
        raise RowError("empty assignment name")
    ue = _optional_ue(get, cfg)
    if not get("due"):
        raise RowError("empty due date-time")
    cmid = _positive_id(get, "cmid", "330")
    return {"assignment_key": fold_header(assignment), "assignment": assignment, "ue": ue,
            "due": local_datetime(get("due"), "due", cfg.programme.timezone,
                                  DUE_TIME_WHEN_DATE_ONLY),
            "cmid": cmid}


def _submissions_row(get: Getter, cfg: Config) -> dict[str, Any]:
    assignment = " ".join(get("assignment").split())
    if not assignment:
        raise RowError("empty assignment name")
    if not get("submitted_at"):
        raise RowError("empty submitted_at")
    return {"assignment_key": fold_header(assignment),
            "submitted_at": local_datetime(get("submitted_at"), "submitted_at",
                                           cfg.programme.timezone),
            "assignment": assignment}


def _internship_row(get: Getter, cfg: Config) -> dict[str, Any]:
    if not get("date"):
        raise RowError("empty date")
    if get("days"):
        days = number(get("days"), "days")
        if days not in (0.0, 0.5, 1.0):
            raise RowError(f"days {get('days')!r} should be 1, 0.5 or 0 (one row per date)")
    elif get("half_days"):
        half = number(get("half_days"), "half_days")
        if half not in (0.0, 1.0, 2.0):
            raise RowError(f"half_days {get('half_days')!r} should be 2, 1 or 0 "
                           "(one row per date)")
        days = half / 2
    else:
        raise RowError("empty days (write 1 or 0.5) and half_days (write 2 or 1)")
    return {"day": date(get("date"), "date"), "days": days}


def _mission_letters_row(get: Getter, cfg: Config) -> dict[str, Any]:
    text, start, rhythm = get("validated_on"), get("internship_start"), get("days_per_week")
    days_per_week = number(rhythm, "days_per_week") if rhythm else None
    if days_per_week is not None and not 0 < days_per_week <= 7:
        raise RowError(f"days_per_week {days_per_week:g} should be more than 0 and at most 7")
    return {"validated_on": date(text, "validated_on") if text else None,
            "internship_start": date(start, "internship_start") if start else None,
            "days_per_week": days_per_week}


def _positive_id(get: Getter, role: str, example: str) -> int | None:
    if not get(role):
        return None
    value = number(get(role), role)
    if value <= 0 or value != int(value):
        raise RowError(f"{role} {get(role)!r} should be a Moodle id, a whole number ({example})")
    return int(value)


def _resources_row(get: Getter, cfg: Config) -> dict[str, Any]:
    cmid = _positive_id(get, "cmid", "311")
    if cmid is None:
        raise RowError("empty cmid (the document's course module id)")
    ue = _optional_ue(get, cfg)
    return {"cmid": cmid, "course_id": _positive_id(get, "course_id", "43"), "ue": ue,
            "name": " ".join(get("name").split()) or None}


def _milestones_row(get: Getter, cfg: Config) -> dict[str, Any]:
    given = " ".join(get("milestone").split())
    for m in cfg.milestones:
        if fold_header(given) in (fold_header(m.id), fold_header(m.title)):
            text = get("done_on")
            return {"milestone_key": m.id.casefold(), "milestone": m.id,
                    "done_on": date(text, "done_on") if text else None}
    known = ", ".join(m.id for m in cfg.milestones) or "none: add [[milestones]] first"
    raise RowError(f"unknown milestone {given!r} (configured: {known})")


GRADES = Spec(
    kind="grades", table="grades",
    aliases={"ue": UE,
             "assessment": {"assessment", "evaluation", "epreuve", "assignment", "devoir",
                            "item", "intitule"},
             "grade": {"grade", "note", "mark", "score"},
             "scale": {"scale", "out of", "max", "maximum", "bareme", "sur", "note maximale"},
             "weight": {"weight", "poids", "ponderation", "coefficient", "coef"},
             "date": {"date", "graded on", "date de l'evaluation", "date de notation",
                      "date de l'epreuve"}},
    required=(("ue",), ("grade",)), student=True,
    key=("ue", "assessment_key"),
    values=("assessment", "grade", "scale", "grade_on_20", "weight", "graded_on"),
    schema={"ue": pl.String, "assessment_key": pl.String, "assessment": pl.String,
            "grade": pl.Float64, "scale": pl.Float64, "grade_on_20": pl.Float64,
            "weight": pl.Float64, "graded_on": pl.Date},
    parse=_grades_row, describe_key="student, UE and assessment")

DEADLINES = Spec(
    kind="deadlines", table="deadlines",
    aliases={"ue": UE, "assignment": ASSIGNMENT,
             "due": {"due", "due date", "due at", "due on", "deadline", "date limite",
                     "echeance", "date d'echeance", "a rendre le", "date limite de remise"},
             "cmid": CMID},
    required=(("assignment",), ("due",)), student=False,
    key=("assignment_key",), values=("assignment", "ue", "due", "cmid"),
    schema={"assignment_key": pl.String, "assignment": pl.String, "ue": pl.String,
            "due": pl.Datetime("us", "UTC"), "cmid": pl.Int64},
    parse=_deadlines_row, describe_key="cohort and assignment")

SUBMISSIONS = Spec(
    kind="submissions", table="submissions",
    aliases={"assignment": ASSIGNMENT | {"cmid"},
             "submitted_at": {"submitted at", "submitted", "submitted on", "submission date",
                              "submission time", "date de remise", "remis le", "rendu le",
                              "date de depot", "depose le"}},
    required=(("assignment",), ("submitted_at",)), student=True,
    key=("assignment_key", "submitted_at"), values=("assignment",),
    schema={"assignment_key": pl.String, "submitted_at": pl.Datetime("us", "UTC"),
            "assignment": pl.String},
    parse=_submissions_row, describe_key="student, assignment and time")

INTERNSHIP = Spec(
    kind="internship", table="internship_days",
    aliases={"date": {"date", "day", "jour"},
             "days": {"days", "day count", "jours", "nb jours", "nombre de jours", "duration",
                      "duree"},
             "half_days": {"half days", "half-days", "halfdays", "demi-journees",
                           "demi journees", "demi-jours", "demi jours"}},
    required=(("date",), ("days", "half_days")), student=True,
    key=("day",), values=("days",), schema={"day": pl.Date, "days": pl.Float64},
    parse=_internship_row, describe_key="student and date")

MISSION_LETTERS = Spec(
    kind="mission_letters", table="mission_letters",
    aliases={"validated_on": {"validated on", "validated", "validation date",
                              "date de validation", "validee le", "valide le",
                              "mission letter validated on", "mission letter",
                              "lettre de mission", "lettre de mission validee le"},
             "internship_start": {"internship start", "internship starts", "start of internship",
                                  "debut du stage", "debut de stage", "date de debut du stage",
                                  "stage a partir du"},
             "days_per_week": {"days per week", "rhythm", "internship rhythm",
                               "jours par semaine", "rythme", "rythme du stage"}},
    required=(("validated_on",),), student=True,
    key=(), values=("validated_on", "internship_start", "days_per_week"),
    schema={"validated_on": pl.Date, "internship_start": pl.Date, "days_per_week": pl.Float64},
    parse=_mission_letters_row, describe_key="student")

MILESTONES = Spec(
    kind="milestones", table="milestones_done",
    aliases={"milestone": {"milestone", "jalon", "etape", "step"},
             "done_on": {"done on", "done", "completed on", "date", "fait le", "realise le",
                         "date de realisation", "valide le", "validee le"}},
    required=(("milestone",),), student=True,
    key=("milestone_key",), values=("milestone", "done_on"),
    schema={"milestone_key": pl.String, "milestone": pl.String, "done_on": pl.Date},
    parse=_milestones_row, describe_key="student and milestone")

RESOURCES = Spec(
    kind="resources", table="resources",
    aliases={"cmid": CMID,
             "course_id": {"course id", "courseid", "course", "cours", "id du cours"},
             "ue": UE - {"module"},
             "name": {"name", "nom", "title", "titre", "document", "resource", "ressource",
                      "intitule", "activity name", "nom de l'activite"}},
    required=(("cmid",),), student=False,
    key=("cmid",), values=("course_id", "ue", "name"),
    schema={"cmid": pl.Int64, "course_id": pl.Int64, "ue": pl.String, "name": pl.String},
    parse=_resources_row, describe_key="cohort and cmid")
