"""The contacts table model: every matching id up front, rows fetched a page at a time.

A query (search text, filters, sort) gives the ids of every matching contact in order
(:class:`~socialdesk.store.contact_search.ContactSearch`: one full-text query and a numpy
sort); the rows themselves are read in ``reset()`` and ``fetchMore()``, a page at a time
as the view scrolls. ``data()`` only reads rows already loaded, so a 100k-contact
workspace opens and searches at once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from socialdesk.core.formatting import compact, exact, short_date
from socialdesk.qt.table_model import ROW_ROLE
from socialdesk.store import contacts
from socialdesk.store.contact_search import ContactSearch
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.models import ContactRow
from socialdesk.store.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex

COL_NAME, COL_ORGANISATION, COL_KIND, COL_STAGE, COL_EMAIL, COL_TAGS, COL_FOLLOW_UP, \
    COL_AUDIENCE = range(8)
HEADERS = ("Name", "Organisation", "Kind", "Stage", "E-mail", "Tags", "Follow up", "Audience")
SORT_KEYS = ("name", "organisation", "kind", "stage", "email", None, "follow_up_on", "audience")
FIRST_PAGE = 50  # a screenful (the view asks for more when it is taller)
PAGE = 400


class ContactsModel(QAbstractTableModel):
    """Contacts matching a query, loaded a page at a time."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.search = ContactSearch(ws)
        self.query = ContactQuery()
        self.ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self.rows: list[ContactRow] = []

    @property
    def total(self) -> int:
        """How many contacts match the query (loaded or not)."""
        return len(self.ids)

    def set_query(self, query: ContactQuery) -> None:
        """Show the contacts matching ``query`` (loads the first page)."""
        self.query = query
        self.reset()

    def reset(self, keep_loaded: bool = False) -> None:
        """Run the query again from the first page.

        With ``keep_loaded``, load as many rows as were loaded before (so that a view
        scrolled down stays where it was after an edit).
        """
        wanted = max(FIRST_PAGE, len(self.rows)) if keep_loaded else FIRST_PAGE
        self.beginResetModel()
        self.ids = self.search.ids(self.query)
        self.rows = contacts.rows_for_ids(self.ws, self.ids[:wanted])
        self.endResetModel()

    def row_of(self, contact_id: int, reach: int = 2000) -> int | None:
        """The model row of a contact, loading the pages up to it.

        None if it does not match, or lies more than ``reach`` rows beyond those loaded.
        """
        found = np.flatnonzero(self.ids == contact_id)
        if not len(found):
            return None
        position = int(found[0])
        if position >= len(self.rows) + reach:
            return None
        while position >= len(self.rows) and self.canFetchMore():
            self.fetchMore()
        return position if position < len(self.rows) else None

    def update_contact(self, contact_id: int) -> bool:
        """Re-read one loaded row in place; False when it is not loaded or no longer exists."""
        position = next((i for i, row in enumerate(self.rows) if row.id == contact_id), None)
        if position is None:
            return False
        fresh = contacts.rows_for_ids(self.ws, [contact_id])
        if not fresh:
            return False
        self.rows[position] = fresh[0]
        self.dataChanged.emit(self.index(position, 0),
                              self.index(position, self.columnCount() - 1))
        return True

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """True while rows remain unloaded."""
        return not parent.isValid() and len(self.rows) < len(self.ids)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Load the next page."""
        if parent.isValid():
            return
        start = len(self.rows)
        page = self.ids[start : start + PAGE]
        more = contacts.rows_for_ids(self.ws, page)
        if len(more) < len(page):  # some were deleted since the query ran: drop them
            kept = np.array([row.id for row in more], dtype=np.int64)
            self.ids = np.concatenate([self.ids[:start], kept, self.ids[start + len(page):]])
        if not more:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
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
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_AUDIENCE and row.audience:
                return f"{exact(row.audience)} people across this contact's audiences"
            if column == COL_FOLLOW_UP and row.follow_up_on:
                return row.follow_up_on
            if column in (COL_NAME, COL_ORGANISATION, COL_EMAIL, COL_TAGS):
                return (row.name, row.organisation, None, None, row.email, row.tags)[column] or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database and reload."""
        key = SORT_KEYS[column]
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.query = dataclasses.replace(self.query, sort=key, descending=descending)
        self.reset()
