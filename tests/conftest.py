"""Shared fixtures: a throw-away workspace, the sample cohort, a logstore-dump writer."""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from m2if_analytics.cli.base import skip_unused_iri_grammar
from m2if_analytics.config import Config, config_from_dict
from m2if_analytics.reports.kernel import shared_kernel
from m2if_analytics.warehouse.workspace import Workspace, open_workspace

# As in the `m2if` command: the report tests import nbformat, hence jsonschema, which would
# build the RFC 3987 grammar (a second of each pytest process). pyproject.toml's addopts keep
# nbval's plugin (which imports nbformat before this file runs) out of the suite's processes:
# tests/reports/test_notebooks.py runs nbval in a pytest process of its own.
skip_unused_iri_grammar()

# Key files default to the per-user folder ($XDG_CONFIG_HOME/m2if): the suite, and every
# command it starts, uses a throw-away one instead of the real user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="m2if-test-config-")
REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data_samples"
SAMPLE_CONFIG = SAMPLES / "m2if.toml"  # declares both sample cohorts, defaults otherwise


# The test modules that keep one worker busy longest (tests and module fixtures, seconds of
# one worker measured on 2 cores), handed out first: `make test` gives each worker whole
# modules (--dist loadfile: a module's fixtures are built once, the Spark JVM starts once)
# in the order collected (--no-loadscope-reorder: pytest-xdist otherwise hands out the
# modules with the most tests first, which left a 16-second module of two tests to the
# end), and starting with the longest leaves the short modules to even out the ends.
SLOWEST_MODULES = (
    "engines/test_spark.py",  # 61 s
    "ingest/test_fuzz.py",  # 44 s
    "pull/test_moodle_pull.py",  # 35 s
    "reports/test_comparison.py",  # 25 s
    "engagement/test_weekly_properties.py",  # 25 s
    "pull/test_lrs_pull.py",
    "reports/test_overview_report.py",
    "reports/test_notebooks.py",
    "reports/test_weekly_report.py",
    "reports/test_kernel.py",
    "reports/test_weekly_layout.py",
    "ingest/test_xapi_sample.py",
    "reports/test_large_cohort.py",
    "risk/test_history.py",
    "test_benchmarks.py",
    "warehouse/test_incremental.py",
    "reports/test_student_report.py",
    "risk/test_model.py",
    "test_samples.py",
    "cli/test_cli.py",
    "ingest/test_robustness.py",
    "reports/test_overview.py",
    "cli/test_option_fuzz.py",  # 7 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest modules first (in the order above), the others after them as collected;
    the tests of a module keep their order."""
    rank = {f"tests/{module}": n for n, module in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The Chromium the report modules share (tests.browser.shared_chromium) ends with the
    run."""
    if "tests.browser" in sys.modules:
        sys.modules["tests.browser"].close_shared()


def sample_config_without_units() -> str:
    """The sample configuration's text without its ``[[units]]`` tables, for tests that
    declare their own units."""
    kept, in_units = [], False
    for line in SAMPLE_CONFIG.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            in_units = line.strip() == "[[units]]"
        if not in_units:
            kept.append(line)
    return "\n".join(kept) + "\n"


EARLIER_COHORT = "2025-2026"  # the sample cohort of data_samples/2025-2026/
EARLIER_SAMPLES = SAMPLES / EARLIER_COHORT
PARIS = ZoneInfo("Europe/Paris")
LOGSTORE_HEADER = ["id", "eventname", "component", "action", "target", "objecttable",
                   "objectid", "crud", "edulevel", "contextid", "contextlevel",
                   "contextinstanceid", "userid", "courseid", "relateduserid", "anonymous",
                   "other", "timecreated", "origin", "ip", "realuserid"]

# Reads beside the checkout (a sibling folder of the clone): a user clones only the
# repository, so any test that reads there fails (tests/test_repository.py explains).
outside_reads: list[str] = []
_ROOT, _BESIDE = str(REPO), str(REPO.parent)
_ALLOWED = tuple({os.path.abspath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
_TEMP = os.path.abspath(tempfile.gettempdir())
# pytest's and the tests' own folders, and the temporary files of libraries the tests drive
# (openpyxl writing an XLSX, Spark's session folder)
_TEMP_PREFIXES = ("pytest-of-", "m2if-", "tmp", "openpyxl.", "spark-")


def _watch_opens(event: str, args: tuple) -> None:
    if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if not path.startswith(_BESIDE + os.sep) or path == _ROOT or path.startswith(_ROOT + os.sep):
        return
    first = path[len(_BESIDE) + 1:].split(os.sep, 1)[0]
    if first.startswith(".") or path.startswith(_ALLOWED):  # dot folders, the interpreter
        return
    if _BESIDE == _TEMP and first.startswith(_TEMP_PREFIXES):  # a clone in the temp folder:
        return  # pytest's tmp_path and the temporary files of tests and reports sit beside it
    outside_reads.append(path)


sys.addaudithook(_watch_opens)


@pytest.fixture(autouse=True)
def _reads_stay_inside_the_checkout() -> Iterator[None]:
    before = len(outside_reads)
    yield
    read = outside_reads[before:]
    assert not read, f"read outside the repository: {read[:3]}"


TEST_CONFIG = {
    "programme": {"timezone": "Europe/Paris", "weekly_target_hours": 15},
    "time_on_task": {"inactivity_timeout_minutes": 30, "last_event_seconds": 60},
    "ingest": {"latest": "2027-12-31"},  # test events run to mid-2027, after today
    "cohorts": [{"id": "2026-2027", "start": "2026-10-05", "end": "2027-07-02",
                 "holidays": [["2026-12-19", "2027-01-03"], ["2027-04-17", "2027-05-02"]]}],
}


@pytest.fixture(scope="session", autouse=True)
def _one_report_kernel() -> Iterator[None]:
    """The reports a test process renders share one kernel, reset before each notebook
    (m2if_analytics.reports.kernel, as `m2if run weekly` does): about a second saved per
    render. The commands the tests start as processes render in kernels of their own."""
    with shared_kernel():
        yield


TEST_KEY = "test-key-not-secret"  # every test's pseudonym key unless it sets another


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets the same key through the environment, so no key file is written."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", TEST_KEY)
    monkeypatch.delenv("M2IF_DB", raising=False)
    monkeypatch.delenv("M2IF_CONFIG", raising=False)


@pytest.fixture
def cfg() -> Config:
    return config_from_dict(TEST_CONFIG, source="tests")


TEST_TOML = (  # TEST_CONFIG as a TOML file's text
    '[programme]\ntimezone = "Europe/Paris"\nweekly_target_hours = 15\n'
    "[time_on_task]\ninactivity_timeout_minutes = 30\nlast_event_seconds = 60\n"
    "[ingest]\nlatest = 2027-12-31\n"
    '[[cohorts]]\nid = "2026-2027"\nstart = 2026-10-05\nend = 2027-07-02\n'
    "holidays = [[2026-12-19, 2027-01-03], [2027-04-17, 2027-05-02]]\n")


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The test configuration as a TOML file."""
    path = tmp_path / "m2if.toml"
    path.write_text(TEST_TOML, encoding="utf-8")
    return path


@pytest.fixture
def ws(tmp_path: Path, config_file: Path) -> Iterator[Workspace]:
    """An empty warehouse file in tmp_path with the test configuration."""
    workspace = open_workspace(tmp_path / "w.duckdb", config_file)
    yield workspace
    workspace.close()


def local(text: str) -> dt.datetime:
    """'2026-10-05 09:00:00' in Europe/Paris → aware datetime (first occurrence if repeated)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)


def logstore_row(row_id: int | str, user: int | str, when: dt.datetime | int | str,
                 **overrides: object) -> list[str]:
    """One logstore_standard_log record (the columns a real dump has) as CSV fields."""
    row: dict[str, object] = dict.fromkeys(LOGSTORE_HEADER, "")
    stamp = int(when.timestamp()) if isinstance(when, dt.datetime) else when
    row.update(id=row_id, eventname="\\core\\event\\course_viewed", component="core",
               action="viewed", target="course", crud="r", edulevel=2, contextid=1,
               contextlevel=50, contextinstanceid=42, userid=user, courseid=42, anonymous=0,
               other="N;", timecreated=stamp, origin="web", ip="192.0.2.1")
    row.update(overrides)
    return [str(row[h]) for h in LOGSTORE_HEADER]


def write_dump(path: Path, rows: list[list[str]]) -> Path:
    """A logstore dump file: the header, then ``rows``."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(LOGSTORE_HEADER)
        writer.writerows(rows)
    return path


def write_logstore(path: Path, events: list[tuple[int, dt.datetime]], start_id: int = 1) -> Path:
    """A logstore dump of (userid, aware datetime) events, one per row, ids from start_id."""
    return write_dump(path, [logstore_row(n, user, when)
                             for n, (user, when) in enumerate(events, start=start_id)])


def build_sample(db: Path, programme_tables: bool) -> Path:
    """Both sample cohorts in a warehouse file configured by ``SAMPLE_CONFIG``: the rosters and
    logstore dumps, and with ``programme_tables`` the grades, deadlines, submissions,
    internship, mission letters and forum posts (as ``m2if demo`` loads them). 2026-2027 (the
    default cohort) is loaded first, as before the earlier cohort existed. Key: ``sample-key``."""
    from m2if_analytics.jobs.demo import ingest_samples

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(db, SAMPLE_CONFIG) as ws:
            ingest_samples(ws, SAMPLES, programme_tables)
    return db


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both sample cohorts' rosters and logs (engagement only), built once per run."""
    return build_sample(tmp_path_factory.mktemp("sample") / "sample.duckdb", False)


@pytest.fixture(scope="session")
def full_sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both sample cohorts with every table loaded, built once per run."""
    return build_sample(tmp_path_factory.mktemp("full-sample") / "full.duckdb", True)


def render_in_both_languages(name: str, db: Path, tmp_path_factory: pytest.TempPathFactory,
                             key: str = "sample-key") -> dict[str, Path]:
    """Report ``name`` of the sample warehouse ``db`` (its default subject), rendered in
    French and English: {"fr": path, "en": path}."""
    from m2if_analytics.reports import render as reports

    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", key)
        for lang in ("fr", "en"):
            out[lang] = reports.render_report(name, tmp_path_factory.mktemp(lang),
                                              reports.RenderOptions(db, SAMPLE_CONFIG, lang=lang))
    return out
