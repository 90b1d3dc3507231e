"""One pass over an input file's bytes for everything ingestion asks of them: its sha256, its
physical lines and its line endings.

    future = filescan.soon(path)      # starts reading in a background thread
    ...                               # DuckDB parses the file meanwhile (it releases the GIL)
    facts = filescan.scan(path)       # waits for that pass, or makes it
    facts.sha256, facts.lines, facts.irregular

Results are kept per file version (resolved path, size, modification time) for the process,
so the line count, the ending check and the record of the file never read it twice. The pass
holds the GIL only between blocks: sha256 and the numpy counts release it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BLOCK = 1 << 24
KEEP = 64  # file versions remembered
LF, CR = 10, 13

_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="m2if-filescan")
_LOCK = threading.Lock()
_SEEN: OrderedDict[tuple[str, int, int], Future[FileScan]] = OrderedDict()


@dataclass(frozen=True)
class FileScan:
    """What one pass over a file found."""

    sha256: str
    lines: int  # physical lines; a last line without a line break counts too
    lf: int  # line feeds
    cr: int  # carriage returns
    crlf: int  # CR LF pairs

    @property
    def irregular(self) -> bool:
        """Mixed line endings (some CRLF, some LF) or a carriage return that ends no line:
        DuckDB's CSV reader cannot read such a file, a line-by-line copy can."""
        return self.cr != self.crlf or 0 < self.crlf < self.lf


def _read(path: str) -> FileScan:
    digest = hashlib.sha256()
    lf = cr = crlf = 0
    last = LF  # an empty file has no line
    buf = bytearray(BLOCK)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            block = view[:n]
            digest.update(block)
            data = np.frombuffer(block, dtype=np.uint8)
            lf += int(np.count_nonzero(data == LF))
            if buf.find(b"\r", 0, n) >= 0:
                ends = data == CR
                cr += int(np.count_nonzero(ends))
                crlf += int(np.count_nonzero(ends[:-1] & (data[1:] == LF)))
                crlf += int(last == CR and data[0] == LF)
            elif last == CR and data[0] == LF:
                crlf += 1
            last = int(data[-1])
    return FileScan(digest.hexdigest(), lf + (last != LF), lf, cr, crlf)


def _key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def soon(path: Path) -> Future[FileScan]:
    """The pass over ``path``: started now in the background, or the one already made."""
    key = _key(path)
    with _LOCK:
        future = _SEEN.get(key)
        if future is None or (future.done() and future.exception() is not None):
            future = _POOL.submit(_read, key[0])
            _SEEN[key] = future
        _SEEN.move_to_end(key)
        while len(_SEEN) > KEEP:
            _SEEN.popitem(last=False)
    return future


def scan(path: Path) -> FileScan:
    """The facts of ``path`` (one pass per file version and process)."""
    return soon(path).result()
