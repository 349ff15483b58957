"""Holding a real function on a worker thread while a test acts, and noting what ran.

A read the window started elsewhere is held at a store or core function (wrapped, still
called) until the test lets it go: a deterministic pause, with no sleeps that race.
"""

from __future__ import annotations

import threading
from typing import Any


class Held:
    """``calls`` in order; ``reached`` once the held function was entered; ``release()``."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.reached = threading.Event()
        self._go_on = threading.Event()

    def release(self) -> None:
        """Let the held function run on."""
        self._go_on.set()

    def hold(self, monkeypatch: Any, owner: object, name: str, label: str) -> None:
        """Replace ``owner.name`` with one that notes ``label``, waits, then calls it."""
        real = getattr(owner, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(label)
            self.reached.set()
            self._go_on.wait(10)  # the test acts meanwhile (the user leaves, picks …)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, held)

    def count(self, monkeypatch: Any, owner: object, name: str, label: str) -> None:
        """Replace ``owner.name`` with one that notes ``label``, then calls it."""
        real = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(label)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
