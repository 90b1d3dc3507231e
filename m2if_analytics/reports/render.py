"""Report notebooks → self-contained HTML (papermill, then nbconvert), and JupyterLab on them.

``render_report("weekly", ...)`` resolves the cohort and the report week, executes
``notebooks/weekly_report.ipynb`` with those parameters in a kernel running *this* Python,
and writes ``weekly-<cohort>-<YYYY-Www>.html``: code hidden, no script fetched from the
network (plotly.js is inlined by the notebook's first figure), so it opens offline.

``render_report("cohort" | "student" | "comparison", ...)`` render the managers' notebooks:
the cohort overview (``cohort-<cohort>-<week>.html``), one student's profile
(``student-<cohort>-<pseudonym>-<week>.html``; names only with a re-identification
``mapping``) and several cohorts side by side (``comparison-<c1>_<c2>.html``).

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
from m2if_analytics.reports.page import check_offline, to_html

REPORTS = {"weekly": "weekly_report.ipynb", "collaboration": "collaboration.ipynb",
           "cohort": "cohort_overview.ipynb", "student": "student_profile.ipynb",
           "comparison": "cohort_comparison.ipynb"}
PERIOD_REPORTS = {"collaboration"}  # about a period (start, end) rather than one week
LANGS = ("fr", "en")
TITLES = {
    "weekly": {"fr": "Rapport hebdomadaire – promotion {cohort} – {week}",
               "en": "Weekly report – cohort {cohort} – {week}"},
    "collaboration": {"fr": "Travail collaboratif – promotion {cohort} – du {start} au {end}",
                      "en": "Collaborative work – cohort {cohort} – {start} to {end}"},
    "cohort": {"fr": "Vue d'ensemble – promotion {cohort} – {week}",
               "en": "Cohort overview – cohort {cohort} – {week}"},
    "student": {"fr": "Fiche étudiant {student} – promotion {cohort} – {week}",
                "en": "Student profile {student} – cohort {cohort} – {week}"},
    "comparison": {"fr": "Comparaison des promotions {cohorts}",
                   "en": "Cohort comparison {cohorts}"},
}
CELL_TIMEOUT_SECONDS = 600
__all__ = ["check_offline", "render_report", "to_html"]
def notebooks_dir() -> Path:
    """The packaged ``notebooks`` folder (wheel) or the repository's (editable install)."""
    packaged = Path(__file__).resolve().parents[1] / "notebooks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "notebooks"


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
    student: str | None = None
    cohorts: tuple[str, ...] = ()

    @property
    def when(self) -> str:
        """The report's date in file names: ``2027-W05``, or ``2026-10-05_2027-01-31``."""
        if self.start is not None and self.end is not None:
            return f"{self.start.isoformat()}_{self.end.isoformat()}"
        return self.iso_week

    def stem(self, name: str) -> str:
        def safe(text: str) -> str:
            return re.sub(r"[^A-Za-z0-9_.-]", "_", text)

        if name == "comparison":
            return f"comparison-{'_'.join(map(safe, self.cohorts))}"
        if name == "student":
            return f"student-{safe(self.cohort)}-{safe(self.student or '')}-{self.when}"
        return f"{name}-{safe(self.cohort)}-{self.when}"

    def title(self, name: str, lang: str) -> str:
        def day(d: dt.date | None) -> str:
            if d is None:
                return ""
            return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()

        return TITLES[name][lang].format(cohort=self.cohort, week=self.iso_week,
                                         start=day(self.start), end=day(self.end),
                                         student=self.student or "",
                                         cohorts=" / ".join(self.cohorts))


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
    from m2if_analytics import engagement
    from m2if_analytics.config import resolve_paths
    from m2if_analytics.warehouse.workspace import open_workspace

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
            monday = engagement.report_week(ws, c.id, monday)
    if period:
        first = first if first is not None else c.start
        last = last if last is not None else monday + dt.timedelta(days=6)
        if first > last:
            raise M2IFError(f"the period starts on {first} after it ends on {last}")
    return ReportTarget(c.id, iso_week_label(monday), paths.db.resolve(),
                        paths.config.resolve() if paths.config else None, first, last)


