"""Every notebook in notebooks/ runs under nbval (--nbval-lax) on the full sample warehouse
(both sample cohorts, configured by data_samples/m2if.toml through M2IF_CONFIG).

Notebooks are committed without outputs, so nbval would compare nothing. The key-number cells
(``# NBVAL_CHECK_OUTPUT``) get their expected text from ``notebooks/checks/<name>.json`` —
hand-checked facts of the sample cohort — injected into a temporary copy that nbval runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import pytest

from tests.conftest import REPO, SAMPLE_CONFIG

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def with_expected_outputs(notebook: Path, target: Path) -> int:
    """Copy ``notebook`` to ``target`` with expected outputs in its checked cells."""
    nb = nbformat.read(notebook, as_version=4)
    expected = json.loads((notebook.parent / "checks" / f"{notebook.stem}.json").read_text(
        encoding="utf-8"))
    checked = [c for c in nb.cells if c.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in c.source]
    assert len(checked) == len(expected), f"{notebook.name}: {len(checked)} checked cells, " \
                                          f"{len(expected)} expectations"
    for number, (cell, text) in enumerate(zip(checked, expected, strict=True), start=1):
        cell.execution_count = number
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nb, target)
    return len(checked)


def test_committed_notebooks_have_no_outputs():
    assert NOTEBOOKS, "no notebook in notebooks/"
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), path.name


@pytest.fixture(scope="module")
def nbval_results(full_sample_warehouse: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every notebook run under nbval by one pytest process (each notebook in a kernel of its
    own): per notebook, its checked cells, and the cells that passed and failed with why."""
    folder = tmp_path_factory.mktemp("nbval")
    checks = {nb.name: with_expected_outputs(nb, folder / nb.name) for nb in NOTEBOOKS}
    env = {**os.environ, "M2IF_DB": str(full_sample_warehouse),
           "M2IF_PSEUDONYM_KEY": "sample-key", "M2IF_CONFIG": str(SAMPLE_CONFIG)}
    report = folder / "nbval.xml"
    # pytest started as `python -m pytest` would be, without the RFC 3987 grammar that
    # nbformat's jsonschema would build (a second; the m2if command leaves it out too)
    start = ("import sys, pytest\n"
             "from m2if_analytics.cli.base import skip_unused_iri_grammar\n"
             "skip_unused_iri_grammar()\n"
             "sys.exit(pytest.main(sys.argv[1:]))\n")
    result = subprocess.run(
        [sys.executable, "-c", start, "-q", "--nbval-lax", "-p", "no:cacheprovider",
         "--rootdir", str(folder), f"--junitxml={report}", *sorted(checks)],
        cwd=folder, env=env, capture_output=True, text=True, timeout=1800)
    assert report.is_file(), result.stdout[-4000:] + result.stderr[-2000:]
    out = {name: {"checks": n, "passed": 0, "failed": []} for name, n in checks.items()}
    for case in ElementTree.parse(report).iter("testcase"):
        name = case.get("classname", "")  # the notebook's file name; its cells are the tests
        problems = [e.get("message", "") + (e.text or "")[-3000:]
                    for e in case if e.tag in ("failure", "error")]
        if problems:
            out[name]["failed"].append(problems)
        else:
            out[name]["passed"] += 1
    return out


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_under_nbval_with_key_numbers_checked(
        notebook: Path, nbval_results: dict[str, dict]):
    result = nbval_results[notebook.name]
    assert result["checks"] >= 1
    assert result["failed"] == []
    assert result["passed"] >= result["checks"]  # every cell ran, the checked ones among them
