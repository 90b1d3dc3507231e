"""The records of the sample generator and how each sample file writes them: the logstore
dump's rows, the Logs report download's rows (English and French), the resources list.

Used by generate.py (which builds the events); standard library only.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cohorts import CohortSpec
from sample_tables import DESCRIPTIONS, EVENTS, LABELS, MONTHS, TZ


@dataclass
class User:
    """A roster entry plus the parameters of its activity profile."""

    uid: int
    name: str
    email: str
    role: str
    group: str  # student: "A".."D"; teacher: the groups followed, e.g. "AB"
    profile: str
    base: float  # normal weekly platform hours (students)
    ips: tuple[str, ...]


@dataclass
class Event:
    """One log event: kind keys EVENTS, cm is a course module id, related a user id."""

    ts: int
    uid: int
    ip: str
    kind: str = ""
    cm: int | None = None
    related: int | None = None
    objectid: int | None = None
    other: dict[str, object] | None = None


def resources_rows(spec: CohortSpec) -> list[list[object]]:
    """The resources list (m2if coverage --resources): every document provided, with its
    course and UE, including those nobody opens."""
    docs = {cm: (kind, name, spec.module_ue[cm]) for cm, (kind, _, name) in spec.modules.items()
            if kind in ("page", "resource")}
    docs |= {cm: (kind, name, ue) for cm, (kind, _, name, ue) in spec.unopened.items()}
    return [[cm, spec.ue_courses[ue], ue, kind, name]
            for cm, (kind, name, ue) in sorted(docs.items())]


def context_of(spec: CohortSpec, ev: Event) -> tuple[int, int, int]:
    """(contextid, contextlevel, contextinstanceid) of an event."""
    if ev.kind == "login_failed":
        return 1, 10, 0
    if ev.kind == "profile_viewed" and ev.related:
        return 5000 + ev.related, 30, ev.related
    if ev.cm is None:
        return spec.course_ctx, 50, spec.course_id
    return ev.cm + 1000, 70, ev.cm


def description(spec: CohortSpec, ev: Event) -> str:
    """English description, as Moodle's get_description() writes it."""
    other = ev.other or {}
    return DESCRIPTIONS[ev.kind].format(
        who=f"The user with id '{ev.uid}'", course=spec.course_id, cm=ev.cm, oid=ev.objectid,
        rel=ev.related, mod=spec.modules[ev.cm][0] if ev.cm else "",
        disc=other.get("discussionid"),
        username=other.get("username"), reason=other.get("reason"))


def logstore_row(spec: CohortSpec, log_id: int, ev: Event) -> list[object]:
    """One row of the logstore_standard_log dump (NULL written as an empty field)."""
    comp, cls, table, crud, edu = EVENTS[ev.kind][:5]
    target, action = cls.rsplit("_", 1)
    other = "N;" if ev.other is None else json.dumps(ev.other, separators=(",", ":"))
    return [log_id, f"\\{comp}\\event\\{cls}", comp, action, target, table,
            "" if ev.objectid is None else ev.objectid, crud, edu, *context_of(spec, ev), ev.uid,
            0 if ev.kind == "login_failed" else spec.course_of(ev.cm), ev.related or "", 0, other,
            ev.ts,
            "web", ev.ip, ""]


def report_row(spec: CohortSpec, ev: Event, names: dict[int, str], lang: int) -> list[str]:
    """One row of the Logs report download; lang 0 = English, 1 = French labels."""
    sep = ": " if lang == 0 else " : "
    if ev.kind == "login_failed":
        context = LABELS["core"][lang]
    elif ev.kind == "profile_viewed":
        context = f"{('User', 'Utilisateur')[lang]}{sep}{names[ev.related or 0]}"
    elif ev.cm is None:
        context = f"{('Course', 'Cours')[lang]}{sep}{spec.course_full}"
    else:
        context = f"{LABELS[spec.modules[ev.cm][0]][lang]}{sep}{spec.modules[ev.cm][2]}"
    dt = datetime.fromtimestamp(ev.ts, TZ)
    when = (f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}, {dt.hour % 12 or 12}:{dt:%M:%S} "
            f"{'AM' if dt.hour < 12 else 'PM'}") if lang == 0 else f"{dt:%d/%m/%y, %H:%M}"
    component = LABELS[EVENTS[ev.kind][0].removeprefix("mod_")][lang]
    return [when, names.get(ev.uid, "-"), names.get(ev.related or 0, "-"), context, component,
            EVENTS[ev.kind][5 + lang], description(spec, ev), "web", ev.ip]


def course_short(spec: CohortSpec, ev: Event) -> str:
    """The site Logs report's course column: the short name of the event's course."""
    if ev.uid == 0:
        return "-"
    course = spec.course_of(ev.cm)
    return spec.course_short + ("" if course == spec.course_id else f"-{spec.module_ue[ev.cm]}")


def write_csv(path: Path, header: list[str], rows: list[list[object]], delimiter: str = ",",
              newline: str = "\n", encoding: str = "utf-8") -> None:
    """Write one CSV file; refuse exact duplicate rows (the ingestion tests add their own)."""
    assert len({tuple(map(str, r)) for r in rows}) == len(rows), f"duplicate rows in {path}"
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
