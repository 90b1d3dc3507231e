"""A Moodle database holding the sample cohort (data_samples/, 2026-2027): the same people,
log, grades, deadlines, submissions and forum posts as the CSV files, in Moodle's tables.

As in the sample dump, course 42 carries the course views and the forums, and each UE has its
own course (UE1 → 43, ..., UE8 → 50) holding its documents, grade items and assignments, which
the test configuration ties to the UE with ``[[units]] courses``. Local times are
Europe/Paris."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.pull.moodle_schema import TABLES, columns, ddl

PARIS = ZoneInfo("Europe/Paris")
LOG_COURSE = 42
UE_COURSE = {f"UE{n}": 42 + n for n in range(1, 9)}  # as the sample dump
ROLES = {"student": (5, "student"), "teacher": (3, "editingteacher")}


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def _epoch(local: str) -> int:
    """'2026-12-13 23:59' or '15/01/2027' (noon) in Paris → Unix time."""
    if "/" in local:
        day, month, year = local.split("/")
        when = dt.datetime(int(year), int(month), int(day), 12)
    else:
        when = dt.datetime.fromisoformat(local)
    return int(when.replace(tzinfo=PARIS).timestamp())


def _insert(con: Any, dialect: str, table: str, rows: list[dict[str, Any]],
            prefix: str = "mdl_") -> None:
    if not rows:
        return
    cols = columns(table)
    values = [[r[c] if c in r else _default(table, c) for c in cols] for r in rows]
    if dialect == "postgresql":
        names = ", ".join(cols)
        with con.cursor() as cur, cur.copy(f'COPY "{prefix}{table}" ({names}) FROM STDIN') as cp:
            for row in values:
                cp.write_row(row)
        return
    names = ", ".join(f"`{c}`" for c in cols)
    marks = ", ".join(["%s"] * len(cols))
    with con.cursor() as cur:
        for start in range(0, len(values), 5000):
            cur.executemany(f"INSERT INTO `{prefix}{table}` ({names}) VALUES ({marks})",
                            values[start:start + 5000])


def _default(table: str, column: str) -> Any:
    kind = TABLES[table][column][0]
    return "" if kind in ("char", "text") else 0


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def logstore(samples: Path) -> list[dict[str, Any]]:
    """The sample dump's rows as Moodle stores them (read once per test process: every
    Moodle database of the tests is filled with them; the rows are never changed)."""
    return list(_logstore(samples))


@functools.cache
def _logstore(samples: Path) -> tuple[dict[str, Any], ...]:
    rows = []
    for r in _rows(samples / "logstore_standard_log.csv"):
        row: dict[str, Any] = dict(r)
        for c, spec in TABLES["logstore_standard_log"].items():
            if spec[0] == "int":
                row[c] = _int(r[c])
            elif r[c] == "":
                row[c] = None
        row["id"] = int(r["id"])
        rows.append(row)
    return tuple(rows)


def create(con: Any, dialect: str, prefix: str = "mdl_") -> None:
    with con.cursor() as cur:
        for statement in ddl(dialect, prefix):
            cur.execute(statement)


def fill(con: Any, dialect: str, samples: Path, log: list[dict[str, Any]] | None = None,
         prefix: str = "mdl_") -> None:
    """Every table of moodle_schema, from the sample files (``log``: the log rows to store,
    default every row of the sample dump)."""
    roster = _rows(samples / "roster.csv")
    courses = [LOG_COURSE, *UE_COURSE.values()]
    context = {c: 100 + i for i, c in enumerate(courses)}
    put = lambda table, rows: _insert(con, dialect, table, rows, prefix)  # noqa: E731
    put("context", [{"id": cid, "contextlevel": 50, "instanceid": c, "path": f"/1/{cid}",
                     "depth": 2} for c, cid in context.items()])
    put("role", [{"id": rid, "name": "", "shortname": short, "sortorder": rid,
                  "archetype": short} for rid, short in ROLES.values()])
    users, assignments, members, groups = [], [], [], {}
    for r in roster:
        first, _, last = r["full_name"].partition(" ")
        uid = int(r["user_id"])
        users.append({"id": uid, "auth": "manual", "confirmed": 1, "username": f"u{uid}",
                      "firstname": first, "lastname": last, "email": r["email"],
                      "timecreated": 1790000000})
        role = ROLES[r["role"]][0]
        for course in courses:  # enrolled in every course of the programme
            assignments.append({"roleid": role, "contextid": context[course], "userid": uid,
                                "timemodified": 1790000000})
        if r["group"]:
            gid = groups.setdefault(r["group"], 10 + len(groups))
            members.append({"groupid": gid, "userid": uid})
    put("user", users)
    put("role_assignments", [{"id": i + 1, **a} for i, a in enumerate(assignments)])
    put("groups", [{"id": gid, "courseid": LOG_COURSE, "name": name}
                   for name, gid in groups.items()])
    put("groups_members", [{"id": i + 1, **m} for i, m in enumerate(members)])
    put("logstore_standard_log", log if log is not None else logstore(samples))
    _grades(put, samples)
    _assignments(put, samples)
    _forum(put, samples)


def _grades(put: Any, samples: Path) -> None:
    items: dict[tuple[str, str], dict[str, Any]] = {}
    grades = []
    for r in _rows(samples / "grades.csv", ";"):
        key = (r["ue"], r["assessment"])
        item = items.setdefault(key, {
            "id": 500 + len(items), "courseid": UE_COURSE[r["ue"]], "itemname": r["assessment"],
            "itemtype": "manual", "grademax": float(r["scale"]), "grademin": 0,
            "aggregationcoef": float(r["weight"]), "aggregationcoef2": 0,
            "sortorder": len(items)})
        grades.append({"id": len(grades) + 1, "itemid": item["id"], "userid": int(r["user_id"]),
                       "finalgrade": float(r["grade"].replace(",", ".")),
                       "timemodified": _epoch(r["date"]), "timecreated": _epoch(r["date"])})
    put("grade_items", list(items.values()))
    put("grade_grades", grades)


def _assignments(put: Any, samples: Path) -> None:
    deadlines = _rows(samples / "deadlines.csv")
    assign, modules = {}, []
    for n, r in enumerate(deadlines, start=1):
        assign[r["assignment"]] = n
        put("assign", [{"id": n, "course": UE_COURSE[r["ue"]], "name": r["assignment"],
                        "duedate": _epoch(r["due"])}])
        if r["cmid"]:
            modules.append({"id": int(r["cmid"]), "course": UE_COURSE[r["ue"]], "module": 1,
                            "instance": n, "visible": 1})
    put("modules", [{"id": 1, "name": "assign", "visible": 1},
                    {"id": 2, "name": "forum", "visible": 1}])
    put("course_modules", modules)
    put("assign_submission", [
        {"id": i + 1, "assignment": assign[r["assignment"]], "userid": int(r["user_id"]),
         "timecreated": _epoch(r["submitted_at"]), "timemodified": _epoch(r["submitted_at"]),
         "status": "submitted", "latest": 1}
        for i, r in enumerate(_rows(samples / "submissions.csv"))])


def _forum(put: Any, samples: Path) -> None:
    posts = _rows(samples / "forum_posts.csv")
    discussions: dict[int, dict[str, Any]] = {}
    rows = []
    for r in posts:
        row = {c: r[c] for c in columns("forum_posts")}
        for c, spec in TABLES["forum_posts"].items():
            if spec[0] == "int":
                row[c] = _int(r[c])
        row["id"] = int(r["id"])
        rows.append(row)
        d = int(r["discussion"])
        if r["parent"] == "0" or d not in discussions:
            discussions[d] = {"id": d, "course": LOG_COURSE, "forum": int(r["forum"]),
                              "name": r["subject"][:255], "firstpost": int(r["id"]),
                              "userid": int(r["userid"]), "timemodified": int(r["modified"])}
    put("forum_discussions", list(discussions.values()))
    put("forum_posts", rows)
