"""Run one command in a fresh subprocess and record its wall time and peak memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Measure:
    """Wall time and peak resident memory (``ru_maxrss``) of one subprocess."""

    seconds: float
    peak_rss_mib: float
    stdout: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("stdout")
        return {k: round(v, 3) for k, v in data.items()}


class StepFailed(RuntimeError):
    """A measured command exited non-zero."""


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Measure:
    """Run ``cmd``; wait for it with ``os.wait4`` to get its own rusage (Linux: KiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise StepFailed(f"{' '.join(cmd)} exited {proc.returncode}:\n{tail}")
    return Measure(seconds=seconds, peak_rss_mib=usage.ru_maxrss / 1024, stdout=stdout)
