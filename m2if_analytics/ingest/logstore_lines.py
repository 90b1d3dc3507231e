"""Line numbers of a logstore dump's bad records: from their position, or by their id."""

from __future__ import annotations

from pathlib import Path

from m2if_analytics.ingest import filescan


def locate_lines(path: Path, ids: list[int], delim: str, first_column: str) -> dict[int, int]:
    """Line numbers of records by their id (the first column), in one pass over the file.

    Dumps list records in id order, so the search for each id resumes where the previous
    one stopped, reading the file in chunks (no copy of it in memory). Ids found out of
    order or not at all are left out (their quarantine row names the record id instead).
    """
    found: dict[int, int] = {}
    if first_column != "id" or not ids:
        return found
    targets = iter(sorted(set(ids)))
    target = next(targets, None)
    sep = delim.encode()
    line, carry = 0, b"\n"  # the leading newline lets the first line match too
    with path.open("rb") as fh:
        while target is not None:
            chunk = fh.read(1 << 24)
            if not chunk:
                break
            data = carry + chunk
            start = 0
            while target is not None:
                hit = data.find(b"\n%d%s" % (target, sep), start)
                if hit < 0:
                    break
                line += data.count(b"\n", start, hit + 1)
                found[target] = line
                start = hit + 1
                target = next(targets, None)
            keep = 32  # enough for a newline, an id and a delimiter
            line += data.count(b"\n", start, max(start, len(data) - keep))
            carry = data[max(start, len(data) - keep):]
    return found


def irregular_endings(path: Path) -> bool:
    """Whether the file mixes line endings (some CRLF, some LF) or has a carriage return that
    ends no line: DuckDB's CSV reader cannot read such a file, a line-by-line copy can."""
    return filescan.scan(path).irregular


def count_lines(path: Path) -> int:
    """Physical lines of a file (a last line without a line break counts too)."""
    return filescan.scan(path).lines


def lines_by_position(positions: list[int], reject_lines: list[int]) -> list[int]:
    """Lines of records given by their position among the accepted records (ascending),
    when every record and every rejected line is one physical line: the header, then the
    records, with the rejected lines in between."""
    rejects = iter(sorted(reject_lines))
    upcoming = next(rejects, None)
    skipped, out = 0, []
    for n in positions:
        line = n + 2 + skipped
        while upcoming is not None and upcoming <= line:
            skipped += 1
            line += 1
            upcoming = next(rejects, None)
        out.append(line)
    return out


def quarantine_rows(path: Path, bad: list[tuple[int, int | None, str]], records: int,
                    reject_lines: list[int], delim: str, first_column: str
                    ) -> list[tuple[int | None, str]]:
    """(line, reason) for bad records given as (position, id, reason), ascending positions.

    When the file has exactly one line per record (the header, ``records`` accepted records
    and the rejected lines), a record's line follows from its position: one count of line
    breaks. Otherwise (line breaks inside quoted fields, blank lines) records are looked up
    by id, and a record whose id is not unique among the bad ones is named by its id.
    """
    if not bad:
        return []
    if count_lines(path) == 1 + records + len(reject_lines):
        lines = lines_by_position([b[0] for b in bad], reject_lines)
        return [(line, reason) for line, (_, _, reason) in zip(lines, bad, strict=True)]
    ids = [b[1] for b in bad if b[1] is not None]
    counts: dict[int, int] = {}
    for i in ids:
        counts[i] = counts.get(i, 0) + 1
    found = locate_lines(path, [i for i, n in counts.items() if n == 1], delim, first_column)
    rows: list[tuple[int | None, str]] = []
    for _, bad_id, reason in bad:
        line = found.get(bad_id) if bad_id is not None else None
        suffix = f" (record id {bad_id})" if bad_id is not None and line is None else ""
        rows.append((line, reason + suffix))
    return rows
