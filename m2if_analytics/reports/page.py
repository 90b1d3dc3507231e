"""Executed notebook → one offline HTML page (nbconvert's lab template, code hidden)."""

from __future__ import annotations

import re
from pathlib import Path

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
_REMOTE = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*"""
    r"""|\bimport\s*\(\s*["'](?:https?:)?//[^"']*""", re.I)



def to_html(executed: Path, title: str, lang: str = "fr") -> str:
    """The executed notebook as one offline HTML page: no code, no prompts, no stderr."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = title
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if not (o.output_type == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[jinja2.DictLoader(
            {"m2if_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="m2if_offline.html.j2", exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
        language_code=lang)
    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_cell_tags={"remove-cell"}, remove_all_outputs_tags={"remove-output"}),
        enabled=True)
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    check_offline(html)
    return html


def check_offline(html: str) -> None:
    """Refuse a page that would load a script, stylesheet or module from the network."""
    found = _REMOTE.search(html)
    if found:
        raise M2IFError(f"the report would load {found.group(0)[:120]!r} from the network; "
                        "figures must embed plotly.js (m2if_analytics.reports.weekly.figures)")


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
