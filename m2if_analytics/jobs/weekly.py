"""``m2if run weekly``: the Monday job — inbox, refresh, risk, reports, archive, digests.

    result = run_weekly(WeeklyRun(db, config, key, inbox=Path("inbox"), out=Path("reports")))

Steps, each logged in one line and each run even when an earlier one failed (the exit status
says whether all went well):

0. **pull** (``--pull moodle``, ``--pull lrs``): what is new in Moodle's database or the
   LRS, as ``m2if pull`` reads it;
1. **ingest**: every file of ``inbox/`` (not its sub-folders), roster first, is loaded by its
   kind (:mod:`m2if_analytics.ingest.detect`) and moved to ``inbox/done/`` or
   ``inbox/failed/`` with ``<name>.json`` beside it (the account, or the error);
2. **refresh** the derived tables;
3. **risk**: the flags of the report week (default: the last complete week) →
   ``out/<cohort>/<week>/risk.csv``;
4. **reports**: weekly, cohort overview, comparison, collaboration and the profile of each
   newly flagged or worse student → ``out/<cohort>/<week>/``;
5. **archive**: ``out/<cohort>/index.html`` lists every week rendered so far;
6. **digests** (``alerts.write_digests``) → ``out/<cohort>/<week>/digests/``, and with
   ``send`` delivered once per week (``sent.json`` records it).

Idempotent: ``out/<cohort>/<week>/run.json`` records the warehouse's state when the week was
rendered; a second run with nothing new ingested renders nothing and sends nothing again.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics import engagement
from m2if_analytics.calendar import iso_week_label
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.detect import KINDS, ingest_any, kind_of
from m2if_analytics.outputs import write_table, write_text
from m2if_analytics.reports.index import write_archive
from m2if_analytics.reports.kernel import shared_kernel
from m2if_analytics.reports.render import RenderOptions, render_report
from m2if_analytics.risk import flags, history
from m2if_analytics.warehouse.sql import run
from m2if_analytics.warehouse.workspace import Workspace, open_workspace

REPORTS = ("weekly", "cohort", "comparison", "collaboration")


@dataclass(frozen=True)
class WeeklyRun:
    """What one run is asked to do."""

    db: Path | None
    config: Path | None
    key_file: Path | None
    inbox: Path | None
    out: Path = Path("reports")
    cohort: str | None = None
    week: str | None = None
    lang: str = "fr"
    send: bool = False
    mapping: Path | None = None
    plotlyjs: str = "beside"  # the week's folder holds several reports: one plotly.js
    pull: tuple[str, ...] = ()  # sources read before the inbox: moodle, lrs


@dataclass
class RunLog:
    """One line per step; ``failed`` when any step failed."""

    say: Callable[[str], None]
    lines: list[str] = field(default_factory=list)
    failed_steps: set[str] = field(default_factory=set)

    @property
    def failed(self) -> bool:
        return bool(self.failed_steps)

    def step(self, name: str, text: str, ok: bool = True) -> None:
        line = f"{name}: {text}"
        self.lines.append(line)
        if not ok:
            self.failed_steps.add(name)
        self.say(line)


def _move(path: Path, folder: Path, record: dict[str, object]) -> Path:
    """Move ``path`` into ``folder`` (a new name if one is there already) with its record."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        target = folder / f"{path.stem}.{stamp}{path.suffix}"
    shutil.move(str(path), target)
    write_text(target.with_name(target.name + ".json"), json.dumps(record, indent=1) + "\n")
    return target


def pull_sources(ws: Workspace, sources: tuple[str, ...], cohort: str | None,
                 log: RunLog) -> None:
    """Pull each source (``moodle``, ``lrs``) as configured: one line each."""
    from m2if_analytics.pull.run import pull_source

    for source in sources:
        notes: list[str] = []
        try:
            accounts = pull_source(ws, source, cohort, notes.append)
        except M2IFError as exc:
            log.step(f"pull {source}", str(exc), ok=False)
            continue
        read = sum(a.read for a in accounts)
        loaded = sum(a.loaded for a in accounts)
        quarantined = sum(a.quarantined for a in accounts)
        skipped = f"; {'; '.join(notes)}" if notes else ""
        log.step(f"pull {source}", f"{len(accounts)} table(s): read {read}, loaded {loaded}, "
                 f"quarantined {quarantined}{skipped}")


