"""One :class:`ReportSpec` per report: its notebook, its titles, and its subject — what it is
about (a week, a period, a student, several cohorts), which decides the checks, the
parameters passed to the notebook and the file name. A new report is one entry here plus its
notebook and its ``reports/<name>/`` package; nothing else branches on a report's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from m2if_analytics import i18n
from m2if_analytics.errors import M2IFError
from m2if_analytics.reports.targets import (
    RenderOptions,
    ReportTarget,
    resolve_target,
    with_cohorts,
    with_student,
)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


class Subject(Protocol):
    """What a report is about."""

    def check(self, options: RenderOptions) -> None: ...
    def resolve(self, options: RenderOptions) -> ReportTarget: ...
    def stem(self, name: str, target: ReportTarget) -> str: ...
    def parameters(self, target: ReportTarget, options: RenderOptions) -> dict[str, Any]: ...


def _base(target: ReportTarget, options: RenderOptions) -> dict[str, Any]:
    return {"db": str(target.db), "config": str(target.config) if target.config else None,
            "cohort": target.cohort, "lang": options.lang}


def _no_mapping(options: RenderOptions) -> None:
    if options.mapping is not None:
        raise M2IFError("a re-identification mapping applies to the student profile only")


@dataclass(frozen=True)
class Week:
    """One cohort as of a report week (weekly report, cohort overview)."""

    def check(self, options: RenderOptions) -> None:
        _no_mapping(options)

    def resolve(self, options: RenderOptions) -> ReportTarget:
        return resolve_target(options)

    def stem(self, name: str, target: ReportTarget) -> str:
        return f"{name}-{_safe(target.cohort)}-{target.iso_week}"

    def parameters(self, target: ReportTarget, options: RenderOptions) -> dict[str, Any]:
        return _base(target, options) | {"week": target.iso_week}


@dataclass(frozen=True)
class Period:
    """One cohort over a period (collaboration report)."""

    def check(self, options: RenderOptions) -> None:
        _no_mapping(options)

    def resolve(self, options: RenderOptions) -> ReportTarget:
        return resolve_target(options, period=True)

    def stem(self, name: str, target: ReportTarget) -> str:
        assert target.start is not None and target.end is not None
        return f"{name}-{_safe(target.cohort)}-{target.start}_{target.end}"

    def parameters(self, target: ReportTarget, options: RenderOptions) -> dict[str, Any]:
        assert target.start is not None and target.end is not None
        return _base(target, options) | {"start": target.start.isoformat(),
                                         "end": target.end.isoformat(),
                                         "include_teachers": options.include_teachers}


@dataclass(frozen=True)
class Student:
    """One student of a cohort as of a report week (student profile); names only through
    the re-identification mapping, never in a kept notebook."""

    def check(self, options: RenderOptions) -> None:
        if not options.student:
            raise M2IFError("the student profile needs a student pseudonym (--student p…)")
        if options.mapping is not None and not Path(options.mapping).is_file():
            raise M2IFError(f"re-identification mapping {options.mapping} not found")
        if options.mapping is not None and options.keep_notebook:
            raise M2IFError("--keep-notebook would write the student's name into a notebook; "
                            "render without --mapping to keep it")

    def resolve(self, options: RenderOptions) -> ReportTarget:
        return with_student(resolve_target(options), options)

    def stem(self, name: str, target: ReportTarget) -> str:
        return f"{name}-{_safe(target.cohort)}-{_safe(target.student or '')}-{target.iso_week}"

    def parameters(self, target: ReportTarget, options: RenderOptions) -> dict[str, Any]:
        mapping = str(Path(options.mapping).resolve()) if options.mapping else None
        return _base(target, options) | {"week": target.iso_week, "student": target.student,
                                         "mapping": mapping}


@dataclass(frozen=True)
class Cohorts:
    """Several cohorts side by side (cohort comparison)."""

    def check(self, options: RenderOptions) -> None:
        _no_mapping(options)

    def resolve(self, options: RenderOptions) -> ReportTarget:
        return with_cohorts(resolve_target(options), options)

    def stem(self, name: str, target: ReportTarget) -> str:
        return f"{name}-{'_'.join(map(_safe, target.cohorts))}"

    def parameters(self, target: ReportTarget, options: RenderOptions) -> dict[str, Any]:
        params = _base(target, options)
        del params["cohort"]
        return params | {"cohorts": list(target.cohorts)}


@dataclass(frozen=True)
class ReportSpec:
    """A report: its name (``m2if report <name>``), notebook, FR/EN titles, subject."""

    name: str
    notebook: str
    titles: dict[str, str]
    subject: Subject

    def title(self, target: ReportTarget, lang: str) -> str:
        def day(value: object) -> str:
            return "" if value is None else i18n.day(value, lang)  # type: ignore[arg-type]

        return self.titles[lang].format(cohort=target.cohort, week=target.iso_week,
                                        start=day(target.start), end=day(target.end),
                                        student=target.student or "",
                                        cohorts=" / ".join(target.cohorts))


REPORTS: dict[str, ReportSpec] = {spec.name: spec for spec in (
    ReportSpec("weekly", "weekly_report.ipynb",
               {"fr": "Rapport hebdomadaire – promotion {cohort} – {week}",
                "en": "Weekly report – cohort {cohort} – {week}"}, Week()),
    ReportSpec("collaboration", "collaboration.ipynb",
               {"fr": "Travail collaboratif – promotion {cohort} – du {start} au {end}",
                "en": "Collaborative work – cohort {cohort} – {start} to {end}"}, Period()),
    ReportSpec("cohort", "cohort_overview.ipynb",
               {"fr": "Vue d'ensemble – promotion {cohort} – {week}",
                "en": "Cohort overview – cohort {cohort} – {week}"}, Week()),
    ReportSpec("student", "student_profile.ipynb",
               {"fr": "Fiche étudiant {student} – promotion {cohort} – {week}",
                "en": "Student profile {student} – cohort {cohort} – {week}"}, Student()),
    ReportSpec("comparison", "cohort_comparison.ipynb",
               {"fr": "Comparaison des promotions {cohorts}",
                "en": "Cohort comparison {cohorts}"}, Cohorts()),
)}


def spec(name: str) -> ReportSpec:
    """The spec of report ``name``; a one-line error naming the known ones otherwise."""
    if name not in REPORTS:
        raise M2IFError(f"unknown report {name!r}; known: {', '.join(REPORTS)}")
    return REPORTS[name]
