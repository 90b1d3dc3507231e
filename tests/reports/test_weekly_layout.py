"""The weekly report's layout measured in headless Chromium, at 3 and at 20 students: heatmap
rows tall enough to read, no two tick labels on top of each other, the call list on the first
screen, group names never doubled, and every total taken from the configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.reports import render as reports
from m2if_analytics.warehouse.workspace import open_workspace
from tests.browser import needs_chromium, shared_chromium
from tests.conftest import SAMPLE_CONFIG, TEST_TOML, local, logstore_row, write_dump

pytestmark = [pytest.mark.slow, needs_chromium]

MIN_ROW_PX = 20  # a heatmap row a reader can point at
FIRST_SCREEN_PX = 900  # the call list starts within the first screen
TINY_KEY = "tiny-key"
TINY_CONFIG = TEST_TOML.replace("weekly_target_hours = 15\n",  # a 600-hour programme
                                "weekly_target_hours = 15\ntotal_hours = 600\n")
# groups named the way some programmes name them: the word "Groupe" is part of the name
TINY_ROSTER = ("user_id,full_name,role,group\n101,Alice Essai,student,Groupe Nord\n"
               "102,Bruno Essai,student,Groupe Nord\n103,Chloé Essai,student,Groupe Sud\n")


def _sessions(user: int, day: dt.date, hours: int) -> list[tuple[int, dt.datetime]]:
    """Events every 20 minutes from 09:00 for ``hours`` hours: one session of that length."""
    start = local(f"{day.isoformat()} 09:00:00")
    return [(user, start + dt.timedelta(minutes=20 * i)) for i in range(3 * hours + 1)]


def tiny_events() -> list[tuple[int, dt.datetime]]:
    """Six weeks from 2026-10-05: 101 works 3 h on five days (15 h), 102 one 4-hour day a
    week, 103 two weeks of 15 h then nothing; one event on 2026-11-16 ends the data there."""
    events: list[tuple[int, dt.datetime]] = []
    for week in range(6):
        monday = dt.date(2026, 10, 5) + dt.timedelta(weeks=week)
        for d in range(5):
            events += _sessions(101, monday + dt.timedelta(days=d), 3)
            if week < 2:
                events += _sessions(103, monday + dt.timedelta(days=d), 3)
        events += _sessions(102, monday + dt.timedelta(days=1), 4)
    return [*events, (101, local("2026-11-16 09:00:00"))]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 3-student cohort in two groups named "Groupe Nord" and "Groupe Sud", with
    ``total_hours = 600``: (warehouse, configuration)."""
    folder = tmp_path_factory.mktemp("tiny")
    config = folder / "m2if.toml"
    config.write_text(TINY_CONFIG, encoding="utf-8")
    roster = folder / "roster.csv"
    roster.write_text(TINY_ROSTER, encoding="utf-8")
    rows = [logstore_row(n, user, when) for n, (user, when) in enumerate(tiny_events(), 1)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", TINY_KEY)
        with open_workspace(folder / "tiny.duckdb", config) as ws:
            ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
            ingest_moodle_file(ws.con, write_dump(folder / "log.csv", rows), ws.cfg, ws.pseudo)
    return folder / "tiny.duckdb", config


def _render(db: Path, config: Path, key: str, folder: Path,
            week: str | None = None) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", key)
        return {lang: reports.render_report("weekly", folder / lang, reports.RenderOptions(
                    db, config, lang=lang, week=week))
                for lang in ("fr", "en")}


@pytest.fixture(scope="module")
def pages(tiny: tuple[Path, Path], sample_warehouse: Path,
          tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], Path]:
    """The weekly report at 3 students (tiny) and 20 (the sample cohort, week 2027-W05), in
    FR and EN."""
    three = _render(*tiny, TINY_KEY, tmp_path_factory.mktemp("three"))
    twenty = _render(sample_warehouse, SAMPLE_CONFIG, "sample-key",
                     tmp_path_factory.mktemp("twenty"), week="2027-W05")
    return {(n, lang): path for n, rendered in ((3, three), (20, twenty))
            for lang, path in rendered.items()}


