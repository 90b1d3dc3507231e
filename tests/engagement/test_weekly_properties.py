"""Properties of ingestion + weekly engagement on random logstore dumps (hypothesis).

Each example builds its own warehouse in a temporary directory (function-scoped fixtures are
not reset between hypothesis examples). Events are a few users' events at whole seconds within
the 2026-2027 cohort, clustered around random instants and around the awkward ones (Sunday
midnight, both DST nights, the turn of 2026-W53), with exact duplicate rows (same logstore id)
and distinct events at equal timestamps.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.ingest.common import IngestAccount
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser, pseudonym
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import LOGSTORE_HEADER, logstore_row, write_dump
from tests.ingest.fuzz_inputs import SCALE

PARIS = ZoneInfo("Europe/Paris")
TIMEOUT = 1800
LAST = 60
TARGET = 15.0
COHORT_START = dt.date(2026, 10, 5)
COHORT_END = dt.date(2027, 7, 2)
HOLIDAYS = ((dt.date(2026, 12, 19), dt.date(2027, 1, 3)),
            (dt.date(2027, 4, 17), dt.date(2027, 5, 2)))
CONFIG_TOML = (
    '[programme]\ntimezone = "Europe/Paris"\nweekly_target_hours = 15\n'
    "[time_on_task]\ninactivity_timeout_minutes = 30\nlast_event_seconds = 60\n"
    '[ingest]\nlatest = 2027-12-31\n'
    '[[cohorts]]\nid = "2026-2027"\nstart = 2026-10-05\nend = 2027-07-02\n'
    "holidays = [[2026-12-19, 2027-01-03], [2027-04-17, 2027-05-02]]\n")
DUMP_HEADER = LOGSTORE_HEADER
SORT = ["student", "week_start"]
SPAN = 3 * 3600  # events fall within 3 h after their anchor


def _epoch(text: str) -> int:
    when = dt.datetime.fromisoformat(text)
    return int((when if when.tzinfo else when.replace(tzinfo=PARIS)).timestamp())


FIRST = _epoch("2026-10-05T00:00:00")
LAST_SECOND = _epoch("2027-07-02T23:59:59")
LAST_ANCHOR = LAST_SECOND - SPAN
SPECIAL_ANCHORS = [
    _epoch("2026-10-05T00:00:00"),        # the cohort's first second
    _epoch("2026-10-11T23:20:00"),        # Sunday → Monday
    _epoch("2026-10-25T01:30:00+02:00"),  # October DST night (repeated hour)
    _epoch("2027-03-28T01:30:00+01:00"),  # March DST night (skipped hour)
    _epoch("2026-12-27T23:20:00"),        # 2026-W52 → 2026-W53 (holidays)
    _epoch("2027-01-03T23:20:00"),        # 2026-W53 → 2027-W01
    _epoch("2027-04-25T23:20:00"),        # spring holiday → holiday week
    _epoch("2027-05-02T23:20:00"),        # holiday → teaching week
]
EARLY_ANCHORS = [
    _epoch("2026-10-02T10:00:00"),        # the Friday before the cohort starts
    _epoch("2026-10-04T23:20:00"),        # Sunday before the start → the first Monday
]


# ------------------------------------------------------------------------------------------
# Generating dumps

Event = tuple[int, int, int]  # (logstore id, user id, Unix seconds)


@st.composite
def dumps(draw: st.DrawFn, max_events: int = 25, early: bool = False) -> list[Event]:
    """Rows of a dump: distinct events (distinct ids) plus exact copies of some of them.

    An event is either at a random offset from its anchor or one step after the same user's
    previous event near that anchor, so that gaps of exactly the timeout (and one second
    either side) and equal timestamps happen between consecutive events. ``early`` adds
    anchors just before the cohort starts (events that belong to no programme week).
    """
    special = SPECIAL_ANCHORS + EARLY_ANCHORS if early else SPECIAL_ANCHORS
    anchors = draw(st.lists(st.one_of(st.integers(FIRST, LAST_ANCHOR), st.sampled_from(special)),
                            min_size=1, max_size=3))
    steps = st.one_of(st.integers(0, SPAN),
                      st.sampled_from([0, 1, TIMEOUT - 1, TIMEOUT, TIMEOUT + 1, 2 * TIMEOUT]))
    raw = draw(st.lists(st.tuples(st.integers(1, 3), st.sampled_from(anchors), steps,
                                  st.booleans()), min_size=1, max_size=max_events))
    cursor: dict[tuple[int, int], int] = {}
    events: list[Event] = []
    for n, (user, anchor, step, chained) in enumerate(raw, start=1):
        base = cursor.get((user, anchor), anchor) if chained else anchor
        stamp = min(base + step, LAST_SECOND)
        cursor[(user, anchor)] = stamp
        events.append((n, user, stamp))
    copies = draw(st.lists(st.sampled_from(events), max_size=3))
    return events + copies


def dump_line(event: Event) -> list[str]:
    row_id, user, stamp = event
    return logstore_row(row_id, user, stamp)


# ------------------------------------------------------------------------------------------
# A throw-away warehouse per example


@contextmanager
def warehouse() -> Iterator[tuple[Workspace, Path]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = folder / "m2if.toml"
        config.write_text(CONFIG_TOML, encoding="utf-8")
        ws = open_workspace(folder / "w.duckdb", config)
        try:
            yield ws, folder
        finally:
            ws.close()


def ingest(ws: Workspace, folder: Path, name: str, lines: list[list[str]]) -> IngestAccount:
    return ingest_moodle_file(ws.con, write_dump(folder / name, lines), ws.cfg, ws.pseudo)


def ingest_all(*files: list[Event]) -> tuple[pl.DataFrame, list[IngestAccount]]:
    """The weekly table after ingesting each list of rows as one file, in order."""
    with warehouse() as (ws, folder):
        accounts = [ingest(ws, folder, f"part{n}.csv", [dump_line(e) for e in rows])
                    for n, rows in enumerate(files)]
        return weekly_engagement(ws).sort(SORT), accounts


def table_of(*files: list[Event]) -> pl.DataFrame:
    return ingest_all(*files)[0]


# ------------------------------------------------------------------------------------------
# The contract, written directly in Python (README: "The weekly engagement table")


def _local(stamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(stamp, PARIS)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _holiday_week(monday: dt.date) -> bool:
    days = [monday + dt.timedelta(days=i) for i in range(5)]
    return all(any(a <= d <= b for a, b in HOLIDAYS) for d in days)


def student_of(user: int) -> str:
    """The pseudonym of a user id under the tests' key (conftest sets M2IF_PSEUDONYM_KEY)."""
    ident = Pseudonymiser(os.environ["M2IF_PSEUDONYM_KEY"].encode()).id_ident(str(user))
    assert ident is not None
    return pseudonym(ident)


