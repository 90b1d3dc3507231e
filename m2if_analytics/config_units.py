"""Teaching units (UE) and the mémoire's milestones of the configuration: their fields,
the M2 IF default units, and reading ``[[units]]`` (any semester label, weight, competence
sets, planned assessments, platform course and grade item ids) and ``[[milestones]]``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from m2if_analytics.errors import ConfigError


@dataclass(frozen=True)
class Assessment:
    """A planned assessment of a UE: its name (as in the grades file) and its weight."""

    name: str
    weight: float


@dataclass(frozen=True)
class Unit:
    """A teaching unit (UE): its code, title, semester label (any: "3", "S1", "Semestre 2"),
    coefficient (its weight in the semester mean), competence sets and planned
    assessments."""

    code: str
    title: str
    semester: str
    coefficient: float = 1.0
    courses: tuple[int, ...] = ()  # platform course ids whose grade items and assignments
    grade_items: tuple[int, ...] = ()  # are this UE's; single grade items (m2if pull moodle)
    competences: tuple[str, ...] = ()  # competence sets the UE counts for ("C1", "C3")
    assessments: tuple[Assessment, ...] = ()  # planned; empty: the grades file's weights

    @property
    def semester_label(self) -> str:
        """"S3" for a numeric label, the label itself otherwise."""
        return f"S{self.semester}" if self.semester.isdigit() else self.semester


# The M2 IF year: 30 coefficient points per semester (like its ECTS credits), one UE per
# competence block in S3, then the pre-thesis (mission letter), the internship and the thesis.
DEFAULT_UNITS: tuple[Unit, ...] = (
    Unit("UE1", "Politiques et niveaux de décision", "3", 6.0),
    Unit("UE2", "Conception et pilotage de projets en partenariat", "3", 6.0),
    Unit("UE3", "Conception de dispositifs de formation", "3", 6.0),
    Unit("UE4", "Conception d'activités d'enseignement-apprentissage", "3", 6.0),
    Unit("UE5", "Méthodologie du mémoire", "3", 6.0),
    Unit("UE6", "Pré-mémoire et lettre de mission", "4", 6.0),
    Unit("UE7", "Stage", "4", 12.0),
    Unit("UE8", "Mémoire professionnel", "4", 12.0),
)


UNIT_KEYS = ("code", "title", "semester", "coefficient", "weight", "courses", "grade_items",
             "competences", "assessments")


def _check_keys(raw: Any, required: tuple[str, ...], allowed: tuple[str, ...], where: str,
                needs: str) -> None:
    """A table with the required keys and no other than the allowed ones."""
    if not isinstance(raw, dict) or not set(required) <= set(raw):
        raise ConfigError(f"{where}: {needs}")
    unknown = set(raw) - set(allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed "
                          f"{', '.join(allowed)}")


def parse_unit(raw: Any, where: str) -> Unit:
    _check_keys(raw, ("code", "title", "semester"), UNIT_KEYS, where,
                "a unit needs code, title and semester (and coefficient)")
    code, title = raw["code"], raw["title"]
    if not isinstance(code, str) or not code.strip() or not isinstance(title, str):
        raise ConfigError(f"{where}: code and title should be non-empty strings")
    if "coefficient" in raw and "weight" in raw:
        raise ConfigError(f"{where}: give coefficient or weight (the same thing), not both")
    semester, coefficient = raw["semester"], raw.get("coefficient", raw.get("weight", 1.0))
    if isinstance(semester, bool) or not isinstance(semester, int | str) or not str(
            semester).strip() or len(str(semester).strip()) > 20:
        raise ConfigError(f"{where}: semester = {semester!r} should be a label of 1 to 20 "
                          "characters (3, \"S1\", \"Semestre 2\")")
    if (isinstance(coefficient, bool) or not isinstance(coefficient, int | float)
            or coefficient <= 0):
        raise ConfigError(f"{where}: coefficient = {coefficient!r} should be a positive number")
    ids = {key: parse_ids(raw.get(key, []), f"{where} {key}") for key in ("courses", "grade_items")}
    competences = raw.get("competences", [])
    if not isinstance(competences, list) or not all(
            isinstance(c, str) and c.strip() for c in competences):
        raise ConfigError(f"{where}: competences = {competences!r} should be a list of "
                          "competence-set codes, e.g. [\"C1\", \"C3\"]")
    return Unit(code.strip(), title, str(semester).strip(), float(coefficient), **ids,
                competences=tuple(c.strip() for c in competences),
                assessments=_assessments(raw.get("assessments", []), where))


def _assessments(value: Any, where: str) -> tuple[Assessment, ...]:
    """``[{ name = "Dossier", weight = 0.5 }, ...]``: names unique, weights positive."""
    example = '[{ name = "Dossier", weight = 0.5 }]'
    if not isinstance(value, list):
        raise ConfigError(f"{where}: assessments should be a list such as {example}")
    out: list[Assessment] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"name", "weight"}:
            raise ConfigError(f"{where}: each assessment is {{ name, weight }}, e.g. {example}")
        name, weight = item["name"], item["weight"]
        if not isinstance(name, str) or not name.strip() or isinstance(weight, bool) or (
                not isinstance(weight, int | float)) or weight <= 0:
            raise ConfigError(f"{where}: assessment {item!r} needs a name and a positive "
                              "weight")
        out.append(Assessment(" ".join(name.split()), float(weight)))
    if len({a.name.casefold() for a in out}) != len(out):
        raise ConfigError(f"{where}: two planned assessments have the same name")
    return tuple(out)


def parse_ids(value: Any, where: str) -> tuple[int, ...]:
    """A list of platform ids (whole numbers from 1)."""
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int)
                                          or v < 1 for v in value):
        raise ConfigError(f"{where} = {value!r} should be a list of platform ids (whole "
                          "numbers from 1), e.g. [42, 43]")
    return tuple(value)


@dataclass(frozen=True)
class Milestone:
    """A step of the mémoire (``[[milestones]]``): its id, title, the deadline whose
    submission completes it (``assignment``, a deadlines-table assignment name) and/or its
    own due day (``due``: a date, or a month-day "06-27" in each cohort's year)."""

    id: str
    title: str
    assignment: str = ""
    due: dt.date | str | None = None

    def due_in(self, cohort: Any) -> dt.date | None:
        """The due day for ``cohort`` (its start and end dates): a month-day is the first
        such day on or after the cohort's start."""
        if isinstance(self.due, dt.date):
            return self.due
        if isinstance(self.due, str):
            month, day = (int(p) for p in self.due.split("-"))
            candidate = dt.date(cohort.start.year, month, day)
            return candidate if candidate >= cohort.start else dt.date(
                cohort.start.year + 1, month, day)
        return None


MILESTONE_KEYS = ("id", "title", "assignment", "due")


def parse_milestone(raw: Any, where: str) -> Milestone:
    _check_keys(raw, ("id", "title"), MILESTONE_KEYS, where,
                "a milestone needs id and title (and assignment or due)")
    ident, title = raw["id"], raw["title"]
    if not isinstance(ident, str) or not ident.strip() or not isinstance(title, str):
        raise ConfigError(f"{where}: id and title should be non-empty strings")
    assignment = raw.get("assignment", "")
    if not isinstance(assignment, str):
        raise ConfigError(f"{where}: assignment should be a deadline's assignment name")
    due = raw.get("due")
    if isinstance(due, dt.datetime):
        due = due.date()
    if isinstance(due, str):
        parts = due.split("-")
        try:
            dt.date(2000, int(parts[0]), int(parts[1]))
            ok = len(parts) == 2
        except (ValueError, IndexError):
            ok = False
        if not ok:
            raise ConfigError(f"{where}: due = {due!r} should be a date (2027-06-27) or a "
                              "month-day (\"06-27\")")
    elif due is not None and not isinstance(due, dt.date):
        raise ConfigError(f"{where}: due = {due!r} should be a date or a month-day")
    if not assignment and due is None:
        raise ConfigError(f"{where}: give assignment (the deadline that completes it) or due")
    return Milestone(ident.strip(), title, assignment.strip(), due)


ACTIVITY_KINDS = ("document", "forum", "assignment", "quiz", "virtual_classroom", "other")


def parse_activity_kinds(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``[activity_kinds]``: component (a Moodle component such as ``mod_customcert``, a Logs
    report label or an xAPI activity type) = kind, one of :data:`ACTIVITY_KINDS`; keys
    compared case-insensitively, added to or overriding the built-in mapping."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table of component = kind")
    out = []
    for component, kind in raw.items():
        if not isinstance(kind, str) or kind not in ACTIVITY_KINDS:
            raise ConfigError(f"{where}: {component} = {kind!r} should be one of "
                              f"{', '.join(ACTIVITY_KINDS)}")
        out.append((str(component).strip().casefold(), kind))
    return tuple(out)
