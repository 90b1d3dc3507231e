"""Report notebooks → self-contained HTML (papermill, then nbconvert), and JupyterLab on them.

``render_report("weekly", ...)`` resolves the cohort and the report week, executes
``notebooks/weekly_report.ipynb`` with those parameters in a kernel running *this* Python,
and writes ``weekly-<cohort>-<YYYY-Www>.html``: code hidden, no script fetched from the
network (plotly.js is inlined by the notebook's first figure), so it opens offline.

``render_report("collaboration", ...)`` does the same with ``notebooks/collaboration.ipynb``
over a period (``start`` to ``end``, by default the cohort's start to the Sunday of the report
week) and writes ``collaboration-<cohort>-<YYYY-MM-DD>_<YYYY-MM-DD>.html``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from m2if_analytics.calendar import iso_week_label, parse_week
from m2if_analytics.errors import M2IFError

REPORTS = {"weekly": "weekly_report.ipynb", "collaboration": "collaboration.ipynb"}
PERIOD_REPORTS = {"collaboration"}  # about a period (start, end) rather than one week
LANGS = ("fr", "en")
TITLES = {
    "weekly": {"fr": "Rapport hebdomadaire – promotion {cohort} – {week}",
               "en": "Weekly report – cohort {cohort} – {week}"},
    "collaboration": {"fr": "Travail collaboratif – promotion {cohort} – du {start} au {end}",
                      "en": "Collaborative work – cohort {cohort} – {start} to {end}"},
}
CELL_TIMEOUT_SECONDS = 600
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


def notebooks_dir() -> Path:
    """The packaged ``notebooks`` folder (wheel) or the repository's (editable install)."""
    packaged = Path(__file__).parent / "notebooks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "notebooks"


def report_notebook(name: str) -> Path:
    """The notebook behind report ``name`` (``weekly``, ``collaboration``)."""
    if name not in REPORTS:
        raise M2IFError(f"unknown report {name!r}; known: {', '.join(REPORTS)}")
    path = notebooks_dir() / REPORTS[name]
    if not path.is_file():
        raise M2IFError(f"report notebook {path} not found")
    return path


@dataclass(frozen=True)
class ReportTarget:
    """What a report is about: cohort id, week (Monday and ISO label), resolved paths, and
    for a period report its first and last day."""

    cohort: str
    iso_week: str
    db: Path
    config: Path | None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def when(self) -> str:
        """The report's date in file names: ``2027-W05``, or ``2026-10-05_2027-01-31``."""
        if self.start is not None and self.end is not None:
            return f"{self.start.isoformat()}_{self.end.isoformat()}"
        return self.iso_week

    def stem(self, name: str) -> str:
        return f"{name}-{re.sub(r'[^A-Za-z0-9_.-]', '_', self.cohort)}-{self.when}"

    def title(self, name: str, lang: str) -> str:
        def day(d: dt.date | None) -> str:
            if d is None:
                return ""
            return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()

        return TITLES[name][lang].format(cohort=self.cohort, week=self.iso_week,
                                         start=day(self.start), end=day(self.end))


