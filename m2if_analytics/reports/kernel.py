"""One kernel for several reports in a row.

A report kernel spends about a second starting and importing pandas, Polars, plotly, DuckDB
and this package before its first cell does any work. A batch of renders (``m2if run
weekly``, ``m2if demo``, the test suite) can share one kernel instead::

    with shared_kernel():
        render_report("weekly", out, options)
        render_report("cohort", out, options)   # same kernel, already warm

Before each notebook the kernel is put back to how a fresh one starts (:func:`reset_state`,
run in the kernel): its namespace emptied and its execution count back to 1, the renderer's
working directory and environment (so a key given in ``M2IF_PSEUDONYM_KEY`` after the kernel
started is the one used), and the warnings filters and "shown once" registries as they were
when it started. Imported modules stay imported, and one connection to the kernel serves
every notebook: that is the saving (sample weekly report 2.1 s -> 0.8 s). A kernel whose
notebook failed, or that died, is shut down and the next render starts a new one. The
kernel starts at the first render inside the block, not before, and is shut down when the
block ends; renders are sequential (one kernel runs one notebook at a time).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from m2if_analytics.errors import M2IFError

ENGINE = "m2if-shared-kernel"  # the papermill engine name of a shared kernel's runs
START_SECONDS = 60
_current: SharedKernel | None = None
_started_filters: list[Any] | None = None  # in the kernel: warnings filters at its start


def kernel_manager_class(sync: bool = False) -> type:
    """A kernel manager that runs ipykernel on ``sys.executable`` (the venv's Python, which
    has this package) whatever kernelspecs are installed, over CurveZMQ when available."""
    import zmq
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client import AsyncKernelManager, KernelManager
    from jupyter_client.kernelspec import KernelSpec

    base: type = KernelManager if sync else AsyncKernelManager

    class ThisPythonKernelManager(base):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            if zmq.has("curve"):
                self.transport_encryption = "auto"

        @property
        def kernel_spec(self) -> KernelSpec:
            return KernelSpec(**get_kernel_dict())  # argv[0] is sys.executable

    return ThisPythonKernelManager


class SharedKernel:
    """A kernel kept between renders, and one connection to it that every notebook uses
    (see the module docstring)."""

    def __init__(self) -> None:
        self.manager: Any = None
        self.client: Any = None

    def prepared(self) -> Any:
        """The kernel's client, the kernel started if needed and reset for a new notebook."""
        if self.manager is None or not self.manager.is_alive():
            self.close()
            self.manager = kernel_manager_class(sync=True)()
            self.manager.start_kernel()
            self.client = self.manager.client()
            self.client.start_channels()
            self.client.wait_for_ready(timeout=START_SECONDS)
            self.client.allow_stdin = False
            self._run("from m2if_analytics.reports.kernel import remember_start\n"
                      "remember_start()")
        self._run("from m2if_analytics.reports.kernel import reset_state\n"
                  f"reset_state({os.getcwd()!r}, {json.dumps(dict(os.environ))!r})")
        return self.client

    def close(self) -> None:
        """Shut the kernel down (after a failed notebook: the next render starts anew)."""
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        if self.manager is not None:
            if self.manager.has_kernel:
                self.manager.shutdown_kernel(now=True)
            self.manager = None

    def _run(self, code: str) -> None:
        reply = self.client.execute_interactive(code, store_history=False, timeout=START_SECONDS,
                                                output_hook=lambda _: None)
        content = reply["content"]
        if content["status"] != "ok":
            self.close()
            raise M2IFError("the shared report kernel could not be reset: "
                            f"{content.get('ename')}: {content.get('evalue')}")


@contextmanager
def shared_kernel() -> Iterator[SharedKernel]:
    """Renders inside the block share one kernel (nested blocks share the outer one)."""
    global _current
    if _current is not None:
        yield _current
        return
    _current = kernel = SharedKernel()
    try:
        yield kernel
    finally:
        _current = None
        kernel.close()


def current() -> SharedKernel | None:
    """The shared kernel of the enclosing :func:`shared_kernel` block, if any."""
    return _current


# --- run inside the kernel ---------------------------------------------------------------

def remember_start() -> None:
    """Called once in a new kernel: its warnings filters, restored before each notebook."""
    global _started_filters
    _started_filters = list(warnings.filters)


def reset_state(cwd: str, environ: str) -> None:
    """Called in the kernel before each notebook: an empty namespace (execution count 1),
    the renderer's working directory and environment, the warnings as at the kernel's
    start (filters, and no warning remembered as already shown)."""
    from IPython import get_ipython

    get_ipython().reset(new_session=True)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(json.loads(environ))
    if _started_filters is not None:
        warnings.filters[:] = _started_filters
    warnings.onceregistry.clear()
    # every module's record of warnings already shown is dropped at its next warning
    warnings._filters_mutated()  # type: ignore[attr-defined]


@cache
def register_engine() -> None:
    """The papermill engine that runs a notebook in the shared kernel, through the shared
    kernel's connection (neither is closed afterwards)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines

    class SharedKernelEngine(Engine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str,
                                     log_output: bool = False, start_timeout: int = 60,
                                     execution_timeout: int | None = None,
                                     **kwargs: Any) -> Any:
            shared: SharedKernel = kwargs["shared_kernel"]
            connection = shared.prepared()
            client = PapermillNotebookClient(
                nb_man, km=shared.manager, kernel_name=kernel_name,
                timeout=execution_timeout, startup_timeout=start_timeout,
                log_output=log_output)
            client.kc = connection  # kept after the run, as the kernel
            return client.execute()

    papermill_engines.register(ENGINE, SharedKernelEngine)
