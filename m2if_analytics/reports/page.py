"""Executed notebook → one offline HTML page (nbconvert's lab template, code hidden)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from m2if_analytics import outputs
from m2if_analytics.errors import M2IFError

# The lab template without the blocks that load require.js, MathJax, mermaid or the widget
# manager from a CDN: the report must render with no network at all.
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
# What would load from the network: a <script src> or <link href> to an http(s) or
# protocol-relative URL, or a dynamic import() of one. Tags are found first and their
# attributes read apart, and `import(` is searched case-sensitively (a JavaScript keyword)
# with its word boundary checked afterwards: one case-insensitive pattern with a leading \b
# could not use a literal prefix and read a 5 MB page at 35 MB/s (0.14 s per report).
_TAG = re.compile(r"<(script|link)\b", re.I)  # a tag's start; it runs to the next ">"
_NETWORK = r"(?i:https?:)?//"  # an http(s) or protocol-relative URL's start
_REMOTE_ATTRIBUTE = {
    tag: re.compile(rf"""\b{attribute}\s*=\s*["']?\s*{_NETWORK}[^"'\s>]*""", re.I)
    for tag, attribute in (("script", "src"), ("link", "href"))}
_IMPORT = re.compile(rf"""import\s*\(\s*["']{_NETWORK}[^"']*""")
_WORD = re.compile(r"\w")


def to_html(executed: Path, title: str, lang: str = "fr") -> str:
    """The executed notebook as one offline HTML page: no code, no prompts, no stderr."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = title
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if not (o.output_type == "stream" and o.get("name") == "stderr")]
    html, _ = _exporter(lang).from_notebook_node(nb, resources={"metadata": {"name": title}})
    check_offline(html)
    return html


@cache
def _exporter(lang: str) -> Any:
    """nbconvert's HTML exporter for ``lang``, made once per process: a new one compiles its
    thirty templates again (0.12 s per report)."""
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[jinja2.DictLoader(
            {"m2if_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="m2if_offline.html.j2", exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
        language_code=lang)
    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_cell_tags={"remove-cell"}, remove_all_outputs_tags={"remove-output"}),
        enabled=True)
    return exporter


def check_offline(html: str) -> None:
    """Refuse a page that would load a script, stylesheet or module from the network."""
    found = remote_load(html)
    if found is not None:
        raise M2IFError(f"the report would load {found[:120]!r} from the network; "
                        "figures must embed plotly.js (m2if_analytics.reports.weekly.figures)")


def remote_load(html: str) -> str | None:
    """The first network load in ``html`` (from its tag or ``import`` to the URL's end)."""
    found: list[tuple[int, str]] = []
    for tag in _TAG.finditer(html):
        end = html.find(">", tag.end())
        text = html[tag.start():end if end >= 0 else len(html)]
        url = _REMOTE_ATTRIBUTE[tag.group(1).lower()].search(text)
        if url is not None:
            found.append((tag.start(), text[:url.end()]))
            break
    for load in _IMPORT.finditer(html):
        if load.start() == 0 or not _WORD.match(html[load.start() - 1]):
            found.append((load.start(), load.group(0)))
            break
    return min(found)[1] if found else None


PLOTLY_FILE = "plotly.min.js"


def plotlyjs_beside(html: str, out_dir: Path) -> str:
    """``html`` with its inline plotly.js (the one ``<script>`` whose text starts with
    plotly.js's banner) replaced by ``<script src="plotly.min.js">``, and plotly.js written
    once into ``out_dir`` (relative path: the folder stays offline and can be moved whole).
    A page without plotly.js is returned unchanged."""
    from plotly.offline import get_plotlyjs

    banner = html.find("* plotly.js v")
    if banner < 0:
        return html
    start = html.rfind("<script", 0, banner)
    end = html.find("</script>", banner) + len("</script>")
    bundle = get_plotlyjs()
    target = out_dir / PLOTLY_FILE
    if not target.is_file() or target.read_text(encoding="utf-8") != bundle:
        outputs.write_text(target, bundle)
    return (html[:start] + f'<script charset="utf-8" src="{PLOTLY_FILE}"></script>'
            + html[end:])
