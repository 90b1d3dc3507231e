"""The student profile (notebooks/student_profile.ipynb → offline HTML) on the full sample, and
the privacy acceptance: "The student profile without the mapping shows no name; with it, the
name appears only in that report" — not in the other reports of the same warehouse, not in
the warehouse, not in any other file the rendering wrote, and no other person's name."""

from __future__ import annotations

import csv
import hashlib
import hmac
import html
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from m2if_analytics.privacy.mapping import build_mapping
from m2if_analytics.reports import render as reports
from m2if_analytics.reports.render import RenderOptions
from m2if_analytics.warehouse.pseudonyms import normalise_name
from tests.browser import PROBE, Chromium, needs_chromium, shared_chromium
from tests.conftest import SAMPLE_CONFIG, SAMPLES

KEY = "sample-key"  # conftest.build_sample's key
STUDENT_ID, STUDENT_NAME = 112, "Hugo Tessier"  # the default (first red) student
pytestmark = pytest.mark.slow


def sample_pseudonym(user_id: int) -> str:
    return "p" + hmac.new(KEY.encode(), f"id:{user_id}".encode(), hashlib.sha256).hexdigest()[:12]


def roster_identities() -> dict[str, set[str]]:
    """user id → the forms its name and e-mail may take in a file (text, HTML, JSON), from
    the roster of every sample cohort."""
    out: dict[str, set[str]] = {}
    for roster in sorted(SAMPLES.rglob("roster.csv")):
        with roster.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                values = {row["full_name"], row["email"]}
                out.setdefault(row["user_id"], set()).update(
                    values | {html.escape(v) for v in values}
                    | {json.dumps(v)[1:-1] for v in values})
    return out


def leaks(text: str, identities: set[str]) -> list[str]:
    folded = normalise_name(text)
    return sorted(v for v in identities if v in text or normalise_name(v) in folded)


@pytest.fixture(scope="module")
def rendered(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[dict[str, Path]]:
    """The profile of user 112 without and with the mapping, and the weekly report, each
    rendered with its own temporary, IPython and Jupyter runtime folders (scanned later)."""
    base = tmp_path_factory.mktemp("student-report")
    paths = {"mapping": base / "private" / "mapping.csv", "plain": base / "plain",
             "named": base / "named", "weekly": base / "weekly", "scratch": base / "scratch"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        for sub in ("tmp", "ipython", "runtime"):
            (paths["scratch"] / sub).mkdir(parents=True)
        mp.setenv("TMPDIR", str(paths["scratch"] / "tmp"))
        mp.setenv("IPYTHONDIR", str(paths["scratch"] / "ipython"))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(paths["scratch"] / "runtime"))
        mp.setattr(tempfile, "tempdir", str(paths["scratch"] / "tmp"))
        build_mapping(SAMPLES / "roster.csv", paths["mapping"], db=full_sample_warehouse)
        student, db, config = sample_pseudonym(STUDENT_ID), full_sample_warehouse, SAMPLE_CONFIG
        paths["plain_html"] = reports.render_report(
            "student", paths["plain"], RenderOptions(db, config, student=student))
        paths["named_html"] = reports.render_report(
            "student", paths["named"], RenderOptions(db, config, student=student,
                                                     mapping=paths["mapping"]))
        paths["weekly_html"] = reports.render_report("weekly", paths["weekly"],
                                                     RenderOptions(db, config))
    paths["db"] = full_sample_warehouse
    yield paths


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with shared_chromium() as chromium:
        yield chromium


def test_the_profile_is_named_after_cohort_pseudonym_and_week(rendered: dict[str, Path]):
    student = sample_pseudonym(STUDENT_ID)
    for key in ("plain_html", "named_html"):
        page = rendered[key].read_text(encoding="utf-8")
        assert rendered[key].name == f"student-2026-2027-{student}-2027-W25.html"
        assert f"<title>Fiche étudiant {student} – promotion 2026-2027 – 2027-W25</title>" in page
        assert "import m2if_analytics" not in page and "NBVAL_CHECK_OUTPUT" not in page
        for section in ("Semaines par rapport à l'objectif", "Sessions par jour et par heure",
                        "Échéances", "Notes par UE et seuil de validation", "Stage",
                        "Partenaires sur les forums", "Alertes au fil des semaines"):
            assert html.escape(section, quote=False) in page or section in page, section


@needs_chromium
@pytest.mark.parametrize("key", ["plain_html", "named_html"])
def test_the_profile_renders_offline_with_every_figure_drawn(
        rendered: dict[str, Path], browser: Chromium, key: str):
    page = browser.open(rendered[key], PROBE)
    assert page.errors == []
    assert page.remote_requests == []
    assert page.value["figures"] == 6  # weeks, hours, grades, internship, partners, risk
    assert page.value["drawn"] == page.value["figures"]
    shown = dict(page.value["headline"])
    assert shown["level"] == "red" and float(shown["weeks_below_target"]) == 23
    assert float(shown["late"]) == 0 and shown["last_event"].startswith("2027-01-17T14:59")


def test_without_the_mapping_no_name_or_email_of_the_roster_appears(rendered: dict[str, Path]):
    page = rendered["plain_html"].read_text(encoding="utf-8")
    everyone = set().union(*roster_identities().values())
    assert leaks(page, everyone) == []
    assert sample_pseudonym(STUDENT_ID) in page


def test_with_the_mapping_only_the_profiled_students_name_appears_and_only_there(
        rendered: dict[str, Path]):
    identities = roster_identities()
    mine = {STUDENT_NAME, html.escape(STUDENT_NAME)}
    others = set().union(*(v for k, v in identities.items() if k != str(STUDENT_ID)))
    named = rendered["named_html"].read_text(encoding="utf-8")
    assert f"{STUDENT_NAME} ({sample_pseudonym(STUDENT_ID)})" in named
    assert leaks(named, others) == []  # forum partners stay pseudonyms
    assert "hugo.tessier@example.org" not in named
    written = [p for p in rendered["plain"].parent.rglob("*")
               if p.is_file() and p != rendered["named_html"] and p != rendered["mapping"]]
    assert rendered["weekly_html"] in written and rendered["plain_html"] in written
    for path in written:
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert leaks(text, mine) == [], path
    assert sorted(p.name for p in rendered["named"].iterdir()) == [rendered["named_html"].name]


def test_no_name_or_email_is_in_any_text_column_of_the_warehouse(rendered: dict[str, Path]):
    everyone = set().union(*roster_identities().values())
    con = duckdb.connect(str(rendered["db"]), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
        assert len(columns) > 20
        found = []
        for table, column in columns:
            values = con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" '  # test-only SQL
                                 f'WHERE "{column}" IS NOT NULL').fetchall()
            found += [(table, column, v[0]) for v in values if leaks(str(v[0]), everyone)]
    finally:
        con.close()
    assert found == []
