"""A real Radicale for every sync test (``tests/radicale_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from radicale_server import RadicaleServer


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[RadicaleServer]:
    """Radicale with the user ``team`` (both laptops sign in as it) and ``other``."""
    server = RadicaleServer(tmp_path / "radicale", {"team": "secret", "other": "other-secret"})
    try:
        yield server
    finally:
        server.stop()
