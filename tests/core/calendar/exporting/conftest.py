"""Fixtures for the calendar export tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from calendar_samples import build_sample

from socialdesk.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "Corner Bakery.sqlite", create=True)
    yield workspace
    workspace.close()


@pytest.fixture
def sample(ws: Workspace) -> Workspace:
    """A workspace with every kind of post the export handles."""
    build_sample(ws)
    return ws
