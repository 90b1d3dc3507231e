"""The collaboration report (notebooks/collaboration.ipynb → offline HTML) on the sample
cohort with its forum: stable name, every figure drawn in headless Chromium with the network
cut off, headline numbers as the collaboration API computes them, no personal data."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from m2if_analytics import api, collaboration
from m2if_analytics.collaboration import data as collaboration_data
from m2if_analytics.errors import M2IFError
from m2if_analytics.reports import render as reports
from m2if_analytics.reports.collaboration.data import headline
from m2if_analytics.reports.render import RenderOptions
from m2if_analytics.reports.specs import REPORTS
from m2if_analytics.warehouse.workspace import open_workspace
from tests.browser import PROBE, Chromium, needs_chromium, shared_chromium
from tests.conftest import SAMPLES

KEY = "sample-key"  # the key conftest.build_sample uses


@pytest.fixture(scope="module")
def forum_db(full_sample_warehouse: Path) -> Path:
    """The sample cohort with every table, the forum dump included (conftest)."""
    with open_workspace(full_sample_warehouse, None) as ws:
        assert collaboration_data.forum_frame(ws).height > 1000
    return full_sample_warehouse


@pytest.fixture(scope="module")
def expected(forum_db: Path) -> dict:
    """Period, headline numbers and figure count as the API computes them."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        with api.open_warehouse(forum_db) as ws:
            cohort = ws.cfg.cohort(None)
            end = api.report_week(ws) + dt.timedelta(days=6)
            people = collaboration_data.members(ws, include_teachers=True)
            posts = collaboration_data.forum_frame(ws, start=cohort.start, end=end)
    persons = collaboration.student_metrics(posts, people, include_teachers=True)
    return {"cohort": cohort.id, "start": cohort.start, "end": end,
            "headline": headline(posts, persons)}


@pytest.fixture(scope="module")
def collab_html(forum_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real collaboration report, French, default period."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", KEY)
        return reports.render_report("collaboration", tmp_path_factory.mktemp("html"),
                                     RenderOptions(forum_db))


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with shared_chromium() as chromium:
        yield chromium


