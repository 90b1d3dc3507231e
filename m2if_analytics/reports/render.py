"""Report notebooks → self-contained HTML (papermill, then nbconvert).

    render_report("weekly", Path("reports"), RenderOptions(week="2027-W05", lang="en"))

The report's spec (:mod:`.specs`) checks the request and resolves what the report is about
(cohort and week, period, student, cohorts) before any kernel starts; the notebook then runs
with those parameters and becomes ``<stem>.html``: code hidden, no script fetched from the
network (plotly.js is inlined by the notebook's first figure), so it opens offline. Names
appear only in a student profile rendered with a re-identification mapping, whose executed
notebook is never kept.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from m2if_analytics import outputs
from m2if_analytics.errors import M2IFError
from m2if_analytics.reports.execute import execute_notebook
from m2if_analytics.reports.page import check_offline, plotlyjs_beside, to_html
from m2if_analytics.reports.specs import REPORTS, spec
from m2if_analytics.reports.targets import RenderOptions, ReportTarget, resolve_target

LANGS = ("fr", "en")
__all__ = ["LANGS", "REPORTS", "RenderOptions", "ReportTarget", "check_offline",
           "notebooks_dir", "render_report", "report_notebook", "resolve_target", "to_html"]


def notebooks_dir() -> Path:
    """The packaged ``notebooks`` folder (wheel) or the repository's (editable install)."""
    packaged = Path(__file__).resolve().parents[1] / "notebooks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "notebooks"


def report_notebook(name: str) -> Path:
    """The notebook behind report ``name``."""
    path = notebooks_dir() / spec(name).notebook
    if not path.is_file():
        raise M2IFError(f"report notebook {path} not found")
    return path


def render_report(name: str, out_dir: Path, options: RenderOptions | None = None) -> Path:
    """Execute report ``name``'s notebook for what ``options`` asks and write it as
    ``out_dir/<stem>.html`` (the spec's file name). With ``options.keep_notebook`` the
    executed notebook is also written beside it; when a cell fails, raises
    :class:`M2IFError` naming the cell and keeps the executed notebook as
    ``<stem>.failed.ipynb`` (never with a mapping: it may hold a name)."""
    options = options or RenderOptions()
    if options.plotlyjs not in ("inline", "beside"):
        raise M2IFError(f"--plotlyjs {options.plotlyjs!r}: use inline or beside")
    if options.lang not in LANGS:
        raise M2IFError(f"unknown language {options.lang!r}; use {' or '.join(LANGS)}")
    report = spec(name)
    source = options.notebook or report_notebook(name)
    report.subject.check(options)
    target = report.subject.resolve(options)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report.subject.stem(name, target)
    failed = out_dir / f"{stem}.failed.ipynb"
    with tempfile.TemporaryDirectory(prefix="m2if-report-") as tmp:
        executed = Path(tmp) / f"{stem}.ipynb"
        error = execute_notebook(source, executed,
                                 report.subject.parameters(target, options))
        try:
            html = (to_html(executed, report.title(target, options.lang), options.lang)
                    if error is None else "")
        except M2IFError as exc:
            error = str(exc)
        if error is not None:
            if options.mapping is not None:  # the executed notebook may hold the name
                error += "; render again without --mapping to keep the executed notebook"
            elif executed.is_file():
                shutil.copyfile(executed, failed)
                error += f"; executed notebook kept in {failed}"
            raise M2IFError(f"{name} report ({source.name}): {error}")
        failed.unlink(missing_ok=True)
        if options.keep_notebook:
            shutil.copyfile(executed, out_dir / executed.name)
    if options.plotlyjs == "beside":
        html = plotlyjs_beside(html, out_dir)
    return _write_atomically(out_dir / f"{stem}.html", html)


def _write_atomically(path: Path, text: str) -> Path:
    return outputs.write_text(path, text)
