"""The editor's lists: a contact's audiences, links, interaction log, asks and reciprocity.

Each tab reads its rows from the store in :meth:`load` and hands every change to
``change`` (the editor's, which makes it one undo step), so nothing here writes directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, percent
from socialdesk.qt.contacts.dialogs import AudienceDialog, LinkDialog
from socialdesk.qt.delegates import StatusDelegate
from socialdesk.qt.formatting import date_edit_format, day_text
from socialdesk.qt.icons import brand_icon
from socialdesk.qt.planner.kit_actions import KitButtons
from socialdesk.qt.table_model import Column, RowTableModel, count_column
from socialdesk.qt.view_base import EmptyState, make_table, muted, section_title
from socialdesk.store import asks as ask_store
from socialdesk.store import audiences as audience_store
from socialdesk.store import interactions as interaction_store
from socialdesk.store import links as link_store
from socialdesk.store.contact_snapshot import contact_fields
from socialdesk.store.models import Audience, Interaction, Link, Reciprocity
from socialdesk.store.partners import audiences_of
from socialdesk.store.vocabulary import INTERACTION_KINDS
from socialdesk.store.workspace import Workspace

# (contact id, fields before, fields after, what the undo menu calls it)
Change = Callable[[int, dict[str, Any], dict[str, Any], str], None]
INTERACTION_LABELS = {
    "note": "Note", "met": "Met", "call": "Call", "email": "E-mail", "message": "Message",
    "gave": "We gave them something", "received": "They gave us something",
    "shared": "They shared our post",
}


class AudienceModel(RowTableModel[Audience]):
    """Audiences with the network's mark beside the platform's name."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The platform column gets the network's mark as its icon."""
        if role == Qt.ItemDataRole.DecorationRole and index.isValid() and index.column() == 0:
            return brand_icon(self.rows[index.row()].platform)
        return super().data(index, role)


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


