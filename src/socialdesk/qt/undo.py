"""What the views' undoable writes share: the commands, and the object that runs them.

An edit of a stored record's fields is a :class:`FieldCommand`: its undo and redo write
only the fields it changed, and only where they still hold what it wrote (see
:mod:`socialdesk.core.field_edits`), so nothing another program wrote meanwhile is lost.
Creating and deleting records are :class:`EditCommand` steps; one that would delete a
record again refuses when it was changed elsewhere since (that change would be lost).
Each step says what it changed (:class:`~socialdesk.core.changes.Changes`), the same when
done, undone and redone, so that only the views showing those rows reload.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from socialdesk import APP_NAME
from socialdesk.core.changes import Changes
from socialdesk.core.field_edits import (
    FieldEdit,
    Record,
    Values,
    apply_edit,
    delete_unchanged,
    read_all,
)
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

FAILURES: tuple[type[Exception], ...] = (
    sqlite3.Error, WorkspaceError, LookupError, ValueError)
FIELD_LABELS = {
    "scheduled_on": "date", "scheduled_time": "time", "follow_up_on": "follow-up date",
    "strength": "tie strength", "effort_minutes": "ask effort", "observed_reach": "reach",
    "answered_on": "answer date", "campaign_id": "campaign",
}
_MERGE_ID = 0x5D01


def show_status(widget: QWidget, message: str) -> None:
    """Show ``message`` in the status bar of the widget's main window, if it is in one."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, 20000)


def kept_message(verb: str, text: str, kept: Sequence[str]) -> str:
    """What the status bar says when an undo or redo left fields changed elsewhere."""
    names = [FIELD_LABELS.get(name, name.replace("_", " ")) for name in kept]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{verb} of “{text}” left the {listed} alone: changed elsewhere since."


