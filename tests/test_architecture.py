"""The package's layers, as the README's "Architecture" table states them.

Every import between two capabilities of ``m2if_analytics`` must be one the table allows;
the allowed graph has no cycle; every subpackage has a row and an ``__init__`` docstring
saying what it owns and what it may import, naming the same capabilities as its row; no
module of the package imports ``api`` (the notebooks' door); no module is over 400 lines.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "m2if_analytics"
GROUND = {"config", "config_sections", "config_units", "credentials", "errors", "calendar",
          "progress", "paths", "outputs", "text", "__init__"}
MAX_LINES = 400


def allowed_table() -> dict[str, set[str]]:
    """capability → what it may import, from the README's Architecture table."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`\w+`", cells[0]):
            table[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[2]))
    return table


def capability(module: str) -> str:
    """``m2if_analytics.risk.rules`` → ``risk``; root modules → ``ground`` (``__main__`` is
    the command line's entry point, ``api`` stands alone)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "ground"
    head = parts[1]
    if head in GROUND:
        return "ground"
    if head == "__main__":
        return "cli"
    return head


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(path.relative_to(REPO).with_suffix("").parts)
        out[dotted.removesuffix(".__init__")] = path
    return out


def imports_of(path: Path) -> set[str]:
    """The m2if_analytics modules a file imports (``from m2if_analytics import x`` counts as
    module ``m2if_analytics.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "m2if_analytics":  # only the names that are modules
                found |= {f"m2if_analytics.{a.name}" for a in node.names
                          if (PACKAGE / a.name).is_dir() or (PACKAGE / f"{a.name}.py").is_file()}
            elif node.module.startswith("m2if_analytics."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("m2if_analytics.")}
    return found


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(from capability, to capability) → the modules that make that import."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, path in modules().items():
        here = capability(name)
        for target in imports_of(path):
            there = capability(target)
            if there != here:
                edges[(here, there)].append(name)
    return edges


def test_the_readme_table_names_every_capability_of_the_package():
    table = allowed_table()
    found = {capability(m) for m in modules()}
    assert found - set(table) == set(), "capabilities missing from the README table"
    assert set(table) - found == set(), "README rows for capabilities that do not exist"
    for may in table.values():
        assert may <= set(table), f"unknown capability in 'may import': {may - set(table)}"


def test_every_import_between_capabilities_is_allowed_by_the_table():
    table = allowed_table()
    wrong = {f"{a} → {b}": sorted(set(who))[:3] for (a, b), who in import_edges().items()
             if b not in table.get(a, set())}
    assert wrong == {}


def test_the_allowed_graph_has_no_cycle():
    table = allowed_table()
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(table.get(node, set())):
            if seen.get(nxt) == 1:
                pytest.fail(f"cycle: {' → '.join([*path, node, nxt])}")
            if nxt not in seen:
                visit(nxt, [*path, node])
        seen[node] = 2

    for node in sorted(table):
        if node not in seen:
            visit(node, [])


def test_no_module_of_the_package_imports_the_notebooks_api():
    users = [name for name, path in modules().items()
             if "m2if_analytics.api" in imports_of(path)]
    assert users == []


def _may_import(docstring: str) -> set[str]:
    """Capabilities a package docstring's "May import:" paragraph names."""
    paragraph = docstring.split("May import:", 1)[1].split("\n\n", 1)[0]
    names = {"ground" if n in GROUND else n for n in re.findall(r"``(\w+)``", paragraph)}
    if "ground floor" in paragraph:
        names.add("ground")
    return names


def test_every_subpackage_docstring_says_what_it_owns_and_may_import_as_the_table_does():
    table = allowed_table()
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        name = init.parent.name
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "Owns:" in doc and "May import:" in doc, f"{name}/__init__.py docstring"
        assert _may_import(doc) == table[name], f"{name}: docstring and README disagree"


def test_no_module_is_over_the_size_a_reader_takes_in_one_sitting():
    long = {str(p.relative_to(REPO)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_checker_sees_a_forbidden_import(tmp_path: Path):
    probe = tmp_path / "probe.py"
    probe.write_text("from m2if_analytics import api\nfrom m2if_analytics.risk.rules import X\n",
                     encoding="utf-8")
    assert imports_of(probe) == {"m2if_analytics.api", "m2if_analytics.risk.rules"}
    assert capability("m2if_analytics.risk.rules") == "risk"
    assert capability("m2if_analytics.config") == "ground"
    assert "risk" not in allowed_table()["engagement"]
