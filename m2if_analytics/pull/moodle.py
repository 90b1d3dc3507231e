"""``m2if pull moodle``: Moodle's own database → the warehouse, read-only and incrementally.

Each table is read in one read-only transaction (:mod:`~m2if_analytics.pull.database`),
written to a private temporary CSV in the layout its file ingester reads, and loaded by that
ingester (the same validation, quarantine, pseudonymisation and duplicate detection as a file)
in one warehouse transaction together with the table's new high-water mark, so a pull killed
mid-way leaves both as they were before that table (or batch). The log is read by id in
batches of ``[moodle] batch_rows``; grades, submissions and forum posts from their last
modification time; the roster and deadlines are small and read whole (unchanged rows count
as duplicates). Temporary files, which hold names for the roster, are removed at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from m2if_analytics.config import Unit
from m2if_analytics.ingest.common import IngestAccount
from m2if_analytics.pull import marks
from m2if_analytics.pull.account import PullAccount
from m2if_analytics.pull.csvfiles import number, records, remove, write
from m2if_analytics.pull.database import Database
from m2if_analytics.pull.moodle_sql import in_list, statement
from m2if_analytics.warehouse.sql import transaction
from m2if_analytics.warehouse.workspace import Workspace

Say = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """What to read: table prefix, courses (empty: all), cohort, strictness."""

    prefix: str
    courses: tuple[int, ...]
    cohort: str | None
    strict: bool


class MoodlePull:
    """One pull from one database into one open workspace."""

    def __init__(self, ws: Workspace, db: Database, target: Target, say: Say) -> None:
        self.ws, self.db, self.target, self.say = ws, db, target, say
        self.source = f"{db.dsn.shown} {target.prefix}"
        self.present = db.tables()
        self.tmp = Path(tempfile.mkdtemp(prefix="m2if-pull-"))  # mode 0700
        self.zone = ZoneInfo(ws.cfg.programme.timezone)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------
    def table(self, name: str) -> str:
        return self.target.prefix + name

    def has(self, *names: str) -> bool:
        return all(self.table(n) in self.present for n in names)

    def missing(self, item: str, *names: str) -> bool:
        """True (and one line said) when a table needed for ``item`` is absent."""
        absent = [self.table(n) for n in names if self.table(n) not in self.present]
        if absent:
            self.say(f"{item}: skipped, the database has no table {', '.join(absent)} (or this "
                     "user may not read it)")
        return bool(absent)

    def sql(self, name: str, params: dict[str, Any], course_column: str | None = None,
            items: tuple[str, str] | None = None) -> str:
        filters = {}
        if course_column is not None:
            filters["course_filter"] = in_list(course_column, self.target.courses, params, "c")
        if items is not None:
            filters["item_filter"] = self._item_filter(items, params)
        return statement(name, self.target.prefix, self.db.quote, **filters)

    def _item_filter(self, columns: tuple[str, str], params: dict[str, Any]) -> str:
        """Grade items of a UE: its courses, its item ids, or an item whose ID number is the
        UE's code."""
        course_col, item_col = columns
        units = self.ws.cfg.units
        parts = [in_list(course_col, [c for u in units for c in u.courses], params, "u"),
                 in_list(item_col, [i for u in units for i in u.grade_items], params, "i"),
                 in_list(f"lower({item_col.rsplit('.', 1)[0]}.idnumber)",
                         [u.code.casefold() for u in units], params, "n")]
        kept = [p.removeprefix("AND ") for p in parts if p]
        return f"AND ({' OR '.join(kept)})" if kept else "AND 1 = 0"

    def new_file(self, item: str) -> Path:
        """A CSV file named after the table, alone in a private folder (removed with
        :func:`~m2if_analytics.pull.csvfiles.remove`)."""
        return Path(tempfile.mkdtemp(dir=self.tmp)) / f"{self.table(item)}.csv"

    @contextmanager
    def csv_file(self, item: str) -> Iterator[Path]:
        path = self.new_file(item)
        try:
            yield path
        finally:
            remove(path)

    def load(self, account: PullAccount, path: Path, ingest: Callable[[Path], IngestAccount],
             item: str, mark: str | None, rows: int) -> None:
        """Ingest one CSV and move the item's mark, in one warehouse transaction."""
        con = self.ws.con
        with transaction(con):
            result = ingest(path)
            if mark is not None:
                marks.put(con, self.source, self.table(item), mark, rows)
        account.add(result)
        account.mark = mark if mark is not None else account.mark

    def local(self, epoch: int | None) -> str:
        """A Unix time as an exact ISO instant (the programme tables read offsets as given)."""
        if not epoch:
            return ""
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).isoformat()

    # -- tables -----------------------------------------------------------------------------
    def logstore(self) -> PullAccount | None:
        from m2if_analytics.ingest.moodle import ingest_moodle_file

        item = "logstore_standard_log"
        account = PullAccount(self.table(item))
        if self.missing(account.source, item):
            return None
        ws = self.ws
        after = int(marks.get(ws.con, self.source, self.table(item)) or 0)
        account.mark = str(after)
        with ThreadPoolExecutor(1) as pool:  # the next batch is read while one is stored
            pending = pool.submit(self._log_batch, after, account.source)
            while pending is not None:
                batch = pending.result()
                if batch is None:
                    break
                path, count, last = batch
                full = count == ws.cfg.moodle.batch_rows
                pending = pool.submit(self._log_batch, last, account.source) if full else None
                try:
                    self.load(account, path, lambda p: ingest_moodle_file(
                        ws.con, p, ws.cfg, ws.pseudo, self.target.cohort, None,
                        self.target.strict), item, str(last), count)
                finally:
                    remove(path)
        return account

    def _log_batch(self, after: int, source: str) -> tuple[Path, int, int] | None:
        """The log rows after ``after`` (at most one batch) in a CSV file: (file, rows, last
        id), or None when there are none."""
        params: dict[str, Any] = {"after": after, "batch": self.ws.cfg.moodle.batch_rows}
        with self.db.snapshot():
            [(count, last)] = self.db.rows(self.sql("moodle_logstore_batch", params,
                                                    "courseid"), params, f"read {source}")
            if not count:
                return None
            params["last"] = last
            path = self.new_file("logstore_standard_log")
            try:
                self.db.to_csv(self.sql("moodle_logstore", params, "courseid"), params, path,
                               f"read {source}")
            except BaseException:
                remove(path)
                raise
        return path, int(count), int(last)

    def roster(self) -> PullAccount | None:
        from m2if_analytics.ingest.roster import ingest_roster_file

        needed = ("role_assignments", "context", "role", "user")
        account = PullAccount(self.table("role_assignments"))
        if self.missing("roster", *needed):
            return None
        moodle = self.ws.cfg.moodle
        with self.db.snapshot():
            params: dict[str, Any] = {}
            assignments = self.db.rows(self.sql("moodle_roster", params, "ctx.instanceid"),
                                       params, "read the roster")
            groups: dict[int, str] = {}
            if self.has("groups", "groups_members"):
                params = {}
                for user, _gid, name in self.db.rows(
                        self.sql("moodle_groups", params, "g.courseid"), params,
                        "read the groups"):
                    groups.setdefault(int(user), str(name))
        people: dict[int, list[str]] = {}
        for uid, first, last, email, role, _course in assignments:
            kind = ("student" if role in moodle.student_roles else
                    "teacher" if role in moodle.teacher_roles else None)
            if kind is None:
                continue
            row = people.setdefault(int(uid), [str(uid), first or "", last or "", email or "",
                                               kind, groups.get(int(uid), "")])
            if kind == "student":
                row[4] = "student"
        ws = self.ws
        with self.csv_file("role_assignments") as path:
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["user_id", "first_name", "last_name", "email", "role", "group"])
                writer.writerows(people.values())
            self.load(account, path, lambda p: ingest_roster_file(
                ws.con, p, ws.cfg, ws.pseudo, self.target.cohort, self.target.strict),
                "role_assignments", None, len(people))
        return account

    def unit_of(self, item_id: int, course: int, idnumber: str | None) -> str:
        units: tuple[Unit, ...] = self.ws.cfg.units
        for unit in units:
            if item_id in unit.grade_items:
                return unit.code
        for unit in units:
            if idnumber and idnumber.strip().casefold() == unit.code.casefold():
                return unit.code
        for unit in units:
            if course in unit.courses:
                return unit.code
        return f"course {course}"

    def mapped(self, what: str) -> bool:
        if any(u.courses for u in self.ws.cfg.units):
            return True
        self.say(f"{what}: skipped, no UE is tied to a platform course (give [[units]] "
                 "courses = [...])")
        return False

    def grades(self) -> PullAccount | None:
        from m2if_analytics.ingest.programme import ingest_grades

        account = PullAccount(self.table("grade_grades"))
        if self.missing(account.source, "grade_items", "grade_grades"):
            return None
        since = int(marks.get(self.ws.con, self.source, account.source) or 0)
        params: dict[str, Any] = {"since": since}
        with self.db.snapshot():
            rows = self.db.rows(self.sql("moodle_grades", params, items=("gi.courseid",
                                                                         "gi.id")),
                                params, f"read {account.source}")
        out = []
        for item, course, idnumber, name, grademax, coef, coef2, user, grade, when in rows:
            weight = next((float(w) for w in (coef, coef2) if w and float(w) > 0), 1.0)
            day = (dt.datetime.fromtimestamp(int(when), self.zone).date().isoformat()
                   if when else "")
            out.append([user, self.unit_of(int(item), int(course), idnumber),
                        name or f"item {item}", number(grade), number(grademax),
                        number(weight), day])
        mark = str(max([since, *[int(r[9]) for r in rows]]))
        ws = self.ws
        with self.csv_file("grade_grades") as path:
            write(path, ["user_id", "ue", "assessment", "grade", "scale", "weight", "date"],
                   out)
            self.load(account, path, lambda p: ingest_grades(
                ws.con, p, ws.cfg, ws.pseudo, self.target.cohort, self.target.strict),
                "grade_grades", mark, len(out))
        return account

    def assignments(self) -> dict[int, tuple[str, int, str, int | None, int]]:
        """assign id → (name, course, UE, cmid, due time) in the courses tied to UEs."""
        courses = [c for u in self.ws.cfg.units for c in u.courses]
        params: dict[str, Any] = {}
        rows = self.db.rows(statement("moodle_assign", self.target.prefix, self.db.quote,
                                      course_filter=in_list("a.course", courses, params, "c")),
                            params, "read the assignments")
        cmids: dict[int, int] = {}
        if self.has("course_modules", "modules"):
            cmids = {int(i): int(c) for i, c in self.db.rows(
                statement("moodle_assign_cmids", self.target.prefix, self.db.quote), {},
                "read the course modules")}
        return {int(a): (str(name), int(course), self.unit_of(-1, int(course), None),
                         cmids.get(int(a)), int(due))
                for a, course, name, due in rows}

    def deadlines(self) -> tuple[PullAccount | None, PullAccount | None]:
        from m2if_analytics.ingest.programme import ingest_deadlines, ingest_submissions

        if self.missing("deadlines", "assign") or not self.mapped("deadlines"):
            return None, None
        ws = self.ws
        cohort = self.target.cohort or ws.cfg.cohort(None).id
        with self.db.snapshot():
            assign = self.assignments()
        account = PullAccount(self.table("assign"))
        with self.csv_file("assign") as path:
            write(path, ["cohort", "ue", "assignment", "due", "cmid"],
                   [[cohort, ue, name, self.local(due), cmid if cmid is not None else ""]
                    for name, _c, ue, cmid, due in assign.values()])
            self.load(account, path, lambda p: ingest_deadlines(
                ws.con, p, ws.cfg, ws.pseudo, self.target.cohort, self.target.strict),
                "assign", None, len(assign))
        if self.missing("submissions", "assign_submission"):
            return account, None
        submitted = PullAccount(self.table("assign_submission"))
        since = int(marks.get(ws.con, self.source, submitted.source) or 0)
        params: dict[str, Any] = {"since": since}
        courses = [c for u in ws.cfg.units for c in u.courses]
        sql = statement("moodle_submissions", self.target.prefix, self.db.quote,
                        course_filter=in_list("a.course", courses, params, "c"))
        with self.db.snapshot():
            rows = self.db.rows(sql, params, f"read {submitted.source}")
        out = [[user, assign[int(a)][0] if int(a) in assign else f"assign {a}",
                self.local(when)] for user, a, when in rows]
        mark = str(max([since, *[int(r[2]) for r in rows]]))
        with self.csv_file("assign_submission") as path:
            write(path, ["user_id", "assignment", "submitted_at"], out)
            self.load(submitted, path, lambda p: ingest_submissions(
                ws.con, p, ws.cfg, ws.pseudo, self.target.cohort, self.target.strict),
                "assign_submission", mark, len(out))
        return account, submitted

    def forum(self) -> PullAccount | None:
        from m2if_analytics.ingest.forum import ingest_forum_file

        account = PullAccount(self.table("forum_posts"))
        if self.missing(account.source, "forum_posts", "forum_discussions"):
            return None
        ws = self.ws
        since = int(marks.get(ws.con, self.source, account.source) or 0)
        params: dict[str, Any] = {"since": since}
        with self.db.snapshot(), self.csv_file("forum_posts") as path:
            [(last,)] = self.db.rows(
                f"SELECT max(p.modified) FROM {self.db.quote(self.table('forum_posts'))} AS p",
                {}, f"read {account.source}")
            self.db.to_csv(self.sql("moodle_forum_posts", params, "d.course"), params, path,
                           f"read {account.source}")
            rows = records(path)
            if rows:
                self.load(account, path, lambda p: ingest_forum_file(
                    ws.con, p, ws.cfg, ws.pseudo, self.target.cohort, self.target.strict),
                    "forum_posts", str(max(since, int(last or 0))), rows)
        return account


def pull_moodle(ws: Workspace, db: Database, target: Target, say: Say) -> list[PullAccount]:
    """Pull every table this database has; the logstore alone is enough."""
    puller = MoodlePull(ws, db, target, say)
    try:
        if puller.missing("pull", "logstore_standard_log"):
            from m2if_analytics.errors import M2IFError

            raise M2IFError(f"{db.dsn.shown}: no table {target.prefix}logstore_standard_log "
                            "(check the prefix, [moodle] prefix, and the user's GRANTs)")
        accounts = [puller.roster(), puller.logstore(), puller.grades(), *puller.deadlines(),
                    puller.forum()]
    finally:
        puller.close()
    return [a for a in accounts if a is not None]
