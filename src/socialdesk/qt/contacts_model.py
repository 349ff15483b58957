"""The contacts table model: pages of rows fetched as the view scrolls (fetchMore).

``data()`` only reads rows already loaded; the database is read in ``reset()`` and
``fetchMore()``, a page at a time, so a 100k-contact workspace opens at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from socialdesk.core.formatting import compact, exact, short_date
from socialdesk.qt.table_model import ROW_ROLE
from socialdesk.store import contacts
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.models import ContactRow
from socialdesk.store.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex

COL_NAME, COL_ORGANISATION, COL_KIND, COL_STAGE, COL_EMAIL, COL_TAGS, COL_FOLLOW_UP, \
    COL_AUDIENCE = range(8)
HEADERS = ("Name", "Organisation", "Kind", "Stage", "E-mail", "Tags", "Follow up", "Audience")
SORT_KEYS = ("name", "organisation", "kind", "stage", "email", None, "follow_up_on", "audience")
PAGE = 400


class ContactsModel(QAbstractTableModel):
    """Contacts matching a query, loaded a page at a time."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.query = ContactQuery()
        self.rows: list[ContactRow] = []
        self.total = 0

    def set_query(self, query: ContactQuery) -> None:
        """Show the contacts matching ``query`` (loads the first page)."""
        self.query = query
        self.reset()

    def reset(self) -> None:
        """Reload from the first page."""
        self.beginResetModel()
        self.total = contacts.count_contacts(self.ws, self.query)
        self.rows = contacts.contact_rows(self.ws, self.query, 0, PAGE)
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """True while rows remain unloaded."""
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Load the next page."""
        if parent.isValid():
            return
        more = contacts.contact_rows(self.ws, self.query, len(self.rows), PAGE)
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if (orientation == Qt.Orientation.Horizontal and section == COL_AUDIENCE
                and role == Qt.ItemDataRole.TextAlignmentRole):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text from the loaded rows."""
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.name, row.organisation, row.kind, row.stage, row.email, row.tags,
                short_date(row.follow_up_on) if row.follow_up_on else "",
                compact(row.audience) if row.audience else "",
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_AUDIENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_AUDIENCE and row.audience:
            return f"{exact(row.audience)} people across this contact's audiences"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database and reload."""
        key = SORT_KEYS[column]
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.query = ContactQuery(self.query.text, self.query.kind, key, descending)
        self.reset()
