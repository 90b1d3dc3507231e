"""Fuzzing every reader: messy files either load or are set aside with a reason, never a
traceback; each account adds up; the warehouse stays usable and opens afterwards.

The readers are driven end to end (file → warehouse) on one warehouse per worker, and their
parsing layers (CSV lines, Moodle times, programme values, weeks, xAPI lines and
statements) are driven many more times on their own, where an input costs microseconds (ten
inputs per Hypothesis example: ``fuzz_inputs.BATCH``).
``M2IF_FUZZ_SCALE`` multiplies every budget (``make fuzz``); the total is checked below.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from m2if_analytics.calendar import parse_week
from m2if_analytics.config import load_config
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest import programme_values as pv
from m2if_analytics.ingest.common import IngestAccount
from m2if_analytics.ingest.csvfile import open_quote, read_export
from m2if_analytics.ingest.forum import ingest_forum_file
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.moodle_time import TimeReader
from m2if_analytics.ingest.programme import (
    ingest_deadlines,
    ingest_grades,
    ingest_internship,
    ingest_mission_letters,
    ingest_submissions,
)
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.ingest.xapi import ingest_xapi_file
from m2if_analytics.ingest.xapi_read import Malformed, detect
from m2if_analytics.ingest.xapi_read import statements as read_statements
from m2if_analytics.ingest.xapi_statement import Rejected, StatementReader
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import REPO, SAMPLE_CONFIG, SAMPLES
from tests.ingest.fuzz_inputs import (
    BATCH,
    BUDGET,
    SCALE,
    SPECIAL,
    batches,
    cell,
    export_bytes,
    fuzz,
    json_values,
    statements,
    xapi_bytes,
)
from tests.ingest.test_xapi import stmt

_names = itertools.count()


def sample(name: str, rows: int = 3, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    """The header and first rows of a sample file."""
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader)
        return header, [next(reader) for _ in range(rows)]


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    """One warehouse with the sample roster; at the end it must reopen and rebuild."""
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "fuzz-key")
        ws = open_workspace(folder / "w.duckdb", SAMPLE_CONFIG, create=True)
        ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo)
        yield ws, folder
        ws.close()
        with open_workspace(folder / "w.duckdb", SAMPLE_CONFIG) as again:
            weekly_rows = again.tables.execute("SELECT count(*) FROM weekly_engagement")
            assert weekly_rows.fetchone()[0] > 0


Ingest = Callable[[Workspace, Path], IngestAccount]


def check(wh: tuple[Workspace, Path], data: bytes, ingest: Ingest, suffix: str = ".csv",
          events: bool = False) -> None:
    """Ingest ``data`` as a file: a one-line refusal or a balanced account, and the
    connection still usable (no aborted transaction left behind)."""
    ws, folder = wh
    path = folder / f"f{next(_names)}{suffix}"
    path.write_bytes(data)
    before = ws.con.execute("SELECT count(*) FROM raw_events").fetchone()[0]
    try:
        account = ingest(ws, path)
    except M2IFError as exc:
        message = str(exc)
        assert message and "Traceback" not in message
        assert "\n" not in message.strip() or str(path) in message
    else:
        assert account.read == account.loaded + account.duplicates + account.quarantined
        if events:
            after = ws.con.execute("SELECT count(*) FROM raw_events").fetchone()[0]
            assert after - before == account.loaded
    finally:
        path.unlink()
    assert ws.con.execute("SELECT 42").fetchone() == (42,)


def _moodle(ws: Workspace, p: Path) -> IngestAccount:
    return ingest_moodle_file(ws.con, p, ws.cfg, ws.pseudo)


READERS: dict[str, tuple[str, str, Callable[..., IngestAccount]]] = {
    "download_en": ("moodle_logs_en.csv", ",", ingest_moodle_file),
    "download_fr": ("moodle_logs_fr.csv", ",", ingest_moodle_file),
    "dump": ("logstore_standard_log.csv", ",", ingest_moodle_file),
    "roster": ("roster.csv", ",", ingest_roster_file),
    "grades": ("grades.csv", ";", ingest_grades),
    "deadlines": ("deadlines.csv", ",", ingest_deadlines),
    "submissions": ("submissions.csv", ",", ingest_submissions),
    "internship": ("internship.csv", ",", ingest_internship),
    "mission_letters": ("mission_letters.csv", ",", ingest_mission_letters),
    "forum": ("forum_posts.csv", ",", ingest_forum_file),
}
END_TO_END = 60  # examples per reader in make test


def _reader_test(name: str) -> Callable[..., None]:
    file, delimiter, function = READERS[name]
    header, valid = sample(file, delimiter=delimiter)

    @fuzz(f"file_{name}", END_TO_END)
    @given(data=export_bytes(header, valid, delimiter))
    def test(wh: tuple[Workspace, Path], data: bytes) -> None:
        check(wh, data, lambda ws, p: function(ws.con, p, ws.cfg, ws.pseudo),
              events=function is ingest_moodle_file)

    test.__name__ = f"test_{name}_file_never_tracebacks_and_accounts_add_up"
    return test


for _name in READERS:
    globals()[f"test_{_name}_file_never_tracebacks_and_accounts_add_up"] = _reader_test(_name)

XAPI_BASE = stmt(1, ts="2026-10-06T10:00:00+02:00")


# accounts of several homePages warn (the reader's advice to the user), as they should
@pytest.mark.filterwarnings("ignore::m2if_analytics.ingest.xapi.XapiWarning")
@fuzz("file_xapi", END_TO_END * 2)
@given(data=xapi_bytes(XAPI_BASE))
def test_xapi_file_never_tracebacks_and_accounts_add_up(wh: tuple[Workspace, Path],
                                                         data: bytes):
    check(wh, data, lambda ws, p: ingest_xapi_file(ws.con, p, ws.cfg, ws.pseudo),
          suffix=".jsonl", events=True)


# --- parsing layers, many more examples --------------------------------------------------

@fuzz("csv_lines", 2500, BATCH)
@given(files=batches(export_bytes(*sample("moodle_logs_en.csv")) | st.binary(max_size=300)))
def test_csv_reader_accounts_for_every_physical_line(files: list[bytes]):
    for data in files:
        check_csv_lines(data)


def check_csv_lines(data: bytes) -> None:
    try:
        export = read_export(Path("x.csv"), ",", data=data)
    except M2IFError:
        return
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").rstrip(b"\n").count(b"\n") + 1
    covered = {start for start, _ in export.records} | {start for start, _ in export.bad}
    assert len(covered) == len(export.records) + len(export.bad)  # one start, one record
    assert all(2 <= start <= lines for start in covered)
    assert len(export.records) + len(export.bad) <= lines - 1


def open_quote_reference(text: str, delimiter: str, quoted: bool) -> bool:
    """The CSV rule character by character: a quote opens a field only at its start, ``""``
    inside a quoted field is a quote, a lone quote closes it."""
    at_start = not quoted
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == delimiter:
            at_start = True
            i += 1
            continue
        elif ch == '"' and at_start:
            quoted = True
        at_start = False
        i += 1
    return quoted


@fuzz("open_quote", 1500, BATCH)
@given(cases=batches(st.tuples(st.text(st.sampled_from('"",;\tab é'), max_size=40),
                               st.sampled_from([",", ";", "\t"]), st.booleans())))
def test_an_open_quote_is_found_as_the_csv_rule_says(cases: list[tuple[str, str, bool]]):
    """The quote scan that jumps from quote to delimiter agrees with the rule applied
    character by character."""
    for text, delimiter, quoted in cases:
        assert open_quote(text, delimiter, quoted) == open_quote_reference(text, delimiter,
                                                                           quoted)


TIME_TEXT = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=30),
                      st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30))
                      .map(lambda d: d.strftime(
                          "%d %B %Y, %I:%M:%S %p" if d.second % 2 else "%d/%m/%Y %H:%M")))


SAMPLE_CFG = load_config(SAMPLE_CONFIG)  # read once, not at every example


@fuzz("moodle_times", 2000, BATCH)
@given(files=batches(st.lists(TIME_TEXT, max_size=6)))
def test_moodle_times_become_a_datetime_or_a_reason(files: list[list[str]]):
    for values in files:  # the time column of a file
        check_moodle_times(values)


def check_moodle_times(values: list[str]) -> None:
    cfg = SAMPLE_CFG
    reader = TimeReader(cfg.programme.timezone, tuple(cfg.cohorts),
                        window=cfg.time_window(dt.datetime(2027, 7, 1, tzinfo=dt.UTC)))
    try:
        out = reader.read_all(values)
    except ValueError as exc:  # year inference refused for the file: a one-line reason
        assert str(exc)
        return
    assert set(out) == set(values)
    earliest, latest = cfg.time_window(dt.datetime(2027, 7, 1, tzinfo=dt.UTC))
    for value in out.values():
        if isinstance(value, dt.datetime):
            assert earliest <= value.replace(tzinfo=dt.UTC) <= latest
        else:
            assert value


@fuzz("programme_values", 2500, BATCH)
@given(cases=batches(st.tuples(st.one_of(TIME_TEXT, cell), cell)))
def test_programme_values_are_a_value_or_a_row_error(cases: list[tuple[str, str]]):
    for text, scale in cases:
        check_programme_value(text, scale)


def check_programme_value(text: str, scale: str) -> None:
    for parse in (lambda: pv.local_datetime(text, "due", "Europe/Paris"),
                  lambda: pv.local_datetime(text, "date", "Europe/Paris", dt.time(12)),
                  lambda: pv.date(text, "date"), lambda: pv.number(text, "days"),
                  lambda: pv.grade_and_scale(text, scale)):
        try:
            parse()
        except pv.RowError as exc:
            assert str(exc)


@fuzz("weeks", 1500, BATCH)
@given(texts=batches(st.one_of(cell, st.from_regex(r"-?\d{1,6}-W-?\d{1,3}", fullmatch=True),
                               st.dates().map(str))))
def test_weeks_are_a_monday_or_a_one_line_error(texts: list[str]):
    for text in texts:
        try:
            monday = parse_week(text)
        except M2IFError as exc:
            assert "\n" not in str(exc)
        else:
            assert monday.weekday() == 0 and 1900 <= monday.year < 2200


@fuzz("xapi_lines", 1000, BATCH)
@given(files=batches(xapi_bytes(XAPI_BASE)))
def test_xapi_lines_are_a_statement_a_malformed_line_or_a_one_line_refusal(
        tmp_path_factory: pytest.TempPathFactory, files: list[bytes]):
    for data in files:
        check_xapi_lines(tmp_path_factory.getbasetemp(), data)


def check_xapi_lines(folder: Path, data: bytes) -> None:
    path = folder / f"x{next(_names)}.jsonl"
    path.write_bytes(data)
    try:
        layout = detect(path)
        items = list(read_statements(path, layout))
    except M2IFError as exc:
        assert str(exc).startswith(str(path))
        return
    finally:
        path.unlink()
    assert [p for p, _, _ in items] == list(range(1, len(items) + 1))
    for _, _, value in items:
        assert not isinstance(value, Malformed) or value.reason


@fuzz("xapi_statements", 1500, BATCH)
@given(batch=batches(statements(XAPI_BASE) | json_values))
def test_xapi_statements_are_a_row_or_a_rejection(batch: list[Any]):
    reader = StatementReader(Pseudonymiser(b"k"), window=(
        dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC)))
    for statement in batch:
        try:
            row = reader.read(statement)
        except Rejected as exc:
            assert str(exc)
        else:
            assert row.k and row.verb and row.ts


def test_the_fuzz_budget_is_at_least_ten_thousand_inputs():
    assert sum(BUDGET.values()) >= 10_000, BUDGET


def test_the_readme_states_the_fuzz_budget_of_make_test():
    import tests.cli.test_option_fuzz
    import tests.ingest.test_filescan
    import tests.pull.test_pull_fuzz  # noqa: F401  (the other modules that fuzz)

    total = sum(BUDGET.values()) // SCALE
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"fuzzed ({total:,} seeded inputs in `make test`" in readme, total