def personal_data() -> set[str]:
    """Names, e-mails and IPs of the sample inputs, and the forum's subjects and message
    text (each line of at least 15 characters, tags removed), as text and HTML."""
    found: set[str] = set()
    with (SAMPLES / "roster.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found |= {row["full_name"], row["email"]}
    with (SAMPLES / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        found |= {row["ip"] for row in csv.DictReader(fh)}
    with (SAMPLES / "forum_posts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found.add(row["subject"])
            text = html.unescape(re.sub(r"<[^>]+>", "\n", row["message"]))
            found |= {line.strip() for line in text.splitlines() if len(line.strip()) >= 15}
    found -= {"", "-"}
    return found | {html.escape(v) for v in found}


# --- the rendered report ------------------------------------------------------------------

@pytest.mark.slow
def test_report_is_named_after_cohort_and_period_with_a_french_title(
        collab_html: Path, expected: dict):
    start, end = expected["start"], expected["end"]
    assert collab_html.name == f"collaboration-{expected['cohort']}-{start}_{end}.html"
    page = collab_html.read_text(encoding="utf-8")
    title = (f"Travail collaboratif – promotion {expected['cohort']} – du "
             f"{start:%d/%m/%Y} au {end:%d/%m/%Y}")
    assert f"<title>{title}</title>" in page and '<html lang="fr">' in page
    assert "Réseau des réponses" in page and "Comparaison des groupes" in page
    assert not list(collab_html.parent.glob("*.ipynb"))


@pytest.mark.slow
@needs_chromium
def test_report_renders_offline_with_every_figure_drawn_and_the_api_numbers(
        collab_html: Path, browser: Chromium, expected: dict):
    page = browser.open(collab_html, PROBE)
    assert page.errors == []
    assert page.remote_requests == []
    assert page.value["figures"] == 4  # network, groups, weekly evolution, isolated
    assert page.value["drawn"] == page.value["figures"]
    shown = {key: int(float(value)) for key, value in page.value["headline"]}
    assert shown == expected["headline"]
    assert shown["posts"] > 1000 and shown["students"] == 20


@pytest.mark.slow
def test_report_has_no_code_no_network_script_and_no_personal_data(collab_html: Path):
    page = collab_html.read_text(encoding="utf-8")
    assert not re.search(r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", page, re.I)
    assert "import m2if_analytics" not in page and "NBVAL_CHECK_OUTPUT" not in page
    assert not any("stderr" in m for m in re.findall(r'data-mime-type="[^"]*"', page))
    leaked = sorted(v for v in personal_data() if v in page)
    assert leaked == []
    assert re.search(r"\bp[0-9a-f]{12}\b", page)  # people appear as pseudonyms


@pytest.mark.slow
def test_english_report_over_a_given_period(forum_db: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", KEY)
    path = reports.render_report("collaboration", tmp_path, RenderOptions(
        forum_db, lang="en", start="2026-11-02", end="2026-12-20", keep_notebook=True))
    assert path.name == "collaboration-2026-2027-2026-11-02_2026-12-20.html"
    page = path.read_text(encoding="utf-8")
    assert ("<title>Collaborative work – cohort 2026-2027 – 2026-11-02 to 2026-12-20</title>"
            in page)
    assert '<html lang="en">' in page and "Reply network" in page
    assert "Réseau des réponses" not in page
    executed = path.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert "2026-11-02..2026-12-20" in executed


@pytest.mark.slow
def test_a_warehouse_without_forum_renders_a_report_saying_so(sample_warehouse: Path,
                                                              tmp_path: Path):
    with open_workspace(sample_warehouse, None) as ws:
        if not collaboration_data.forum_frame(ws).is_empty():
            pytest.skip("the shared sample warehouse has a forum")
    path = reports.render_report("collaboration", tmp_path,
                                 RenderOptions(sample_warehouse, week="2027-W05"))
    assert path.name == "collaboration-2026-2027-2026-10-05_2027-02-07.html"
    page = path.read_text(encoding="utf-8")
    assert "Aucun message de forum pour cette période" in page
    assert 'data-key="posts" data-value="0.0"' in page
    assert "plotly-graph-div" not in page


# --- period resolution (no kernel) ----------------------------------------------------------

def test_collaboration_period_defaults_to_cohort_start_and_the_last_complete_week(
        forum_db: Path, expected: dict):
    collaboration, weekly_spec = REPORTS["collaboration"], REPORTS["weekly"]
    target = reports.resolve_target(RenderOptions(forum_db), period=True)
    assert (target.start, target.end) == (expected["start"], expected["end"])
    assert target.end.weekday() == 6
    assert collaboration.subject.stem("collaboration", target) == (
        f"collaboration-2026-2027-{expected['start']}_{expected['end']}")
    by_week = reports.resolve_target(RenderOptions(forum_db, week="2027-01-20"), period=True)
    assert (by_week.start, by_week.end) == (dt.date(2026, 10, 5), dt.date(2027, 1, 24))
    given = reports.resolve_target(RenderOptions(forum_db, start="2026-11-02",
                                                 end=dt.date(2026, 12, 20)), period=True)
    assert given.iso_week == "2026-W51"
    assert collaboration.subject.stem("collaboration", given) == (
        "collaboration-2026-2027-2026-11-02_2026-12-20")
    weekly = reports.resolve_target(RenderOptions(forum_db, week="2027-01-20"))
    assert weekly_spec.subject.stem("weekly", weekly) == "weekly-2026-2027-2027-W03"
    assert weekly.start is None


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"period": True, "start": "2027-02-01", "end": "2027-01-31"}, "after it ends"),
    ({"period": True, "end": "31/01/2027"}, "is not a date (write 2027-01-31)"),
    ({"period": True, "week": "2027-W05", "end": "2027-01-31"}, "not both"),
    ({"start": "2026-11-02"}, "collaboration report only"),
])
def test_bad_periods_fail_before_any_kernel_starts(forum_db: Path, kwargs: dict, words: str):
    period = kwargs.pop("period", False)
    with pytest.raises(M2IFError, match=re.escape(words)):
        reports.resolve_target(RenderOptions(forum_db, **kwargs), period=period)


def test_collaboration_is_a_known_report_with_titles_in_both_languages():
    assert reports.report_notebook("collaboration").name == "collaboration.ipynb"
    for spec in REPORTS.values():
        assert set(spec.titles) == set(reports.LANGS)


# --- figures and labels (no kernel) ---------------------------------------------------------

def small_forum() -> tuple:
    """Three students of group A, one of B, a teacher; B's post gets no answer."""
    import polars as pl

    people = pl.DataFrame({"student": ["pa1", "pa2", "pa3", "pb1", "pt1"],
                           "group": ["A", "A", "A", "B", None],
                           "role": ["student"] * 4 + ["teacher"]})
    rows = [(1, 1, None, "pt1"), (2, 1, 1, "pa1"), (3, 1, 2, "pa2"), (4, 1, 3, "pa1"),
            (5, 2, None, "pb1"), (6, 3, None, "pa3")]
    monday = dt.date(2026, 10, 5)
    posts = pl.DataFrame(
        {"post_id": [r[0] for r in rows], "discussion_id": [r[1] for r in rows],
         "parent_id": [r[2] for r in rows], "author": [r[3] for r in rows],
         "week_start": [monday] * len(rows)},
        schema_overrides={"parent_id": pl.Int64})
    return posts, people


def test_network_figure_is_deterministic_with_teachers_as_diamonds_and_isolated_outlined():
    from m2if_analytics.reports.collaboration import figures as plots_collab

    posts, people = small_forum()
    persons = collaboration.student_metrics(posts, people, include_teachers=True)
    edges = collaboration.edges(posts, "reply", people)
    one = plots_collab.network(persons, edges, "en")
    two = plots_collab.network(persons.reverse(), edges.reverse(), "en")
    assert one.to_json() == two.to_json()
    markers = {t.name: t for t in one.data if t.mode == "markers"}
    assert set(markers) == {"Group A", "Group B", "Teachers", "Isolated (no reply received)"}
    assert markers["Teachers"].marker.symbol == "diamond"
    outline = dict(zip((t.split(" ")[0] for t in markers["Group B"].text),
                       markers["Group B"].marker.line.color, strict=True))
    assert outline == {"pb1": plots_collab.ISOLATED_OUTLINE}  # posted, nobody answered
    sizes = dict(zip((t.split(" ")[0] for t in markers["Group A"].text),
                     markers["Group A"].marker.size, strict=True))
    assert sizes["pa1"] == plots_collab.MAX_SIZE and sizes["pa1"] > sizes["pa2"]


def test_group_weekly_and_isolated_figures_have_one_trace_per_group():
    from m2if_analytics.reports.collaboration import figures as plots_collab

    posts, people = small_forum()
    groups = collaboration.group_metrics(posts, people, include_teachers=True)
    weekly = collaboration.weekly_metrics(posts, people, include_teachers=True)
    bars = plots_collab.group_comparison(groups, "fr")
    assert [t.name for t in bars.data] == ["Groupe A", "Groupe B", "Promotion entière"]
    assert len(bars.data[0].x) == 4
    lines = plots_collab.weekly_activity(weekly, "fr")
    assert [t.name for t in lines.data] == ["Groupe A", "Groupe A", "Groupe B", "Groupe B"]
    isolated = plots_collab.isolated_over_time(weekly, "en")
    assert [t.name for t in isolated.data] == ["Group A", "Group B"]
    from m2if_analytics.reports.collaboration.html import group_table

    table = group_table(groups, "fr")
    assert "<td>Promotion entière</td>" in table and "Réciprocité" in table


def test_labels_exist_in_both_languages_with_the_same_placeholders():
    from string import Formatter

    from m2if_analytics.i18n import MESSAGES
    from m2if_analytics.reports.collaboration.data import window

    labels = {k: v for k, v in MESSAGES.items() if k.startswith("collab_")}
    assert len(labels) > 30
    for key, texts in labels.items():
        assert set(texts) == {"fr", "en"}, key
        fields = [{f for _, f, _, _ in Formatter().parse(t) if f} for t in texts.values()]
        assert fields[0] == fields[1], key
    assert window(dt.date(2026, 10, 5), dt.date(2027, 7, 2), "2026-11-02") == (
        dt.date(2026, 11, 2), dt.date(2027, 7, 2))
    with pytest.raises(ValueError, match="after it ends"):
        window(dt.date(2026, 10, 5), dt.date(2027, 7, 2), "2027-01-02", "2027-01-01")
