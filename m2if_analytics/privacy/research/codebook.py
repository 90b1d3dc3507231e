"""The codebook: every column of every exported table, described once, here.

``datapackage.json`` (Frictionless Table Schema) and ``CODEBOOK.md`` are both generated from
:data:`FIELDS`; a test checks that the two name exactly the columns of the CSV files, so the
description of a column cannot go missing or stay behind when a table changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from m2if_analytics.privacy.research.coarsen import BANDS, COUNTS, HOURS

MISSING = ""  # an empty cell: suppressed, or no value (e.g. no group)


@dataclass(frozen=True)
class Field:
    """One column: Table Schema type, what it means, its unit, its smallest value."""

    type: str  # string | integer | number | boolean | date
    description: str
    unit: str | None = None
    minimum: float | None = None
    enum: tuple[str, ...] | None = None


_ID = Field("string", "Export id of a student: `r` + 12 hex digits, re-keyed for this export "
            "(no link to the warehouse or to another export).")
_GROUP = Field("string", "Roster group; empty when the student has none or the group is "
               "suppressed (fewer than k students).")
_COUNT = "integer"

FIELDS: dict[str, dict[str, Field]] = {
    "weekly_engagement": {
        "student": _ID, "group": _GROUP,
        "week_start": Field("date", "Monday of the programme week (local time, YYYY-MM-DD)."),
        "iso_week": Field("string", "ISO week of week_start (YYYY-Www)."),
        "hours": Field("number", "Online time-on-task in the week (30-minute inactivity "
                       "timeout, 60 s credited to a session's last event).", "hours", 0),
        "sessions": Field(_COUNT, "Sessions started in the week (a gap over the timeout "
                          "starts a new one).", "sessions", 0),
        "active_days": Field(_COUNT, "Distinct local dates with at least one event.", "days",
                             0),
        "events": Field(_COUNT, "Platform events of the student in the week.", "events", 0),
        "target_hours": Field("number", "The programme's weekly target (0 in holiday weeks).",
                              "hours", 0),
        "below_target": Field("boolean", "hours below target_hours in a complete teaching "
                              "week."),
        "holiday": Field("boolean", "Holiday week of the cohort calendar."),
        "in_progress": Field("boolean", "The week was not over when the data ended."),
    },
    "student_metrics": {
        "student": _ID, "group": _GROUP,
        "posts": Field(_COUNT, "Forum posts written.", "posts", 0),
        "replies_sent": Field(_COUNT, "Posts that answer someone else's post.", "posts", 0),
        "replies_received": Field(_COUNT, "Answers others wrote to the student's posts.",
                                  "posts", 0),
        "partners": Field(_COUNT, "Distinct people the student answered or was answered by.",
                          "people", 0),
        "in_degree": Field(_COUNT, "Distinct people who answered the student.", "people", 0),
        "out_degree": Field(_COUNT, "Distinct people the student answered.", "people", 0),
        "betweenness": Field("number", "Normalised betweenness centrality in the reply "
                             "network (0–1).", None, 0),
        "isolated": Field("boolean", "Posted and received no answer from anyone else."),
        "discussions_started": Field(_COUNT, "Discussions opened.", "discussions", 0),
        "clustering": Field("number", "Clustering coefficient in the co-participation "
                            "network (0–1).", None, 0),
        "cross_group_share": Field("number", "Share of partners from another group (0–1).",
                                   None, 0),
    },
    "group_metrics": {
        "group": Field("string", "Roster group, or `all` for the whole cohort."),
        "members": Field(_COUNT, "Students of the group.", "students", 0),
        "posts": Field(_COUNT, "Forum posts of the group's members.", "posts", 0),
        "density": Field("number", "Reply-network density among the members (0–1).", None, 0),
        "reciprocity": Field("number", "Share of reply ties that go both ways (0–1).", None,
                             0),
        "gini": Field("number", "Gini coefficient of posts per member (0 = equal).", None, 0),
        "teacher_centredness": Field("number", "Share of replies involving staff (0–1).", None,
                                     0),
        "median_response_hours": Field("number", "Median time to a first answer.", "hours", 0),
        "cross_group_share": Field("number", "Share of reply ties to another group (0–1).",
                                   None, 0),
        "suppressed": Field("boolean", "The row describes fewer than k students: its values "
                            "are empty."),
    },
    "weekly_metrics": {
        "week_start": Field("date", "Monday of the week (local time)."),
        "group": Field("string", "Roster group, or `all` for the whole cohort."),
        "posts": Field(_COUNT, "Forum posts that week.", "posts", 0),
        "active_authors": Field(_COUNT, "Students who posted that week.", "students", 0),
        "replies": Field(_COUNT, "Posts answering someone else's.", "posts", 0),
        "isolated_students": Field(_COUNT, "Students who posted without an answer from anyone "
                                   "else that week.", "students", 0),
        "density": Field("number", "Reply-network density that week (0–1).", None, 0),
        "members": Field(_COUNT, "Students of the group.", "students", 0),
        "reciprocity": Field("number", "Share of reply ties that go both ways (0–1).", None,
                             0),
        "gini": Field("number", "Gini coefficient of posts per member (0 = equal).", None, 0),
        "teacher_centredness": Field("number", "Share of replies involving staff (0–1).", None,
                                     0),
        "median_response_hours": Field("number", "Median time to a first answer.", "hours", 0),
        "cross_group_share": Field("number", "Share of reply ties to another group (0–1).",
                                   None, 0),
        "suppressed": Field("boolean", "The row describes fewer than k students: its values "
                            "are empty."),
    },
    "edges": {
        "kind": Field("string", "`reply` (source answered target) or `coparticipation` (both "
                      "posted in the same discussions; undirected, source < target).",
                      enum=("reply", "coparticipation")),
        "source": Field("string", "Export id of one end, or `staff` for any staff member."),
        "target": Field("string", "Export id of the other end, or `staff`."),
        "weight": Field(_COUNT, "Replies (reply) or shared discussions (coparticipation).",
                        "ties", 1),
        "source_group": _GROUP, "target_group": _GROUP,
        "source_role": Field("string", "`student` or `staff`.", enum=("student", "staff")),
        "target_role": Field("string", "`student` or `staff`.", enum=("student", "staff")),
    },
}

DESCRIPTIONS = {
    "weekly_engagement": "One row per student × programme week: online hours, sessions, "
                         "active days and events, zero weeks included.",
    "student_metrics": "One row per student: forum posts, replies, partners, degrees, "
                       "betweenness, clustering, isolation (staff are not individual rows).",
    "group_metrics": "One row per group, then `all`: density, reciprocity, Gini of "
                     "contributions, staff share, response times.",
    "weekly_metrics": "One row per week × group: posts, active authors, replies, isolated "
                      "students, density.",
    "edges": "One row per reply tie (directed) or co-participation tie (undirected); every "
             "staff member is the single node `staff`.",
}


def field_of(table: str, column: str, coarsened: bool) -> Field:
    """The description of ``table.column`` as written (a banded count is a string enum)."""
    base = FIELDS[table][column]
    if coarsened and column in COUNTS.get(table, ()):
        return Field("string", base.description + " Banded.", base.unit, None, BANDS)
    if coarsened and column in HOURS.get(table, ()):
        return Field(base.type, base.description + " Rounded to the half hour.", base.unit,
                     base.minimum)
    return base


def table_schema(table: str, columns: list[str], coarsened: bool) -> dict[str, Any]:
    """Frictionless Table Schema of an exported table (its columns in file order)."""
    fields = []
    for column in columns:
        f = field_of(table, column, coarsened)
        entry: dict[str, Any] = {"name": column, "type": f.type, "description": f.description}
        if f.unit:
            entry["unit"] = f.unit
        constraints: dict[str, Any] = {}
        if f.minimum is not None:
            constraints["minimum"] = f.minimum
        if f.enum:
            constraints["enum"] = list(f.enum)
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    return {"fields": fields, "missingValues": [MISSING]}


def codebook_markdown(columns: dict[str, list[str]], coarsened: bool, k: int) -> str:
    """CODEBOOK.md: one table per file, a row per column, from the same definitions."""
    counts = f"banded ({', '.join(BANDS)})" if coarsened else "exact"
    parts = ["# Codebook\n",
             f"Every column of every file of this export. Empty cells: suppressed (fewer than "
             f"{k} students) or no value. Counts of the individual-level files are {counts}.\n"]
    for table, cols in columns.items():
        parts.append(f"## `{table}.csv`\n\n{DESCRIPTIONS[table]}\n")
        parts.append("| column | type | unit | description |\n|---|---|---|---|")
        for column in cols:
            f = field_of(table, column, coarsened)
            kind = f.type + (f" ({', '.join(f.enum)})" if f.enum else "")
            parts.append(f"| `{column}` | {kind} | {f.unit or ''} | {f.description} |")
        parts.append("")
    return "\n".join(parts)
