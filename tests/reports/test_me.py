"""A page for the student: their own figures only (no other pseudonym, no other student's
hours), no risk level unless asked, offline in Chromium in French and English."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.engagement.cohort import weekly
from m2if_analytics.errors import M2IFError
from m2if_analytics.reports.me import all_students, write_me
from m2if_analytics.warehouse.workspace import open_workspace
from tests.browser import needs_chromium, shared_chromium
from tests.conftest import SAMPLE_CONFIG

WEEK = "2027-W10"


@pytest.fixture(scope="module")
def pages(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, object]:
    """Every student's page in French, one in English with the level, and the weekly table."""
    out = tmp_path_factory.mktemp("me")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(full_sample_warehouse, SAMPLE_CONFIG) as ws:
            students = all_students(ws)
            fr = write_me(ws, out / "fr", students, week=WEEK)
            en = write_me(ws, out / "en", students[:1], week=WEEK, lang="en", with_level=True)
            table = weekly(ws)
    return {"students": students, "fr": fr, "en": en[0], "weekly": table}


def test_each_page_shows_its_students_figures_and_no_one_elses(pages: dict):
    students, table = pages["students"], pages["weekly"]
    assert len(pages["fr"]) == len(students) == 20
    for student, path in zip(students, pages["fr"], strict=True):
        assert path.name == f"me-{student}-{WEEK}.html"
        html = path.read_text(encoding="utf-8")
        shown = set(re.findall(r"p[0-9a-f]{12}", html))
        assert shown == {student}, path.name  # no other pseudonym anywhere in the page
        own = (table.filter((pl.col("student") == student)
                            & (pl.col("week_start") <= pl.date(2027, 3, 8)))
               .sort("week_start"))
        weeks = re.findall(r'data-week="([^"]+)" data-hours="([^"]+)"', html)
        assert [w for w, _ in weeks] == own["iso_week"].to_list()
        assert [float(h) for _, h in weeks] == own["hours"].to_list()  # their own hours
        assert "data-level" not in html  # no risk level without --with-level
        assert "Votre suivi" in html and "médiane" not in html.lower()


@needs_chromium
def test_the_page_opens_offline_in_french_and_english_with_the_level_when_asked(pages: dict):
    probe = "document.body.innerText"
    with shared_chromium() as browser:
        fr = browser.open(pages["fr"][0], probe)
        en = browser.open(pages["en"], probe)
    for page in (fr, en):
        assert page.errors == [] and page.remote_requests == []
    assert "Vos semaines face à l'objectif de 15\u00a0h par semaine" in fr.value
    assert "Your weeks against the 15\u00a0h weekly target" in en.value
    assert "Your alert level this week" in en.value
    assert 'data-level="' in pages["en"].read_text(encoding="utf-8")


def test_report_me_needs_a_student_or_all_and_refuses_a_stranger(full_sample_warehouse: Path,
                                                                 tmp_path: Path):
    base = ["--db", str(full_sample_warehouse), "--config", str(SAMPLE_CONFIG), "report", "me",
            "--out", str(tmp_path)]
    env = {"M2IF_PSEUDONYM_KEY": "sample-key"}
    neither = CliRunner().invoke(app, base, env=env)
    assert isinstance(neither.exception, M2IFError)
    assert "give --student PSEUDONYM or --all" in str(neither.exception)
    stranger = CliRunner().invoke(app, [*base, "--student", "p000000000000"], env=env)
    assert isinstance(stranger.exception, M2IFError)
    assert "is not a student of cohort" in str(stranger.exception)
