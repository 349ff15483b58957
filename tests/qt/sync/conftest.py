"""A real Radicale for the window's sync tests (``tests/radicale_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from radicale_server import RadicaleServer


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[RadicaleServer]:
    server = RadicaleServer(tmp_path / "radicale", {"team": "secret"})
    try:
        yield server
    finally:
        server.stop()
