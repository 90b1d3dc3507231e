"""The test browser (tests/browser.py) reports what a broken report page would do: the
report tests' ``page.errors == []`` and ``remote_requests == []`` mean something only if
these are seen."""

from __future__ import annotations

from pathlib import Path

from tests.browser import needs_chromium, shared_chromium

BROKEN = """<!doctype html><html><head><title>t</title></head><body>
<script>console.error('drawn wrong', 42);</script>
<script>console.assert(1 === 2, 'one is not two');</script>
<script>console.assert(true, 'never shown');</script>
<script>Promise.reject(new TypeError('no data'));</script>
<script>setTimeout(() => { throw new RangeError('late failure'); }, 10);</script>
<img src="missing-figure.png">
<script src="https://cdn.example.org/plotly.js"></script>
<script>undefinedFunction();</script>
</body></html>"""


@needs_chromium
def test_page_errors_console_errors_failed_loads_and_remote_requests_are_reported(
        tmp_path: Path):
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    clean = tmp_path / "clean.html"
    clean.write_text("<!doctype html><title>c</title><script>console.log('ok')</script>",
                     encoding="utf-8")
    with shared_chromium() as browser:
        page = browser.open(broken, "document.title")
        fine = browser.open(clean, "document.title")
    assert page.value == "t" and fine.value == "c"
    assert fine.errors == [] and fine.requests == [clean.as_uri()]
    errors = "\n".join(page.errors)
    for expected in ("drawn wrong 42", "assertion failed: one is not two", "TypeError: no data",
                     "RangeError: late failure", "undefinedFunction is not defined",
                     "missing-figure.png", "cdn.example.org/plotly.js"):
        assert expected in errors, (expected, page.errors)
    assert "never shown" not in errors
    assert page.remote_requests == ["https://cdn.example.org/plotly.js"]
