"""Checking the open workspace for damage in the background, after the window shows.

Opening quick-checks a small workspace at once; this runs SQLite's full
``integrity_check`` (which also finds a damaged index) on every workspace, off the GUI
thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from socialdesk.qt.workers import Task, run_task
from socialdesk.store.checks import verify_workspace
from socialdesk.store.errors import WorkspaceError


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

    task.finished.connect(done)
    return run_task(task, lambda _progress: verify_workspace(path, stop=stopping.is_set,
                                                             thorough=True))
