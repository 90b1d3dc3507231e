"""The reports folder's front page and screenshots of its reports.

``index.html`` links every rendered report and table of a folder (offline, no script).
Screenshots use Debian's headless Chromium when it is installed; without it they are
skipped with a message, since they only illustrate the README.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from html import escape, unescape
from pathlib import Path

from m2if_analytics import i18n
from m2if_analytics.outputs import write_text

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars")
TITLES = {"fr": "Rapports m2if-analytics", "en": "m2if-analytics reports"}
ARCHIVE_TITLES = {"fr": "Archive des rapports hebdomadaires – promotion",
                  "en": "Weekly reports archive – cohort"}


def write_index(out_dir: Path, lang: str = "fr") -> Path:
    """``out_dir/index.html`` linking the folder's HTML reports, CSV tables and exports."""
    i18n.LANGS.index(lang)
    entries = sorted(p for p in out_dir.glob("*.html") if p.name != "index.html")
    entries += sorted(out_dir.glob("*/index.html"))  # weekly archives (m2if run weekly)
    latest = [max(weeks) for c in sorted(out_dir.glob("*/index.html"))
              if (weeks := list(c.parent.glob("[0-9][0-9][0-9][0-9]-W[0-9][0-9]")))]
    entries += [p for week in latest for p in sorted(week.glob("*.html"))]
    entries += sorted(out_dir.glob("*.csv"))
    entries += sorted(out_dir.glob("*/README.md"))
    items = "".join(f'<li><a href="{escape(p.relative_to(out_dir).as_posix())}">'
                    f"{escape(_label(p, out_dir))}</a></li>" for p in entries)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{TITLES[lang]}</title></head><body><h1>{TITLES[lang]}</h1>"
            f"<ul>{items}</ul><p>{escape(stamp)}</p></body></html>\n")
    index = out_dir / "index.html"
    return write_text(index, page)


def write_archive(cohort_dir: Path, lang: str = "fr") -> Path:
    """``cohort_dir/index.html``: every report week rendered so far (``m2if run weekly``
    writes one folder per week, ``YYYY-Www``), latest first, with links to its reports,
    risk table and digests."""
    i18n.LANGS.index(lang)
    weeks = sorted((p for p in cohort_dir.glob("[0-9][0-9][0-9][0-9]-W[0-9][0-9]")
                    if p.is_dir()), reverse=True)
    blocks = []
    for week in weeks:
        files = sorted(week.glob("*.html")) + sorted(week.glob("*.csv"))
        files += sorted((week / "digests").glob("*.html")) if (week / "digests").is_dir() else []
        items = "".join(f'<li><a href="{escape(p.relative_to(cohort_dir).as_posix())}">'
                        f"{escape(_label(p, cohort_dir))}</a></li>" for p in files)
        blocks.append(f"<h2>{escape(week.name)}</h2><ul>{items}</ul>")
    title = f"{ARCHIVE_TITLES[lang]} {escape(cohort_dir.name)}"
    page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body><h1>{title}</h1>{''.join(blocks)}"
            "</body></html>\n")
    return write_text(cohort_dir / "index.html", page)


def _label(path: Path, out_dir: Path) -> str:
    """A report's own title (its ``<title>``) and file name; other files by name."""
    name = path.relative_to(out_dir).as_posix()
    if path.suffix != ".html":
        return name
    with path.open(encoding="utf-8", errors="replace") as page:
        head = page.read(65536)
    found = re.search(r"<title>(.*?)</title>", head, re.S)
    return f"{unescape(found.group(1).strip())} ({name})" if found else name


def chromium() -> str | None:
    """Path of a Chromium binary, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html: Path, png: Path, width: int = 1300, height: int = 3000) -> bool:
    """A PNG of ``html`` as headless Chromium draws it offline; False without Chromium."""
    binary = chromium()
    if binary is None:
        return False
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="m2if-chromium-") as profile:
        subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "--virtual-time-budget=8000",
             f"--screenshot={png.resolve()}", html.resolve().as_uri()],
            capture_output=True, timeout=120, check=False)
    return png.is_file() and png.stat().st_size > 0
