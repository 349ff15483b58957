"""Fixtures for the contact import tests: a fresh workspace, files, row counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from socialdesk.store.contact_import import count_all
from socialdesk.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "w.sqlite", create=True)
    yield workspace
    workspace.close()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    """Write bytes to a file in the test's folder and return its path."""

    def _write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


@pytest.fixture
def counts(ws: Workspace) -> Callable[[], dict[str, int]]:
    return lambda: count_all(ws)
