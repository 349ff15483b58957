"""Fixtures for the calendar import tests: a fresh workspace and a file writer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from socialdesk.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "planner.sqlite", create=True)
    yield workspace
    workspace.close()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[bytes, str], Path]:
    """Write bytes to a file in the test's folder and return its path."""

    def _write(data: bytes, name: str = "cal.ics") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 2026-06-15 for every status that depends on it."""
    monkeypatch.setenv("SOCIALDESK_TODAY", "2026-06-15")
