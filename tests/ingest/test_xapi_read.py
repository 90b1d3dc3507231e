"""Streaming xAPI files: layouts, gzip, line numbers, broken JSON, and ISO 8601 instants."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest import xapi_read
from m2if_analytics.ingest.xapi_read import Layout, Malformed, detect, statements
from m2if_analytics.ingest.xapi_statement import Rejected, instant


def read_all(path: Path) -> list[tuple[int, int, object]]:
    return list(statements(path, detect(path)))


def test_json_lines_give_physical_lines_and_skip_blank_ones(tmp_path: Path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\n\n  \r\n{"a": 2}\r\n{"a": 3}')
    assert detect(path) == Layout("jsonl", False)
    assert read_all(path) == [(1, 1, {"a": 1}), (2, 4, {"a": 2}), (3, 5, {"a": 3})]


def test_a_bad_json_line_is_reported_and_the_next_lines_still_read(tmp_path: Path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": \n\xff\xfe\n[1, 2]\n')
    got = read_all(path)
    assert got[0] == (1, 1, {"a": 1})
    assert got[1][:2] == (2, 2) and isinstance(got[1][2], Malformed)
    assert got[1][2].reason.startswith("not valid JSON (Expecting value")
    assert got[2][:2] == (3, 3) and isinstance(got[2][2], Malformed)
    assert got[3] == (4, 4, [1, 2])


def test_a_pretty_printed_object_is_not_taken_for_json_lines(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text('{\n  "actor": {}\n}\n', encoding="utf-8")
    with pytest.raises(IngestError, match=r"s\.json, line 1: .*JSON array"):
        read_all(path)


def test_gzip_is_recognised_by_its_magic_bytes_whatever_the_name(tmp_path: Path):
    path = tmp_path / "statements.dat"
    path.write_bytes(gzip.compress(b'[{"a": 1},\n {"a": 2}]'))
    assert detect(path) == Layout("array", True)
    assert read_all(path) == [(1, 1, {"a": 1}), (2, 2, {"a": 2})]


def test_cut_short_gzip_is_refused(tmp_path: Path):
    path = tmp_path / "s.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"a": 1}\n' * 1000)[:-20])
    with pytest.raises(IngestError, match="gzip data is damaged or cut short"):
        read_all(path)


@pytest.mark.parametrize(("text", "message"), [
    ("hello", "starts with 'h'"),
    ("   \n ", "is empty"),
    ('[{"a": 1} {"a": 2}]', r"line 1: expected ',' or '\]' after statement 1"),
    ('[{"a": 1},\n]', r"line 2: expected statement 2 after ','"),
    ('[{"a": 1}] x', "line 1: text after the end of the JSON array"),
    ('[{"a": 1},\n{"a": }]', r"line 2: not valid JSON \(Expecting value\)"),
    ('[{"a": 1}', r"line 1: expected ',' or '\]' after statement 1, found the end"),
])
def test_a_broken_array_is_refused_with_its_line(tmp_path: Path, text: str, message: str):
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=message):
        read_all(path)


def test_empty_array_holds_no_statement(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text(" [ ] \n", encoding="utf-8")
    assert read_all(path) == []


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(items=st.lists(values, max_size=8), indent=st.sampled_from([None, 0, 1, 2]),
       chunk=st.integers(1, 40), gzipped=st.booleans())
def test_array_elements_and_their_lines_survive_any_chunking(
        tmp_path_factory: pytest.TempPathFactory, items: list, indent: int | None, chunk: int,
        gzipped: bool):
    parts = [json.dumps(item, indent=indent, ensure_ascii=False) for item in items]
    text = "[\n" + ",\n".join(parts) + "\n]\n"
    raw = text.encode("utf-8")
    path = tmp_path_factory.mktemp("a") / "a.json"
    path.write_bytes(gzip.compress(raw) if gzipped else raw)
    expected_lines, line = [], 2
    for part in parts:
        expected_lines.append(line)
        line += part.count("\n") + 1
    original = xapi_read.CHUNK
    xapi_read.CHUNK = chunk
    try:
        got = read_all(path)
    finally:
        xapi_read.CHUNK = original
    assert [g[2] for g in got] == items
    assert [g[1] for g in got] == expected_lines
    assert [g[0] for g in got] == list(range(1, len(items) + 1))


# ---- instants ---------------------------------------------------------------------------

def test_offsets_and_z_give_utc_microseconds():
    base = instant("2026-10-05T07:00:00Z")
    assert base == int(dt.datetime(2026, 10, 5, 7, tzinfo=dt.UTC).timestamp()) * 1_000_000
    assert instant("2026-10-05T09:00:00+02:00") == base
    assert instant("2026-10-05T02:00:00-05:00") == base
    assert instant("2026-10-05T12:30:00+05:30") == base
    assert instant("2026-10-05T07:00:00.250z") == base + 250_000
    assert instant("2026-10-05T09:00:00.123456789+0200") == base + 123_456  # truncated to µs


@pytest.mark.parametrize(("value", "reason"), [
    (None, "no timestamp"),
    (1791176674, "not an ISO 8601 text"),
    ("", "not an ISO 8601 text"),
    ("yesterday", "'yesterday' is not ISO 8601"),
    ("2026-10-05T09:00:00", "has no time zone"),
    ("2026-10-05", "has no time zone"),
    ("2026-13-05T09:00:00Z", "is not ISO 8601"),
])
def test_missing_invalid_and_zoneless_timestamps_are_rejected(value: object, reason: str):
    with pytest.raises(Rejected, match=reason):
        instant(value)


@settings(max_examples=300, deadline=None)
@given(when=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)),
       minutes=st.integers(-14 * 60, 14 * 60), colon=st.booleans(), zulu=st.booleans(),
       separator=st.sampled_from(["T", " "]))
def test_every_offset_form_of_one_instant_gives_the_same_utc_time(
        when: dt.datetime, minutes: int, colon: bool, zulu: bool, separator: str):
    utc = when.replace(tzinfo=dt.UTC)
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    text = utc.astimezone(zone).isoformat(sep=separator)
    if not colon:
        text = text[:-3] + text[-2:]
    if zulu and minutes == 0:
        text = text[:-6 if colon else -5] + "Z"
    expected = (utc - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    assert instant(text) == expected
    assert instant(utc.isoformat().replace("+00:00", "Z")) == expected
