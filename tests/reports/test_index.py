"""The reports folder's index and screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from m2if_analytics.reports.index import chromium, screenshot, write_index


def test_index_links_every_report_table_and_export_readme(tmp_path: Path):
    for name in ("weekly-x-2027-W01.html", "collaboration-x.html", "risk.csv", "weekly.csv"):
        (tmp_path / name).write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "research").mkdir()
    (tmp_path / "research" / "README.md").write_text("# x", encoding="utf-8")
    page = write_index(tmp_path, "en").read_text(encoding="utf-8")
    for link in ("weekly-x-2027-W01.html", "collaboration-x.html", "risk.csv", "weekly.csv",
                 "research/README.md"):
        assert f'href="{link}"' in page
    assert 'href="index.html"' not in page and "<script" not in page
    assert "<title>Rapports" in write_index(tmp_path, "fr").read_text(encoding="utf-8")


@pytest.mark.skipif(chromium() is None and not os.environ.get("CI"), reason="no chromium")
def test_screenshot_draws_a_png_offline(tmp_path: Path):
    html = tmp_path / "page.html"
    html.write_text("<h1>Bonjour</h1>", encoding="utf-8")
    assert screenshot(html, tmp_path / "shots" / "page.png", 400, 300)
    assert (tmp_path / "shots" / "page.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_index_names_each_report_by_its_title_escaped(tmp_path: Path):
    (tmp_path / "cohort-x-2027-W01.html").write_text(
        "<html><head><title>Vue d&#39;ensemble – promotion x</title></head></html>",
        encoding="utf-8")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert ">Vue d&#x27;ensemble – promotion x (cohort-x-2027-W01.html)</a>" in page
