"""m2if report weekly / m2if lab: the executed report as offline HTML, checked in headless
Chromium with the network cut off, against the numbers the API computes."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from m2if_analytics import api
from m2if_analytics.cli import app
from m2if_analytics.errors import M2IFError
from m2if_analytics.reports import render as reports
from m2if_analytics.reports.page import remote_load
from m2if_analytics.reports.render import RenderOptions
from tests.browser import PROBE, Chromium, needs_chromium, shared_chromium
from tests.conftest import REPO, SAMPLES
from tests.ingest.fuzz_inputs import BATCH, batches

STAND_IN = REPO / "tests" / "data" / "stand_in_report.ipynb"
KEY = "sample-key"  # the key conftest.sample_warehouse was built with
HEADLINE_KEYS = {"students", "below_target", "median_hours", "trend_hours"}
runner = CliRunner()


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("M2IF_")}
    return {**env, "M2IF_PSEUDONYM_KEY": KEY}


@pytest.fixture(scope="module")
def sample_db(sample_warehouse: Path) -> Path:
    """The sample cohort (roster + logstore dump), built once per run by conftest."""
    return sample_warehouse


@pytest.fixture(scope="module")
def weekly_html(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real weekly report, rendered by the real command in its own process (as cron does)."""
    out = tmp_path_factory.mktemp("reports")
    result = subprocess.run(
        [sys.executable, "-m", "m2if_analytics", "--db", str(sample_db), "report", "weekly",
         "--out", str(out)], cwd=out, env=_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def stand_in_html(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stand-in notebook (same parameters cell) rendered in English, notebook kept."""
    return reports.render_report("weekly", tmp_path_factory.mktemp("stand_in"), RenderOptions(
        sample_db, lang="en", notebook=STAND_IN, keep_notebook=True))


@pytest.fixture(scope="module")
def expected(sample_db: Path) -> api.Headline:
    with api.open_warehouse(sample_db) as ws:
        return api.headline(ws)


@pytest.fixture(scope="module")
def level_counts(sample_db: Path) -> dict[str, int]:
    """Students per level at the report week, as risk.flags computes them."""
    from m2if_analytics.risk import flags

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        with api.open_warehouse(sample_db) as ws:
            table = flags(ws)
    return {lv: int((table["level"] == lv).sum()) for lv in ("red", "amber", "green")}


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with shared_chromium() as chromium:
        yield chromium


def personal_data() -> set[str]:
    """Every name, e-mail and IP address of the sample inputs, as text, HTML and JSON."""
    found: set[str] = set()
    with (SAMPLES / "roster.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found |= {row["full_name"], row["email"]}
    with (SAMPLES / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        found |= {row["ip"] for row in csv.DictReader(fh)}
    columns = {"moodle_logs_en.csv": ("User full name", "Affected user", "IP address"),
               "moodle_logs_fr.csv": ("Nom complet de l'utilisateur", "Utilisateur concerné",
                                      "Adresse IP")}
    for name, wanted in columns.items():
        with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.readline()
            fh.seek(0)
            rows = csv.DictReader(fh, delimiter=";" if ";" in sample else ",")
            found |= {row[c] for row in rows for c in wanted}
    found -= {"", "-"}
    return found | {html.escape(v) for v in found} | {json.dumps(v)[1:-1] for v in found}


# --- the real weekly report ---------------------------------------------------------------

@pytest.mark.slow
def test_report_weekly_prints_a_stable_path_named_after_cohort_and_last_complete_week(
        weekly_html: Path, expected: api.Headline):
    assert weekly_html.name == f"weekly-{expected.cohort}-{expected.iso_week}.html"
    page = weekly_html.read_text(encoding="utf-8")
    title = f"Rapport hebdomadaire – promotion {expected.cohort} – {expected.iso_week}"
    assert f"<title>{title}</title>" in page
    assert '<html lang="fr">' in page
    assert not list(weekly_html.parent.glob("*.ipynb"))  # nothing but the page by default


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("report", ["weekly_html", "stand_in_html"])
def test_report_renders_offline_in_headless_chromium_with_every_figure_drawn_and_api_numbers(
        report: str, request: pytest.FixtureRequest, browser: Chromium,
        expected: api.Headline, level_counts: dict[str, int]):
    page = browser.open(request.getfixturevalue(report), PROBE)
    assert page.errors == []
    assert page.remote_requests == []
    assert page.value["figures"] >= 1
    assert page.value["drawn"] == page.value["figures"]
    shown = page.value["headline"]
    levels = {key: float(value) for key, value in shown if key.startswith("level_")}
    if report == "weekly_html":  # the first screen: students per level (the stand-in has none)
        assert levels == {f"level_{lv}": n for lv, n in level_counts.items()}
    shown = [(key, value) for key, value in shown if not key.startswith("level_")]
    assert {key for key, _ in shown} == HEADLINE_KEYS
    for key, value in shown:
        want = getattr(expected, key)
        if want is None:
            assert value == "", key
        else:
            assert float(value) == pytest.approx(float(want), abs=1e-6), key


@pytest.mark.slow
@pytest.mark.parametrize("report", ["weekly_html", "stand_in_html"])
def test_report_html_has_no_code_no_network_script_and_no_personal_data(
        report: str, request: pytest.FixtureRequest):
    page = request.getfixturevalue(report).read_text(encoding="utf-8")
    assert not re.search(r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", page, re.I)
    assert 'jp-InputArea-editor"' not in page and "import m2if_analytics" not in page
    assert not any("stderr" in m for m in re.findall(r'data-mime-type="[^"]*"', page))
    leaked = sorted(v for v in personal_data() if v in page)
    assert leaked == []


# --- the rendering machinery (stand-in notebook) --------------------------------------------

@pytest.mark.slow
def test_notebook_runs_in_this_python_with_the_resolved_parameters(
        stand_in_html: Path, sample_db: Path, expected: api.Headline):
    assert stand_in_html.name == f"weekly-{expected.cohort}-{expected.iso_week}.html"
    page = stand_in_html.read_text(encoding="utf-8")
    assert f"<title>Weekly report – cohort {expected.cohort} – {expected.iso_week}</title>" in page
    assert '<html lang="en">' in page
    nb = nbformat.read(stand_in_html.with_suffix(".ipynb"), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    for line in (f'db = "{sample_db.resolve()}"', "config = None",
                 f'cohort = "{expected.cohort}"', f'week = "{expected.iso_week}"',
                 'lang = "en"'):
        assert line in injected.source
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs)
    assert f"kernel python: {sys.executable}" in printed


@pytest.mark.slow
def test_a_failing_cell_exits_non_zero_naming_the_cell_and_keeps_the_executed_notebook(
        sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    nb = nbformat.read(STAND_IN, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("ratio = head.students / 0"))
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "weekly_report.ipynb")
    monkeypatch.setattr(reports, "notebooks_dir", lambda: tmp_path / "nb")
    out = tmp_path / "out"
    result = runner.invoke(app, ["--db", str(sample_db), "report", "weekly", "--week",
                                 "2027-01-20", "--out", str(out)])
    assert result.exit_code != 0
    message = str(result.exception)
    assert isinstance(result.exception, M2IFError) and "\n" not in message
    assert "'ratio = head.students / 0') failed: ZeroDivisionError" in message
    failed = out / "weekly-2026-2027-2027-W03.failed.ipynb"
    assert str(failed) in message and failed.is_file()
    assert not list(out.glob("*.html"))


def test_unknown_week_language_or_warehouse_fail_before_any_kernel_starts(
        sample_db: Path, tmp_path: Path):
    cases = {("--week", "2031-W02"): "not a programme week with data",
             ("--week", "2027-06-30"): "week 2027-W26 is still in progress: its figures and "
                                       "flags would judge part of a week; the last complete "
                                       "one is 2027-W25 (the default)",
             ("--week", "soon"): "neither an ISO week",
             ("--lang", "de"): "unknown language 'de'"}
    for args, words in cases.items():
        result = runner.invoke(app, ["--db", str(sample_db), "report", "weekly", *args,
                                     "--out", str(tmp_path)])
        assert result.exit_code != 0 and words in str(result.exception), args
    result = runner.invoke(app, ["--db", str(tmp_path / "none.duckdb"), "report", "weekly",
                                 "--out", str(tmp_path)])
    assert result.exit_code != 0 and "does not exist" in str(result.exception)
    assert not (tmp_path / "none.duckdb").exists()
    assert not list(tmp_path.iterdir())


def test_week_given_as_a_date_or_iso_week_resolves_to_the_same_report(sample_db: Path):
    by_date = reports.resolve_target(RenderOptions(sample_db, week="2027-01-20"))
    by_week = reports.resolve_target(RenderOptions(sample_db, cohort="2026-2027",
                                                   week="2027-w03"))
    assert by_date == by_week
    assert (by_date.cohort, by_date.iso_week) == ("2026-2027", "2027-W03")


def test_offline_check_refuses_scripts_stylesheets_and_modules_from_the_network():
    for page in ('<script src="https://cdn.plot.ly/plotly.min.js"></script>',
                 "<script type='text/javascript' src='//cdn.example.org/a.js'>",
                 '<link rel="stylesheet" href="http://example.org/a.css">',
                 '<script type="module">await import("https://esm.sh/mermaid")</script>'):
        with pytest.raises(M2IFError, match="from the network"):
            reports.check_offline(page)
    reports.check_offline('<script>var u = "https://plotly.com/";</script><a href="https://x">')


# The offline rule as one pattern (what check_offline searched before it was made faster):
# the same first network load must be found, in the same place.
REMOTE_REFERENCE = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*"""
    r"""|(?-i:\bimport)\s*\(\s*["'](?:https?:)?//[^"']*""", re.I)
HTML_PIECES = ["<script", "<SCRIPT", "<link", "<scripts", "<Link", " src=", " SRC =", " href=",
               "'", '"', "https:", "HTTP:", "//", "/", "cdn.x/a.js", ">", "</script>", "import",
               "import (", "(", "x", "$", "_", "é", " ", "\n", "reimport", "data:",
               '<script src="https://cdn.x/a.js">', "<SCRIPT type=module src='//cdn.x'>",
               '<link rel=stylesheet HREF="http://x/a.css">', '<script src="a.js">',
               'import("https://esm.sh/m")', "import ( '//cdn.x/m')", 'IMPORT("//x")',
               'reimport("https://x")', '$import("//x")', 'éimport("//x")', "<a href='//x'>"]


@settings(max_examples=1500 // BATCH, deadline=None, derandomize=True)
@given(batches(st.lists(st.sampled_from(HTML_PIECES), max_size=14).map("".join)))
def test_the_offline_check_finds_the_first_network_load_where_the_one_pattern_does(
        pages: list[str]):
    for page in pages:  # 1,500 pages
        reference = REMOTE_REFERENCE.search(page)
        found = remote_load(page)
        assert (found is None) == (reference is None)
        if reference is not None:
            assert found is not None and page.find(found) <= reference.start()
            assert page.startswith(found, reference.start())


def test_html_export_adds_no_cdn_script_even_for_math_mermaid_and_widgets(tmp_path: Path):
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}})
    nb.cells = [nbformat.v4.new_markdown_cell("$x^2$ and\n```mermaid\ngraph TD; A-->B\n```"),
                nbformat.v4.new_code_cell("print('hidden code')", outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="shown\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="a warning\n")])]
    nbformat.write(nb, tmp_path / "executed.ipynb")
    page = reports.to_html(tmp_path / "executed.ipynb", "Titre – 2027-W05", "fr")
    assert "<title>Titre – 2027-W05</title>" in page and "shown" in page
    assert "hidden code" not in page and "a warning" not in page
    assert not re.search(r"cdnjs|unpkg|jsdelivr|require\.min\.js|mathjax", page, re.I)


def test_html_export_refuses_a_notebook_output_that_loads_a_script_from_the_network(
        tmp_path: Path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("fig.show()", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": '<script src="https://cdn.plot.ly/x.js"></script>'})])]
    nbformat.write(nb, tmp_path / "executed.ipynb")
    with pytest.raises(M2IFError, match=r"https://cdn\.plot\.ly/x\.js"):
        reports.to_html(tmp_path / "executed.ipynb", "t")


# --- m2if lab -----------------------------------------------------------------------------

def test_lab_dry_run_shows_jupyter_lab_on_notebooks_with_absolute_warehouse_and_config(
        tmp_path: Path, config_file: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--db", "promo.duckdb", "--config", config_file.name, "lab",
                                 "--port", "8899", "--dry-run", "--", "--no-browser"])
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    assert f"M2IF_DB={tmp_path / 'promo.duckdb'}" in line
    assert f"M2IF_CONFIG={config_file}" in line
    assert re.search(r"/jupyter lab --notebook-dir=\S*notebooks --port=8899 --no-browser$", line)
    assert str(reports.notebooks_dir()) in line
    assert not (tmp_path / "promo.duckdb").exists()


def test_the_real_report_in_english_has_english_labels_and_title(sample_db: Path,
                                                                 tmp_path: Path):
    path = reports.render_report("weekly", tmp_path,
                                 RenderOptions(sample_db, week="2027-W10", lang="en"))
    html = path.read_text(encoding="utf-8")
    assert path.name == "weekly-2026-2027-2027-W10.html"
    assert "<title>Weekly report" in html and "Students below target" in html
    assert "Étudiants sous l" not in html and "Engagement by week" in html
