"""The one pass over an input file: sha256, physical lines and line endings, counted the
same whatever the block size, and read once per file version."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from m2if_analytics.ingest import filescan
from tests.ingest.fuzz_inputs import fuzz


def naive(data: bytes) -> tuple[int, int, int, int, bool]:
    """lines, lf, cr, crlf, irregular, counted the obvious way."""
    lf, cr, crlf = data.count(b"\n"), data.count(b"\r"), data.count(b"\r\n")
    lines = lf + (bool(data) and not data.endswith(b"\n"))
    return lines, lf, cr, crlf, cr != crlf or 0 < crlf < lf


def facts(scan: filescan.FileScan) -> tuple[int, int, int, int, bool]:
    return scan.lines, scan.lf, scan.cr, scan.crlf, scan.irregular


@pytest.mark.parametrize(("data", "expected"), [
    (b"", (0, 0, 0, 0, False)),
    (b"a,b\n1,2\n", (2, 2, 0, 0, False)),
    (b"a,b\n1,2", (2, 1, 0, 0, False)),                # no final line break: still a line
    (b"a,b\r\n1,2\r\n", (2, 2, 2, 2, False)),          # CRLF throughout
    (b"a,b\r\n1,2\n3,4\r\n", (3, 3, 2, 2, True)),      # mixed endings
    (b"a,b\n1,\r2\n", (2, 2, 1, 0, True)),             # a CR that ends no line
    (b"a\rb\rc\r", (1, 0, 3, 0, True)),                # old Mac endings: one long line
])
def test_hand_counted_files(tmp_path: Path, data: bytes,
                            expected: tuple[int, int, int, int, bool]):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    scan = filescan.scan(path)
    assert facts(scan) == expected == naive(data)
    assert scan.sha256 == hashlib.sha256(data).hexdigest()


@fuzz("filescan", 300)
@given(data=st.lists(st.sampled_from([b"\r", b"\n", b"\r\n", b"x", b",", b"\"", b"\xe9"]),
                     max_size=60).map(b"".join),
       block=st.integers(min_value=1, max_value=9))
def test_any_block_size_gives_the_obvious_counts(data: bytes, block: int,
                                                 tmp_path_factory: pytest.TempPathFactory):
    """A CR LF pair split across two blocks is still one pair."""
    path = tmp_path_factory.mktemp("scan") / "f.bin"
    path.write_bytes(data)
    saved = filescan.BLOCK
    filescan.BLOCK = block
    try:
        scan = filescan._read(str(path))
    finally:
        filescan.BLOCK = saved
    assert facts(scan) == naive(data)
    assert scan.sha256 == hashlib.sha256(data).hexdigest()


def test_a_file_is_read_once_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a\nb\n")
    reads: list[str] = []
    real = filescan._read
    monkeypatch.setattr(filescan, "_read", lambda p: reads.append(p) or real(p))
    first = filescan.scan(path)
    assert filescan.scan(path) is first and len(reads) == 1
    path.write_bytes(b"a\r\nb\n\n")  # another version: size and modification time change
    os.utime(path, ns=(1, 1))
    again = filescan.scan(path)
    assert len(reads) == 2 and (again.lines, again.irregular) == (3, True)
