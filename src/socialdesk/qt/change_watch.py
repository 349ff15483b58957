"""Noticing what other programs write to the open workspace.

SQLite's ``PRAGMA data_version`` changes only when *another* connection commits to the
file, and reading it costs microseconds. A timer (and the window being activated) looks
at it; when it moved since the views last read the workspace, the window reloads every
view (another program cannot say what it changed). The window's own writes on other
connections (an import's worker, a backup's line in the backup log) are announced with
:meth:`ChangeWatch.paused` (or ``busy``) and :meth:`ChangeWatch.note`: they reload only
what they say they changed. Another program's write that lands while one of them runs is
taken for the window's own.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from socialdesk.store.workspace import Workspace

POLL_MS = 1500  # how often the window looks whether another program wrote the file


class ChangeWatch(QObject):
    """Calls ``changed()`` when another connection committed to the window's workspace."""

    def __init__(self, window: QWidget, workspace: Callable[[], Workspace],
                 changed: Callable[[], None], unreadable: Callable[[str], None],
                 busy: Callable[[], bool] = lambda: False) -> None:
        """``busy()`` is true while a worker of the window's own writes (a backup)."""
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.changed = changed
        self.unreadable = unreadable
        self.busy = busy
        self.seen: int | None = None  # the data_version the views last read at
        self.pausing = 0
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def _version(self) -> int | None:
        """The workspace's ``data_version`` (None once its connection is closed)."""
        try:
            return self.workspace().data_version()
        except sqlite3.Error:
            return None

    def note(self) -> None:
        """The views are about to show the workspace as it is now, other writers' changes too."""
        self.seen = self._version()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """The window itself writes on another connection meanwhile (an import's worker)."""
        self.pausing += 1
        try:
            yield
        finally:
            self.pausing -= 1

    def check(self) -> None:
        """Call ``changed()`` if another connection wrote since the views last read.

        Waits while a dialog is open over the window or it is minimised (activating it
        looks at once), and while the window's own worker writes.
        """
        if (self.pausing or self.busy() or QApplication.activeModalWidget() is not None
                or self.window.isMinimized()):
            return
        version = self._version()
        if version is None or version == self.seen:
            return
        try:
            self.changed()
        except sqlite3.DatabaseError as error:  # the other program left it unreadable
            self.unreadable(str(error))

    def stop(self) -> None:
        """The workspace is closing: look no more."""
        self.timer.stop()
