"""Hypothesis strategies for messy exports: cells users really send (quotes, separators, line
breaks, formulas, accents, stray bytes, 140 KiB fields, extreme numbers and dates), rows of
the wrong width, whole files in UTF-8, Windows-1252 or with random bytes spliced in.

The budget: ``M2IF_FUZZ_SCALE`` (default 1 in ``make test``; ``make fuzz`` sets 20)
multiplies every test's number of examples; runs are seeded (``derandomize``) so a failure
in CI is replayed as it happened.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SCALE = max(1, int(os.environ.get("M2IF_FUZZ_SCALE", "1")))
BUDGET: dict[str, int] = {}  # test name → examples, summed by a test (≥ 10,000)

LONG = "x" * (140 << 10)  # beyond the 128 KiB field limit of Python's csv module
SPECIAL = [
    '"', '""', '"a,b', 'a"b', "a\nb", "a\r\nb", "=HYPERLINK(\"http://x\",\"y\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)", "-", "0", "-1", "1e308", "-1e309", "NaN", "inf", "99999999999999999999999",
    "0,5", "12,5", "1 000", "0001-01-01 00:00", "9999-12-31 23:59", "31/12/9999 23:59",
    "29/02/2027", "2027-02-29", "2026-10-05 25:61", "05/10/2026", "2026-10-05 09:00",
    "5 October 2026, 9:00:00 AM", "5 octobre 2026, 09:00", "-", "é", "Noémie Çelik",
    "CELIK Noémie", "\x00", "\ufeff", " ", "", ";", "\t", ",", "'", "\\", "N;", "{}", LONG,
    "101", "102", "student", "étudiant", "A", "UE1", "UE9", "2026-2027",
]
cell = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=12),
                 st.integers(-2**63, 2**64).map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(repr))


def fuzz(name: str, examples: int) -> settings:
    """Seeded settings for one fuzz test; its budget is recorded for the 10,000 count."""
    BUDGET[name] = examples * SCALE
    return settings(max_examples=examples * SCALE, derandomize=True, deadline=None,
                    database=None, suppress_health_check=list(HealthCheck))


def _render(header: list[str], rows: list[list[str]], delimiter: str, quoted: bool) -> str:
    buffer = io.StringIO()
    if quoted:
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:  # what a hand-made export does: no quoting at all
        buffer.write("\n".join(delimiter.join(r) for r in [header, *rows]) + "\n")
    return buffer.getvalue()


@st.composite
def export_bytes(draw: st.DrawFn, header: list[str], valid: list[list[str]],
                 delimiter: str = ",") -> bytes:
    """A CSV export: the header, some valid rows and some messy ones, encoded messily."""
    width = len(header)
    messy = draw(st.lists(st.lists(cell, min_size=max(0, width - 2), max_size=width + 2),
                          max_size=5))
    rows = draw(st.permutations([*valid[:draw(st.integers(0, len(valid)))], *messy]))
    text = _render(header, list(rows), delimiter, draw(st.booleans()))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "mixed"]))
    if encoding == "mixed":  # one line in Windows-1252, the rest UTF-8
        lines = text.split("\n")
        at = draw(st.integers(0, len(lines) - 1))
        data = "\n".join(lines[:at]).encode() + (b"\n" if at else b"") + \
            lines[at].encode("cp1252", "replace") + b"\n" + "\n".join(lines[at + 1:]).encode()
    else:
        data = text.encode(encoding, "replace")
    if draw(st.booleans()):  # random bytes spliced somewhere after the header
        start = data.find(b"\n") + 1
        at = draw(st.integers(start, len(data)))
        data = data[:at] + draw(st.binary(max_size=24)) + data[at:]
    if draw(st.integers(0, 9)) == 0:
        data = data.replace(b"\n", b"\r\n")
    return data


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.sampled_from(SPECIAL),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=3),
    max_leaves=8)

STATEMENT_KEYS = ["id", "actor", "verb", "object", "timestamp", "stored", "context", "result"]


@st.composite
def statements(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any] | Any:
    """A valid statement with some of its parts replaced by anything JSON can hold."""
    out = json.loads(json.dumps(base))
    for key in draw(st.lists(st.sampled_from(STATEMENT_KEYS), max_size=3)):
        out[key] = draw(json_values)
    if draw(st.integers(0, 4)) == 0:
        out["actor"] = {"account": {"homePage": draw(st.sampled_from(["https://x", "", "?"])),
                                    "name": draw(cell)}}
    if draw(st.integers(0, 4)) == 0:
        out["timestamp"] = draw(st.sampled_from(
            ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-10-05T09:00:00+14:00",
             "2026-10-05", "2026-13-45T00:00:00Z", "not a date", "2031-01-01T00:00:00Z"]))
    return out


@st.composite
def xapi_bytes(draw: st.DrawFn, base: dict[str, Any]) -> bytes:
    """JSON Lines or a JSON array of messy statements, with a deep or broken one at times."""
    items = draw(st.lists(statements(base), max_size=5))
    lines = [json.dumps(s, ensure_ascii=draw(st.booleans())) for s in items]
    extra = draw(st.sampled_from(["", "deep", "broken", "bytes", "blank"]))
    if extra == "deep":
        lines.append('{"a":' * 3000 + "1" + "}" * 3000)
    elif extra == "broken":
        lines.append(lines[0][: len(lines[0]) // 2] if lines else "{")
    elif extra == "bytes":
        lines.append(draw(st.binary(max_size=30)).decode("latin-1"))
    elif extra == "blank":
        lines.append("   ")
    if draw(st.booleans()) and extra in ("", "deep"):
        return ("[" + ",\n".join(lines) + "]").encode()
    text = "\n".join(lines) + "\n"
    return text.encode("utf-8", "surrogatepass") if lines else b"{}\n"
