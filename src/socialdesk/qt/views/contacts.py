"""Contacts: search-as-you-type over every contact, with a detail pane."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.formatting import compact, short_date
from socialdesk.qt.contacts_model import COL_NAME, ContactsModel
from socialdesk.qt.table_model import ROW_ROLE
from socialdesk.qt.views.base import EmptyState, View, heading, make_table, muted
from socialdesk.store import contacts, partners
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.schema_v1 import CONTACT_KINDS
from socialdesk.store.workspace import Workspace

DETAIL_LABELS = {"email": "E-mail", "phone": "Phone", "url": "Web"}


class ContactDetail(QScrollArea):
    """Everything known about the selected contact."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.label.setOpenExternalLinks(True)
        self.label.setMargin(12)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setMinimumWidth(280)
        self.show_contact(None)

    def show_contact(self, contact_id: int | None) -> None:
        """Show one contact, or a hint when none is selected."""
        contact = contacts.get_contact(self.ws, contact_id) if contact_id else None
        if contact is None:
            self.label.setText("<p>Select a contact to see their details.</p>")
            return
        parts = [f"<h2>{escape(contact.name)}</h2>"]
        if contact.organisation:
            parts.append(f"<p>{escape(contact.organisation)}</p>")
        parts.append(
            f"<p><b>{escape(contact.kind.title())}</b> · {escape(contact.stage)} · "
            f"tie strength {contact.effective_strength:.0%}</p>"
        )
        rows = []
        for detail in contact.details:
            value = escape(detail.value)
            if detail.kind == "email":
                value = f'<a href="mailto:{value}">{value}</a>'
            elif detail.kind == "url":
                value = f'<a href="{value}">{value}</a>'
            label = DETAIL_LABELS[detail.kind]
            if detail.label:
                label += f" ({escape(detail.label)})"
            rows.append(f"<tr><td>{label}</td><td>{value}</td></tr>")
        if contact.follow_up_on:
            rows.append(f"<tr><td>Follow up</td><td>{short_date(contact.follow_up_on)}</td></tr>")
        if contact.tags:
            rows.append(f"<tr><td>Tags</td><td>{escape(', '.join(contact.tags))}</td></tr>")
        if rows:
            parts.append("<table cellspacing='4'>" + "".join(rows) + "</table>")
        audiences = partners.audiences_of(self.ws, contact.id)
        if audiences:
            items = "".join(
                f"<li>{escape(a.platform)} {escape(a.handle)}: {compact(a.size)}"
                + (f" — {escape(', '.join(a.topics))}" if a.topics else "") + "</li>"
                for a in audiences
            )
            parts.append(f"<h3>Audiences</h3><ul>{items}</ul>")
        if contact.notes:
            notes = escape(contact.notes).replace("\n", "<br>")
            parts.append(f"<h3>Notes</h3><p>{notes}</p>")
        self.label.setText("".join(parts))


class ContactsView(View):
    """Every contact, searchable, filterable by kind, sortable."""

    name = "contacts"
    title = "Contacts"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.model = ContactsModel(ws, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, organisation, e-mail, tags, notes…")
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.addItem("All kinds", None)
        for kind in CONTACT_KINDS:
            self.kind.addItem(kind.title(), kind)
        self.count = muted("")
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(150)
        self.debounce.timeout.connect(self.apply_query)
        self.search.textChanged.connect(self.debounce.start)
        self.kind.currentIndexChanged.connect(self.apply_query)

        self.table = make_table(self.model, sortable=True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.detail = ContactDetail(ws)
        self.body = EmptyState(self.table, "")
        splitter = QSplitter()
        splitter.addWidget(self.body)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        bar = QHBoxLayout()
        bar.addWidget(heading("Contacts"))
        bar.addStretch()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)

    def apply_query(self) -> None:
        """Re-run the search with what is typed and chosen."""
        old = self.model.query
        self.model.set_query(
            ContactQuery(self.search.text(), self.kind.currentData(), old.sort, old.descending)
        )
        self._update_state()

    def refresh(self) -> None:
        """Reload the table from the workspace."""
        self.model.reset()
        self._update_state()
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 180)
        self.table.setColumnWidth(4, 220)

    def _update_state(self) -> None:
        total = self.model.total
        searching = bool(self.search.text().strip() or self.kind.currentData())
        self.count.setText(f"{total:,} contact{'s' if total != 1 else ''}"
                           + (" match" if searching and total != 1 else
                              " matches" if searching else ""))
        message = ("No contacts match. Try fewer or shorter words." if searching else
                   "No contacts yet — use File → Import… to bring in your address book.")
        self.body.set_empty(total == 0, message)

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        self.detail.show_contact(row.id if row else None)
