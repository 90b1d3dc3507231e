"""Incremental refresh: adding event files recomputes only the affected persons' weeks and
gives the table a full build gives; anything else forces a full build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest

from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse import incremental
from m2if_analytics.warehouse.pipeline import build
from m2if_analytics.warehouse.pseudonyms import pseudonym
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import local, write_logstore

Events = list[tuple[int, dt.datetime]]
COLUMNS = ("cohort, student, week_start, iso_week, hours, sessions, active_days, events, "
           "target_hours, below_target, holiday, in_progress, group_name")


def weekly(ws: Workspace) -> list[tuple]:
    """The table's column types, then its rows in order."""
    types = ws.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                           "WHERE table_name = 'weekly_engagement' ORDER BY ordinal_position")
    return [tuple(types.fetchall()), *ws.con.execute(
        f"SELECT {COLUMNS} FROM weekly_engagement ORDER BY cohort, student, week_start"
    ).fetchall()]


def assert_same_weekly(got: list[tuple], want: list[tuple]) -> None:
    assert got[0] == want[0]  # same columns, same types
    assert len(got) == len(want)
    for g, w in zip(got[1:], want[1:], strict=True):
        assert g[:4] == w[:4] and g[5:] == w[5:], (g, w)
        assert g[4] == pytest.approx(w[4], abs=1e-9), (g, w)


def student(ws: Workspace, user: int) -> str:
    ident = ws.pseudo.id_ident(str(user))
    assert ident is not None
    return pseudonym(ident)


def ingest(ws: Workspace, path: Path, events: Events, start_id: int) -> None:
    ingest_moodle_file(ws.con, write_logstore(path, events, start_id), ws.cfg, ws.pseudo)


def full_build(tmp_path: Path, config_file: Path, files: list[Events], name: str,
               roster: Path | None = None) -> list[tuple]:
    """The weekly table of one full build over every file (after the roster, if any)."""
    with open_workspace(tmp_path / f"{name}.duckdb", config_file) as ref:
        if roster is not None:
            ingest_roster_file(ref.con, roster, ref.cfg, ref.pseudo, "2026-2027")
        start = 1
        for n, events in enumerate(files):
            ingest(ref, tmp_path / f"{name}_{n}.csv", events, start)
            start += len(events)
        build(ref.con, ref.cfg, force=True)
        return weekly(ref)


def refreshed(ws: Workspace, tmp_path: Path, files: list[Events],
              roster: Path | None = None) -> list[incremental.RefreshStats]:
    """Ingest the files one by one (after the roster, if any), building after each; the
    refreshes' figures."""
    stats, start, first_file = [], 1, 0
    if roster is not None:
        ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo, "2026-2027")
        first_file = 1
    for n, events in enumerate(files):
        ingest(ws, tmp_path / f"inc_{n}.csv", events, start)
        start += len(events)
        build(ws.con, ws.cfg)
        if n:
            last = incremental.last_refresh(ws.con)
            assert last is not None and last.since_file_id == n + first_file  # refreshed
            stats.append(last)
    return stats


def weeks_of(users: list[int], first: str, weeks: int, per_day: int = 3) -> Events:
    """Each user active on three days of each week, a few events 10 minutes apart."""
    start = local(first)
    out: Events = []
    for w in range(weeks):
        for day in (0, 2, 4):
            for user in users:
                at = start + dt.timedelta(weeks=w, days=day, hours=9 + user % 5)
                out += [(user, at + dt.timedelta(minutes=10 * k)) for k in range(per_day)]
    return out


def test_one_more_week_recomputes_only_its_persons_and_weeks(
        ws: Workspace, tmp_path: Path, config_file: Path):
    history = weeks_of([7, 8, 9, 10], "2026-10-05 00:00:00", 4)  # weeks of 5, 12, 19, 26 Oct
    new_week = weeks_of([7, 8], "2026-11-02 00:00:00", 1)  # only two of the four students
    [stats] = refreshed(ws, tmp_path, [history, new_week])
    assert_same_weekly(weekly(ws), full_build(tmp_path, config_file, [history, new_week], "f"))
    assert stats.persons == 2
    assert stats.rows_recomputed == 2  # the two students' week of 2 November, nothing earlier
    assert stats.rows_total == 4 * 5
    assert stats.events_recomputed == len(new_week)


