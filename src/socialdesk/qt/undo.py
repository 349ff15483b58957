"""What the views' undoable writes share: the command, and the object that runs them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from socialdesk import APP_NAME
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace


class EditCommand(QUndoCommand):
    """An edit that already ran: ``redo`` runs it again only after an undo.

    ``run`` executes a step (one transaction) and reports failures to the user; it
    returns True when the step ran, so a failed undo leaves the command as it was.
    """

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None],
                 run: Callable[[Callable[[], None]], bool]) -> None:
        super().__init__(text)
        self._redo, self._undo, self._run = redo, undo, run
        self._done = True

    def redo(self) -> None:
        """Do the edit again (not when pushed: it ran already)."""
        if not self._done:
            self._done = self._run(self._redo)

    def undo(self) -> None:
        """Put back what the edit changed."""
        if self._run(self._undo):
            self._done = False


class UndoableActions(QObject):
    """A view's writes: each runs at once (one transaction), then becomes one undo step.

    Failures (``FAILURES``) are shown to the user; after any write, undo or redo,
    ``changed`` tells the views to reload.
    """

    FAILURES: tuple[type[Exception], ...] = (
        sqlite3.Error, WorkspaceError, LookupError, ValueError)
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget, undo_stack: QUndoStack | None = None
                 ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.widget = parent
        self.undo_stack = undo_stack or QUndoStack(self)

    def _report(self, error: Exception) -> None:
        QMessageBox.warning(self.widget, APP_NAME, f"{error}")

    def _run(self, action: Callable[[], None]) -> bool:
        """Run an undo or redo step; tell the user if it fails. True when it ran."""
        try:
            action()
        except self.FAILURES as error:
            self._report(error)
            self.changed.emit()
            return False
        self.changed.emit()
        return True

    def _push(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        """Put an edit that already ran on the undo stack, and tell the views."""
        self.undo_stack.push(EditCommand(text, redo, undo, self._run))
        self.changed.emit()


def quoted(title: str) -> str:
    """A title in quotation marks for an undo menu entry, shortened to 40 characters."""
    return f"“{title if len(title) <= 40 else title[:39] + '…'}”"