def ingest_inbox(ws: Workspace, inbox: Path, cohort: str | None, log: RunLog) -> int:
    """Load every file of ``inbox`` (roster first); the number of files loaded."""
    if not inbox.is_dir():
        log.step("ingest", f"{inbox}: no such folder (create it and drop the exports there)",
                 ok=False)
        return 0
    files = sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith("."))
    kinds: dict[Path, str | Exception] = {}
    for path in files:
        try:
            kinds[path] = kind_of(path)
        except M2IFError as exc:
            kinds[path] = exc
    order = sorted(files, key=lambda p: (KINDS.index(k) if isinstance(k := kinds[p], str)
                                         else len(KINDS), p.name))
    done = failed = 0
    for path in order:
        kind = kinds[path]
        try:
            if isinstance(kind, Exception):
                raise kind
            account = ingest_any(ws.con, path, ws.cfg, ws.pseudo, cohort, kind)
        except (M2IFError, duckdb.Error, OSError) as exc:
            failed += 1
            error = str(exc).splitlines()[0]
            _move(path, inbox / "failed", {"file": path.name, "error": error})
            log.say(f"  failed {path.name}: {error}")
            continue
        done += 1
        _move(path, inbox / "done", {"kind": kind, **json.loads(account.to_json())})
        log.say(f"  {kind}: {account.line()}")
    text = f"{len(files)} file(s) in {inbox}: {done} loaded (done/), {failed} failed (failed/)"
    log.step("ingest", text, ok=failed == 0)
    return done


def _state(ws: Workspace) -> list[int]:
    """What the week's outputs were made from: files ingested, the last file's id, and the
    contacts of the follow-up log (a new contact changes "last contact")."""
    return [*(int(v) for v in run(ws.con, "warehouse/ingest_state.sql")[0]),
            int(run(ws.con, "followup/count.sql")[0][0])]


@dataclass(frozen=True)
class Prepared:
    """What the first steps found: the week to render, its folder, its flags (None: already
    rendered with this data) and the state to record once every step went well."""

    job: WeeklyRun  # with the warehouse, configuration and key paths resolved
    comparable: bool  # two or more cohorts have students: the comparison can be drawn
    cohort: str
    week: str
    folder: Path
    table: pl.DataFrame | None
    state: dict[str, object]


def _prepare(job: WeeklyRun, log: RunLog) -> Prepared | None:
    """Ingest, refresh, risk, digests (one open warehouse); None when there is no week to
    report."""
    with open_workspace(job.db, job.config, job.key_file) as ws:
        job = replace(job, db=ws.paths.db, config=ws.paths.config, key_file=ws.paths.key_file)
        pull_sources(ws, job.pull, job.cohort, log)
        if job.inbox is not None:
            ingest_inbox(ws, job.inbox, job.cohort, log)
        try:
            ws.tables  # noqa: B018 (the refresh runs on first read)
            cohort = ws.cfg.cohort(job.cohort).id
            monday = engagement.report_week(ws, cohort, job.week)
        except M2IFError as exc:
            log.step("refresh", str(exc), ok=False)
            return None
        week = iso_week_label(monday)
        folder = job.out / cohort / week
        comparable = int((engagement.cohorts(ws)["students"] > 0).sum()) >= 2
        state = {"state": _state(ws), "lang": job.lang}
        log.step("refresh", f"derived tables current; cohort {cohort}, report week {week}")
        record = folder / "run.json"
        if record.is_file() and json.loads(record.read_text(encoding="utf-8")) == state:
            log.step("risk", f"nothing new since {week} was rendered: {folder} is up to date")
            return Prepared(job, comparable, cohort, week, folder, None, state)
        stored = history.refresh(ws, cohort)
        log.step("history", f"risk levels of {stored.weeks} week(s) stored: "
                 f"{stored.judged} judged again, {stored.checked - stored.judged} unchanged")
        table = flags(ws, cohort, monday, job.lang)
        write_table(table, folder / "risk.csv")
        counts = {lv: int((table["level"] == lv).sum()) for lv in ("red", "amber", "green")}
        new = int(table["status"].is_in(["new", "worse"]).sum())
        log.step("risk", f"{table.height} students: {counts['red']} red, {counts['amber']} "
                 f"amber, {counts['green']} green; {new} new or worse → {folder / 'risk.csv'}")
        _digests(ws, job, cohort, monday, folder, log)
        return Prepared(job, comparable, cohort, week, folder, table, state)


