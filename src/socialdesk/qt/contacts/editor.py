"""The detail pane beside the contacts and partners tables: every field, editable.

Each change the user finishes becomes one undoable command on the main window's undo
stack (one transaction through the store); the views showing the contact are told
through ``contacts_edited`` on the main window, and this pane reloads from the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.field_edits import Values
from socialdesk.qt.contacts.commands import contact_changed, edit_contact
from socialdesk.qt.contacts.form import ContactForm, same_card
from socialdesk.qt.contacts.tabs import AudiencesTab, HistoryTab, LinksTab
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.wheel import wheel_needs_focus
from socialdesk.store import contacts as contact_store
from socialdesk.store.contact_snapshot import contact_fields
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

FIELD_NAMES = {
    "name": "name", "organisation": "organisation", "kind": "kind", "stage": "stage",
    "strength": "tie strength", "effort": "ask effort", "follow_up": "follow-up date",
    "emails": "e-mail addresses", "phones": "phone numbers", "urls": "web addresses",
    "tags": "tags", "notes": "notes",
}
TAB_DETAILS, TAB_AUDIENCES, TAB_HISTORY, TAB_LINKS = range(4)


BUILD_STEP_MS = 1  # between the parts of the pane built a turn apart (zero-time timers
# can all run in one pass of the event loop)


class ContactEditor(QStackedWidget):
    """One contact's card, audiences, history and links, or a hint when none is chosen.

    The card and its tabs (a form and five tables: 30–50 ms of the GUI thread on first
    use) are built when first needed, or a part per turn of the event loop ahead of it
    (:meth:`when_built`), so that opening the view does not build them in one go.
    """

    status = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.contact: Contact | None = None
        self.shown_id: int | None = None  # asked for, even while it does not exist (undo)
        self.hint = QLabel("Select a contact to see and change their details.")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(self.hint.foregroundRole().PlaceholderText)
        self.addWidget(self.hint)
        self.setMinimumWidth(380)
        self._parts: dict[str, QWidget] = {}
        self._waiting: list[Callable[[], object]] = []  # called once the page is built

    # --- building -----------------------------------------------------------------

    _STEPS = ("form", "audiences", "history", "links", "tabs")

    @property
    def form(self) -> ContactForm:
        """The card's fields."""
        return self._part("form")  # type: ignore[return-value]

    @property
    def audiences(self) -> AudiencesTab:
        """The Audiences tab."""
        return self._part("audiences")  # type: ignore[return-value]

    @property
    def history(self) -> HistoryTab:
        """The History tab: the log, the asks, the balance."""
        return self._part("history")  # type: ignore[return-value]

    @property
    def links(self) -> LinksTab:
        """The Links tab."""
        return self._part("links")  # type: ignore[return-value]

    @property
    def tabs(self) -> QTabWidget:
        """Details, Audiences, History and Links (the whole page is built with them)."""
        return self._part("tabs")  # type: ignore[return-value]

    def built(self) -> bool:
        """True once the card and its tabs exist."""
        return "tabs" in self._parts

    def _part(self, name: str) -> QWidget:
        """A part of the page, built now with the parts before it if need be."""
        for step in self._STEPS[: self._STEPS.index(name) + 1]:
            if step not in self._parts:
                self._parts[step] = self._build(step)
        return self._parts[name]

    def _build(self, name: str) -> QWidget:
        if name == "form":
            form = ContactForm()
            form.edited.connect(self._card_edited)
            font = QFont(form.name_edit.font())
            font.setPointSizeF(font.pointSizeF() * 1.35)
            font.setBold(True)
            form.name_edit.setFont(font)
            return form
        if name == "audiences":
            return AudiencesTab(self.ws, self.change)
        if name == "history":
            return HistoryTab(self.ws, self.change)
        if name == "links":
            return LinksTab(self.ws, self.change)
        details = QScrollArea()
        details.setWidget(self.form)
        details.setWidgetResizable(True)
        details.setFrameShape(QScrollArea.Shape.NoFrame)
        tabs = QTabWidget()
        tabs.setDocumentMode(True)
        tabs.addTab(details, "Details")
        tabs.addTab(self.audiences, "Audiences")
        tabs.addTab(self.history, "History")
        tabs.addTab(self.links, "Links")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.form.name_edit)
        layout.addWidget(self.form.organisation_edit)
        layout.addWidget(tabs, 1)
        self.addWidget(page)
        for ready in (keyboard_ready, wheel_needs_focus):  # as the window readies its views
            ready(page)
        return tabs

    def when_built(self, then: Callable[[], object]) -> None:
        """Call ``then`` once the page is built, building a part per turn until it is.

        Nothing happens once the workspace is closed (the window closed meanwhile).
        """
        if self.ws.closed:
            return
        if self.built():
            then()
            return
        self._waiting.append(then)
        if len(self._waiting) == 1:
            QTimer.singleShot(BUILD_STEP_MS, self, self._build_next)

    def _build_next(self) -> None:
        if self.ws.closed:
            self._waiting = []
            return
        missing = next((step for step in self._STEPS if step not in self._parts), None)
        if missing is not None:
            self._part(missing)
        if not self.built():
            QTimer.singleShot(BUILD_STEP_MS, self, self._build_next)
            return
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    # --- showing ----------------------------------------------------------------

    def show_contact(self, contact_id: int | None) -> None:
        """Show and edit one contact (None: show the hint)."""
        self.shown_id = contact_id
        contact = contact_store.get_contact(self.ws, contact_id) if contact_id else None
        if contact is None:
            self.contact = None
            self.hint.setText("Select a contact to see and change their details."
                              if not contact_id else
                              "This contact was deleted. Edit → Undo brings them back.")
            self.setCurrentIndex(0)
            return
        if self.contact is None or self.contact.id != contact.id:
            self.form.set_tag_choices(contact_store.all_tags(self.ws))
        self.contact = contact
        self.form.load(contact)
        self.audiences.load(contact.id, contact.name)
        self.history.load(contact.id, contact.name)
        self.links.load(contact.id, contact.name)
        self.tabs.setTabText(TAB_AUDIENCES, _counted("Audiences", len(self.audiences.items)))
        self.tabs.setTabText(TAB_HISTORY, _counted("History", len(self.history.items)))
        self.tabs.setTabText(TAB_LINKS, _counted("Links", len(self.links.items)))
        self.setCurrentWidget(self.tabs.parentWidget())

    def reload(self) -> None:
        """Show the stored fields of the contact shown, which may have changed elsewhere.

        A field typed in but not saved yet keeps its text (saving it changes only that
        field); a contact deleted since leaves the pane.
        """
        if self.contact is None:
            return
        if contact_store.get_contact(self.ws, self.contact.id) is None:
            self.show_contact(None)
        elif not self.unsaved():
            self.show_contact(self.contact.id)

    def unsaved(self) -> bool:
        """True when the card shows typing that is not saved yet."""
        if self.contact is None:
            return False
        try:
            return not same_card(self.contact, self.form.contact(self.contact))
        except RuntimeError:  # the form's widgets are being destroyed
            return False

    def contact_edited(self, contact_id: int | None) -> None:
        """Reload when the contact shown was changed (by this pane or an undo)."""
        if self.shown_id is not None and contact_id in (None, self.shown_id):
            self.show_contact(self.shown_id)

    def focus_name(self) -> None:
        """Put the cursor in the name, all of it selected (for a new contact)."""
        self.tabs.setCurrentIndex(TAB_DETAILS)
        self.form.name_edit.setFocus()
        self.form.name_edit.selectAll()

    # --- editing ----------------------------------------------------------------

    def change(self, contact_id: int, before: Values, after: Values, text: str,
               field: str = "") -> None:
        """Change a contact's fields from ``before`` to ``after``: one undo step."""
        edit_contact(self, self.ws, contact_id, before, after, text, self.notify, field)

    def notify(self, contact_id: int | None) -> None:
        """Tell every view that shows contacts that one changed."""
        contact_changed(self, contact_id)

    def _workspace_open(self) -> bool:
        try:
            _ = self.ws.conn.total_changes
        except sqlite3.ProgrammingError:  # closed: the window or workspace is going away
            return False
        return True

    def _card_edited(self, field: str) -> None:
        before = self.contact
        if before is None or not self._workspace_open():
            return
        try:
            after = self.form.contact(before)
        except RuntimeError:  # the form's widgets are being destroyed
            return
        if same_card(before, after):
            return
        if not after.name:
            self.form.name_edit.setText(before.name)
            self.status.emit("A contact needs a name; the old one is kept.")
            return
        text = f"Change {FIELD_NAMES.get(field, field)} of {before.name}"
        self.change(before.id, contact_fields(before), contact_fields(after), text, field)


def _counted(title: str, count: int) -> str:
    return f"{title} ({count})" if count else title
