"""Undoable contact edits: each command writes one transaction through the store.

Every command holds the state before and after, so undo writes the old state back and
redo the new one. After each write the command calls ``notify(contact_id)`` so that
the views showing the contact update themselves (wherever the undo came from: the
Edit menu works in every view). A command whose write fails (say, the contact was
deleted meanwhile by an import) shows the reason in a message and marks itself
obsolete, which removes it from the stack.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from socialdesk import APP_NAME
from socialdesk.store import audiences as audience_store
from socialdesk.store import contacts as contact_store
from socialdesk.store import interactions as interaction_store
from socialdesk.store import links as link_store
from socialdesk.store.contact_snapshot import ContactSnapshot, restore_contact, snapshot_contact
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import Audience, Contact, Interaction, Link
from socialdesk.store.workspace import Workspace

Notify = Callable[[int | None], None]


class ContactCommand(QUndoCommand):
    """A command on one contact; subclasses say how to write each state."""

    def __init__(self, ws: Workspace, contact_id: int, text: str, notify: Notify) -> None:
        super().__init__(text)
        self.ws = ws
        self.contact_id = contact_id
        self.notify = notify

    def _run(self, write: Callable[[], None]) -> None:
        try:
            write()
        except (ValueError, sqlite3.Error, WorkspaceError) as error:
            self.setObsolete(True)
            parent = QApplication.activeWindow()
            QMessageBox.warning(parent if isinstance(parent, QWidget) else None, APP_NAME,
                                f"{self.text()} could not be done: {error}")
        self.notify(self.contact_id)


# Fields changed a step at a time (spin boxes, dates): successive steps merge into one undo.
MERGING_FIELDS = frozenset(("strength", "effort", "follow_up"))
_MERGE_ID = 0x5D01


class EditContact(ContactCommand):
    """Change a contact's own fields, details and tags."""

    def __init__(self, ws: Workspace, before: Contact, after: Contact, text: str,
                 notify: Notify, field: str = "") -> None:
        super().__init__(ws, before.id, text, notify)
        self.before = before
        self.after = after
        self.field = field

    def id(self) -> int:
        """Step-by-step fields share an id so that Qt offers to merge them."""
        return _MERGE_ID if self.field in MERGING_FIELDS else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Absorb the next step of the same field of the same contact."""
        if (isinstance(other, EditContact) and other.field == self.field
                and other.contact_id == self.contact_id):
            self.after = other.after
            return True
        return False

    def redo(self) -> None:
        """Write the new state."""
        self._run(lambda: contact_store.save_contact(self.ws, self.after))

    def undo(self) -> None:
        """Write the old state back."""
        self._run(lambda: contact_store.save_contact(self.ws, self.before))


class SetAudiences(ContactCommand):
    """Add, change or remove a contact's audiences."""

    def __init__(self, ws: Workspace, contact_id: int, before: Sequence[Audience],
                 after: Sequence[Audience], text: str, notify: Notify) -> None:
        super().__init__(ws, contact_id, text, notify)
        self.before, self.after = tuple(before), tuple(after)

    def redo(self) -> None:
        """Write the new audiences."""
        self._run(lambda: audience_store.set_audiences(self.ws, self.contact_id, self.after))

    def undo(self) -> None:
        """Write the old audiences back."""
        self._run(lambda: audience_store.set_audiences(self.ws, self.contact_id, self.before))


class SetLinks(ContactCommand):
    """Add or remove links between a contact and others."""

    def __init__(self, ws: Workspace, contact_id: int, before: Sequence[Link],
                 after: Sequence[Link], text: str, notify: Notify) -> None:
        super().__init__(ws, contact_id, text, notify)
        self.before, self.after = tuple(before), tuple(after)

    def redo(self) -> None:
        """Write the new links."""
        self._run(lambda: link_store.set_links(self.ws, self.contact_id, self.after))

    def undo(self) -> None:
        """Write the old links back."""
        self._run(lambda: link_store.set_links(self.ws, self.contact_id, self.before))


class SetInteractions(ContactCommand):
    """Add or remove entries of a contact's interaction log."""

    def __init__(self, ws: Workspace, contact_id: int, before: Sequence[Interaction],
                 after: Sequence[Interaction], text: str, notify: Notify) -> None:
        super().__init__(ws, contact_id, text, notify)
        self.before, self.after = tuple(before), tuple(after)

    def redo(self) -> None:
        """Write the new log."""
        self._run(lambda: interaction_store.set_interactions(
            self.ws, self.contact_id, self.after))

    def undo(self) -> None:
        """Write the old log back."""
        self._run(lambda: interaction_store.set_interactions(
            self.ws, self.contact_id, self.before))


class CreateContact(ContactCommand):
    """Add a new contact; undo deletes it, redo brings it back under the same id."""

    def __init__(self, ws: Workspace, contact: Contact, notify: Notify) -> None:
        super().__init__(ws, 0, f"Add {contact.name}", notify)
        self.contact = contact
        self.snapshot: ContactSnapshot | None = None

    def redo(self) -> None:
        """Create the contact (the first time) or restore it."""
        def write() -> None:
            if self.snapshot is None:
                self.contact_id = contact_store.save_contact(self.ws, self.contact)
                self.snapshot = snapshot_contact(self.ws, self.contact_id)
            else:
                restore_contact(self.ws, self.snapshot)
        self._run(write)

    def undo(self) -> None:
        """Delete the contact again."""
        self._run(lambda: contact_store.delete_contact(self.ws, self.contact_id))


class DeleteContact(ContactCommand):
    """Delete a contact with everything that hangs off it; undo puts it all back."""

    def __init__(self, ws: Workspace, snapshot: ContactSnapshot, notify: Notify) -> None:
        super().__init__(ws, snapshot.id, f"Delete {snapshot.contact.name}", notify)
        self.snapshot = snapshot

    def redo(self) -> None:
        """Delete the contact."""
        self._run(lambda: contact_store.delete_contact(self.ws, self.contact_id))

    def undo(self) -> None:
        """Put the contact back with its details, audiences, links, history and asks."""
        self._run(lambda: restore_contact(self.ws, self.snapshot))


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
