"""Checking the open workspace for damage in the background, after the window shows.

Opening quick-checks a small workspace at once; this runs SQLite's full
``integrity_check`` (which also finds a damaged index) on every workspace, off the GUI
thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import verify_workspace


class IntegrityReport(QObject):
    """Carries the background check's verdict to the GUI thread; ``stop()`` ends it early."""

    damaged = Signal(str)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stopping = threading.Event()

    def stop(self) -> None:
        """End the check without a verdict (the workspace is closing); returns at once."""
        self.stopping.set()


class IntegrityCheck(QRunnable):
    """Runs SQLite's integrity_check on its own read-only connection."""

    def __init__(self, path: Path, report: IntegrityReport) -> None:
        super().__init__()
        self.path = path
        self.report = report
        self.stopping = report.stopping  # the report may be deleted before the check ends

    def run(self) -> None:
        """Check the file; emit ``damaged`` with the message if it is."""
        try:
            verify_workspace(self.path, stop=self.stopping.is_set, thorough=True)
        except WorkspaceError as error:
            self._emit(self.report.damaged, str(error))
        self._emit(self.report.finished)

    @staticmethod
    def _emit(signal: object, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed: nobody left to tell
            signal.emit(*args)  # type: ignore[attr-defined]


def check_in_background(
    parent: QObject, path: Path, on_damaged: Callable[[str], None]
) -> IntegrityReport:
    """Start the check; ``on_damaged(message)`` runs on the GUI thread if the file is damaged.

    Keep the returned report alive while the check runs, and ``stop()`` it when the
    workspace closes: quitting would otherwise wait for the whole check.
    """
    report = IntegrityReport(parent)
    report.damaged.connect(on_damaged)
    QThreadPool.globalInstance().start(IntegrityCheck(path, report))
    return report
