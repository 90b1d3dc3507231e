"""Derived tables are made in one place: ``Workspace.tables``, the door every read uses."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from m2if_analytics.engagement import weekly
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.warehouse import workspace as workspace_module
from m2if_analytics.warehouse.workspace import Workspace
from tests.conftest import REPO, local, write_logstore


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = workspace_module.build

    def counting(con, cfg, force=False):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(con, cfg, force)

    monkeypatch.setattr(workspace_module, "build", counting)
    return calls


@pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
def test_a_read_after_an_ingest_in_the_same_session_sees_the_new_events(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    builds = _count_builds(monkeypatch)
    first = write_logstore(tmp_path / "a.csv", [(7, local("2026-10-05 09:00:00")),
                                                (7, local("2026-10-05 09:10:00"))])
    ingest_moodle_file(ws.con, first, ws.cfg, ws.pseudo)
    assert weekly(ws)["events"].sum() == 2
    assert weekly(ws)["events"].sum() == 2
    assert len(builds) == 1  # the second read found the derived tables current
    second = write_logstore(tmp_path / "b.csv", [(7, local("2026-10-06 09:00:00"))], start_id=3)
    ingest_moodle_file(ws.con, second, ws.cfg, ws.pseudo)
    assert weekly(ws)["events"].sum() == 3  # never a stale number
    assert len(builds) == 2


def test_no_module_but_the_workspace_runs_the_pipeline():
    callers = []
    for path in (REPO / "m2if_analytics").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom)
                    and node.module == "m2if_analytics.warehouse.pipeline"
                    and any(a.name == "build" for a in node.names)):
                callers.append(str(path.relative_to(REPO)))
    assert callers == ["m2if_analytics/warehouse/workspace.py"]