def resolve_subjects(target: ReportTarget, key_file: Path | None, *,
                     student: str | None = None,
                     cohorts: list[str] | tuple[str, ...] | None = None,
                     comparison: bool = False) -> ReportTarget:
    """Check a student profile's ``student`` (a pseudonym of the cohort) or resolve a
    comparison's ``cohorts`` (default: every configured cohort with students, oldest
    first; at least two)."""
    from dataclasses import replace

    from m2if_analytics import engagement
    from m2if_analytics.warehouse.workspace import open_workspace

    if student is None and not comparison:
        return target
    with open_workspace(target.db, target.config, key_file) as ws:
        if student is not None:
            known = set(engagement.students(ws, target.cohort)["student"])
            if student not in known:
                raise M2IFError(f"{student!r} is not a student of cohort {target.cohort}; "
                                "list them with: m2if risk --cohort " + target.cohort)
            return replace(target, student=student)
        table = engagement.cohorts(ws).sort("start")
    ids = list(cohorts) if cohorts else table.filter(table["students"] > 0)["cohort"].to_list()
    unknown = sorted(set(ids) - set(table["cohort"]))
    if unknown:
        raise M2IFError(f"unknown cohort(s) {', '.join(unknown)}; known: "
                        f"{', '.join(table['cohort'])}")
    if len(set(ids)) < 2:
        raise M2IFError("a comparison needs at least two cohorts with students "
                        f"(found: {', '.join(ids) or 'none'}); ingest an earlier cohort's "
                        "roster and logs, or name them with --cohorts")
    order = {c: i for i, c in enumerate(table["cohort"])}
    return replace(target, cohorts=tuple(sorted(dict.fromkeys(ids), key=order.__getitem__)))


def render_report(name: str, out_dir: Path, db: Path | None, config: Path | None,
                  cohort: str | None, week: str | None, lang: str = "fr",
                  key_file: Path | None = None, notebook: Path | None = None,
                  keep_notebook: bool = False, *, start: str | dt.date | None = None,
                  end: str | dt.date | None = None, include_teachers: bool = True,
                  student: str | None = None, mapping: Path | None = None,
                  cohorts: list[str] | tuple[str, ...] | None = None) -> Path:
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
    if name == "student" and not student:
        raise M2IFError("the student profile needs a student pseudonym (--student p…)")
    if mapping is not None and name != "student":
        raise M2IFError("a re-identification mapping applies to the student profile only")
    if mapping is not None and not Path(mapping).is_file():
        raise M2IFError(f"re-identification mapping {mapping} not found")
    if mapping is not None and keep_notebook:
        raise M2IFError("--keep-notebook would write the student's name into a notebook; "
                        "render without --mapping to keep it")
    target = resolve_target(db, config, cohort, week, key_file, period=name in PERIOD_REPORTS,
                            start=start, end=end)
    target = resolve_subjects(target, key_file, student=student, cohorts=cohorts,
                              comparison=name == "comparison")
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
        elif name == "comparison":
            del parameters["cohort"]
            parameters["cohorts"] = list(target.cohorts)
        else:
            parameters["week"] = target.iso_week
        if name == "student":
            parameters |= {"student": target.student,
                           "mapping": str(Path(mapping).resolve()) if mapping else None}
        error = execute_notebook(source, executed, parameters)
        title = target.title(name, lang)
        try:
            html = to_html(executed, title, lang) if error is None else ""
        except M2IFError as exc:
            error = str(exc)
        if error is not None:
            if mapping is not None:  # the executed notebook may hold the name: not kept
                error += "; render again without --mapping to keep the executed notebook"
            elif executed.is_file():
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