def _digests(ws: Workspace, job: WeeklyRun, cohort: str, monday: dt.date, folder: Path,
             log: RunLog) -> None:
    from m2if_analytics import alerts

    try:
        written = alerts.write_digests(ws, cohort, monday, folder / "digests", job.mapping,
                                       job.lang)
    except M2IFError as exc:
        log.step("digests", str(exc), ok=False)
        return
    log.step("digests", f"{len(written)} file(s) in {folder / 'digests'}")


def _render(job: WeeklyRun, prepared: Prepared, table: pl.DataFrame, log: RunLog) -> None:
    cohort, week, folder = prepared.cohort, prepared.week, prepared.folder
    names: list[tuple[str, dict[str, object]]] = [
        (n, {}) for n in REPORTS if n != "comparison" or prepared.comparable]
    names += [("student", {"student": s, "mapping": job.mapping}) for s in table.filter(
        pl.col("status").is_in(["new", "worse"]))["student"].to_list()]
    done, failed = 0, []
    with shared_kernel():  # one warm kernel for the week's reports
        for name, extra in names:
            options = RenderOptions(db=job.db, config=job.config, key_file=job.key_file,
                                    cohort=cohort, week=week, lang=job.lang,
                                    plotlyjs=job.plotlyjs, **extra)  # type: ignore[arg-type]
            try:
                render_report(name, folder, options)
                done += 1
            except M2IFError as exc:
                failed.append(f"{name}: {str(exc).splitlines()[0]}")
    text = f"{done} rendered in {folder}" + (f"; failed: {'; '.join(failed)}" if failed else "")
    if not prepared.comparable:
        text += " (no comparison: one cohort has students)"
    log.step("reports", text, ok=not failed)


def _send(job: WeeklyRun, folder: Path, log: RunLog) -> None:
    sent = folder / "sent.json"
    if sent.is_file():
        when = json.loads(sent.read_text(encoding="utf-8")).get("sent_at", "?")
        log.step("send", f"digests of this week already sent ({when}): not sent again")
        return
    from m2if_analytics import alerts

    with open_workspace(job.db, job.config, job.key_file, create=False) as ws:
        cfg = ws.cfg
    try:
        lines = alerts.send_digests(cfg, folder / "digests")
    except M2IFError as exc:
        log.step("send", str(exc), ok=False)
        return
    write_text(sent, json.dumps({"sent_at": dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"), "messages": lines}, indent=1) + "\n")
    log.step("send", f"{len(lines)} message(s) sent")


def run_weekly(job: WeeklyRun, say: Callable[[str], None] = print) -> RunLog:
    """Run every step of the weekly job (see the module's docstring); the log of the run."""
    log = RunLog(say)
    prepared = _prepare(job, log)
    if prepared is None:
        return log
    job = prepared.job
    if prepared.table is not None:
        _render(job, prepared, prepared.table, log)
    log.step("archive", str(write_archive(job.out / prepared.cohort, job.lang)))
    if job.send:
        _send(job, prepared.folder, log)
    if prepared.table is not None and not log.failed_steps & {"risk", "digests", "reports"}:
        # a week whose reports or digests failed is rendered again at the next run
        write_text(prepared.folder / "run.json", json.dumps(prepared.state) + "\n")
    return log