def test_events_just_after_midnight_monday_recompute_the_week_before(
        ws: Workspace, tmp_path: Path, config_file: Path):
    history = weeks_of([7, 8], "2026-10-05 00:00:00", 2)
    history.append((7, local("2026-10-18 23:50:00")))  # Sunday night
    monday = [(7, local("2026-10-19 00:05:00")), (7, local("2026-10-19 00:15:00"))]
    [stats] = refreshed(ws, tmp_path, [history, monday])
    assert_same_weekly(weekly(ws), full_build(tmp_path, config_file, [history, monday], "f"))
    assert (stats.persons, stats.rows_recomputed) == (1, 2)  # weeks of 12 and 19 October
    ana = student(ws, 7)
    week = [r for r in weekly(ws)[1:] if r[1] == ana and r[2] == dt.date(2026, 10, 12)]
    assert week[0][4] == pytest.approx((3 * (600 + 600 + 60) + 900) / 3600)  # Sunday: 15 min


def test_a_session_running_into_the_recomputed_week_still_starts_the_week_before(
        ws: Workspace, tmp_path: Path, config_file: Path):
    history = weeks_of([7], "2026-10-05 00:00:00", 2)
    history += [(7, local("2026-10-18 23:50:00")), (7, local("2026-10-19 00:10:00"))]
    later = [(7, local("2026-10-19 09:00:00"))]
    [stats] = refreshed(ws, tmp_path, [history, later])
    assert_same_weekly(weekly(ws), full_build(tmp_path, config_file, [history, later], "f"))
    assert stats.rows_recomputed == 1
    week = [r for r in weekly(ws)[1:] if r[2] == dt.date(2026, 10, 19)]
    assert week[0][5] == 1  # sessions: the 09:00 one; the 00:10 event continues Sunday's


def test_backfill_of_older_events_and_a_newcomer_give_the_full_build(
        ws: Workspace, tmp_path: Path, config_file: Path):
    history = weeks_of([7, 8, 9], "2026-10-12 00:00:00", 3)
    late = [(8, local("2026-10-06 10:00:00")), (8, local("2026-10-06 10:20:00")),
            (11, local("2026-10-28 09:00:00")),  # a student never seen before
            (9, local("2026-11-03 08:00:00"))]  # and the data end moves a week on
    [stats] = refreshed(ws, tmp_path, [history, late])
    assert_same_weekly(weekly(ws), full_build(tmp_path, config_file, [history, late], "f"))
    assert stats.persons == 3


