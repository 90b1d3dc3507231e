"""The one place a CSV export is opened, decoded and cut into records.

Real exports are messy, and each mess is handled per physical line, never per file:

* **Decoding**: every line is read as UTF-8; a line that is not valid UTF-8 is read as
  Windows-1252 (Excel on Windows) and counted as *recoded*; a byte-order mark is stripped
  from the first line whatever follows. A line that is neither is set aside with its reason.
* **Quotes**: a record may span lines only inside a quoted field that closes and leaves the
  record with the header's number of fields. A quote opened and never closed (a stray ``"``)
  sets its own line aside ("unbalanced quote") and the next lines are read on their own, so
  one stray quote never swallows the records after it.
* **Accounting**: every physical line is the header, a blank line, part of one record, or
  set aside with its line number and reason.

    export = read_export(path)
    for record in export.records:   # (line, fields)
        ...
    export.bad                      # [(line, reason)], export.recoded: [line, ...]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from m2if_analytics.errors import IngestError

BOM = "\ufeff"
MAX_SPAN_LINES = 10_000  # a quoted field longer than this is a stray quote, not a field
MAX_FIELD = 1 << 24  # 16 MiB: larger fields than the csv module's 128 KiB default are kept
csv.field_size_limit(MAX_FIELD)
_BREAK = re.compile(rb"\r\n|\r|\n")


@dataclass
class Export:
    """A CSV export cut into records: ``header`` (its fields), ``records`` (line of the
    record's first physical line, fields), ``bad`` lines set aside, ``recoded`` lines."""

    path: Path
    delimiter: str
    header: list[str]
    records: list[tuple[int, list[str]]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    recoded: list[int] = field(default_factory=list)

    @property
    def read(self) -> int:
        """Records read (set-aside lines included): the account's ``read``."""
        return len(self.records) + len(self.bad)


def physical_lines(data: bytes) -> list[bytes]:
    """The file's lines without their line breaks (CR, LF or CRLF); a last line without a
    break counts, an empty file has none."""
    if not data:
        return []
    parts = _BREAK.split(data)
    if parts and parts[-1] == b"":
        parts.pop()
    return parts


def decode_line(raw: bytes) -> tuple[str | None, bool]:
    """(text, recoded): UTF-8, else Windows-1252 (recoded); (None, False) when neither."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), True
    except UnicodeDecodeError:
        return None, False


def sniff(header: str, default: str | None = None) -> str | None:
    """The most frequent of comma, semicolon and tab in the header line (None: none)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else default


def open_quote(text: str, delimiter: str, quoted: bool = False) -> bool:
    """Whether a quoted field is still open at the end of ``text`` (CSV rules: a quote
    opens a field only at its start; ``""`` inside a quoted field is a quote). Jumps from
    quote to quote and from delimiter to delimiter (a field of 100 kB is one ``find``)."""
    i, n = 0, len(text)
    at_start = not quoted
    while i < n:
        if quoted:
            j = text.find('"', i)
            if j < 0:
                return True
            if j + 1 < n and text[j + 1] == '"':  # an escaped quote: still inside
                i = j + 2
                continue
            quoted, at_start, i = False, False, j + 1
        elif at_start and text[i] == '"':
            quoted, at_start, i = True, False, i + 1
        else:
            j = text.find(delimiter, i)
            if j < 0:
                return False
            at_start, i = True, j + 1
    return quoted


def _fields(text: str, delimiter: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    return rows[0] if rows else []


def read_export(path: Path, default_delimiter: str | None = ",",
                data: bytes | None = None) -> Export:
    """Read ``path`` (or its ``data``) as a CSV export with a header row."""
    if data is None:
        data = path.read_bytes()
    lines = physical_lines(data)
    if not lines:
        raise IngestError(f"{path}: empty file; expected a CSV export with a header row")
    texts: list[str | None] = []
    recoded: list[int] = []
    for number, raw in enumerate(lines, start=1):
        text, was_recoded = decode_line(raw)
        if number == 1 and text is not None:
            text = text.lstrip(BOM)
        texts.append(text)
        if was_recoded:
            recoded.append(number)
    header_text = texts[0]
    if header_text is None:
        raise IngestError(f"{path}, line 1: the header is neither UTF-8 nor Windows-1252 text; "
                          "re-export the file as CSV UTF-8")
    delimiter = sniff(header_text, default_delimiter)
    if delimiter is None:
        raise IngestError(f"{path}: line 1 has no comma, semicolon or tab; "
                          "is it a CSV export with a header row?")
    header = _fields(header_text, delimiter)
    export = Export(path, delimiter, header, recoded=recoded)
    for start, fields, reason in _records(texts, delimiter, len(header)):
        if reason is not None:
            export.bad.append((start, reason))
        else:
            export.records.append((start, fields))
    return export


def _records(texts: list[str | None], delimiter: str, width: int
             ) -> Iterator[tuple[int, list[str], str | None]]:
    """(first line, fields, reason) of every record after the header; ``reason`` set for a
    line set aside. Blank lines yield nothing."""
    i, n = 1, len(texts)
    while i < n:
        number, text = i + 1, texts[i]
        if text is None:
            yield number, [], "neither UTF-8 nor Windows-1252 text"
            i += 1
            continue
        if text.strip() == "":
            i += 1
            continue
        if not open_quote(text, delimiter):
            yield number, _fields(text, delimiter), None
            i += 1
            continue
        joined, j, quoted = text, i + 1, True
        while quoted and j < n and j - i <= MAX_SPAN_LINES and texts[j] is not None:
            joined += "\n" + texts[j]
            quoted = open_quote(texts[j], delimiter, quoted=True)
            j += 1
        fields = _fields(joined, delimiter) if not quoted else []
        if not quoted and len(fields) == width:
            yield number, fields, None  # a quoted field over several lines
            i = j
        else:
            yield number, [], ("unbalanced quote: a quoted field opens on this line and never "
                               "closes; the line is set aside and the next ones read on "
                               "their own")
            i += 1


@dataclass
class Repair:
    """What :func:`repair_copy` changed: lines recoded to UTF-8 and lines set aside (blanked
    in the copy, so every other line keeps its number)."""

    recoded: list[int] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)


def _iter_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        for raw in fh:
            yield raw.rstrip(b"\r\n").replace(b"\r", b" ")  # a stray CR ends no line


def repair_copy(path: Path, out: Path, delimiter: str, width: int) -> Repair:
    """Copy ``path`` to ``out`` line by line (streaming): every line as UTF-8 (Windows-1252
    lines recoded), and a line opening a quote that never closes — or that is neither
    encoding — replaced by a blank line, with its reason. A bulk CSV reader then reads the
    copy with the same line numbers and without a stray quote swallowing later records."""
    repair = Repair()
    pending: list[tuple[int, str]] = []  # a record still inside a quoted field
    with out.open("w", encoding="utf-8", newline="\n") as sink:

        def flush(lines: list[tuple[int, str]]) -> None:
            for _, text in lines:
                sink.write(text + "\n")

        def set_aside(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
            """The first pending line is a stray quote: blank it, re-read the rest."""
            number, _ = lines[0]
            repair.bad.append((number, "unbalanced quote: a quoted field opens on this line "
                                       "and never closes; the line is set aside and the next "
                                       "ones read on their own"))
            sink.write("\n")
            return lines[1:]

        def feed(number: int, text: str) -> None:
            nonlocal pending
            queue = [(number, text)]
            while queue:
                item = queue.pop(0)
                if not pending:
                    if item[0] > 1 and open_quote(item[1], delimiter):
                        pending = [item]
                    else:
                        sink.write(item[1] + "\n")
                    continue
                pending.append(item)
                if not open_quote(item[1], delimiter, quoted=True):
                    joined = "\n".join(t for _, t in pending)
                    if len(_fields(joined, delimiter)) == width:
                        flush(pending)
                        pending = []
                    else:
                        queue = set_aside(pending) + queue
                        pending = []
                elif len(pending) > MAX_SPAN_LINES:
                    queue = set_aside(pending) + queue
                    pending = []

        for number, raw in enumerate(_iter_lines(path), start=1):
            text, recoded = decode_line(raw)
            if text is None:
                text = ""
                repair.bad.append((number, "neither UTF-8 nor Windows-1252 text"))
            elif recoded:
                repair.recoded.append(number)
            if number == 1:
                text = text.lstrip(BOM)
            feed(number, text)
        while pending:  # the file ended inside a quoted field
            rest = set_aside(pending)
            pending = []
            for number, text in rest:
                feed(number, text)
    return repair


def with_header(export: Export) -> list[tuple[int, list[str]]]:
    """The header as record (1, fields) followed by the records: the shape the programme,
    roster and forum readers iterate over."""
    return [(1, export.header), *export.records]