def _body_and_buttons(tab: QWidget, body: QWidget, *buttons: QPushButton) -> None:
    """Lay a tab out: its list on top, a row of buttons below it on the left."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    layout = QVBoxLayout(tab)
    layout.addWidget(body, 1)
    layout.addLayout(row)


def _small_table(model: RowTableModel, stretch: int, widest: int = 160) -> QTableView:
    """A short table whose columns but the stretching one are fitted to ``widest`` px."""
    table = make_table(model, stretch=stretch, widest=dict.fromkeys(
        (c for c in range(model.columnCount()) if c != stretch), widest))
    table.setMinimumHeight(120)
    return table



class _Tab(QWidget):
    ROWS = ""  # the contact's field this tab lists

    def __init__(self, ws: Workspace, change: Change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.change = change
        self.contact_id = 0
        self.contact_name = ""
        self.items: list[Any] = []

    def _replace(self, after: Sequence[Any], text: str) -> None:
        """Make ``after`` the contact's rows of this tab (one undo step)."""
        self.change(self.contact_id, contact_fields(**{self.ROWS: self.items}),
                    contact_fields(**{self.ROWS: after}), text)

    def _selected_row(self, table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None


class AudiencesTab(_Tab):
    """The contact's own audiences: add, change, remove."""

    ROWS = "audiences"

    def __init__(self, ws: Workspace, change: Change, parent: QWidget | None = None) -> None:
        super().__init__(ws, change, parent)
        self.items: list[Audience] = []
        self.model = AudienceModel([
            Column("Platform", lambda a: a.platform.title()),
            Column("Handle or address", lambda a: a.handle or a.url,
                   tooltip=lambda a: "\n".join(x for x in (a.handle, a.url) if x)),
            Column("Size", lambda a: a.size, display=compact, numeric=True,
                   tooltip=lambda a: f"{a.size:,} people" + (
                       f", checked {day_text(a.last_checked_on, today())}"
                       if a.last_checked_on else ", never checked")),
            Column("Topics", lambda a: ", ".join(a.topics), tooltip=lambda a: ", ".join(a.topics)),
            Column("Engaged", lambda a: a.engagement_rate, display=percent, numeric=True,
                   tooltip=lambda a: "Share of the audience that reacts to a typical post"),
        ], self)
        self.table = _small_table(self.model, 3)
        self.table.setAccessibleName("Audiences")
        self.table.doubleClicked.connect(lambda _: self.edit())
        self.body = EmptyState(self.table, "No audiences yet. Add the followers, subscribers "
                               "or readers this contact has, to make them a partner.")
        self.add_button = _button("Add audience…", "Add an audience this contact has")
        self.edit_button = _button("Change…", "Change the selected audience")
        self.remove_button = _button("Remove", "Remove the selected audience")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        _body_and_buttons(self, self.body, self.add_button, self.edit_button,
                          self.remove_button)

    def load(self, contact_id: int, name: str) -> None:
        """Show a contact's audiences."""
        self.contact_id, self.contact_name = contact_id, name
        self.items = audiences_of(self.ws, contact_id)
        self.model.set_rows(self.items)
        self.body.set_empty(not self.items)
        self.edit_button.setEnabled(bool(self.items))
        self.remove_button.setEnabled(bool(self.items))

    def _dialog(self, audience: Audience) -> Audience | None:
        dialog = AudienceDialog(audience, audience_store.all_topics(self.ws), self)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def add(self) -> None:
        """Ask for a new audience and add it."""
        audience = self._dialog(Audience(0, self.contact_id, "instagram", 0))
        if audience is not None:
            self._replace([*self.items, audience],
                          f"Add {audience.platform} audience to {self.contact_name}")

    def edit(self) -> None:
        """Change the selected audience."""
        row = self._selected_row(self.table)
        if row is None:
            return
        audience = self._dialog(self.items[row])
        if audience is not None and audience != self.items[row]:
            after = list(self.items)
            after[row] = audience
            self._replace(after, f"Change {audience.platform} audience of {self.contact_name}")

    def remove(self) -> None:
        """Remove the selected audience."""
        row = self._selected_row(self.table)
        if row is not None:
            gone = self.items[row]
            self._replace([a for i, a in enumerate(self.items) if i != row],
                          f"Remove {gone.platform} audience of {self.contact_name}")


def _direction(link: Link, contact_id: int) -> str:
    if not link.directed:
        return "both ways"
    return "to them" if link.from_id == contact_id else "from them"


class LinksTab(_Tab):
    """Links between the contact and others."""

    ROWS = "links"

    def __init__(self, ws: Workspace, change: Change, parent: QWidget | None = None) -> None:
        super().__init__(ws, change, parent)
        self.items: list[Link] = []
        self.model: RowTableModel[Link] = RowTableModel([
            Column("Contact", lambda link: link.other_name),
            Column("Relationship", lambda link: link.kind.replace("_", " ")),
            Column("Weight", lambda link: link.weight, display=percent, numeric=True,
                   tooltip=lambda link: "How strongly a share by one reaches the other"),
            Column("Direction", lambda link: _direction(link, self.contact_id)),
            Column("Note", lambda link: link.note),
        ], self)
        self.table = _small_table(self.model, 4)
        self.table.setAccessibleName("Links")
        self.body = EmptyState(self.table, "No links yet. Link this contact to people they "
                               "know or groups they belong to: the planner counts who a share "
                               "reaches next.")
        self.add_button = _button("Add link…", "Link this contact to another one")
        self.remove_button = _button("Remove", "Remove the selected link")
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        _body_and_buttons(self, self.body, self.add_button, self.remove_button)

    def load(self, contact_id: int, name: str) -> None:
        """Show a contact's links."""
        self.contact_id, self.contact_name = contact_id, name
        self.items = link_store.links_of(self.ws, contact_id)
        self.model.set_rows(self.items)
        self.body.set_empty(not self.items)
        self.remove_button.setEnabled(bool(self.items))

    def add(self) -> None:
        """Ask for the other contact and the kind of link, then add it."""
        dialog = LinkDialog(self.ws, self.contact_id, self.contact_name,
                            link_store.link_kinds(self.ws), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        link = dialog.value()
        if link is not None:
            self._replace([*self.items, link], f"Link {self.contact_name} to {link.other_name}")

    def remove(self) -> None:
        """Remove the selected link."""
        row = self._selected_row(self.table)
        if row is not None:
            gone = self.items[row]
            self._replace([x for i, x in enumerate(self.items) if i != row],
                          f"Unlink {self.contact_name} and {gone.other_name}")


def reciprocity_text(balance: Reciprocity) -> str:
    """One sentence comparing what they did for us with what we did for them."""
    shares = f"They shared for you {balance.received} time{'s' if balance.received != 1 else ''}"
    if balance.shared_asks:
        shares += f" ({balance.shared_asks} when asked)"
    gave = f"you gave them something {balance.gave} time{'s' if balance.gave != 1 else ''}"
    if balance.balance > 0:
        verdict = "you owe them a favour."
    elif balance.balance < 0:
        verdict = "they may be glad to help next time you ask."
    else:
        verdict = "you are even."
    return f"{shares}; {gave}: {verdict}"


class HistoryTab(_Tab):
    """The interaction log (add entries), the asks made, and the reciprocity balance."""

    ROWS = "interactions"

    def __init__(self, ws: Workspace, change: Change, parent: QWidget | None = None) -> None:
        super().__init__(ws, change, parent)
        self.items: list[Interaction] = []
        self.balance = muted("")
        self.balance.setToolTip("Shares: logged “they shared our post” entries and shared asks. "
                                "Given: “we gave them something” entries.")
        self.day = QDateEdit()
        self.day.setAccessibleName("Date of the entry")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(date_edit_format())
        self.kind = QComboBox()
        for kind in INTERACTION_KINDS:
            self.kind.addItem(INTERACTION_LABELS[kind], kind)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What happened")
        self.note.returnPressed.connect(self.add)
        self.add_button = _button("Add", "Add this entry to the log")
        self.add_button.clicked.connect(self.add)
        self.log_model: RowTableModel[Interaction] = RowTableModel([
            Column("Date", lambda i: i.happened_on, display=lambda v: day_text(v, today())),
            Column("What", lambda i: INTERACTION_LABELS.get(i.kind, i.kind)),
            Column("Note", lambda i: i.note, tooltip=lambda i: i.note),
        ], self)
        self.log_table = _small_table(self.log_model, 2, 200)
        self.log_table.setAccessibleName("Log")
        self.log = EmptyState(self.log_table, "Nothing logged yet. Note meetings, calls and "
                              "favours here; shares and favours feed the balance above.")
        self.remove_button = _button("Remove entry", "Remove the selected entry")
        self.remove_button.clicked.connect(self.remove)
        self.asks_model = RowTableModel([
            Column("Post", lambda a: a.post_title or "(post deleted)"),
            Column("Asked", lambda a: a.asked_on, display=lambda v: day_text(v, today())),
            Column("Status", lambda a: a.status),
            count_column("Reach", lambda a: a.observed_reach),
        ], self)
        self.asks_table = asks_table = _small_table(self.asks_model, 0)
        asks_table.setAccessibleName("Asks")
        asks_table.setItemDelegateForColumn(2, StatusDelegate(asks_table))
        self.asks = EmptyState(asks_table, "No asks yet: the Planner turns a post's best "
                               "partners into asks.")
        self.kit = KitButtons(ws, by_partner=False)
        asks_table.selectionModel().currentRowChanged.connect(self._ask_chosen)
        entry = QHBoxLayout()
        entry.addWidget(self.day)
        entry.addWidget(self.kind)
        entry.addWidget(self.note, 1)
        entry.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.balance)
        layout.addLayout(entry)
        layout.addWidget(self.log, 3)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        asks_row = QHBoxLayout()  # the kit's buttons beside the title: no extra height
        asks_row.addWidget(section_title("Asks"))
        asks_row.addStretch(1)
        asks_row.addWidget(self.kit)
        layout.addLayout(asks_row)
        layout.addWidget(self.asks, 2)

    def load(self, contact_id: int, name: str) -> None:
        """Show a contact's history."""
        if contact_id != self.contact_id:
            self.day.setDate(QDate.fromString(today().isoformat(), Qt.DateFormat.ISODate))
            self.note.clear()
        self.contact_id, self.contact_name = contact_id, name
        self.items = interaction_store.interactions_of(self.ws, contact_id)
        self.log_model.set_rows(self.items)
        self.log.set_empty(not self.items)
        self.remove_button.setEnabled(bool(self.items))
        asks = ask_store.asks_for_contact(self.ws, contact_id)
        chosen = self.kit.ask.id if self.kit.ask is not None else None
        self.asks_model.set_rows(asks)
        self.asks.set_empty(not asks)
        row = next((i for i, ask in enumerate(asks) if ask.id == chosen), 0)
        if asks:
            self.asks_table.setCurrentIndex(self.asks_model.index(row, 0))
        self.kit.set_ask(asks[row] if asks else None)
        self.kit.setVisible(bool(asks))
        self.balance.setText(reciprocity_text(interaction_store.reciprocity(self.ws, contact_id)))

    def _ask_chosen(self, index: QModelIndex, _previous: QModelIndex) -> None:
        rows = self.asks_model.rows
        self.kit.set_ask(rows[index.row()] if index.isValid() and index.row() < len(rows)
                         else None)

    def add(self) -> None:
        """Add the entry typed in the row above the log."""
        entry = Interaction(0, self.contact_id, self.day.date().toString(Qt.DateFormat.ISODate),
                            self.kind.currentData(), self.note.text().strip())
        self.note.clear()
        self._replace([entry, *self.items],
                      f"Log “{INTERACTION_LABELS[entry.kind]}” for {self.contact_name}")

    def remove(self) -> None:
        """Remove the selected entry."""
        row = self._selected_row(self.log_table)
        if row is not None:
            self._replace([x for i, x in enumerate(self.items) if i != row],
                          f"Remove an entry of {self.contact_name}'s log")

