"""Checking the open workspace for damage in the background, after the window shows.

Opening quick-checks a small workspace at once; this runs SQLite's full
``integrity_check`` (which also finds a damaged index) on every workspace, off the GUI
thread: :data:`CHECK_AFTER_MS` after the window showed (it took half the CPU while the
window was being built), on a thread of its own at a lower priority (Linux: nice
:data:`CHECK_NICENESS`), so the window and the views' loads come first.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from socialdesk.qt.workers import Task, lane, run_task
from socialdesk.store.checks import verify_workspace
from socialdesk.store.errors import WorkspaceError

CHECK_AFTER_MS = 3000
CHECK_NICENESS = 5


def _lower_priority() -> None:
    """Make the calling thread yield the CPU to the window's (Linux: per-thread nice)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not allowed here: the usual priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), CHECK_NICENESS)


def check_in_background(parent: QObject, path: Path, on_damaged: Callable[[str], None]) -> Task:
    """Start the check; ``on_damaged(message)`` runs on the GUI thread if the file is damaged.

    Keep the returned task alive while the check runs, and ``stop()`` it when the
    workspace closes: quitting would otherwise wait for the whole check.
    """
    task = Task(parent)
    stopping = task.stopping  # the task may be deleted before the check ends

    def done(_sound: object, error: BaseException | None) -> None:
        if isinstance(error, WorkspaceError):
            on_damaged(str(error))
        elif error is not None:
            raise error

    def check(_progress: object) -> bool:
        _lower_priority()  # the lane's thread runs only checks
        return verify_workspace(path, stop=stopping.is_set, thorough=True)

    task.finished.connect(done)
    return run_task(task, check, lane("check"))
