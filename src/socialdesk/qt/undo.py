"""The undo command the views share: a write that already ran, with its inverse."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


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


def quoted(title: str) -> str:
    """A title in quotation marks for an undo menu entry, shortened to 40 characters."""
    return f"“{title if len(title) <= 40 else title[:39] + '…'}”"
