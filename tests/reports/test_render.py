"""The managers' reports (cohort, student, comparison): names, titles and the checks that
refuse a bad request before any kernel starts. Rendering itself is tested per report."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from m2if_analytics import api
from m2if_analytics.cli import app
from m2if_analytics.errors import M2IFError
from m2if_analytics.reports import render as reports
from m2if_analytics.warehouse.workspace import open_workspace

runner = CliRunner()


@pytest.fixture
def sample_db(sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    return sample_warehouse


def _target(**kwargs: object) -> reports.ReportTarget:
    return reports.ReportTarget("2026-2027", "2027-W05", Path("w.duckdb"), None,
                                **kwargs)  # type: ignore[arg-type]


def test_each_report_has_a_notebook_and_a_title_in_both_languages():
    for name in reports.REPORTS:
        assert reports.report_notebook(name).is_file(), name
        for lang in reports.LANGS:
            title = _target(student="p1", cohorts=("a", "b")).title(name, lang)
            assert "{" not in title and title, (name, lang)


def test_file_names_say_what_the_report_is_about():
    assert _target().stem("cohort") == "cohort-2026-2027-2027-W05"
    assert _target(student="p0a1b2c3d4e5f").stem("student") == \
        "student-2026-2027-p0a1b2c3d4e5f-2027-W05"
    assert _target(cohorts=("2025-2026", "2026-2027")).stem("comparison") == \
        "comparison-2025-2026_2026-2027"
    assert _target(student="p/../x").stem("student") == "student-2026-2027-p_.._x-2027-W05"


def test_titles_name_the_student_and_the_cohorts():
    assert _target(student="p9").title("student", "fr") == \
        "Fiche étudiant p9 – promotion 2026-2027 – 2027-W05"
    assert _target(cohorts=("2025-2026", "2026-2027")).title("comparison", "en") == \
        "Cohort comparison 2025-2026 / 2026-2027"


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
        reports.render_report(name, tmp_path / "out", sample_db, None, None, None, **kwargs)
    assert words in str(caught.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_known_student_is_accepted_and_the_comparison_defaults_to_cohorts_with_students(
        sample_db: Path):
    with open_workspace(sample_db, None) as ws:
        first = api.students(ws)["student"][0]
    target = reports.resolve_target(sample_db, None, None, None)
    assert reports.resolve_subjects(target, None, student=first).student == first
    with pytest.raises(M2IFError, match="at least two cohorts"):
        reports.resolve_subjects(target, None, comparison=True)  # one cohort has students


def test_report_commands_exist_with_their_options():
    for command, option in (("cohort", "--week"), ("student", "--mapping"),
                            ("comparison", "--cohorts")):
        result = runner.invoke(app, ["report", command, "--help"])
        assert result.exit_code == 0 and option in result.output, command
