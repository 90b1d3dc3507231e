"""``m2if demo``: the sample cohorts from data_samples/ end to end, into one folder."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from m2if_analytics.calendar import iso_week_label
from m2if_analytics.config import Config
from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.errors import M2IFError
from m2if_analytics.i18n import t
from m2if_analytics.ingest.common import IngestAccount
from m2if_analytics.ingest.forum import ingest_forum_file
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import INGESTERS
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.jobs.weekly import RunLog, WeeklyRun, run_weekly
from m2if_analytics.outputs import write_table
from m2if_analytics.paths import key_folder
from m2if_analytics.privacy.research import export_research
from m2if_analytics.reports.index import screenshot, write_index
from m2if_analytics.reports.jury import write_jury
from m2if_analytics.reports.kernel import shared_kernel
from m2if_analytics.reports.render import RenderOptions, render_report
from m2if_analytics.risk import flags
from m2if_analytics.risk.evaluation import evaluate_rules
from m2if_analytics.warehouse.workspace import Workspace, open_workspace

PROGRAMME_FILES = (("grades", "grades.csv"), ("deadlines", "deadlines.csv"),
                   ("submissions", "submissions.csv"), ("internship", "internship.csv"),
                   ("internship", "mission_letters.csv"), ("milestones", "milestones.csv"),
                   ("resources", "resources.csv"))
# data_samples/ holds the 2026-2027 cohort (the default one: the latest to start); each earlier
# cohort is in the sub-folder named after it. SAMPLE_CONFIG declares them all.
EARLIER_COHORTS = ("2025-2026",)
COHORT = "2026-2027"  # the default cohort: the latest to start
SAMPLE_CONFIG = "m2if.toml"


def samples_dir() -> Path:
    """data_samples/ of the repository (or of the current directory), with its configuration."""
    for base in (Path(__file__).resolve().parents[2], Path.cwd()):
        folder = base / "data_samples"
        if (folder / "roster.csv").is_file() and (folder / SAMPLE_CONFIG).is_file():
            return folder
    raise M2IFError("data_samples/ (with its m2if.toml) not found: run the demo from a clone "
                    "of the repository")


def ingest_samples(ws: Workspace, samples: Path,
                   programme_tables: bool = True) -> list[IngestAccount]:
    """Load every sample cohort: 2026-2027 from ``samples`` first, then each earlier cohort
    from its sub-folder, under its own cohort id. Per cohort: roster, logstore dump and, with
    ``programme_tables``, the programme tables and forum posts."""
    accounts: list[IngestAccount] = []
    cohorts: list[tuple[Path, str | None]] = [(samples, None)]
    cohorts += [(samples / cohort, cohort) for cohort in EARLIER_COHORTS]
    for folder, cohort in cohorts:
        accounts.append(ingest_roster_file(ws.con, folder / "roster.csv", ws.cfg, ws.pseudo,
                                           cohort))
        accounts.append(ingest_moodle_file(ws.con, folder / "logstore_standard_log.csv", ws.cfg,
                                           ws.pseudo, cohort))
        if not programme_tables:
            continue
        for kind, name in PROGRAMME_FILES:
            accounts.append(INGESTERS[kind](ws.con, folder / name, ws.cfg, ws.pseudo, cohort))
        accounts.append(ingest_forum_file(ws.con, folder / "forum_posts.csv", ws.cfg,
                                          ws.pseudo, cohort))
    return accounts


def summary(frame: pl.DataFrame) -> pl.DataFrame:
    """Per student: hours in all, mean over complete teaching weeks, weeks below target."""
    teaching = frame.filter(~pl.col("holiday") & ~pl.col("in_progress"))
    last4 = sorted(teaching["week_start"].unique())[-4:]
    recent = (teaching.filter(pl.col("week_start").is_in(last4))
              .group_by("student").agg(pl.col("hours").mean().alias("last_4_weeks")))
    return (frame.group_by("student", "group").agg(
                pl.col("hours").sum().alias("total_hours"))
            .join(teaching.group_by("student").agg(
                pl.col("hours").mean().alias("mean_per_week"),
                pl.col("below_target").sum().alias("weeks_below"),
                pl.col("below_target").count().alias("teaching_weeks")), on="student")
            .join(recent, on="student", how="left")
            .sort("group", "student"))


def print_summary(frame: pl.DataFrame, console: Console, target: float) -> None:
    complete = frame.filter(~pl.col("in_progress"))
    cohort, last = frame["cohort"][0], complete["iso_week"].max()
    table = Table(title=f"Cohort {cohort}: online hours per student, complete teaching weeks "
                        f"up to {last} (target {target:g} h/week)")
    for name in ("student", "group", "total h", "mean h/week", "weeks below", "last 4 weeks"):
        table.add_column(name, justify="left" if name in ("student", "group") else "right")
    for row in summary(frame).iter_rows(named=True):
        style = "red" if row["mean_per_week"] < target * 0.7 else (
            "yellow" if row["mean_per_week"] < target else "")
        table.add_row(row["student"], row["group"] or "", f"{row['total_hours']:.1f}",
                      f"{row['mean_per_week']:.1f}",
                      f"{row['weeks_below']}/{row['teaching_weeks']}",
                      f"{row['last_4_weeks'] or 0:.1f}", style=style)
    console.print(table)


def print_risks(risks: pl.DataFrame, console: Console, lang: str = "fr") -> None:
    """Red and amber students of the last complete week, with their reasons."""
    week = risks["week_start"][0] if len(risks) else "–"
    table = Table(title=f"{t('section_risk', lang)}, {t('report_week', lang).lower()} "
                        f"{week}")
    for key in ("student", "risk_level", "risk_reasons"):
        table.add_column(t(key, lang), overflow="fold")
    colours = {"red": "red", "amber": "yellow"}
    for row in risks.filter(pl.col("level") != "green").iter_rows(named=True):
        table.add_row(row["student"], t(f"risk_level_{row['level']}", lang), row["reasons"],
                      style=colours.get(row["level"], ""))
    console.print(table)
    green = int((risks["level"] == "green").sum())
    console.print(f"{t('risk_level_green', lang)} : {green} / {len(risks)}", highlight=False)


INBOX_FILES = ("roster.csv", "logstore_standard_log.csv", "grades.csv", "deadlines.csv",
               "submissions.csv", "internship.csv", "mission_letters.csv", "milestones.csv",
               "resources.csv", "forum_posts.csv")


def ingest_earlier(ws: Workspace, samples: Path) -> list[IngestAccount]:
    """Load each earlier sample cohort from its sub-folder, under its own cohort id."""
    accounts: list[IngestAccount] = []
    for cohort in EARLIER_COHORTS:
        folder = samples / cohort
        accounts.append(ingest_roster_file(ws.con, folder / "roster.csv", ws.cfg, ws.pseudo,
                                           cohort))
        accounts.append(ingest_moodle_file(ws.con, folder / "logstore_standard_log.csv",
                                           ws.cfg, ws.pseudo, cohort))
        for kind, name in PROGRAMME_FILES:
            accounts.append(INGESTERS[kind](ws.con, folder / name, ws.cfg, ws.pseudo, cohort))
        accounts.append(ingest_forum_file(ws.con, folder / "forum_posts.csv", ws.cfg,
                                          ws.pseudo, cohort))
    return accounts


def make_inbox(samples: Path, inbox: Path) -> Path:
    """A fresh inbox holding the default cohort's exports, as the platform would drop them."""
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    for name in INBOX_FILES:
        shutil.copyfile(samples / name, inbox / name)
    return inbox


