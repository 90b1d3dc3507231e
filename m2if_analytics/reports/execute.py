"""Running a report notebook with papermill in a kernel of *this* Python (the venv that has
the package), whatever kernelspecs are installed: a new kernel, or the one a
:func:`~m2if_analytics.reports.kernel.shared_kernel` block keeps between renders; a failure
comes back as one line."""

from __future__ import annotations

import re
from pathlib import Path

from m2if_analytics.reports import kernel

CELL_TIMEOUT_SECONDS = 600


def execute_notebook(source: Path, executed: Path, parameters: dict) -> str | None:
    """Run ``source`` with papermill into ``executed``; None on success, else why it failed
    (one line). The executed notebook is written once, at the end or at the failing cell,
    not after every cell as papermill does by default: each save encodes every output so far
    (megabytes of figure data), which cost a quarter of a sample report's execution."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    shared = kernel.current()
    if shared is None:
        how: dict[str, object] = {"kernel_manager_class": kernel.kernel_manager_class()}
    else:  # a kernel kept between renders, reset for this notebook
        kernel.register_engine()
        how = {"engine_name": kernel.ENGINE, "shared_kernel": shared}
    try:
        papermill.execute_notebook(
            str(source), str(executed), parameters=parameters, kernel_name="python3",
            progress_bar=False, execution_timeout=CELL_TIMEOUT_SECONDS,
            request_save_on_cell_execute=False, **how)
    except PapermillExecutionError as exc:
        first = next((ln for ln in exc.source.splitlines() if ln.strip()), "").strip()
        where = f"cell {exc.exec_count}" + (f" ({first[:60]!r})" if first else "")
        error = f"{where} failed: {exc.ename}: {_one_line(exc.evalue)}"
    except Exception as exc:  # kernel died, timed out or could not start
        error = f"execution failed: {type(exc).__name__}: {_one_line(str(exc))}"
    else:
        return None
    if shared is not None:  # whatever the notebook left behind, the next one starts afresh
        shared.close()
    return error


def _one_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())[:300]
