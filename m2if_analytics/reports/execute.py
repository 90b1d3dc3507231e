"""Running a report notebook with papermill in a kernel of *this* Python (the venv that has
the package), whatever kernelspecs are installed; a failure comes back as one line."""

from __future__ import annotations

import re
from pathlib import Path

CELL_TIMEOUT_SECONDS = 600


def _kernel_manager_class() -> type:
    """A kernel manager that runs ipykernel on ``sys.executable`` (the venv's Python, which
    has this package) whatever kernelspecs are installed, over CurveZMQ when available."""
    import zmq
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec

    class ThisPythonKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            if zmq.has("curve"):
                self.transport_encryption = "auto"

        @property
        def kernel_spec(self) -> KernelSpec:
            return KernelSpec(**get_kernel_dict())  # argv[0] is sys.executable

    return ThisPythonKernelManager


def execute_notebook(source: Path, executed: Path, parameters: dict) -> str | None:
    """Run ``source`` with papermill into ``executed``; None on success, else why it failed
    (one line). The executed notebook is written once, at the end or at the failing cell,
    not after every cell as papermill does by default: each save encodes every output so far
    (megabytes of figure data), which cost a quarter of a sample report's execution."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(source), str(executed), parameters=parameters, kernel_name="python3",
            progress_bar=False, execution_timeout=CELL_TIMEOUT_SECONDS,
            request_save_on_cell_execute=False, kernel_manager_class=_kernel_manager_class())
    except PapermillExecutionError as exc:
        first = next((ln for ln in exc.source.splitlines() if ln.strip()), "").strip()
        where = f"cell {exc.exec_count}" + (f" ({first[:60]!r})" if first else "")
        return f"{where} failed: {exc.ename}: {_one_line(exc.evalue)}"
    except Exception as exc:  # kernel died, timed out or could not start
        return f"execution failed: {type(exc).__name__}: {_one_line(str(exc))}"
    return None


def _one_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())[:300]