def _say(console: Console) -> Callable[[str], None]:
    return lambda line: console.print(line, highlight=False, soft_wrap=True)


def run_demo(out_dir: Path, console: Console) -> Path:
    """Build ``out_dir/demo.duckdb`` from the samples (both cohorts, configured by
    data_samples/m2if.toml): the earlier cohort loaded directly, the default one (2026-2027)
    through ``m2if run weekly`` on an inbox of its exports (``out_dir/inbox``), which renders
    every report into ``out_dir/2026-2027/<week>/`` with its digests and archive. Then
    ``out_dir/weekly.csv``, ``out_dir/risk.csv`` (the default cohort),
    ``out_dir/risk_evaluation_2025-2026.csv``, a research export in ``out_dir/research``,
    the 2025-2026 jury preparation in ``out_dir/jury``,
    screenshots and ``out_dir/index.html``."""
    samples = samples_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.duckdb"
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(out_dir / COHORT, ignore_errors=True)
    config = samples / SAMPLE_CONFIG
    key = key_folder() / "demo.key"  # never beside the reports it would let one reverse
    with open_workspace(db, config, key) as ws:
        for account in ingest_earlier(ws, samples):
            console.print(account.line(), highlight=False, soft_wrap=True)
    job = WeeklyRun(db, config, key, make_inbox(samples, out_dir / "inbox"), out=out_dir)
    with shared_kernel():  # the weekly run's reports and the profile below: one kernel
        log = run_weekly(job, _say(console))
        return _after_weekly_run(log, out_dir, db, config, key, console)


