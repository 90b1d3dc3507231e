"""The managers' reports (cohort, student, comparison): names, titles and the checks that
refuse a bad request before any kernel starts. Rendering itself is tested per report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from m2if_analytics import api
from m2if_analytics.cli import app
from m2if_analytics.cli.base import report_app
from m2if_analytics.errors import M2IFError
from m2if_analytics.reports import render as reports
from m2if_analytics.reports.render import RenderOptions, ReportTarget
from m2if_analytics.reports.specs import REPORTS
from m2if_analytics.warehouse.workspace import open_workspace
from tests.conftest import REPO

runner = CliRunner()


@pytest.fixture
def sample_db(sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    return sample_warehouse


def _target(**kwargs: object) -> ReportTarget:
    return ReportTarget("2026-2027", "2027-W05", Path("w.duckdb"), None,
                        **kwargs)  # type: ignore[arg-type]


def _stem(name: str, **kwargs: object) -> str:
    return REPORTS[name].subject.stem(name, _target(**kwargs))


def _title(name: str, lang: str, **kwargs: object) -> str:
    return REPORTS[name].title(_target(**kwargs), lang)


def test_each_report_has_a_notebook_and_a_title_in_both_languages():
    for name in REPORTS:
        assert reports.report_notebook(name).is_file(), name
        for lang in reports.LANGS:
            title = _title(name, lang, student="p1", cohorts=("a", "b"),
                           start=dt.date(2026, 10, 5), end=dt.date(2027, 1, 31))
            assert "{" not in title and title, (name, lang)


def test_every_report_command_has_a_spec_and_nothing_else_branches_on_the_name():
    import ast

    commands = {c.name for c in report_app.registered_commands}
    assert commands == {*REPORTS, "me"}  # me: the student's page, plain HTML, no notebook
    source = (REPO / "m2if_analytics" / "reports" / "render.py").read_text(encoding="utf-8")
    names = {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)}
    assert names.isdisjoint(REPORTS)  # render.py never names a report


def test_file_names_say_what_the_report_is_about():
    assert _stem("weekly") == "weekly-2026-2027-2027-W05"
    assert _stem("cohort") == "cohort-2026-2027-2027-W05"
    assert _stem("student", student="p0a1b2c3d4e5f") == \
        "student-2026-2027-p0a1b2c3d4e5f-2027-W05"
    assert _stem("comparison", cohorts=("2025-2026", "2026-2027")) == \
        "comparison-2025-2026_2026-2027"
    assert _stem("collaboration", start=dt.date(2026, 10, 5), end=dt.date(2027, 1, 31)) == \
        "collaboration-2026-2027-2026-10-05_2027-01-31"
    assert _stem("student", student="p/../x") == "student-2026-2027-p_.._x-2027-W05"


def test_titles_name_the_week_the_period_the_student_and_the_cohorts():
    assert _title("weekly", "fr") == "Rapport hebdomadaire – promotion 2026-2027 – 2027-W05"
    assert _title("cohort", "en") == "Cohort overview – cohort 2026-2027 – 2027-W05"
    assert _title("student", "fr", student="p9") == \
        "Fiche étudiant p9 – promotion 2026-2027 – 2027-W05"
    assert _title("comparison", "en", cohorts=("2025-2026", "2026-2027")) == \
        "Cohort comparison 2025-2026 / 2026-2027"
    period = {"start": dt.date(2026, 10, 5), "end": dt.date(2027, 1, 31)}
    assert _title("collaboration", "fr", **period) == \
        "Travail collaboratif – promotion 2026-2027 – du 05/10/2026 au 31/01/2027"
    assert _title("collaboration", "en", **period) == \
        "Collaborative work – cohort 2026-2027 – 2026-10-05 to 2027-01-31"


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"name": "student"}, "needs a student pseudonym"),
    ({"name": "student", "student": "p000000000000"}, "is not a student of cohort 2026-2027"),
    ({"name": "weekly", "mapping": Path("mapping.csv")}, "applies to the student profile"),
    ({"name": "student", "student": "p1", "mapping": Path("nowhere.csv")}, "not found"),
    ({"name": "student", "student": "p1", "mapping": Path(__file__), "keep_notebook": True},
     "--keep-notebook would write the student's name"),
    ({"name": "comparison", "cohorts": ["2026-2027", "1999-2000"]}, "unknown cohort(s) 1999"),
    ({"name": "comparison", "cohorts": ["2026-2027", "2026-2027"]}, "at least two cohorts"),
])
def test_bad_requests_fail_before_any_kernel_starts(sample_db: Path, tmp_path: Path,
                                                    kwargs: dict, words: str):
    name = kwargs.pop("name")
    with pytest.raises(M2IFError) as caught:
        reports.render_report(name, tmp_path / "out", RenderOptions(sample_db, **kwargs))
    assert words in str(caught.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_known_student_is_accepted_and_the_comparison_defaults_to_cohorts_with_students(
        sample_db: Path):
    with open_workspace(sample_db, None) as ws:
        first = api.students(ws)["student"][0]
    assert REPORTS["student"].subject.resolve(
        RenderOptions(sample_db, student=first)).student == first
    with pytest.raises(M2IFError, match="at least two cohorts"):
        REPORTS["comparison"].subject.resolve(RenderOptions(sample_db))  # one has students


def test_report_commands_exist_with_their_options():
    for command, option in (("cohort", "--week"), ("student", "--mapping"),
                            ("comparison", "--cohorts")):
        result = runner.invoke(app, ["report", command, "--help"])
        assert result.exit_code == 0 and option in result.output, command


@pytest.mark.slow
def test_plotlyjs_beside_writes_one_plotly_file_and_pages_that_still_draw_offline(
        sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from plotly.offline import get_plotlyjs

    from m2if_analytics.reports.render import RenderOptions, render_report
    from tests.browser import CHROMIUM, PROBE, shared_chromium

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    inline = render_report("weekly", tmp_path / "inline", RenderOptions(sample_warehouse))
    beside = render_report("weekly", tmp_path / "beside",
                           RenderOptions(sample_warehouse, plotlyjs="beside"))
    bundle = get_plotlyjs()
    assert inline.read_text(encoding="utf-8").count("* plotly.js v") == 1
    page = beside.read_text(encoding="utf-8")
    assert "* plotly.js v" not in page
    assert '<script charset="utf-8" src="plotly.min.js"></script>' in page
    assert (beside.parent / "plotly.min.js").read_text(encoding="utf-8") == bundle
    assert inline.stat().st_size - beside.stat().st_size >= len(bundle) - 1000
    if CHROMIUM is not None:
        with shared_chromium() as browser:
            shown = browser.open(beside, PROBE)
        assert shown.errors == [] and shown.remote_requests == []
        assert shown.value["figures"] == shown.value["drawn"] >= 1
    with pytest.raises(M2IFError, match="use inline or beside"):
        render_report("weekly", tmp_path, RenderOptions(sample_warehouse, plotlyjs="cdn"))