def reference_table(rows: list[Event]) -> dict[tuple[str, dt.date], dict[str, Any]]:
    """(pseudonym, week_start) → the row the contract gives, computed in plain Python."""
    events = sorted(set(rows), key=lambda e: (e[1], e[2]))
    last_day = max(_local(e[2]).date() for e in events)
    weeks = []
    week = _monday(COHORT_START)
    while week <= COHORT_END and week <= last_day:
        weeks.append(week)
        week += dt.timedelta(days=7)
    per_user: dict[int, list[int]] = defaultdict(list)
    for _, user, stamp in events:
        per_user[user].append(stamp)
    # Without a roster, the students are the users with an event within the cohort's dates.
    per_user = {user: stamps for user, stamps in per_user.items()
                if any(COHORT_START <= _local(s).date() <= COHORT_END for s in stamps)}
    out: dict[tuple[str, dt.date], dict[str, Any]] = {}
    for user, stamps in per_user.items():
        student = student_of(user)
        acc = {w: {"seconds": 0, "sessions": 0, "days": set(), "events": 0} for w in weeks}
        for i, stamp in enumerate(stamps):
            gap_after = stamps[i + 1] - stamp if i + 1 < len(stamps) else None
            starts = i == 0 or stamp - stamps[i - 1] > TIMEOUT
            credit = gap_after if gap_after is not None and gap_after <= TIMEOUT else LAST
            local = _local(stamp)
            week = _monday(local.date())
            if week in acc:
                acc[week]["seconds"] += credit
                acc[week]["sessions"] += int(starts)
                acc[week]["days"].add(local.date())
                acc[week]["events"] += 1
        for week, a in acc.items():
            target = 0.0 if _holiday_week(week) else TARGET
            in_progress = week == _monday(last_day)
            hours = a["seconds"] / 3600
            out[(student, week)] = {
                "hours": hours, "sessions": a["sessions"], "active_days": len(a["days"]),
                "events": a["events"], "target_hours": target, "in_progress": in_progress,
                "below_target": not in_progress and target > 0 and hours < target}
    return out


# ------------------------------------------------------------------------------------------
# Properties

