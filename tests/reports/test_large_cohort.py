"""Reports of a 2,000-student cohort, measured in headless Chromium: distributions and ranked
lists instead of one plot row per student, every figure drawn, no overlapping labels, the
call list on the first screen, the whole lists inside the page as CSV, pages of a few MB."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.reports import render as reports
from m2if_analytics.reports import scale
from m2if_analytics.reports.overview import large
from m2if_analytics.warehouse.workspace import open_workspace
from tests.browser import needs_chromium, shared_chromium
from tests.conftest import TEST_TOML, local, logstore_row, write_dump
from tests.reports.test_weekly_layout import FIRST_SCREEN_PX, LAYOUT_PROBE

pytestmark = [pytest.mark.slow, needs_chromium]

STUDENTS = 2000
KEY = "large-key"
WEEKS = 5  # 2026-10-05 .. 2026-11-08, then one event on 2026-11-09 ends the data


def events() -> list[list[str]]:
    """Student u (1..2000) works (u % 7) + 1 sessions of 40 min each week, on Tuesdays;
    students of ids ending in 0 stop after two weeks."""
    rows, n = [], 0
    for user in range(1, STUDENTS + 1):
        for week in range(WEEKS):
            if user % 10 == 0 and week >= 2:
                break
            day = dt.date(2026, 10, 6) + dt.timedelta(weeks=week)
            for session in range(user % 7 + 1):
                start = local(f"{day.isoformat()} 08:00:00") + dt.timedelta(hours=session)
                for minute in range(0, 41, 10):
                    n += 1
                    rows.append(logstore_row(n, user, start + dt.timedelta(minutes=minute)))
    rows.append(logstore_row(n + 1, 1, local("2026-11-09 09:00:00")))
    return rows


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The weekly report (French) and the cohort overview (English) of 2,000 students in 40
    groups of 50."""
    folder = tmp_path_factory.mktemp("large")
    config = folder / "m2if.toml"
    config.write_text(TEST_TOML, encoding="utf-8")
    roster = folder / "roster.csv"
    roster.write_text("user_id,full_name,role,group\n" + "".join(
        f"{u},Étudiant {u},student,G{u % 40:02d}\n" for u in range(1, STUDENTS + 1)),
        encoding="utf-8")
    db = folder / "large.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        with open_workspace(db, config) as ws:
            ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
            ingest_moodle_file(ws.con, write_dump(folder / "log.csv", events()), ws.cfg,
                               ws.pseudo)
        return {"weekly": reports.render_report("weekly", folder / "fr", reports.RenderOptions(
                    db, config, lang="fr")),
                "cohort": reports.render_report("cohort", folder / "en", reports.RenderOptions(
                    db, config, lang="en"))}


@pytest.fixture(scope="module")
def measured(pages: dict[str, Path]) -> dict[str, dict]:
    with shared_chromium() as browser:
        return {name: browser.open(path, LAYOUT_PROBE).value for name, path in pages.items()}


def csv_links(html: str) -> dict[str, list[dict[str, str]]]:
    """Every CSV file inside the page: {file name: rows}."""
    out = {}
    for name, data in re.findall(r'download="([^"]+)" href="data:text/csv;charset=utf-8;'
                                 r'base64,([A-Za-z0-9+/=]+)"', html):
        text = base64.b64decode(data).decode("utf-8")
        out[name] = list(csv.DictReader(io.StringIO(text)))
    return out


@pytest.mark.parametrize("name", ["weekly", "cohort"])
def test_every_figure_is_drawn_without_a_row_per_student_or_overlapping_labels(
        measured: dict[str, dict], pages: dict[str, Path], name: str):
    page = measured[name]
    assert page["drawn"] == page["figures"] >= 4
    assert page["heatmaps"] == []  # no students × weeks heatmap
    assert page["overlaps"] == []
    html = pages[name].read_text(encoding="utf-8")
    assert '"bdata"' in html  # figure data as typed arrays
    assert pages[name].stat().st_size < 10 * 2**20


def test_the_weekly_report_lists_the_first_students_and_holds_the_whole_lists(
        measured: dict[str, dict], pages: dict[str, Path]):
    page = measured["weekly"]
    assert page["call_top"] is not None and page["call_top"] < FIRST_SCREEN_PX
    assert "Promotion de 2\u202f000 étudiants" in page["text"]
    html = pages["weekly"].read_text(encoding="utf-8")
    files = csv_links(html)
    assert set(files) >= {"call-list.csv", "risk.csv"}
    risk = files["risk.csv"]
    assert len(risk) == STUDENTS and len({r["student"] for r in risk}) == STUDENTS
    flagged = [r for r in risk if r["level"] != "green"]
    assert len(files["call-list.csv"]) == len(flagged) > scale.TOP
    # the page's call list shows the first TOP of them, in the CSV's order
    call = html[html.index('class="m2if-call-list"'):]
    shown = re.findall(r"<tr><td>(p[0-9a-f]{12})</td>", call[:call.index("</table>")])
    assert shown == [r["student"] for r in files["call-list.csv"][:scale.TOP]]
    # the students who stopped after two weeks (one in ten) are all in the list
    assert len(flagged) >= STUDENTS // 10