def _day(value: str | dt.date | None, option: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise M2IFError(f"{option} {value!r} is not a date (write 2027-01-31)") from None


def resolve_target(db: Path | None, config: Path | None, cohort: str | None,
                   week: str | None, key_file: Path | None = None, *, period: bool = False,
                   start: str | dt.date | None = None,
                   end: str | dt.date | None = None) -> ReportTarget:
    """Open the warehouse briefly to resolve cohort and week, then close it (DuckDB allows
    one writer and the notebook's kernel opens it again).

    With ``period`` (the collaboration report) the target also has a first and last day:
    ``start`` (default: the cohort's start) and ``end`` (default: the Sunday of ``week``, or
    of the last complete week with data)."""
    from m2if_analytics import api
    from m2if_analytics.config import resolve_paths
    from m2if_analytics.context import open_workspace

    if not period and (start is not None or end is not None):
        raise M2IFError("a start or end date applies to the collaboration report only; "
                        "the weekly report takes --week")
    first, last = _day(start, "start"), _day(end, "end")
    if period and week is not None and last is not None:
        raise M2IFError("give the end of the period or a week, not both")
    paths = resolve_paths(db, config, key_file)
    if not paths.db.is_file():
        raise M2IFError(f"warehouse {paths.db} not found: ingest exports first (m2if ingest), "
                        "or pass --db")
    try:
        monday = parse_week(week) if week is not None else None
    except ValueError as exc:
        raise M2IFError(str(exc)) from None
    with open_workspace(paths.db, paths.config, paths.key_file) as ws:
        c = ws.cfg.cohort(cohort)
        if period and last is not None:
            monday = last - dt.timedelta(days=last.weekday())
        else:
            monday = api.report_week(ws, c.id, monday)
    if period:
        first = first if first is not None else c.start
        last = last if last is not None else monday + dt.timedelta(days=6)
        if first > last:
            raise M2IFError(f"the period starts on {first} after it ends on {last}")
    return ReportTarget(c.id, iso_week_label(monday), paths.db.resolve(),
                        paths.config.resolve() if paths.config else None, first, last)


def render_report(name: str, out_dir: Path, db: Path | None, config: Path | None,
                  cohort: str | None, week: str | None, lang: str = "fr",
                  key_file: Path | None = None, notebook: Path | None = None,
                  keep_notebook: bool = False, *, start: str | dt.date | None = None,
                  end: str | dt.date | None = None, include_teachers: bool = True) -> Path:
    """Execute report ``name``'s notebook for one cohort and week (or period) and write it
    as HTML.

    Returns ``out_dir/<name>-<cohort>-<YYYY-Www>.html`` for the weekly report and
    ``out_dir/collaboration-<cohort>-<start>_<end>.html`` (ISO dates) for the collaboration
    report, whose period is ``start`` to ``end`` (defaults: the cohort's start, the Sunday of
    ``week`` or of the last complete week) and which ``include_teachers`` as labelled
    nodes. With ``keep_notebook`` the executed notebook is also written beside it
    (``.ipynb``). When a cell fails, raises :class:`M2IFError` naming the cell and keeps the
    executed notebook as ``.failed.ipynb``. ``notebook`` replaces the report's notebook
    (tests).
    """
    if lang not in LANGS:
        raise M2IFError(f"unknown language {lang!r}; use {' or '.join(LANGS)}")
    source = notebook or report_notebook(name)
    target = resolve_target(db, config, cohort, week, key_file, period=name in PERIOD_REPORTS,
                            start=start, end=end)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = target.stem(name)
    failed = out_dir / f"{stem}.failed.ipynb"
    with tempfile.TemporaryDirectory(prefix="m2if-report-") as tmp:
        executed = Path(tmp) / f"{stem}.ipynb"
        parameters = {"db": str(target.db),
                      "config": str(target.config) if target.config else None,
                      "cohort": target.cohort, "lang": lang}
        if name in PERIOD_REPORTS:
            parameters |= {"start": target.start.isoformat() if target.start else None,
                           "end": target.end.isoformat() if target.end else None,
                           "include_teachers": include_teachers}
        else:
            parameters["week"] = target.iso_week
        error = execute_notebook(source, executed, parameters)
        title = target.title(name, lang)
        try:
            html = to_html(executed, title, lang) if error is None else ""
        except M2IFError as exc:
            error = str(exc)
        if error is not None:
            if executed.is_file():
                shutil.copyfile(executed, failed)
                error += f"; executed notebook kept in {failed}"
            raise M2IFError(f"{name} report ({source.name}): {error}")
        failed.unlink(missing_ok=True)
        if keep_notebook:
            shutil.copyfile(executed, out_dir / executed.name)
    return _write_atomically(out_dir / f"{stem}.html", html)


def _kernel_manager_class() -> type:
    """A kernel manager that runs ipykernel on ``sys.executable`` (the venv's Python, which
    has this package) whatever kernelspecs are installed, over CurveZMQ when available."""
    import zmq
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec

    class ThisPythonKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            if zmq.has("curve"):
                self.transport_encryption = "auto"

        @property
        def kernel_spec(self) -> KernelSpec:
            return KernelSpec(**get_kernel_dict())  # argv[0] is sys.executable

    return ThisPythonKernelManager


def execute_notebook(source: Path, executed: Path, parameters: dict) -> str | None:
    """Run ``source`` with papermill into ``executed``; None on success, else why it failed
    (one line)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(source), str(executed), parameters=parameters, kernel_name="python3",
            progress_bar=False, execution_timeout=CELL_TIMEOUT_SECONDS,
            kernel_manager_class=_kernel_manager_class())
    except PapermillExecutionError as exc:
        first = next((ln for ln in exc.source.splitlines() if ln.strip()), "").strip()
        where = f"cell {exc.exec_count}" + (f" ({first[:60]!r})" if first else "")
        return f"{where} failed: {exc.ename}: {_one_line(exc.evalue)}"
    except Exception as exc:  # kernel died, timed out or could not start
        return f"execution failed: {type(exc).__name__}: {_one_line(str(exc))}"
    return None


def _one_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())[:300]


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
                        "figures must embed plotly.js (m2if_analytics.plots)")


def _write_atomically(path: Path, text: str) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


@dataclass(frozen=True)
class LabCommand:
    """``jupyter lab`` on the notebooks folder, with the warehouse preselected."""

    argv: list[str]
    env: dict[str, str]  # the M2IF_* variables added to the current environment

    def describe(self) -> str:
        import shlex

        assignments = [f"{k}={shlex.quote(v)}" for k, v in sorted(self.env.items())]
        return " ".join([*assignments, *map(shlex.quote, self.argv)])

    def exec(self) -> None:
        """Replace this process with JupyterLab."""
        os.execve(self.argv[0], self.argv, {**os.environ, **self.env})


def lab_command(db: Path | None, config: Path | None, key_file: Path | None = None,
                port: int | None = None, extra: list[str] | None = None) -> LabCommand:
    """The JupyterLab command for ``notebooks/`` with ``M2IF_DB``/``M2IF_CONFIG`` set to
    absolute paths, so the notebooks' parameters cells pick them up; ``extra`` options are
    passed on to ``jupyter lab``."""
    from m2if_analytics.config import resolve_paths

    paths = resolve_paths(db, config, key_file)
    venv_jupyter = Path(sys.executable).parent / "jupyter"
    jupyter = str(venv_jupyter) if venv_jupyter.is_file() else shutil.which("jupyter")
    if jupyter is None:
        raise M2IFError("JupyterLab is not installed: pip install 'm2if-analytics[notebooks]'")
    env = {"M2IF_DB": str(paths.db.resolve())}
    if paths.config is not None:
        env["M2IF_CONFIG"] = str(paths.config.resolve())
    if key_file is not None:
        env["M2IF_PSEUDONYM_KEY_FILE"] = str(paths.key_file.resolve())
    argv = [jupyter, "lab", f"--notebook-dir={notebooks_dir()}"]
    if port is not None:
        argv.append(f"--port={port}")
    return LabCommand([*argv, *(extra or [])], env)