def _after_weekly_run(log: RunLog, out_dir: Path, db: Path, config: Path, key: Path,
                      console: Console) -> Path:
    """The demo's tables, exports, jury preparation, screenshots and index."""
    if log.failed:
        raise M2IFError("the weekly run of the demo failed: see the lines above")
    with open_workspace(db, config, key) as ws:
        cfg: Config = ws.cfg
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            frame = weekly_engagement(ws)
        risks = flags(ws, None, None, "fr")
        evaluation = evaluate_rules(ws, EARLIER_COHORTS[0])
        week = iso_week_label(risks["week_start"][0])
        export = export_research(ws, out_dir / "research", None, 5)
        jury = write_jury(ws, EARLIER_COHORTS[0], out_dir / "jury")
    print_summary(frame, console, cfg.programme.weekly_target_hours)
    weekly_csv = out_dir / "weekly.csv"
    for name, table in (("weekly.csv", frame), ("risk.csv", risks),
                        (f"risk_evaluation_{EARLIER_COHORTS[0]}.csv", evaluation)):
        write_table(table, out_dir / name)
        console.print(f"{name} ({len(table)} rows): {out_dir / name}", highlight=False,
                      soft_wrap=True)
    print_risks(risks, console)
    console.print(export.line(), highlight=False, soft_wrap=True)
    console.print(f"jury preparation ({EARLIER_COHORTS[0]}): {jury[0]}, {jury[1]}",
                  highlight=False, soft_wrap=True)
    _screenshots(out_dir, out_dir / COHORT / week, db, config, key, risks, console)
    console.print(f"index: {write_index(out_dir)}", highlight=False, soft_wrap=True)
    return weekly_csv


def _screenshots(out_dir: Path, week_dir: Path, db: Path, config: Path, key: Path,
                 risks: pl.DataFrame, console: Console) -> None:
    """A PNG of each kind of report of the week (a red student's profile rendered if the
    weekly run made none)."""
    if not any(week_dir.glob("student-*.html")):
        red = risks.filter(pl.col("level") == "red")["student"].sort()
        student = (red if len(red) else risks["student"].sort())[0]
        render_report("student", week_dir, RenderOptions(
            db=db, config=config, key_file=key, student=student,
            week=iso_week_label(risks["week_start"][0]), plotlyjs="beside"))
    for name in ("weekly", "collaboration", "cohort", "student", "comparison"):
        report = sorted(week_dir.glob(f"{name}-*.html"))[0]
        console.print(f"{name} report: {report}", highlight=False, soft_wrap=True)
        if not screenshot(report, out_dir / "screenshots" / f"{name}.png"):
            console.print("no chromium: screenshots skipped (apt-get install chromium)",
                          highlight=False)
            return
