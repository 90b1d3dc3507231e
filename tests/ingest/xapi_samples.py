"""Test helpers: Moodle logstore rows → xAPI statements (as Moodle's xAPI plugins write them),
and statement files in every layout (JSON array, JSON Lines, gzip)."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

HOME = "https://moodle.example.org"
SITE = {"id": HOME, "definition": {"type": "http://id.tincanapi.com/activitytype/lms"}}
VIEWED = "http://id.tincanapi.com/verb/viewed"
# every offset form the converter cycles through: Z, whole hours both sides, half and
# three-quarter hours, and an explicit +00:00
OFFSETS = ("Z", "+01:00", "+02:00", "-05:00", "+05:30", "-03:30", "+00:00", "+12:45", "-10:00")
_NAMESPACE = uuid.UUID("0b6f1c1e-55a4-4e63-9d0e-2f1f6f3c8a11")
# logstore event name → (verb, object shape); the shapes are built in statement()
KNOWN = {
    "\\core\\event\\course_viewed": (VIEWED, "course"),
    "\\mod_page\\event\\course_module_viewed": (VIEWED, "module"),
    "\\mod_resource\\event\\course_module_viewed": (VIEWED, "module"),
    "\\mod_forum\\event\\discussion_viewed": (VIEWED, "discussion"),
    "\\mod_forum\\event\\post_created": ("http://id.tincanapi.com/verb/replied", "discussion"),
    "\\mod_forum\\event\\discussion_created": ("http://activitystrea.ms/schema/1.0/create",
                                               "discussion"),
    "\\mod_assign\\event\\submission_status_viewed": (VIEWED, "module"),
    "\\mod_assign\\event\\grading_table_viewed": (VIEWED, "module"),
    "\\mod_assign\\event\\assessable_submitted": ("http://activitystrea.ms/schema/1.0/submit",
                                                  "module"),
    "\\mod_quiz\\event\\attempt_submitted": ("http://activitystrea.ms/schema/1.0/submit",
                                             "module"),
    "\\core\\event\\user_profile_viewed": (VIEWED, "agent"),
    "\\core\\event\\user_login_failed": ("https://w3id.org/xapi/adl/verbs/logged-in", "site"),
}


def iso(instant: int, offset: str) -> str:
    """Unix seconds written as ISO 8601 in the given offset ('Z' or '±hh:mm')."""
    if offset == "Z":
        return dt.datetime.fromtimestamp(instant, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sign = -1 if offset[0] == "-" else 1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return dt.datetime.fromtimestamp(instant, zone).isoformat()


def account(user: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": HOME, "name": user}}


def _course(course: str) -> dict[str, Any]:
    return {"id": f"{HOME}/course/view.php?id={course}",
            "definition": {"type": "http://id.tincanapi.com/activitytype/lms/course",
                           "name": {"fr": "M2 IF"}}}


def _module(component: str, cmid: str) -> dict[str, Any]:
    module = component.removeprefix("mod_")
    return {"id": f"{HOME}/mod/{module}/view.php?id={cmid}",
            "definition": {"type": "http://id.tincanapi.com/activitytype/lms/module"}}


def statement(row: dict[str, str], offset: str) -> dict[str, Any]:
    """The xAPI statement of one logstore record; no actor when the record has no user."""
    verb, shape = KNOWN.get(row["eventname"], (VIEWED, "module" if row["contextlevel"] == "70"
                                               else "course"))
    grouping = [SITE, _course(row["courseid"])]
    if shape == "course":
        obj = _course(row["courseid"])
    elif shape == "module":
        obj = _module(row["component"], row["contextinstanceid"])
    elif shape == "discussion":
        obj = {"id": f"{HOME}/mod/forum/discuss.php?d={row['objectid']}",
               "definition": {"type": "http://id.tincanapi.com/activitytype/discussion"}}
        grouping.append(_module("mod_forum", row["contextinstanceid"]))
    elif shape == "agent":
        obj = account(row["relateduserid"])
    else:
        obj = SITE
    out: dict[str, Any] = {
        "id": str(uuid.uuid5(_NAMESPACE, row["id"])),
        "verb": {"id": verb, "display": {"en": verb.rsplit("/", 1)[-1]}},
        "object": obj,
        "timestamp": iso(int(row["timecreated"]), offset),
        "context": {"platform": "Moodle", "language": "fr",
                    "contextActivities": {"grouping": grouping}},
        "version": "1.0.3",
    }
    if row["userid"] and int(row["userid"]) > 0:
        out["actor"] = account(row["userid"])
    return out


def logstore_statements(path: Path) -> Iterator[dict[str, Any]]:
    """Every record of a logstore dump as a statement, the offsets cycling through OFFSETS."""
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            yield statement(row, OFFSETS[n % len(OFFSETS)])


def write_array(path: Path, items: Iterable[Any], indent: int | None = 2) -> Path:
    """A JSON array file (gzip when the name ends in .gz)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        json.dump(list(items), fh, indent=indent, ensure_ascii=False)
    return path


def write_lines(path: Path, items: Iterable[Any]) -> Path:
    """A JSON Lines file (gzip when the name ends in .gz); str items are written as given."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for item in items:
            text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            fh.write(text + "\n")
    return path
