"""The cohort overview report (notebooks/cohort_overview.ipynb → offline HTML) on the sample
cohorts: stable name, a title in both languages, every figure drawn in headless Chromium with
the network cut off, every control working, the key numbers as the risk rules and the grade
indicators compute them, and no name, e-mail or IP address in the page."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from m2if_analytics import api, risk
from m2if_analytics.programme import indicators as ind
from tests.browser import PROBE, Chromium, in_turn, needs_chromium, shared_chromium
from tests.conftest import EARLIER_SAMPLES, SAMPLE_CONFIG, SAMPLES, render_in_both_languages

KEY = "sample-key"  # the key conftest.build_sample uses
WEEK = "2027-W25"  # the sample's last complete week

# Every figure with data, its controls as drawn, and every control's button applied through
# plotly.js the way a click applies it (errors collected).
CONTROLS = """(async () => {
  const out = [];
  for (const gd of document.querySelectorAll('div.js-plotly-plot')) {
    const menus = gd.layout.updatemenus || [];
    const errors = [];
    let applied = 0;
    for (const m of menus) for (const b of m.buttons) {
      try { await Plotly[b.method](gd, ...b.args); applied++; }
      catch (e) { errors.push(String(e)); }
    }
    out.push({traces: gd.data.length, menus: menus.length,
              drawn_menus: gd.querySelectorAll('g.updatemenu-container').length,
              buttons: menus.reduce((n, m) => n + m.buttons.length, 0), applied, errors});
  }
  return out;
})()"""


def personal_data() -> set[str]:
    """Names and e-mails of both sample rosters and the IPs of both logstore dumps, as text
    and as HTML."""
    found: set[str] = set()
    for folder in (SAMPLES, EARLIER_SAMPLES):
        with (folder / "roster.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                found |= {row["full_name"], row["email"]}
        with (folder / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
            found |= {row["ip"] for row in csv.DictReader(fh)}
    found -= {"", "-"}
    return found | {html.escape(v) for v in found}


@pytest.fixture(scope="module")
def pages(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, Path]:
    """The overview of the default cohort at its last complete week, in French and English."""
    return render_in_both_languages("cohort", full_sample_warehouse, tmp_path_factory, KEY)


@pytest.fixture(scope="module")
def expected(full_sample_warehouse: Path) -> dict[str, float]:
    """The key numbers computed by the risk rules and the grade indicators directly."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        with api.open_warehouse(full_sample_warehouse, SAMPLE_CONFIG) as ws:
            table = risk.assess(ws, "2026-2027", WEEK)
            sunday = api.report_week(ws, "2026-2027", WEEK) + dt.timedelta(days=6)
            validation = ind.year_validation(ws, "2026-2027", sunday)
    levels = {lv: float((table["level"] == lv).sum()) for lv in ("red", "amber", "green")}
    return {"students": float(table.height), **levels,
            "validated": float(validation["validated"].eq_missing(True).sum()),
            "blocked": float(validation["validated"].eq_missing(False).sum())}


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with shared_chromium() as chromium:
        yield chromium


@pytest.mark.slow
def test_report_is_named_after_cohort_and_week_with_a_title_in_each_language(
        pages: dict[str, Path]):
    assert pages["fr"].name == pages["en"].name == f"cohort-2026-2027-{WEEK}.html"
    fr, en = (pages[lang].read_text(encoding="utf-8") for lang in ("fr", "en"))
    titles = [html.unescape(re.search(r"<title>(.*?)</title>", page).group(1))
              for page in (fr, en)]
    assert titles == [f"Vue d'ensemble – promotion 2026-2027 – {WEEK}",
                      f"Cohort overview – cohort 2026-2027 – {WEEK}"]
    assert '<html lang="fr">' in fr and '<html lang="en">' in en
    assert "Rythme vers 1" in fr and "Pace to 1,500" in en
    assert "Niveaux de risque au fil des semaines" in fr and "Risk levels over the weeks" in en
    # the sample's planted document nobody opens (resources.csv), in the rare documents' table
    for page, heading in ((fr, "Documents que personne ou presque n"),
                          (en, "Documents nobody or almost nobody opened")):
        table = page[page.index(heading):].split("</table>")[0]
        rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td class=\"num\">(.*?)</td>", table)
        assert rows == [("UE1", "Recueil de textes réglementaires", "0 / 20")]


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_figure_is_drawn_offline_with_its_controls_and_the_key_numbers(
        pages: dict[str, Path], browser: Chromium, expected: dict[str, float], lang: str):
    page = browser.open(pages[lang], in_turn(PROBE, CONTROLS))  # the controls after the probe
    assert page.errors == [] and page.remote_requests == []
    drawn, figures = page.value
    # engagement, cumulative, documents opened, levels, student levels, forecast, UE means,
    # internship, forums
    assert drawn["figures"] == drawn["drawn"] == 9
    shown = {key: float(value) for key, value in drawn["headline"]}
    assert {k: shown[k] for k in expected} == expected
    # the alternating student (120) is amber by the chronic under-work rule; the late starter
    # 114 is not behind its internship pace, which starts at its first day (26/01)
    assert expected["red"] == 6 and expected["amber"] == 1 and expected["green"] == 13
    assert len(figures) == 9 and all(f["traces"] > 0 for f in figures)
    assert all(f["errors"] == [] and f["applied"] == f["buttons"] for f in figures)
    with_menus = [f for f in figures if f["menus"]]
    assert len(with_menus) == 7  # every figure but the forecast's bars and the coverage
    assert all(f["drawn_menus"] >= 1 for f in with_menus)
    assert sum(f["buttons"] for f in figures) >= 7 * 3


@pytest.mark.slow
def test_report_has_no_code_and_no_personal_data(pages: dict[str, Path]):
    for path in pages.values():
        text = path.read_text(encoding="utf-8")
        assert "import m2if_analytics" not in text and "NBVAL_CHECK_OUTPUT" not in text
        assert not re.search(r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", text, re.I)
        assert sorted(v for v in personal_data() if v in text) == []
        assert re.search(r"\bp[0-9a-f]{12}\b", text)  # pseudonyms only
