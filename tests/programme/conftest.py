"""The programme tests' shared fixture: a workspace of the hand-made cohort."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from m2if_analytics.warehouse.workspace import Workspace
from tests.programme.cohorts import open_ws


@pytest.fixture
def pws(tmp_path: Path) -> Iterator[Workspace]:
    """The default units and calendar, four students and a teacher."""
    ws = open_ws(tmp_path)
    yield ws
    ws.close()