class FieldCommand(QUndoCommand):
    """An edit of one record's fields that already ran; undo and redo go field by field.

    A field changed elsewhere since (by another program, say) is left as it is, and the
    status bar says so. When the record is gone or refuses the values, a message says
    why and the command leaves the stack. Commands with the same ``merge_key`` (a spin
    box's steps) merge into one.
    """

    def __init__(self, text: str, ws: Workspace, record: Record, record_id: int,
                 done: FieldEdit, widget: QWidget, written: Callable[[], None],
                 merge_key: str = "") -> None:
        super().__init__(text)
        self.ws, self.record, self.record_id = ws, record, record_id
        self.done = done
        self.widget = widget
        self.written = written
        self.merge_key = merge_key
        self._pushing = True

    def id(self) -> int:
        """Commands with a merge key share an id, so that Qt offers to merge them."""
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Absorb the next step of the same field of the same record."""
        if not (isinstance(other, FieldCommand) and other.merge_key == self.merge_key
                and other.record is self.record and other.record_id == self.record_id):
            return False
        self.done = self.done.then(other.done)
        self.setObsolete(self.done.empty)  # back where it started: nothing to undo
        return True

    def redo(self) -> None:
        """Write the edit again (not when pushed: it ran already)."""
        if self._pushing:
            self._pushing = False
            return
        self._apply(self.done, "Redo")

    def undo(self) -> None:
        """Put back what the edit changed, where nobody changed it since."""
        self._apply(self.done.reversed(), "Undo")

    def _apply(self, edit: FieldEdit, verb: str) -> None:
        try:
            applied = apply_edit(self.ws, self.record, self.record_id, edit)
        except FAILURES as error:
            self.setObsolete(True)
            self.written()
            done = "undone" if verb == "Undo" else "redone"
            QMessageBox.warning(self.widget, APP_NAME,
                                f"“{self.text()}” could not be {done}: {error}")
            return
        self.written()
        if applied.kept:
            show_status(self.widget, kept_message(verb, self.text(), applied.kept))


def edit_fields(stack: QUndoStack, widget: QWidget, ws: Workspace, record: Record,
                record_id: int, before: Values, after: Values, text: str,
                written: Callable[[], None], merge_key: str = "") -> bool:
    """Make an edit and put it on ``stack``; False (the user was told why) if it failed.

    The edit is the fields that differ between ``before`` (what the user saw) and
    ``after``: what the user typed replaces what is stored; fields the user left alone
    stay as they are stored now, whoever changed them.
    """
    try:
        applied = apply_edit(ws, record, record_id, FieldEdit.between(before, after),
                             force=True)
    except FAILURES as error:
        written()
        QMessageBox.warning(widget, APP_NAME, f"“{text}” could not be done: {error}")
        return False
    if not applied.done.empty:
        stack.push(FieldCommand(text, ws, record, record_id, applied.done, widget, written,
                                merge_key))
    written()
    return True


class EditCommand(QUndoCommand):
    """An edit that already ran: ``redo`` runs it again only after an undo.

    ``run`` executes a step (one transaction) that changes ``changes`` and reports
    failures to the user; it returns True when the step ran, so a failed undo leaves the
    command as it was.
    """

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None],
                 run: Callable[[Callable[[], None], Changes], bool], changes: Changes) -> None:
        super().__init__(text)
        self._redo, self._undo, self._run = redo, undo, run
        self.changes = changes
        self._done = True

    def redo(self) -> None:
        """Do the edit again (not when pushed: it ran already)."""
        if not self._done:
            self._done = self._run(self._redo, self.changes)

    def undo(self) -> None:
        """Put back what the edit changed."""
        if self._run(self._undo, self.changes):
            self._done = False


class UndoableActions(QObject):
    """A view's writes: each runs at once (one transaction), then becomes one undo step.

    Failures (``FAILURES``) are shown to the user; after any write, undo or redo,
    ``changed`` tells the views what it changed (a :class:`Changes`), so that the views
    showing those rows reload.
    """

    FAILURES: tuple[type[Exception], ...] = FAILURES
    changed = Signal(object)

    def __init__(self, ws: Workspace, parent: QWidget, undo_stack: QUndoStack | None = None
                 ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.widget = parent
        self.undo_stack = undo_stack or QUndoStack(self)

    def _report(self, error: Exception) -> None:
        QMessageBox.warning(self.widget, APP_NAME, f"{error}")

    def _run(self, action: Callable[[], None], changes: Changes) -> bool:
        """Run an undo or redo step; tell the user if it fails. True when it ran."""
        try:
            action()
        except self.FAILURES as error:
            self._report(error)
            self.changed.emit(changes)
            return False
        self.changed.emit(changes)
        return True

    def _push(self, text: str, redo: Callable[[], None], undo: Callable[[], None],
              changes: Changes) -> None:
        """Put an edit that already ran on the undo stack, and tell the views."""
        self.undo_stack.push(EditCommand(text, redo, undo, self._run, changes))
        self.changed.emit(changes)

    def _push_existence(self, text: str, record: Record, ids: Callable[[], Iterable[int]],
                        bring: Callable[[], object], remove: Callable[[], object],
                        *, exists: bool, changes: Changes | None = None) -> None:
        """Put the creation or deletion of records on the undo stack.

        ``exists``: the records ``ids`` were just made (else just deleted); ``bring``
        makes them again, ``remove`` deletes them. Deleting them again (undoing a
        creation, redoing a deletion) is refused when they were changed elsewhere since
        they were made or brought back: that would lose it. ``changes``: what making and
        deleting them touches, when more than the record's own rows.
        """
        last = {"seen": read_all(self.ws, record, ids()) if exists else {}}

        def add() -> None:
            bring()
            last["seen"] = read_all(self.ws, record, ids())

        def take() -> None:
            delete_unchanged(self.ws, record, last["seen"], remove)

        self._push(text, *((add, take) if exists else (take, add)),
                   changes if changes is not None else record.changes)

    def _edit(self, text: str, record: Record, record_id: int, before: Values,
              after: Values) -> bool:
        """Edit a record's fields as one undo step (see :func:`edit_fields`)."""
        changes = record.changes_of(record_id)
        return edit_fields(self.undo_stack, self.widget, self.ws, record, record_id, before,
                           after, text, lambda: self.changed.emit(changes))


def quoted(title: str) -> str:
    """A title in quotation marks for an undo menu entry, shortened to 40 characters."""
    return f"“{title if len(title) <= 40 else title[:39] + '…'}”"
