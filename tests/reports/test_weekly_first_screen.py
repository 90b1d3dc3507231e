"""The weekly report's first screen answers "who needs a call this week", and its layout
holds at 3 and at 20 students (measured in headless Chromium): heatmap rows at least 20 px,
colour-bar labels that do not overlap, the call list on the first screen, group names not
doubled, the pace to the configured total."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from m2if_analytics.i18n import t
from m2if_analytics.reports.controls import group_label
from m2if_analytics.reports.render import RenderOptions, render_report
from m2if_analytics.reports.weekly import figures
from m2if_analytics.reports.weekly import html as blocks
from tests.browser import CHROMIUM, Chromium
from tests.conftest import SAMPLE_CONFIG, SAMPLES

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium not installed (apt-get install chromium; .ci/run installs it)")
W = dt.date(2027, 1, 11)

LAYOUT = """(async () => {
  const figs = () => [...document.querySelectorAll('div.plotly-graph-div')];
  for (let waited = 0; figs().some(d => !d.querySelector('svg.main-svg')) && waited < 15000;
       waited += 100) await new Promise(r => setTimeout(r, 100));
  const heat = figs().find(d => d.data && d.data[0] && d.data[0].type === 'heatmap');
  const rows = heat.data[0].y.length;
  const boxes = [...heat.querySelectorAll('.colorbar text')]
    .filter(e => !e.closest('.cbtitle') && e.textContent.trim())
    .map(e => e.getBoundingClientRect());
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
  }
  const call = document.querySelector('.m2if-call-list');
  return {rows, rowPx: heat._fullLayout.yaxis._length / rows, colourbarLabels: boxes.length,
          overlaps, callTop: call.getBoundingClientRect().top + window.scrollY,
          text: document.body.innerText};
})()"""


def flags(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(
        [{"student": s, "week_start": W, "level": lv, "reasons": f"why {s}", "status": st,
          "since": since, "previous_level": None, "last_contact": lc, "uncontacted_days": d,
          "group": "Groupe Nord"} for s, lv, st, since, lc, d in rows],
        schema={"student": pl.String, "week_start": pl.Date, "level": pl.String,
                "reasons": pl.String, "status": pl.String, "since": pl.Date,
                "previous_level": pl.String, "last_contact": pl.Date,
                "uncontacted_days": pl.Int64, "group": pl.String})


def test_the_call_list_puts_new_and_uncontacted_first_with_reasons_and_contact():
    table = flags(("p_ongoing_ok", "red", "ongoing", W, W, None),
                  ("p_amber_new", "amber", "new", W, None, 7),
                  ("p_uncontacted", "amber", "ongoing", dt.date(2026, 12, 28),
                   dt.date(2026, 12, 1), 21),
                  ("p_red_worse", "red", "worse", dt.date(2026, 12, 28), None, 21),
                  ("p_back", "green", "resolved", None, None, None),
                  ("p_fine", "green", "", None, None, None))
    html = blocks.call_list(table, "fr")
    order = [s for s in ("p_red_worse", "p_amber_new", "p_uncontacted", "p_ongoing_ok")
             if s in html]
    assert sorted(order, key=html.index) == ["p_red_worse", "p_amber_new", "p_uncontacted",
                                             "p_ongoing_ok"]
    assert "aggravé" in html and "sans contact depuis 21 jours" in html
    assert "dernier contact le 11/01/2027" in html and "why p_red_worse" in html
    # a contact before the flag was raised does not count, but is shown
    assert "sans contact depuis 21 jours (dernier contact le 01/12/2026)" in html
    assert "Revenus au vert cette semaine\u00a0: p_back" in html and "p_fine" not in html
    cards = blocks.level_counts(table, "en")
    assert 'data-key="level_red" data-value="2.0">2 (1 new)' in cards
    assert 'data-key="level_green" data-value="2.0">2<' in cards
    two = flags(("p1", "red", "new", W, None, 7), ("p2", "red", "worse", W, None, 7))
    assert ">2 (dont 2 nouveaux)<" in blocks.level_counts(two, "fr")
    assert ">1 (dont 1 nouveau)<" in blocks.level_counts(two.head(1), "fr")


@pytest.mark.parametrize(("group", "fr", "en"), [
    ("A", "Groupe A", "Group A"), ("Groupe Nord", "Groupe Nord", "Groupe Nord"),
    ("group 3", "group 3", "group 3"), (None, t("no_group", "fr"), t("no_group", "en"))])
def test_group_labels_are_never_doubled(group: str | None, fr: str, en: str):
    assert (group_label(group, "fr"), group_label(group, "en")) == (fr, en)


def test_the_pace_line_names_the_configured_total():
    cumulative = pl.DataFrame({
        "student": ["s"], "group": ["Groupe Nord"], "week_start": [W], "iso_week": ["2027-W02"],
        "cumulative_hours": [10.0], "pace_hours": [20.0], "target_cumulative": [15.0],
        "in_progress": [False]})
    fig = figures.cumulative_hours(cumulative, "fr", target=10.0, total_hours=600.0)
    names = [tr.name for tr in fig.data]
    assert names[0] == "Groupe Nord" and any("600" in n for n in names)
    assert not any("1 500" in n or "1500" in n for n in names)


@pytest.fixture(scope="module")
def small_and_full(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[int, Path]:
    """The weekly report at 3 students (a roster of three, groups "Groupe Nord" and
    "Groupe Sud") and at 20 (the sample cohort)."""
    from m2if_analytics.ingest.moodle import ingest_moodle_file
    from m2if_analytics.ingest.roster import ingest_roster_file
    from m2if_analytics.warehouse.workspace import open_workspace

    tmp = tmp_path_factory.mktemp("first-screen")
    with (SAMPLES / "roster.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    three = [rows[0]] + [[*r[:4], "Groupe Nord" if i < 2 else "Groupe Sud"]
                         for i, r in enumerate(rows[1:4])]
    roster = tmp / "roster.csv"
    roster.write_text("".join(",".join(r) + "\n" for r in three), encoding="utf-8")
    out: dict[int, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        small = tmp / "small.duckdb"
        with open_workspace(small, SAMPLE_CONFIG) as ws:
            ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
            ingest_moodle_file(ws.con, SAMPLES / "logstore_standard_log.csv", ws.cfg,
                               ws.pseudo)
        full = tmp / "full.duckdb"
        shutil.copyfile(sample_warehouse, full)
        for n, db in ((3, small), (20, full)):
            out[n] = render_report("weekly", tmp / str(n), RenderOptions(
                db, SAMPLE_CONFIG, week="2027-W05"))
    return out


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("students", [3, 20])
def test_the_layout_holds_at_3_and_20_students(small_and_full: dict[int, Path], students: int):
    with Chromium() as browser:
        page = browser.open(small_and_full[students], LAYOUT)
    v = page.value
    assert page.errors == [] and v["rows"] == students
    assert v["rowPx"] >= 20, v["rowPx"]
    assert v["colourbarLabels"] >= 5 and v["overlaps"] == 0
    assert v["callTop"] < 900  # the call list is on the first screen
    assert "Groupe Groupe" not in v["text"]
    assert "Semaine du 1er au 7 février 2027 (2027-W05)" in v["text"]
