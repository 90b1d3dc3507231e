"""Far-off times are set aside: an event before ``[ingest] earliest`` or after ``latest`` (or
now plus ``latest_days_ahead``) is quarantined with its reason, in every event format, and
the default report week stays on the programme calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from m2if_analytics.config import config_from_dict
from m2if_analytics.engagement.cohort import report_week, weekly
from m2if_analytics.errors import ConfigError
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.ingest.xapi import ingest_xapi_file
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import local, logstore_row, write_dump
from tests.ingest.test_moodle import EN_HEADER, ROWS, write_download
from tests.ingest.test_xapi import stmt
from tests.ingest.xapi_samples import write_lines

COHORT = {"id": "c", "start": "2026-10-05", "end": "2027-07-02"}


def reasons(ws: Workspace) -> list[str]:
    return [r for (r,) in ws.con.execute("SELECT reason FROM quarantine ORDER BY line")
            .fetchall()]


def test_default_window_is_a_year_before_the_first_cohort_to_now_plus_one_day():
    cfg = config_from_dict({"cohorts": [COHORT, {**COHORT, "id": "old",
                                                 "start": "2025-10-06", "end": "2026-07-03"}]})
    now = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)
    earliest, latest = cfg.time_window(now)
    assert earliest == dt.datetime(2024, 10, 6, tzinfo=dt.UTC)  # 2025-10-06 − 365 days
    assert latest == dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC)


def test_configured_window_takes_whole_days_and_is_checked():
    cfg = config_from_dict({"ingest": {"earliest": dt.date(2026, 9, 1), "latest": "2027-07-31",
                                       "latest_days_ahead": 3}, "cohorts": [COHORT]})
    assert cfg.time_window() == (dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
                                 dt.datetime(2027, 8, 1, tzinfo=dt.UTC))
    with pytest.raises(ConfigError, match="latest 2026-01-01 is before earliest 2026-09-01"):
        config_from_dict({"ingest": {"earliest": "2026-09-01", "latest": "2026-01-01"}})
    with pytest.raises(ConfigError, match="latest_days_ahead should be 0 or more"):
        config_from_dict({"ingest": {"latest_days_ahead": -1}})
    with pytest.raises(ConfigError, match=r"earliest.*is not a date"):
        config_from_dict({"ingest": {"earliest": "lundi"}})


def test_a_dump_event_in_2031_is_quarantined_and_the_report_week_stays_in_the_calendar(
        ws: Workspace, tmp_path: Path):
    """Test configuration: latest = 2027-12-31. Without the window the 2031 event made every
    calendar week "complete" and the default week the calendar's last (all students red)."""
    ingest_roster_file(ws.con, _roster(tmp_path), ws.cfg, ws.pseudo)
    rows = [logstore_row(1, 5, local("2026-10-06 10:00:00")),
            logstore_row(2, 5, local("2026-10-13 10:00:00")),
            logstore_row(3, 5, local("2031-03-01 10:00:00")),
            logstore_row(4, 5, local("1999-03-01 10:00:00"))]
    account = ingest_moodle_file(ws.con, write_dump(tmp_path / "d.csv", rows), ws.cfg,
                                 ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (4, 2, 2)
    found = reasons(ws)
    assert "2031-03-01 09:00 UTC) is after now plus [ingest] latest_days_ahead" in found[0]
    assert "1999-03-01 09:00 UTC) is before the earliest plausible date" in found[1]
    assert report_week(ws) == dt.date(2026, 10, 5)  # the week of 10-12 is still in progress


def test_a_download_time_after_the_window_is_quarantined(ws: Workspace, tmp_path: Path):
    rows = [["28/11/31, 14:00", *ROWS[2][1:]], *ROWS[:2]]
    account = ingest_moodle_file(ws.con, write_download(tmp_path / "l.csv", EN_HEADER, rows),
                                 ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (3, 2, 1)
    [reason] = reasons(ws)
    assert "2031-11-28 13:00 UTC is after 2028-01-01 00:00 UTC" in reason


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                                   "2099-01-01T00:00:00+14:00"])
def test_xapi_timestamps_of_year_one_and_9999_are_quarantined_and_reports_still_work(
        ws: Workspace, tmp_path: Path, stamp: str):
    path = write_lines(tmp_path / "s.jsonl", [stmt(1), stmt(2, ts=stamp)])
    account = ingest_xapi_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.read, account.loaded, account.quarantined) == (2, 1, 1)
    [reason] = reasons(ws)
    assert reason.startswith("timestamp ")
    assert "plausible" in reason or "future" in reason
    table = weekly(ws)  # year 0001 or 9999 no longer breaks the weekly table
    assert table["week_start"].max() <= ws.cfg.cohort().end
    assert table["events"].sum() == 1


def test_xapi_account_names_in_other_digits_load_as_names_not_as_user_numbers(
        ws: Workspace, tmp_path: Path):
    """An account name "¹" passed str.isdigit and then broke int() with a traceback (found by
    `make fuzz`); "٣" must not become user 3."""
    path = write_lines(tmp_path / "s.jsonl", [stmt(1, actor="¹"), stmt(2, actor="٣"),
                                              stmt(3, actor="3")])
    account = ingest_xapi_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.loaded, account.quarantined) == (3, 0)
    people = ws.con.execute("SELECT count(DISTINCT ident_id) FROM raw_events").fetchall()
    assert people == [(3,)]


def test_xapi_account_names_of_zero_or_below_are_not_moodle_users(ws: Workspace,
                                                                   tmp_path: Path):
    path = write_lines(tmp_path / "s.jsonl", [stmt(1, actor="0"), stmt(2, actor="-3"),
                                              stmt(3)])
    account = ingest_xapi_file(ws.con, path, ws.cfg, ws.pseudo)
    assert (account.loaded, account.quarantined) == (1, 2)
    assert all("is not a Moodle user id" in r for r in reasons(ws))


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("user_id,full_name,email,role,group\n"
                    "5,Ana Test,ana@example.org,student,A\n", encoding="utf-8")
    return path