pytestmark = pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
FAST = settings(max_examples=30 * SCALE, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
# two or three ingestions per example: fewer examples in `make test`, 20 times more in
# `make fuzz` (M2IF_FUZZ_SCALE)
FILES = settings(FAST, max_examples=12 * SCALE)


@FAST
@given(rows=dumps())
def test_hours_follow_the_time_on_task_rule_and_never_exceed_span_plus_one_credit_per_session(
        rows: list[Event]) -> None:
    table = table_of(rows)
    # The bound of the issue: per student, total hours over the output weeks ≤ (span of
    # their events + one last-event credit per session) / 3600, and ≥ 0.
    stamps: dict[str, list[int]] = defaultdict(list)
    for _, user, stamp in set(rows):
        stamps[student_of(user)].append(stamp)
    for (student,), weeks in table.group_by("student"):
        span = max(stamps[student]) - min(stamps[student])
        total_seconds = weeks["hours"].sum() * 3600
        assert 0 <= total_seconds <= span + LAST * weeks["sessions"].sum() + 1e-6
    # More precisely: every row is the contract's, computed independently here.
    reference = reference_table(rows)
    got = {(r["student"], r["week_start"]): r for r in table.iter_rows(named=True)}
    assert set(got) == set(reference)
    for cell, want in reference.items():
        have = got[cell]
        assert have["hours"] == pytest.approx(want["hours"], abs=1e-9), cell
        for column in ("sessions", "active_days", "events", "target_hours", "in_progress",
                       "below_target"):
            assert have[column] == want[column], (cell, column)


@FILES
@given(rows=dumps(early=True), data=st.data())
def test_splitting_the_file_in_two_gives_the_same_table(rows: list[Event],
                                                        data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(rows)), label="cut")
    split, accounts = ingest_all(rows[:cut], rows[cut:])
    assert_frame_equal(split, table_of(rows))
    # An event in both parts is loaded by the first and a duplicate in the second.
    assert sum(a.loaded for a in accounts) == len(set(rows))
    assert sum(a.duplicates for a in accounts) == len(rows) - len(set(rows))


@FILES
@given(rows=dumps(early=True), data=st.data())
def test_shuffling_the_rows_of_the_file_gives_the_same_table(rows: list[Event],
                                                             data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(rows), label="shuffled")
    assert_frame_equal(table_of(shuffled), table_of(rows))


@FILES
@given(rows=dumps(early=True))
def test_reingesting_the_same_file_changes_nothing(rows: list[Event]) -> None:
    lines = [dump_line(e) for e in rows]
    with warehouse() as (ws, folder):
        first = ingest(ws, folder, "logs.csv", lines)
        before = weekly_engagement(ws).sort(SORT)
        second = ingest(ws, folder, "logs.csv", lines)
        after = weekly_engagement(ws).sort(SORT)
    assert first.loaded == len(set(rows))
    assert first.duplicates == len(rows) - len(set(rows))
    assert second.read == first.read == len(rows)
    assert second.loaded == 0
    assert second.duplicates == second.read - second.quarantined
    assert_frame_equal(after, before)


BAD_ROWS = [
    {"userid": "0"},                  # not logged in
    {"userid": ""},                   # no user
    {"userid": "abc"},                # not a number
    {"timecreated": "yesterday"},     # not Unix seconds
    {"timecreated": ""},
    {"timecreated": "-5"},
    {"eventname": ""},
]


@FAST
@given(rows=dumps(max_events=15), data=st.data())
def test_rows_read_equal_loaded_plus_duplicates_plus_quarantined(rows: list[Event],
                                                                 data: st.DataObject) -> None:
    bad = data.draw(st.lists(st.sampled_from(range(len(BAD_ROWS) + 1)), max_size=5), label="bad")
    lines = [dump_line(e) for e in rows]
    for n, kind in enumerate(bad):
        if kind == len(BAD_ROWS):
            line = dump_line((10_000 + n, 1, FIRST))[:7]  # too few fields: malformed line
        else:
            fields = dict(zip(DUMP_HEADER, dump_line((10_000 + n, 1, FIRST)), strict=True))
            fields.update(BAD_ROWS[kind])
            line = [fields[h] for h in DUMP_HEADER]
        where = data.draw(st.integers(0, len(lines)), label="position")
        lines.insert(where, line)
    with warehouse() as (ws, folder):
        account = ingest(ws, folder, "logs.csv", lines)
        recorded = ws.con.execute(
            "SELECT rows_read, rows_loaded, rows_duplicate, rows_quarantined FROM ingest_files"
        ).fetchall()
        quarantined = ws.con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
        raw = ws.con.execute("SELECT count(*) FROM raw_events").fetchall()[0][0]
    assert account.read == account.loaded + account.duplicates + account.quarantined
    assert account.read == len(lines)
    assert account.quarantined == len(bad) == quarantined
    assert account.loaded == len(set(rows)) == raw
    assert account.duplicates == len(rows) - len(set(rows))
    assert recorded == [(account.read, account.loaded, account.duplicates, account.quarantined)]