# Measures what a reader sees once plotly has drawn every figure: the heatmap's row height,
# every pair of overlapping labels (ticks of one axis or of a colour bar), where the call list
# starts, and all text (HTML, SVG, the heatmap's hover labels).
LAYOUT_PROBE = """(async () => {
  const figures = () => [...document.querySelectorAll('div.plotly-graph-div')];
  const drawn = () => figures().filter(d => d.querySelector('svg.main-svg')).length;
  for (let waited = 0; drawn() < figures().length && waited < 15000; waited += 100)
    await new Promise(r => setTimeout(r, 100));
  const box = e => e.getBoundingClientRect();
  // a label's four corners on the screen: its own box through its rotation and position
  const corners = e => {
    const b = e.getBBox(), m = e.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
            [b.x, b.y + b.height]].map(([x, y]) => [m.a * x + m.c * y + m.e,
                                                    m.b * x + m.d * y + m.f]);
  };
  // two (rotated) rectangles meet unless an edge normal of one separates them (by > 0.5 px)
  const meet = (a, b) => {
    for (const poly of [a, b])
      for (let i = 0; i < 4; i++) {
        const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
        const len = Math.hypot(x2 - x1, y2 - y1) || 1;
        const n = [(y1 - y2) / len, (x2 - x1) / len];
        const proj = p => p.map(([x, y]) => x * n[0] + y * n[1]);
        const pa = proj(a), pb = proj(b);
        if (Math.max(...pa) <= Math.min(...pb) + 0.5 || Math.max(...pb) <= Math.min(...pa) + 0.5)
          return false;
      }
    return true;
  };
  const overlaps = [];
  const heatmaps = [];
  for (const gd of figures()) {
    const groups = [...gd.querySelectorAll('g.xaxislayer-above, g.yaxislayer-above')];
    groups.push(...gd.querySelectorAll('g.colorbar'));
    for (const g of groups) {
      const labels = [...g.querySelectorAll('text')]
        .filter(t => t.textContent.trim() && box(t).width > 0);
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++)
          if (meet(corners(labels[i]), corners(labels[j])))
            overlaps.push([labels[i].textContent, labels[j].textContent]);
    }
    const trace = (gd.data || [])[0];
    if (trace && trace.type === 'heatmap') {
      const rows = new Set(trace.y).size;
      const image = gd.querySelector('g.hm image');
      heatmaps.push({rows, plot: gd._fullLayout.yaxis._length,
                     image: image ? box(image).height : null,
                     hover: trace.text.flat().join(' ')});
    }
  }
  const call = document.querySelector('.m2if-call-list');
  return {
    figures: figures().length, drawn: drawn(), overlaps, heatmaps,
    call_top: call ? box(call).top + window.scrollY : null,
    text: document.body.innerText + ' '
          + [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' '),
  };
})()"""


@pytest.fixture(scope="module")
def measured(pages: dict[tuple[int, str], Path]) -> dict[tuple[int, str], dict]:
    with shared_chromium() as browser:
        return {key: browser.open(path, LAYOUT_PROBE).value for key, path in pages.items()}


CASES = [(3, "fr"), (3, "en"), (20, "fr"), (20, "en")]


@pytest.mark.parametrize("case", CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_every_figure_is_drawn_and_heatmap_rows_are_at_least_20_px(
        measured: dict[tuple[int, str], dict], case: tuple[int, str]):
    page = measured[case]
    assert page["drawn"] == page["figures"] >= 4
    (heatmap,) = page["heatmaps"]
    assert heatmap["rows"] == case[0]
    assert heatmap["plot"] / heatmap["rows"] >= MIN_ROW_PX
    assert heatmap["image"] / heatmap["rows"] >= MIN_ROW_PX


@pytest.mark.parametrize("case", CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_no_two_tick_or_colour_bar_labels_overlap(measured: dict[tuple[int, str], dict],
                                                 case: tuple[int, str]):
    assert measured[case]["overlaps"] == []


@pytest.mark.parametrize("case", CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_the_call_list_starts_on_the_first_screen(measured: dict[tuple[int, str], dict],
                                                  case: tuple[int, str]):
    top = measured[case]["call_top"]
    assert top is not None and top < FIRST_SCREEN_PX


def test_the_first_screen_names_the_report_week_with_its_dates(
        measured: dict[tuple[int, str], dict]):
    assert "Semaine du 1er au 7 février 2027 (2027-W05)" in measured[(20, "fr")]["text"]
    assert "Week of 1–7 February 2027 (2027-W05)" in measured[(20, "en")]["text"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_group_names_that_say_group_are_not_doubled(measured: dict[tuple[int, str], dict],
                                                    lang: str):
    page = measured[(3, lang)]
    text = page["text"] + " " + page["heatmaps"][0]["hover"]
    assert "Groupe Nord" in text and "Groupe Sud" in text
    for doubled in ("Groupe Groupe", "groupe Groupe", "Group Groupe", "group Groupe"):
        assert doubled not in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pace_legend_names_the_configured_total(measured: dict[tuple[int, str], dict],
                                                    lang: str):
    text = measured[(3, lang)]["text"]
    assert ("Rythme vers 600\u00a0h" if lang == "fr" else "Pace to 600\u00a0h") in text
    assert "1\u202f500" not in text and "1,500" not in text and "1500" not in text
    twenty = measured[(20, lang)]["text"]  # the sample configuration keeps the default 1500 h
    assert ("Rythme vers 1\u202f500\u00a0h" if lang == "fr" else "Pace to 1,500\u00a0h") in twenty

