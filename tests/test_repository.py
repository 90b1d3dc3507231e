"""The repository stands alone: nothing it runs reads a file beside it.

A user clones only the repository. Two guards keep it so: this static scan of every tracked
file (paths that climb out of the checkout to a sibling folder, ``__file__``
parent chains that leave the root), and the audit hook of ``tests/conftest.py``, which fails
any test whose Python code opens a file in a folder beside the checkout.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, outside_reads

CODE_SUFFIXES = {".py", ".ipynb", ".sql", ".toml", ".cfg", ".sh", ".txt"}
CODE_NAMES = {"Makefile", "run"}
CLIMB = re.compile(r"""(?<![\w./])\.\.[/\\](?!\.)""")  # a relative path that climbs: ../x


def tracked_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    return [REPO / n for n in names if (REPO / n).is_file()]


def code_files() -> list[Path]:
    return [p for p in tracked_files() if p.suffix in CODE_SUFFIXES or p.name in CODE_NAMES]


def _parents_of_file(node: ast.AST) -> int | None:
    """How many folders up ``Path(__file__)[.resolve()].parent...`` / ``.parents[k]`` goes
    from the file's own folder (None when the expression is not such a chain)."""
    ups = 0
    while True:
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            ups, node = ups + 1, node.value
        elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
              and node.value.attr == "parents" and isinstance(node.slice, ast.Constant)):
            ups, node = ups + int(node.slice.value) + 1, node.value.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in {"resolve", "absolute"}):
            node = node.func.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "Path" and len(node.args) == 1
              and isinstance(node.args[0], ast.Name) and node.args[0].id == "__file__"):
            return ups - 1  # Path(__file__).parent is the file's own folder
        else:
            return None


def test_no_tracked_file_names_a_path_outside_the_checkout():
    offenders = []
    for path in code_files():
        if path == Path(__file__).resolve():
            continue  # names the patterns it looks for
        text = path.read_text(encoding="utf-8", errors="replace")
        for n, line in enumerate(text.splitlines(), start=1):
            if "shared/data" in line or CLIMB.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{n}: {line.strip()[:80]}")
    assert offenders == []


def test_no_module_climbs_above_the_repository_root_from_its_own_file():
    offenders = []
    for path in code_files():
        if path.suffix != ".py":
            continue
        depth = len(path.relative_to(REPO).parts) - 1  # folders between the root and the file
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            ups = _parents_of_file(node)
            if ups is not None and ups > depth:
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []


def test_the_scanner_sees_a_climb_when_there_is_one():
    chain = ast.parse("Path(__file__).resolve().parent.parent.parent / 'shared'").body[0]
    assert _parents_of_file(chain.value.left) == 2  # type: ignore[attr-defined]
    sibling = ".." + "/" + "shared"  # built, so this file holds no such path itself
    assert CLIMB.search(f'SHARED = REPO / "{sibling}"')
    assert not CLIMB.search("x = a...b")


def test_the_audit_hook_records_a_read_beside_the_checkout(tmp_path: Path):
    sibling = REPO.parent / f"audit-probe-{REPO.name}"  # not a temp folder's own name
    if not REPO.parent.is_dir() or not _writable(REPO.parent):
        pytest.skip(f"cannot write beside {REPO} to probe the hook")
    sibling.mkdir(exist_ok=True)
    probe = sibling / "probe.txt"
    before = len(outside_reads)
    try:
        probe.write_text("x", encoding="utf-8")
        probe.read_text(encoding="utf-8")
        seen = list(outside_reads[before:])
    finally:
        del outside_reads[before:]  # this test's own reads must not fail it
        probe.unlink(missing_ok=True)
        sibling.rmdir()
    assert any(str(probe) in p for p in seen)


def _writable(folder: Path) -> bool:
    import os

    return os.access(folder, os.W_OK)


def test_make_test_hands_modules_out_in_the_order_collected():
    """pytest-xdist reorders whole-module work by number of tests unless told not to, which
    would make SLOWEST_MODULES moot."""
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\ntest:", 1)[1]
    command = next(line for line in recipe.splitlines() if "-m pytest" in line)
    assert "--dist loadfile" in command and "--no-loadscope-reorder" in command


def test_the_modules_scheduled_first_exist_and_come_first():
    from tests.conftest import SLOWEST_MODULES, pytest_collection_modifyitems

    assert len(set(SLOWEST_MODULES)) == len(SLOWEST_MODULES)
    for module in SLOWEST_MODULES:  # a renamed module would silently lose its place
        assert (REPO / "tests" / module).is_file(), module

    class Item:
        def __init__(self, nodeid: str) -> None:
            self.nodeid = nodeid

    items = [Item("tests/a/test_x.py::t1"), Item(f"tests/{SLOWEST_MODULES[1]}::t"),
             Item("tests/a/test_x.py::t2"), Item(f"tests/{SLOWEST_MODULES[0]}::u[1]"),
             Item(f"tests/{SLOWEST_MODULES[0]}::u[2]")]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [i.nodeid for i in items] == [
        f"tests/{SLOWEST_MODULES[0]}::u[1]", f"tests/{SLOWEST_MODULES[0]}::u[2]",
        f"tests/{SLOWEST_MODULES[1]}::t", "tests/a/test_x.py::t1", "tests/a/test_x.py::t2"]
