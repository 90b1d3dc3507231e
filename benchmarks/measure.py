"""Run one command in a fresh subprocess and record its wall time and peak memory.

The command is started by ``launcher.py``, a small process that forks it, waits for it with
``os.wait4`` and reports its wall time and ``ru_maxrss`` (exact for one process and its reaped
children; see the launcher for why the harness cannot fork the command itself). Peak memory
is the larger of that and the peak of the summed RSS of the whole process tree, sampled from
``/proc`` every ``SAMPLE_SECONDS`` (which also sees helpers that outlive the wait, such as
Spark's JVM; it includes the launcher's ~10 MiB). With ``rss_limit_mib`` the tree is killed
once the sample exceeds it, so an in-memory contender cannot take the machine down.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.1
LAUNCHER = Path(__file__).resolve().with_name("launcher.py")
PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass(frozen=True)
class Measure:
    """Wall time and peak resident memory of one subprocess (and its descendants)."""

    seconds: float
    peak_rss_mib: float
    stdout: str

    def as_dict(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 3), "peak_rss_mib": round(self.peak_rss_mib, 1)}


class StepFailed(RuntimeError):
    """A measured command exited non-zero or went over its memory limit."""


def _children_of(pid: int) -> list[int]:
    """Child pids of ``pid`` from ``/proc/PID/task/*/children`` (empty when it is gone)."""
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
            kids.extend(int(c) for c in text.split())
        except OSError:
            continue
    return kids


def tree_rss_mib(root: int) -> float:
    """Summed resident memory of ``root`` and all its descendants (0 if none is left)."""
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/statm").read_text().split()
            total += int(fields[1]) * PAGE_MIB
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(_children_of(pid))
    return total


class _Sampler(threading.Thread):
    """Samples a process tree's RSS until stopped; kills the group over ``limit_mib``."""

    def __init__(self, pid: int, limit_mib: float | None) -> None:
        super().__init__(daemon=True)
        self.pid, self.limit_mib = pid, limit_mib
        self.peak_mib, self.killed = 0.0, False
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_mib = max(self.peak_mib, tree_rss_mib(self.pid))
            if self.limit_mib is not None and self.peak_mib > self.limit_mib and not self.killed:
                self.killed = True
                _kill_group(self.pid)
            self.done.wait(SAMPLE_SECONDS)


def measure(cmd: list[str], env: dict[str, str] | None = None,
            rss_limit_mib: float | None = None) -> Measure:
    """Run ``cmd`` (through ``launcher.py``) in its own process group; time it, keep its peak."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".launch", encoding="utf-8") as report:
        proc = subprocess.Popen([sys.executable, "-S", str(LAUNCHER), report.name, *cmd],
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env,
                                start_new_session=True)
        sampler = _Sampler(proc.pid, rss_limit_mib)
        sampler.start()
        proc.wait()
        sampler.done.set()
        sampler.join()
        _kill_group(proc.pid)  # whatever the command left behind (e.g. a JVM)
        launched = report.read().split()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if sampler.killed:
        raise StepFailed(f"{' '.join(cmd)} went over its memory budget "
                         f"({sampler.peak_mib:,.0f} MiB > {rss_limit_mib:,.0f} MiB) and was "
                         "stopped")
    if proc.returncode != 0 or len(launched) != 3:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise StepFailed(f"{' '.join(cmd)} exited {proc.returncode}:\n{tail}")
    seconds, maxrss_kib = float(launched[0]), int(launched[1])
    return Measure(seconds=seconds, peak_rss_mib=max(maxrss_kib / 1024, sampler.peak_mib),
                   stdout=stdout)


def _kill_group(group: int) -> None:
    """SIGKILL the process group that ``measure`` started (no-op once it is empty)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
