"""Moodle's table layout for the tables m2if reads, as Moodle's install.xml files declare it
(lib/db/install.xml, mod/assign, mod/forum, admin/tool/log/store/standard), turned into
PostgreSQL and MySQL/MariaDB DDL the way Moodle's own generators do (int(10) → BIGINT, int(1)
→ SMALLINT / TINYINT, char(n) → VARCHAR(n), text → TEXT / LONGTEXT, number(p,s) → NUMERIC /
DECIMAL, id → a sequence / AUTO_INCREMENT primary key). Only the columns that matter here,
plus those that make the rows realistic (a real Moodle has more)."""

from __future__ import annotations

# column: (type, length[, decimals]); every table also has id int(10) as its primary key.
I10, I2, I1, I4, I20 = ("int", 10), ("int", 2), ("int", 1), ("int", 4), ("int", 20)
TEXT = ("text", 0)


def char(n: int) -> tuple[str, int]:
    return ("char", n)


def number(p: int, s: int) -> tuple[str, int, int]:
    return ("number", p, s)


TABLES: dict[str, dict[str, tuple]] = {
    "logstore_standard_log": {
        "eventname": char(255), "component": char(100), "action": char(100),
        "target": char(100), "objecttable": char(50), "objectid": I10, "crud": char(1),
        "edulevel": I1, "contextid": I10, "contextlevel": I10, "contextinstanceid": I10,
        "userid": I10, "courseid": I10, "relateduserid": I10, "anonymous": I1,
        "other": TEXT, "timecreated": I10, "origin": char(10), "ip": char(45),
        "realuserid": I10},
    "user": {
        "auth": char(20), "confirmed": I1, "deleted": I1, "suspended": I1,
        "username": char(100), "idnumber": char(255), "firstname": char(100),
        "lastname": char(100), "email": char(100), "timecreated": I10,
        "timemodified": I10, "lastaccess": I10},
    "context": {"contextlevel": I10, "instanceid": I10, "path": char(255), "depth": I2,
                "locked": I2},
    "role": {"name": char(255), "shortname": char(100), "description": TEXT,
             "sortorder": I10, "archetype": char(30)},
    "role_assignments": {"roleid": I10, "contextid": I10, "userid": I10,
                         "timemodified": I10, "modifierid": I10, "component": char(100),
                         "itemid": I10, "sortorder": I10},
    "groups": {"courseid": I10, "idnumber": char(100), "name": char(254),
               "description": TEXT, "timecreated": I10, "timemodified": I10},
    "groups_members": {"groupid": I10, "userid": I10, "timeadded": I10,
                       "component": char(100), "itemid": I10},
    "grade_items": {"courseid": I10, "categoryid": I10, "itemname": char(255),
                    "itemtype": char(30), "itemmodule": char(30), "iteminstance": I10,
                    "itemnumber": I10, "idnumber": char(255),
                    "grademax": number(10, 5), "grademin": number(10, 5),
                    "aggregationcoef": number(10, 5), "aggregationcoef2": number(10, 5),
                    "sortorder": I10, "hidden": I10, "timecreated": I10,
                    "timemodified": I10},
    "grade_grades": {"itemid": I10, "userid": I10, "rawgrade": number(10, 5),
                     "finalgrade": number(10, 5), "hidden": I10, "timecreated": I10,
                     "timemodified": I10},
    "assign": {"course": I10, "name": char(255), "intro": TEXT, "duedate": I10,
               "allowsubmissionsfromdate": I10, "cutoffdate": I10,
               "gradingduedate": I10, "timemodified": I10},
    "assign_submission": {"assignment": I10, "userid": I10, "timecreated": I10,
                          "timemodified": I10, "status": char(10), "groupid": I10,
                          "attemptnumber": I10, "latest": I2},
    "modules": {"name": char(20), "visible": I1},
    "course_modules": {"course": I10, "module": I10, "instance": I10, "section": I10,
                       "idnumber": char(100), "added": I10, "visible": I1},
    "forum_discussions": {"course": I10, "forum": I10, "name": char(255),
                          "firstpost": I10, "userid": I10, "groupid": I10,
                          "timemodified": I10, "usermodified": I10, "timestart": I10,
                          "timeend": I10, "pinned": I1},
    "forum_posts": {"discussion": I10, "parent": I10, "userid": I10, "created": I10,
                    "modified": I10, "mailed": I2, "subject": char(255), "message": TEXT,
                    "messageformat": I2, "messagetrust": I2, "attachment": char(100),
                    "totalscore": I4, "mailnow": I10, "deleted": I1, "privatereplyto": I10,
                    "wordcount": I20, "charcount": I20},
}
NULLABLE = {("logstore_standard_log", c) for c in (
    "objecttable", "objectid", "contextinstanceid", "courseid", "relateduserid", "other",
    "origin", "ip", "realuserid")} | {
    ("grade_grades", "rawgrade"), ("grade_grades", "finalgrade"),
    ("grade_grades", "timecreated"), ("grade_grades", "timemodified"),
    ("grade_items", "itemname"), ("grade_items", "idnumber"), ("grade_items", "itemmodule"),
    ("grade_items", "iteminstance"), ("grade_items", "itemnumber"),
    ("grade_items", "categoryid"), ("role_assignments", "component"),
    ("groups", "idnumber"), ("groups", "description"), ("course_modules", "idnumber"),
    ("forum_posts", "wordcount"), ("forum_posts", "charcount"), ("forum_posts", "attachment"),
    ("assign", "intro"), ("role", "description"), ("user", "idnumber"),
    ("groups_members", "component"), ("context", "path")}


def _pg_type(spec: tuple) -> str:
    kind, length = spec[0], spec[1]
    if kind == "int":
        return "SMALLINT" if length <= 4 else "INTEGER" if length <= 9 else "BIGINT"
    if kind == "char":
        return f"VARCHAR({length})"
    if kind == "number":
        return f"NUMERIC({length},{spec[2]})"
    return "TEXT"


def _my_type(spec: tuple) -> str:
    kind, length = spec[0], spec[1]
    if kind == "int":
        return ("TINYINT" if length <= 2 else "SMALLINT" if length <= 4 else
                "MEDIUMINT" if length <= 6 else "INT" if length <= 9 else "BIGINT") + \
            f"({length})"
    if kind == "char":
        return f"VARCHAR({length})"
    if kind == "number":
        return f"DECIMAL({length},{spec[2]})"
    return "LONGTEXT"


def ddl(dialect: str, prefix: str = "mdl_") -> list[str]:
    """CREATE TABLE statements for every table, in this dialect."""
    out = []
    for table, columns in TABLES.items():
        name = prefix + table
        if dialect == "postgresql":
            cols = ["id BIGSERIAL PRIMARY KEY"] + [
                f"{c} {_pg_type(s)}" + ("" if (table, c) in NULLABLE else " NOT NULL")
                for c, s in columns.items()]
            out.append(f'CREATE TABLE "{name}" ({", ".join(cols)})')
        else:
            cols = ["id BIGINT(10) NOT NULL AUTO_INCREMENT PRIMARY KEY"] + [
                f"`{c}` {_my_type(s)}" + (" NULL" if (table, c) in NULLABLE else " NOT NULL")
                for c, s in columns.items()]
            out.append(f"CREATE TABLE `{name}` ({', '.join(cols)}) ENGINE=InnoDB "
                       "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci "
                       "ROW_FORMAT=Dynamic")
    return out


def columns(table: str) -> list[str]:
    return ["id", *TABLES[table]]
