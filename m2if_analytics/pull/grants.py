"""The read-only database user ``m2if pull moodle`` needs: exactly the columns its queries
read (``queries/pull/moodle_*.sql``), nothing more — never an IP address, a message, a
password hash. ``m2if pull grants`` prints the statements; the README shows them and the
tests run them on real PostgreSQL and MariaDB servers before pulling."""

from __future__ import annotations

COLUMNS: dict[str, tuple[str, ...]] = {
    "logstore_standard_log": ("id", "eventname", "component", "contextid", "contextlevel",
                              "contextinstanceid", "userid", "courseid", "relateduserid",
                              "timecreated", "origin"),
    "user": ("id", "firstname", "lastname", "email", "deleted"),
    "context": ("id", "contextlevel", "instanceid"),
    "role": ("id", "shortname"),
    "role_assignments": ("id", "roleid", "contextid", "userid"),
    "groups": ("id", "courseid", "name"),
    "groups_members": ("groupid", "userid"),
    "grade_items": ("id", "courseid", "idnumber", "itemname", "itemtype", "grademax",
                    "aggregationcoef", "aggregationcoef2"),
    "grade_grades": ("id", "itemid", "userid", "finalgrade", "timemodified"),
    "assign": ("id", "course", "name", "duedate"),
    "assign_submission": ("id", "assignment", "userid", "status", "latest", "timemodified"),
    "course_modules": ("id", "module", "instance"),
    "modules": ("id", "name"),
    "forum_discussions": ("id", "course", "forum"),
    "forum_posts": ("id", "discussion", "parent", "userid", "created", "modified", "deleted",
                    "wordcount", "charcount"),
}


def grants(dialect: str, user: str = "m2if_reader", database: str = "moodle",
           prefix: str = "mdl_", host: str = "%") -> list[str]:
    """The statements (without the user's creation) giving ``user`` read access to exactly
    the columns m2if reads, in ``dialect`` (postgresql or mysql)."""
    out = []
    for table, cols in COLUMNS.items():
        listed = ", ".join(cols)
        if dialect == "postgresql":
            out.append(f"GRANT SELECT ({listed}) ON {prefix}{table} TO {user};")
        else:
            out.append(f"GRANT SELECT ({listed}) ON {database}.{prefix}{table} "
                       f"TO '{user}'@'{host}';")
    return out


def create_user(dialect: str, user: str = "m2if_reader", database: str = "moodle",
                host: str = "%") -> list[str]:
    """The statements creating the read-only login (its password to be chosen)."""
    if dialect == "postgresql":
        return [f"CREATE ROLE {user} LOGIN PASSWORD 'choose-a-long-password';",
                f"ALTER ROLE {user} SET default_transaction_read_only = on;",
                f"GRANT CONNECT ON DATABASE {database} TO {user};",
                f"GRANT USAGE ON SCHEMA public TO {user};"]
    return [f"CREATE USER '{user}'@'{host}' IDENTIFIED BY 'choose-a-long-password';"]


def script(dialect: str, user: str = "m2if_reader", database: str = "moodle",
           prefix: str = "mdl_", host: str = "%") -> str:
    """The whole script, as ``m2if pull grants`` prints it."""
    return "\n".join([*create_user(dialect, user, database, host),
                      *grants(dialect, user, database, prefix, host)]) + "\n"
