"""One kernel for several reports (m2if_analytics.reports.kernel): reused inside a block,
put back to a fresh kernel's state before each notebook, replaced after a failure, shut down
at the end; outside a block every notebook gets a kernel of its own."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from m2if_analytics.reports import kernel
from m2if_analytics.reports.execute import execute_notebook
from m2if_analytics.reports.render import RenderOptions, render_report

pytestmark = pytest.mark.slow
# plotly's figure ids and nbconvert's cell ids, new at every render
RANDOM_IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                        r"|cell-id=[0-9a-f]{8}")

# What a notebook sees, printed as one JSON line: the kernel's process, whether an earlier
# notebook's variable is still there, the environment and folder, a warning's display.
PROBE = """
import json, os, sys, types, warnings
if "m2if_probe_library" not in sys.modules:  # a library that warns from its own code
    library = sys.modules["m2if_probe_library"] = types.ModuleType("m2if_probe_library")
    exec("import warnings\\ndef f():\\n    warnings.warn('shown every time', UserWarning)",
         library.__dict__)
sys.modules["m2if_probe_library"].f()
print(json.dumps({"pid": os.getpid(), "leftover": "leftover" in globals(),
                  "var": os.environ.get("M2IF_KERNEL_TEST"), "cwd": os.getcwd(),
                  "set_here": os.environ.get("M2IF_SET_BY_A_NOTEBOOK")}))
"""
DIRTY = """
leftover = 1
os.environ["M2IF_SET_BY_A_NOTEBOOK"] = "1"
os.chdir("/")
warnings.simplefilter("ignore")
"""


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No enclosing shared kernel (the suite runs inside one, tests/conftest.py)."""
    monkeypatch.setattr(kernel, "_current", None)
    yield
    assert kernel.current() is None


def notebook(folder: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    path = folder / f"nb{len(list(folder.glob('nb*.ipynb')))}.ipynb"
    nbformat.write(nb, path)
    return path


def run(source: Path) -> tuple[dict, nbformat.NotebookNode]:
    """Execute ``source``; its probe's JSON line and the executed notebook."""
    executed = source.with_suffix(".out.ipynb")
    assert execute_notebook(source, executed, {}) is None
    nb = nbformat.read(executed, as_version=4)
    printed = [o for c in nb.cells for o in c.outputs if o.get("name") == "stdout"]
    return json.loads(printed[-1]["text"].strip().splitlines()[-1]), nb


def alive(pid: int) -> bool:
    """Whether process ``pid`` still exists (the kernel manager reaps the kernels it ends)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def warned(nb: nbformat.NotebookNode) -> bool:
    return any("shown every time" in o.get("text", "") for c in nb.cells for o in c.outputs
               if o.get("name") == "stderr")


def test_a_block_reuses_one_kernel_reset_to_a_fresh_state_before_each_notebook(
        alone: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("M2IF_KERNEL_TEST", "first")
    with kernel.shared_kernel() as shared:
        first, nb1 = run(notebook(tmp_path, PROBE, DIRTY))
        monkeypatch.setenv("M2IF_KERNEL_TEST", "second")  # e.g. another key for this render
        second, nb2 = run(notebook(tmp_path, PROBE))
        assert alive(first["pid"])
        with kernel.shared_kernel() as inner:  # a nested block shares the outer kernel
            assert inner is shared
            third, nb3 = run(notebook(tmp_path, PROBE))
    assert first["pid"] == second["pid"] == third["pid"]
    assert second == {"pid": first["pid"], "leftover": False, "var": "second",
                      "cwd": str(tmp_path), "set_here": None}
    assert warned(nb1) and warned(nb2) and warned(nb3)  # filters and "already shown" reset
    assert [c.execution_count for c in nb2.cells] == [1]  # counts start again at 1
    assert shared.manager is None and not alive(first["pid"])  # shut down with the block


def test_outside_a_block_every_notebook_has_a_kernel_of_its_own(alone: None, tmp_path: Path):
    first, _ = run(notebook(tmp_path, PROBE, "leftover = 1"))
    second, _ = run(notebook(tmp_path, PROBE))
    assert first["pid"] != second["pid"] and not second["leftover"]
    assert not alive(first["pid"])


def test_after_a_failing_notebook_the_next_one_gets_a_new_kernel(alone: None, tmp_path: Path):
    with kernel.shared_kernel():
        before, _ = run(notebook(tmp_path, PROBE))
        failing = notebook(tmp_path, "leftover = 1", "1 / 0")
        error = execute_notebook(failing, tmp_path / "failed.ipynb", {})
        assert error is not None and "cell 2" in error and "ZeroDivisionError" in error
        after, _ = run(notebook(tmp_path, PROBE))
    assert after["pid"] != before["pid"] and not after["leftover"]
    assert not alive(before["pid"])


def test_a_kernel_that_died_is_replaced(alone: None, tmp_path: Path):
    with kernel.shared_kernel():
        before, _ = run(notebook(tmp_path, PROBE))
        os.kill(before["pid"], signal.SIGKILL)
        time.sleep(0.2)
        after, _ = run(notebook(tmp_path, PROBE))
    assert after["pid"] != before["pid"]


def test_the_suite_renders_inside_one_shared_kernel():
    """tests/conftest.py keeps one kernel per test process (this file's other tests leave
    its block with ``alone``)."""
    assert kernel.current() is not None
    assert os.environ.get("M2IF_PSEUDONYM_KEY")  # synchronised into the kernel per render


def test_a_report_rendered_after_others_in_one_kernel_is_the_page_a_fresh_kernel_writes(
        alone: None, full_sample_warehouse: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch):
    """The weekly report after the cohort overview (English) in one kernel, against the
    weekly report in a kernel of its own: the same page but for its random element ids."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    fresh = render_report("weekly", tmp_path / "fresh", RenderOptions(full_sample_warehouse))
    with kernel.shared_kernel():
        render_report("cohort", tmp_path / "before", RenderOptions(full_sample_warehouse,
                                                                    lang="en"))
        shared = render_report("weekly", tmp_path / "shared",
                               RenderOptions(full_sample_warehouse))
    pages = [RANDOM_IDS.sub("id", p.read_text(encoding="utf-8")) for p in (fresh, shared)]
    assert pages[0] == pages[1] and "plotly-graph-div" in pages[0]
