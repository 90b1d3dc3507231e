"""Progress bars on standard error for long work, silent unless standard error is a terminal.

A bar can follow a running DuckDB statement through ``query_progress()`` (for a CSV scan: the
share of the file's bytes read). Every bar of the process shares one rich display, so a
per-file bar can sit under the CLI's bar over the files.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

T = TypeVar("T")
POLL_SECONDS = 0.2
_display: Progress | None = None
_users = 0


def enabled() -> bool:
    """True when bars are drawn: standard error is a terminal."""
    return sys.stderr.isatty()


def mib(n_bytes: float) -> str:
    """A size for a bar's detail column ('1,318 MiB')."""
    return f"{n_bytes / 2**20:,.0f} MiB"


class Bar:
    """One line of the shared display (every method is a no-op when bars are off)."""

    def __init__(self, display: Progress | None = None, task: TaskID | None = None) -> None:
        self._display, self._task = display, task

    def update(self, completed: float | None = None, description: str | None = None,
               total: float | None = None, detail: str | None = None) -> None:
        if self._display is None or self._task is None:
            return
        extra = {} if detail is None else {"detail": detail}
        self._display.update(self._task, completed=completed, description=description,
                             total=total, **extra)

    def advance(self, steps: float = 1.0) -> None:
        if self._display is not None and self._task is not None:
            self._display.advance(self._task, steps)

    def follow(self, con: duckdb.DuckDBPyConnection, work: Callable[[], T],
               start: float = 0.0, span: float = 1.0,
               detail: Callable[[float], str] | None = None) -> T:
        """Run ``work`` (statements on ``con``) while the bar moves from ``start`` to
        ``start + span`` with DuckDB's estimate of the running statement's progress;
        ``detail`` turns the bar's position into its detail text."""
        if self._display is None:
            return work()
        outcome: list[T] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                outcome.append(work())
            except BaseException as exc:  # re-raised in the calling thread
                failure.append(exc)

        worker = threading.Thread(target=run, name="m2if-query", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(POLL_SECONDS)
                percent = con.query_progress()
                if percent >= 0:
                    done = start + span * min(percent, 100.0) / 100.0
                    self.update(completed=done, detail=detail(done) if detail else None)
        except KeyboardInterrupt:
            con.interrupt()
            worker.join()
            raise
        if failure:
            raise failure[0]
        self.update(completed=start + span)
        return outcome[0]


@contextmanager
def bar(description: str, total: float | None = None) -> Iterator[Bar]:
    """A bar for the duration of the block (a no-op bar when standard error is not a
    terminal)."""
    global _display, _users
    if not enabled():
        yield Bar()
        return
    if _display is None:
        _display = Progress(TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.percentage:>3.0f}%"),
                            TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=True)
        _display.start()
    display = _display
    _users += 1
    task = display.add_task(description, total=total, detail="")
    try:
        yield Bar(display, task)
    finally:
        display.remove_task(task)
        _users -= 1
        if _users == 0:
            display.stop()
            _display = None