def test_dst_weeks_and_repeated_refreshes_match_the_full_build(
        ws: Workspace, tmp_path: Path, config_file: Path):
    files = [weeks_of([7, 8], "2026-10-12 00:00:00", 2),
             [(7, local("2026-10-25 01:50:00")), (7, local("2026-10-25 02:10:00")),
              (8, local("2026-10-25 03:30:00"))],  # the night clocks go back
             weeks_of([8, 9], "2026-10-26 00:00:00", 1), []]
    stats = refreshed(ws, tmp_path, files)
    assert len(stats) == 3 and stats[-1].persons == 0 and stats[-1].rows_recomputed == 0
    assert_same_weekly(weekly(ws), full_build(tmp_path, config_file, files, "f"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_splits_match_the_full_build(ws: Workspace, tmp_path: Path,
                                            config_file: Path, seed: int):
    rng = random.Random(seed)
    start = local("2026-10-05 08:00:00")
    events: Events = []
    for user in range(20, 26):
        at = start + dt.timedelta(minutes=rng.randrange(600))
        for _ in range(rng.randrange(40, 120)):
            at += dt.timedelta(seconds=rng.choice([0, 30, 300, 1200, 1800, 1801, 4000,
                                                   30_000, 200_000]))
            events.append((user, at))
    events.sort(key=lambda e: e[1])
    cuts = sorted(rng.sample(range(1, len(events)), 3))
    files = [events[a:b] for a, b in zip([0, *cuts], [*cuts, len(events)], strict=True)]
    files.append(rng.sample(events, 15))  # a re-export overlapping earlier files
    refreshed(ws, tmp_path, files)
    assert_same_weekly(weekly(ws), full_build(tmp_path, config_file, files, "f"))


def test_a_rostered_cohort_with_groups_and_a_silent_student_matches_the_full_build(
        ws: Workspace, tmp_path: Path, config_file: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,full_name,role,group\n7,Ana Lima,student,A\n8,Bo Chen,student,B"
                      "\n9,Cy Diaz,student,B\n10,Di Eze,teacher,\n", encoding="utf-8")
    files = [weeks_of([7, 8, 10], "2026-10-05 00:00:00", 3),
             weeks_of([8, 10], "2026-10-26 00:00:00", 1)]
    [stats] = refreshed(ws, tmp_path, files, roster)
    assert_same_weekly(weekly(ws), full_build(tmp_path, config_file, files, "f", roster))
    assert (stats.persons, stats.rows_recomputed) == (1, 1)  # Bo's new week; the teacher's not


def test_configuration_changes_force_a_full_build(ws: Workspace, tmp_path: Path,
                                                  config_file: Path):
    ingest(ws, tmp_path / "a.csv", weeks_of([7], "2026-10-05 00:00:00", 2), 1)
    build(ws.con, ws.cfg)
    ingest(ws, tmp_path / "b.csv", weeks_of([7], "2026-10-19 00:00:00", 1), 19)
    assert incremental.covered_file(ws.con, ws.cfg) == 1
    timeout = dataclasses.replace(ws.cfg.time_on_task, inactivity_timeout_minutes=60)
    assert incremental.covered_file(ws.con, dataclasses.replace(
        ws.cfg, time_on_task=timeout)) is None
    cohort = dataclasses.replace(ws.cfg.cohorts[0], holidays=())
    assert incremental.covered_file(ws.con, dataclasses.replace(
        ws.cfg, cohorts=(cohort,))) is None
    memory = dataclasses.replace(ws.cfg.warehouse, memory_limit="1GB")  # engine setting only
    assert incremental.covered_file(ws.con, dataclasses.replace(ws.cfg, warehouse=memory)) == 1
    longer = tmp_path / "longer.toml"
    longer.write_text(config_file.read_text(encoding="utf-8").replace(
        "inactivity_timeout_minutes = 30", "inactivity_timeout_minutes = 60"), encoding="utf-8")
    with open_workspace(ws.paths.db, longer) as other:
        build(other.con, other.cfg)
        got = weekly(other)
    files = [weeks_of([7], "2026-10-05 00:00:00", 2), weeks_of([7], "2026-10-19 00:00:00", 1)]
    assert_same_weekly(got, full_build(tmp_path, longer, files, "f"))


def test_a_roster_forces_a_full_build(ws: Workspace, tmp_path: Path):
    ingest(ws, tmp_path / "a.csv", weeks_of([7, 8], "2026-10-05 00:00:00", 2), 1)
    build(ws.con, ws.cfg)
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,full_name,role\n7,Ana Lima,student\n8,Bo Chen,teacher\n",
                      encoding="utf-8")
    ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo, "2026-2027")
    assert incremental.covered_file(ws.con, ws.cfg) is None
    build(ws.con, ws.cfg)
    assert {r[1] for r in weekly(ws)[1:]} == {student(ws, 7)}  # 8 is now a teacher


def test_a_follow_up_log_neither_rebuilds_nor_stops_the_next_refresh(ws: Workspace,
                                                                     tmp_path: Path):
    """No derived table reads the follow-up log: importing contacts leaves the derived tables
    current (nothing is built on the next read), and an event file after it is still
    refreshed incrementally, with the table a full build gives."""
    from m2if_analytics.followup.importer import import_file
    from m2if_analytics.warehouse.pipeline import is_current

    files = [weeks_of([7, 8], "2026-10-05 00:00:00", 2), weeks_of([7], "2026-10-19 00:00:00", 1)]
    ingest(ws, tmp_path / "a.csv", files[0], 1)
    build(ws.con, ws.cfg)
    log = tmp_path / "contacts.csv"
    log.write_text("student,date,by,channel,outcome,next\n"
                   f"{student(ws, 7)},2026-10-16,tutor,phone,reached,\n", encoding="utf-8")
    account, _ = import_file(ws, log)
    assert account.loaded == 1
    assert is_current(ws.con, ws.cfg)
    assert build(ws.con, ws.cfg) is False  # nothing to build after the import
    ingest(ws, tmp_path / "b.csv", files[1], 1 + len(files[0]))
    assert incremental.covered_file(ws.con, ws.cfg) == 1
    assert build(ws.con, ws.cfg) is True
    last = incremental.last_refresh(ws.con)
    assert last is not None and last.since_file_id == 1
    assert_same_weekly(weekly(ws), full_build(tmp_path, ws.paths.config, files, "f"))
