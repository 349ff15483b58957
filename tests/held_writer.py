"""Hold the writer thread busy, so that a write started meanwhile waits for its turn."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from socialdesk.qt.workers import Task, run_task, writer_pool


@contextlib.contextmanager
def writer_held(qtbot) -> Iterator[None]:
    """While inside, the writer thread runs a job that ends when the block is left."""
    busy, release = threading.Event(), threading.Event()
    task = Task()
    run_task(task, lambda _progress: (busy.set(), release.wait(20)), writer_pool())
    try:
        qtbot.waitUntil(busy.is_set, timeout=10_000)
        yield
    finally:
        release.set()
