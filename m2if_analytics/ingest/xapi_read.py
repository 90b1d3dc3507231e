"""Stream xAPI statements out of a file: JSON Lines or a JSON array, plain or gzip.

Nothing holds the whole file: JSON Lines are read line by line, a JSON array chunk by chunk
(1 MiB of text at a time, each statement decoded where it lies in the buffer). Each statement
comes with its position (1-based) and the physical line where it starts, for quarantine rows.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import is_gzip, reading

BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 20  # characters read at a time from a JSON array
MAX_STATEMENT = 64 << 20  # a single statement larger than this is refused
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_GOES_ON = ("", *"0123456789.eE+-")  # what may follow a cut number or literal
TOO_DEEP = "JSON nested too deeply to be a statement (arrays or objects inside each other)"


@dataclass(frozen=True)
class Malformed:
    """A statement that could not be decoded, with the reason."""

    reason: str


@dataclass(frozen=True)
class Layout:
    """How a file holds its statements."""

    kind: str  # 'jsonl' (one statement per line) or 'array' (one JSON array)
    gzipped: bool


def detect(path: Path) -> Layout:
    """JSON Lines or JSON array, from the first non-blank character ('{' or '[')."""
    gzipped = is_gzip(path)
    with reading(path) as fh:
        head = fh.read(1 << 16)
        while head and not head.lstrip(BOM + b" \t\r\n"):
            head = fh.read(1 << 16)
    first = head.lstrip(BOM + b" \t\r\n")[:1]
    if first == b"{":
        return Layout("jsonl", gzipped)
    if first == b"[":
        return Layout("array", gzipped)
    what = "is empty" if not first else f"starts with {first.decode('latin-1')!r}"
    raise IngestError(f"{path}: the file {what}; expected xAPI statements as a JSON array "
                      "('[...]') or JSON Lines (one statement object per line)")


def statements(path: Path, layout: Layout) -> Iterator[tuple[int, int, Any]]:
    """(position, line, statement) for every statement: a decoded value or a Malformed."""
    with reading(path) as fh:
        if layout.kind == "jsonl":
            yield from _lines(fh, path)
        else:
            text = io.TextIOWrapper(fh, encoding="utf-8-sig")
            try:
                yield from _ArrayReader(text, path)
            except UnicodeDecodeError as exc:
                raise IngestError(f"{path}: not UTF-8 text ({exc.reason}); xAPI statements are "
                                  "UTF-8 JSON") from None


def _physical_lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(number, bytes) per line; None for a line over MAX_STATEMENT, skipped without ever
    holding more than MAX_STATEMENT bytes of it."""
    number = 0
    while True:
        raw = fh.readline(MAX_STATEMENT + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_STATEMENT and not raw.endswith(b"\n"):
            rest = fh.readline(CHUNK)
            while rest and not rest.endswith(b"\n"):
                rest = fh.readline(CHUNK)
            yield number, None
        else:
            yield number, raw


def _lines(fh: IO[bytes], path: Path) -> Iterator[tuple[int, int, Any]]:
    position = 0
    for number, raw in _physical_lines(fh):
        if raw is None:
            position += 1
            yield position, number, Malformed(
                f"a line longer than {MAX_STATEMENT / 2**20:g} MiB (one statement per line)")
            continue
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        if not raw or raw.isspace():
            continue
        position += 1
        try:
            value: Any = json.loads(raw)
        except RecursionError:
            value = Malformed(TOO_DEEP)
        except json.JSONDecodeError as exc:
            if position == 1 and exc.pos >= len(exc.doc.rstrip()):
                raise IngestError(
                    f"{path}, line {number}: a JSON object spread over several lines; JSON "
                    "Lines need one whole statement per line, and a pretty-printed file must "
                    "be a JSON array of statements") from None
            column = min(exc.pos, len(exc.doc.rstrip())) + 1
            value = Malformed(f"not valid JSON ({exc.msg}, column {column})")
        except UnicodeDecodeError:
            value = Malformed("not UTF-8 text")
        yield position, number, value


class _ArrayReader:
    """The elements of one top-level JSON array, decoded one at a time from a text buffer."""

    def __init__(self, fh: IO[str], path: Path) -> None:
        self.fh, self.path = fh, path
        self.buf, self.pos, self.eof = "", 0, False
        self.line, self.counted = 1, 0  # physical line number of buf[counted]

    def _fill(self) -> bool:
        """Append the next chunk (dropping what was consumed); False at the end of the file."""
        if self.eof:
            return False
        chunk = self.fh.read(max(CHUNK, len(self.buf) - self.pos))
        if not chunk:
            self.eof = True
            return False
        self._line_at(self.pos)
        self.buf = self.buf[self.pos:] + chunk
        self.counted, self.pos = 0, 0
        return True

    def _line_at(self, index: int) -> int:
        self.line += self.buf.count("\n", self.counted, index)
        self.counted = index
        return self.line

    def _next_char(self) -> str:
        """Skip whitespace; the next character, or '' at the end of the file."""
        while True:
            match = _WS.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def _fail(self, what: str, index: int | None = None) -> IngestError:
        line = self._line_at(self.pos)
        if index is not None:
            line += self.buf.count("\n", self.pos, index)
        return IngestError(f"{self.path}, line {line}: {what}; the JSON array cannot be read "
                           "past this point, nothing loaded")

    def _decode(self) -> Any:
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise self._fail(TOO_DEEP) from None
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.buf) - 16 or exc.msg.startswith("Unterminated")
                if len(self.buf) - self.pos > MAX_STATEMENT:
                    raise self._fail(f"a statement larger than {MAX_STATEMENT >> 20} MiB "
                                     "or not valid JSON") from None
                if near_end and self._fill():
                    continue
                raise self._fail(f"not valid JSON ({exc.msg})", exc.pos) from None
            scalar = not isinstance(value, dict | list | str)
            if scalar and self.buf[end:end + 1] in _GOES_ON and self._fill():
                continue  # a number cut by the chunk's end ('1' of '12', '0' of '0.5')
            self.pos = end
            return value

    def __iter__(self) -> Iterator[tuple[int, int, Any]]:
        if self._next_char() != "[":
            raise self._fail("expected '[' (a JSON array of statements)")
        self.pos += 1
        if self._next_char() == "]":
            self.pos += 1
        else:
            yield from self._elements()
        if self._next_char():
            raise self._fail("text after the end of the JSON array")

    def _elements(self) -> Iterator[tuple[int, int, Any]]:
        position = 0
        while True:
            position += 1
            if self._next_char() in ("]", ""):
                raise self._fail(f"expected statement {position} after ','")
            line = self._line_at(self.pos)
            yield position, line, self._decode()
            separator = self._next_char()
            self.pos += 1
            if separator == "]":
                return
            if separator != ",":
                found = repr(separator) if separator else "the end of the file"
                raise self._fail(f"expected ',' or ']' after statement {position}, "
                                 f"found {found}")