def test_the_overview_ranks_students_by_their_weeks_at_risk(pages: dict[str, Path],
                                                           measured: dict[str, dict]):
    html = pages["cohort"].read_text(encoding="utf-8")
    ranked = csv_links(html)["attention.csv"]
    assert len(ranked) == STUDENTS
    order = {"red": 0, "amber": 1, "green": 2}
    keys = [(order[r["level"]], -int(r["red_weeks"]), -int(r["amber_weeks"]), r["student"])
            for r in ranked]
    assert keys == sorted(keys)
    assert "Students who need attention first" in measured["cohort"]["text"]
    # one summary row per group of 50, its levels adding up to its students
    table = html[html.index("By group, report week"):].split("</table>")[0]
    rows = re.findall(r"<tr><td>(G\d\d)</td>((?:<td class=\"num\">[^<]*</td>){6})</tr>", table)
    assert [g for g, _ in rows] == [f"G{n:02d}" for n in range(40)]
    for _, cells in rows:
        students, _, _, red, amber, green = re.findall(r'<td class="num">([^<]*)</td>', cells)
        assert int(students) == 50 and int(red) + int(amber) + int(green) == 50


def test_quantile_bands_are_the_hand_computed_quantiles():
    frame = pl.DataFrame({
        "student": list("abcde") * 2, "group": ["x", "x", "y", "y", None] * 2,
        "week_start": [dt.date(2026, 10, 5)] * 5 + [dt.date(2026, 10, 12)] * 5,
        "iso_week": ["2026-W41"] * 5 + ["2026-W42"] * 5,
        "hours": [0.0, 5.0, 10.0, 15.0, 20.0, 1.0, 1.0, 1.0, 1.0, 30.0]})
    bands = scale.quantile_bands(frame, "hours", by_group=True, target=15.0)
    first = bands.filter((pl.col("group") == "all")
                         & (pl.col("week_start") == dt.date(2026, 10, 5))).row(0, named=True)
    # linear interpolation over 0, 5, 10, 15, 20: the p-quantile is at position 4p
    assert [first[q] for q in ("q10", "q25", "q50", "q75", "q90")] == [2.0, 5.0, 10.0, 15.0,
                                                                      18.0]
    assert first["students"] == 5 and first["below"] == 3  # 0, 5 and 10 h are below 15 h
    groups = bands.filter(pl.col("week_start") == dt.date(2026, 10, 12))
    assert groups["group"].to_list() == ["all", "x", "y", None]
    assert groups.filter(pl.col("group") == "y")["q50"].item() == 1.0
    assert groups.filter(pl.col("group").is_null())["students"].item() == 1


def test_a_long_list_shows_its_first_rows_and_carries_all_of_them_as_csv():
    frame = pl.DataFrame({"student": [f"p{i:012x}" for i in range(60)],
                          "note": ["=cmd()"] + ["ok"] * 59, "rules": [["a", "b"]] * 60})
    html = scale.capped(lambda f: "".join(f"<tr>{s}</tr>" for s in f["student"]), frame,
                        "x.csv", "en")
    assert html.count("<tr>") == scale.TOP
    assert f"First {scale.TOP} of 60 shown." in html
    rows = csv_links(html)["x.csv"]
    assert [r["student"] for r in rows] == frame["student"].to_list()
    assert rows[0]["note"] == "'=cmd()" and rows[0]["rules"] == "a, b"  # no formula
    short = scale.capped(lambda f: f"{f.height} rows", frame.head(3), "x.csv", "en")
    assert short == "3 rows"
    # a list no longer than a small cohort (40) is never cut, however many TOP shows
    whole = scale.capped(lambda f: f"{f.height} rows", frame.head(scale.LARGE_COHORT),
                         "x.csv", "en")
    assert whole == f"{scale.LARGE_COHORT} rows" and scale.TOP < scale.LARGE_COHORT
    cut = scale.capped(lambda f: f"{f.height} rows", frame.head(scale.LARGE_COHORT + 1),
                       "x.csv", "en")
    assert cut.startswith(f"{scale.TOP} rows") and f"of {scale.LARGE_COHORT + 1}" in cut


def test_the_group_summary_counts_each_groups_students_hours_and_levels():
    week, before = dt.date(2026, 10, 12), dt.date(2026, 10, 5)
    levels = pl.DataFrame({
        "student": ["a", "b", "c", "d", "e", "a"],
        "group": ["x", "x", "y", "y", None, "x"],
        "week_start": [week] * 5 + [before],
        "level": ["red", "green", "amber", "amber", "green", "green"]})
    weekly = pl.DataFrame({
        "student": ["a", "b", "c", "d", "e", "a"],
        "group": ["x", "x", "y", "y", None, "x"],
        "week_start": [week] * 5 + [before],
        "hours": [4.0, 16.0, 10.0, 13.0, 20.0, 30.0],
        "below_target": [True, False, True, True, False, False]})
    summary = large.group_summary(levels, weekly, week)
    assert summary.rows() == [("x", 2, 10.0, 1, 1, 0, 1), ("y", 2, 11.5, 2, 0, 2, 0),
                              (None, 1, 20.0, 0, 0, 0, 1)]
    html = large.groups(levels, weekly, week, "en")
    assert "By group, report week" in html and "<td>No group</td>" in html
    assert '<td class="num">11.5</td>' in html
    assert large.groups(levels.with_columns(pl.lit(None, pl.String).alias("group")),
                        weekly, week, "en") == ""
