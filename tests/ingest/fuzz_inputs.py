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
import random
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


def fuzz(name: str, inputs: int, batch: int = 1) -> settings:
    """Seeded settings for one fuzz test that checks ``inputs`` generated inputs, ``batch`` of
    them per Hypothesis example (drawn together by ``batches``); the inputs are recorded for the
    10,000 count."""
    BUDGET[name] = inputs * SCALE
    return settings(max_examples=max(1, inputs * SCALE // batch), derandomize=True,
                    deadline=None, database=None, suppress_health_check=list(HealthCheck))


# Inputs per example in the tests of parsing layers: where one check costs microseconds,
# Hypothesis's own work per example (seeding and restoring random states, recording the
# choices, its tree of tried prefixes: about half a millisecond) was most of a test's time; a
# batch pays it once per ten inputs. The inputs are drawn by the same strategies, as many of
# them (e.g. the open-quote scan's 1,500: 0.79 s -> 0.21 s). A failing batch shrinks to its
# failing input beside the simplest values of the others.
BATCH = 10


def batches(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """``BATCH`` inputs drawn together by ``strategy``."""
    return st.lists(strategy, min_size=BATCH, max_size=BATCH)


def _render(header: list[str], rows: list[list[str]], delimiter: str, quoted: bool) -> str:
    buffer = io.StringIO()
    if quoted:
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:  # what a hand-made export does: no quoting at all
        buffer.write("\n".join(delimiter.join(r) for r in [header, *rows]) + "\n")
    return buffer.getvalue()


# Characters a messy cell is made of: the CSV's own syntax, line breaks, spaces of every kind,
# accents and Windows-1252's look-alikes, control characters, a BOM, right-to-left, emoji.
ALPHABET = ('abzAZ09 -_.:/@+=,;\t"\'\\\n\r\x00\x01\x1f\x7f\xa0\xad'
            "\u200b\u202e\ufeff\u2028éÉèçÇàœŒ€’“”…ß漢😀")
EDGE_INTEGERS = [0, 1, -1, 2**31 - 1, -2**31, 2**32, 2**53 + 1, 2**63 - 1, -2**63, 2**63, 2**64]
EDGE_FLOATS = [0.0, -0.0, 0.5, -1.5, 1e-300, 5e-324, 1.7976931348623157e308, float("inf"),
               float("-inf"), float("nan")]


def random_cell(rng: random.Random) -> str:
    """One cell as ``cell`` draws it (a special value, short text, a wide integer or a float's
    repr), from a seeded generator: a file of messy rows costs one draw, not one per character."""
    kind = rng.randrange(8)
    if kind < 3:
        return rng.choice(SPECIAL)
    if kind < 6:
        return "".join(rng.choices(ALPHABET, k=rng.randrange(13)))
    if kind == 6:
        return str(rng.choice(EDGE_INTEGERS) if rng.random() < 0.3
                   else rng.randint(-2**63, 2**64))
    return repr(rng.choice(EDGE_FLOATS) if rng.random() < 0.3
                else rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-30, 30))


@st.composite
def export_bytes(draw: st.DrawFn, header: list[str], valid: list[list[str]],
                 delimiter: str = ",") -> bytes:
    """A CSV export: the header, some valid rows and some messy ones (up to five, each of two
    fields fewer to two more than the header), in any order, encoded messily. Hypothesis draws
    the file's shape; the messy cells and the row order come from one drawn seed."""
    width = len(header)
    rng = draw(st.randoms(use_true_random=True))
    messy = [[random_cell(rng) for _ in range(rng.randint(max(0, width - 2), width + 2))]
             for _ in range(draw(st.integers(0, 5)))]
    rows = [*valid[:draw(st.integers(0, len(valid)))], *messy]
    rng.shuffle(rows)
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


def random_json(rng: random.Random, leaves: int = 8) -> Any:
    """Anything JSON can hold, up to ``leaves`` scalars nested in lists and objects: null,
    booleans, integers beyond 64 bits, floats (NaN and infinities included), messy strings."""
    kind = rng.randrange(9) if leaves > 1 else rng.randrange(7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice(EDGE_INTEGERS) if rng.random() < 0.3 else rng.randint(-2**70, 2**70)
    if kind == 3:
        return rng.choice(EDGE_FLOATS) if rng.random() < 0.3 else rng.uniform(-1e9, 1e9)
    if kind < 7:
        return random_cell(rng)
    size = rng.randint(0, 3)
    share = max(1, (leaves - 1) // max(1, size))
    if kind == 7:
        return [random_json(rng, share) for _ in range(size)]
    return {"".join(rng.choices(ALPHABET, k=rng.randrange(9))): random_json(rng, share)
            for _ in range(size)}


# one draw (a seed) per value: hypothesis's own recursive strategy drew each leaf and key
json_values = st.randoms(use_true_random=True).map(random_json)

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
