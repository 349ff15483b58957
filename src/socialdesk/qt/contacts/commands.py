"""Undoable contact edits: each one writes one transaction through the store.

Changing a contact's fields, details and lists is a field-by-field edit
(:func:`edit_contact`): its undo never overwrites what another writer changed since.
Creating and deleting a contact are commands holding the whole contact. After each
write the command calls ``notify(contact_id)`` so that the views showing the contact
update themselves (wherever the undo came from: the Edit menu works in every view). A
command whose write fails (say, the contact was deleted meanwhile by an import) shows
the reason in a message and marks itself obsolete, which removes it from the stack.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from socialdesk import APP_NAME
from socialdesk.core.field_edits import CONTACT, Values, delete_unchanged, read_all
from socialdesk.qt.undo import edit_fields
from socialdesk.store import contacts as contact_store
from socialdesk.store.contact_snapshot import ContactSnapshot, restore_contact, snapshot_contact
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

Notify = Callable[[int | None], None]


class ContactCommand(QUndoCommand):
    """A command on one contact; subclasses say how to write each state."""

    def __init__(self, ws: Workspace, contact_id: int, text: str, notify: Notify) -> None:
        super().__init__(text)
        self.ws = ws
        self.contact_id = contact_id
        self.notify = notify

    def _run(self, write: Callable[[], None], *, undoing: bool = False) -> None:
        try:
            write()
        except (ValueError, sqlite3.Error, WorkspaceError) as error:
            self.setObsolete(True)
            parent = QApplication.activeWindow()
            QMessageBox.warning(parent if isinstance(parent, QWidget) else None, APP_NAME,
                                f"“{self.text()}” could not be {'undone' if undoing else 'done'}"
                                f": {error}")
        self.notify(self.contact_id)


# Fields changed a step at a time (spin boxes, dates): successive steps merge into one undo.
MERGING_FIELDS = frozenset(("strength", "effort", "follow_up"))


def edit_contact(widget: QWidget, ws: Workspace, contact_id: int, before: Values,
                 after: Values, text: str, notify: Notify, field: str = "") -> bool:
    """Change a contact's fields (its own, details, tags, audiences, links, log): one undo step.

    ``before`` and ``after`` are :func:`contact_fields` of what the user saw and of what
    they made of it; only the fields that differ are written, and undo puts back only
    those (see :class:`~socialdesk.qt.undo.FieldCommand`). ``field`` names the form's
    field, for merging a spin box's steps.
    """
    merge_key = f"contact {contact_id} {field}" if field in MERGING_FIELDS else ""
    return edit_fields(undo_stack_for(widget), widget, ws, CONTACT, contact_id, before, after,
                       text, lambda: notify(contact_id), merge_key)


class CreateContact(ContactCommand):
    """Add a new contact; undo deletes it, redo brings it back under the same id.

    Undo keeps a contact that was changed elsewhere since it was added (say, an import
    merged an e-mail address into it): deleting it would lose that.
    """

    def __init__(self, ws: Workspace, contact: Contact, notify: Notify) -> None:
        super().__init__(ws, 0, f"Add {contact.name}", notify)
        self.contact = contact
        self.snapshot: ContactSnapshot | None = None
        self.made: dict[int, Values] = {}

    def redo(self) -> None:
        """Create the contact (the first time) or restore it."""
        def write() -> None:
            if self.snapshot is None:
                self.contact_id = contact_store.save_contact(self.ws, self.contact)
                self.snapshot = snapshot_contact(self.ws, self.contact_id)
            else:
                restore_contact(self.ws, self.snapshot)
            self.made = read_all(self.ws, CONTACT, [self.contact_id])
        self._run(write)

    def undo(self) -> None:
        """Delete the contact again, unless it was changed elsewhere since."""
        self._run(lambda: delete_unchanged(
            self.ws, CONTACT, self.made,
            lambda: contact_store.delete_contact(self.ws, self.contact_id)), undoing=True)


class DeleteContact(ContactCommand):
    """Delete a contact with everything that hangs off it; undo puts it all back.

    Redo after an undo keeps a contact that was changed elsewhere since it came back.
    """

    def __init__(self, ws: Workspace, snapshot: ContactSnapshot, notify: Notify) -> None:
        super().__init__(ws, snapshot.id, f"Delete {snapshot.contact.name}", notify)
        self.snapshot = snapshot
        self.restored: dict[int, Values] | None = None  # None: deleting as asked

    def redo(self) -> None:
        """Delete the contact."""
        def delete() -> None:
            contact_store.delete_contact(self.ws, self.contact_id)

        if self.restored is None:
            self._run(delete)
        else:
            self._run(lambda: delete_unchanged(self.ws, CONTACT, self.restored or {}, delete))

    def undo(self) -> None:
        """Put the contact back with its details, audiences, links, history and asks."""
        def write() -> None:
            restore_contact(self.ws, self.snapshot)
            self.restored = read_all(self.ws, CONTACT, [self.contact_id])
        self._run(write, undoing=True)


def undo_stack_for(widget: QWidget) -> QUndoStack:
    """The main window's undo stack, or (outside one) a stack of the widget's own."""
    stack = getattr(widget.window(), "undo_stack", None)
    if isinstance(stack, QUndoStack):
        return stack
    own = widget.findChild(QUndoStack, "local_undo_stack")
    if own is None:
        own = QUndoStack(widget)
        own.setObjectName("local_undo_stack")
    return own


def contact_changed(widget: QWidget, contact_id: int | None) -> None:
    """Tell the main window (or, outside one, the top-level view) that a contact changed."""
    window = widget.window()
    handler = getattr(window, "contacts_edited", None) or getattr(window, "contact_edited", None)
    if handler is not None:
        handler(contact_id)
