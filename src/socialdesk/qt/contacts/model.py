"""The contacts table model: matching ids found ahead, rows fetched a page at a time.

A query (search text, filters, sort) gives the ids of the matching contacts in order
(:class:`~socialdesk.store.contact_search.ContactSearch`): every one, or for a search with
very many matches (a one-letter prefix over a million contacts) the first ones, and more
as the view scrolls (``canFetchMore``/``fetchMore``, see
:class:`~socialdesk.store.contact_search.Matches`); the count then reads "100,000+".
The rows themselves are read in ``reset()`` and ``fetchMore()``, a page at a time as the
view scrolls. ``data()`` only reads rows already loaded, so a large workspace opens and
searches at once.

On a large workspace the order of every contact for a sort key (which searches need) is
read on a worker thread, never on the GUI thread: meanwhile the first page sorted by
name comes from the name index at once, and other queries keep the rows shown until
the order arrives (``waiting``). Loaded rows are kept as plain tuples, which the garbage
collector does not track: 100k loaded rows add nothing to a full collection.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
)

from socialdesk.core.formatting import compact, exact, short_date
from socialdesk.qt.table_model import ROW_ROLE, TitledColumnsModel
from socialdesk.qt.workers import Task, lane, run_task
from socialdesk.store import contacts
from socialdesk.store.contact_search import ContactSearch, Matches, Version, read_order
from socialdesk.store.contacts import (
    ROW_AUDIENCE,
    ROW_FIELDS,
    ROW_FOLLOW_UP,
    ROW_ID,
    ContactQuery,
    RowTuple,
    contact_row,
)
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import ContactRow
from socialdesk.store.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex

COL_NAME, COL_ORGANISATION, COL_KIND, COL_STAGE, COL_EMAIL, COL_TAGS, COL_FOLLOW_UP, \
    COL_AUDIENCE = range(8)
# The field of a row (see contacts.ROW_FIELDS) each column shows.
_FIELD_OF_COLUMN = tuple(ROW_FIELDS.index(name) for name in (
    "name", "organisation", "kind", "stage", "email", "tags", "follow_up_on", "audience"))
HEADERS = ("Name", "Organisation", "Kind", "Stage", "E-mail", "Tags", "Follow up", "Audience")
SORT_KEYS = ("name", "organisation", "kind", "stage", "email", None, "follow_up_on", "audience")
FIRST_PAGE = 50  # a screenful (the view asks for more when it is taller)
PAGE = 400
FINDING_PAGE = 100  # rows a scroll loads while the matches are still being found
BACKGROUND_ABOVE = 5000  # contacts (by highest id): above, orders are read on a worker
INDEXED_SORTS = ("name",)  # an index gives their first page at once (contacts_name)

def order_pool() -> QThreadPool:
    """The contacts' own worker thread (the shared pool may be busy with long checks)."""
    return lane("contacts order")


WORKER_NICENESS = 10  # a worker thread gives way to the GUI thread when they compete


def yield_to_gui_thread() -> None:
    """Lower the calling thread's scheduling priority (Linux: per-thread niceness)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # lowering a thread's own priority needs no rights
            current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                           max(current, WORKER_NICENESS))
    else:
        QThread.currentThread().setPriority(QThread.Priority.LowPriority)


class OrderCourier(Task):
    """Carries sort orders read on a worker thread to the GUI thread."""

    arrived = Signal(str, bool, object, object)  # sort, descending, version, order or None


def read_order_for(path: Path, sort: str, descending: bool, version: Version,
                   courier: OrderCourier) -> None:
    """Worker: read every contact id in one sort order and hand it over (None: unreadable)."""
    yield_to_gui_thread()
    try:
        order: np.ndarray | None = read_order(path, sort, descending)
    except (WorkspaceError, sqlite3.Error):
        order = None  # the GUI thread reads it itself (and reports any damage)
    with contextlib.suppress(RuntimeError):  # the model has gone: nobody to tell
        courier.arrived.emit(sort, descending, version, order)


class LoadedRows(Sequence[ContactRow]):
    """The loaded rows as :class:`ContactRow` objects, made when asked for."""

    def __init__(self, rows: list[RowTuple]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> ContactRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ContactRow]: ...

    def __getitem__(self, index: int | slice) -> ContactRow | list[ContactRow]:
        if isinstance(index, slice):
            return [contact_row(row) for row in self._rows[index]]
        return contact_row(self._rows[index])

    def __iter__(self) -> Iterator[ContactRow]:
        return (contact_row(row) for row in self._rows)


@dataclasses.dataclass
class Reuse:
    """Rows loaded before a reset (``rows[i]`` is contact ``ids[i]``), but for ``changed``."""

    ids: np.ndarray
    rows: list[RowTuple]
    changed: int | None

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Where each of ``ids`` is in ``rows``; -1 for those to read again."""
        size = int(max(self.ids.max(initial=0), ids.max(initial=0))) + 1
        where = np.full(size, -1, dtype=np.int64)
        where[self.ids] = np.arange(len(self.ids), dtype=np.int64)
        if self.changed is not None and 0 <= self.changed < size:
            where[self.changed] = -1
        return where[ids]


class ContactsModel(TitledColumnsModel):
    """Contacts matching a query, loaded a page at a time."""

    HEADERS = HEADERS
    NUMERIC = frozenset({COL_AUDIENCE})

    ordered = Signal()  # the full order arrived after a first page: more rows can be fetched

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.search = ContactSearch(ws)
        self.query = ContactQuery()
        self._shown = self.query  # the query whose contacts the rows are
        self.ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._matches: Matches | None = None  # a search whose matches are found as needed
        self._taken = 0  # how many of its ids are in ``ids``
        self._rows: list[RowTuple] = []
        self._started = False  # sorting before the first reset only sets the query
        self._count: int | None = None  # the total while only a first page's ids are known
        self.waiting = False  # the query's order is being read; the rows shown may be older
        self._wanted = FIRST_PAGE  # rows to load once the order arrives
        self._reuse: Reuse | None = None  # loaded rows the next reset reuses
        self._reading: set[tuple[str, bool, Version]] = set()
        self._courier = OrderCourier(self)
        self._courier.arrived.connect(self._order_arrived)

    @property
    def rows(self) -> LoadedRows:
        """The rows loaded so far, in table order."""
        return LoadedRows(self._rows)

    @property
    def pending(self) -> bool:
        """True while the rows shown are an earlier query's, until the order arrives."""
        return self.waiting and self._shown != self.query

    @property
    def total(self) -> int:
        """How many contacts match the query (loaded or not); see :attr:`total_exact`."""
        if self._count is not None:
            return self._count
        if self._matches is not None and not self._matches.complete:
            return self._matches.at_least
        return len(self.ids)

    @property
    def total_exact(self) -> bool:
        """False while a search's matches are still being found: ``total`` is a minimum."""
        return self._count is not None or self._matches is None or self._matches.complete

    def set_query(self, query: ContactQuery) -> None:
        """Show the contacts matching ``query`` (loads the first page)."""
        self.query = query
        self.reset()

    def reset(self, keep_loaded: bool = False, changed: int | None = None) -> None:
        """Run the query again from the first page.

        With ``keep_loaded``, load as many rows as were loaded before (so that a view
        scrolled down stays where it was after an edit); with ``changed`` too, only that
        contact changed since they were read, and the other loaded rows are reused rather
        than read again (100k rows take seconds to read). On a large workspace whose
        order for this sort is not read yet, the table changes when it arrives.
        """
        wanted = max(FIRST_PAGE, len(self._rows)) if keep_loaded else FIRST_PAGE
        self._reuse = (Reuse(self.ids[: len(self._rows)].copy(), self._rows, changed)
                       if keep_loaded and changed is not None else None)
        self._started = True
        sort, descending = self.query.sort, self.query.descending
        if self.search.has_order(sort, descending) or not self._large():
            self.waiting = False
            self._show_matches(wanted)
            return
        self.waiting, self._wanted = True, wanted
        self._read_order(sort, descending)
        if not self.query.filtered and sort in INDEXED_SORTS and wanted <= PAGE:
            first = contacts.first_sorted_ids(self.ws, sort, descending, wanted)
            self._show(np.array(first, dtype=np.int64), wanted,
                       count=contacts.count_contacts(self.ws))

    def _large(self) -> bool:
        return contacts.highest_contact_id(self.ws) > BACKGROUND_ABOVE

    def _read_order(self, sort: str, descending: bool) -> None:
        """Read an order on the worker thread, unless it is being read already.

        The worker starts once the GUI thread's current work (say, opening the view) is
        done: its Python parts would otherwise take turns with it.
        """
        job = (sort, descending, self.search.version())
        if job not in self._reading:
            self._reading.add(job)
            path, courier = self.ws.path, self._courier
            QTimer.singleShot(1, self, lambda: run_task(
                courier, lambda _progress: read_order_for(path, *job, courier), order_pool()))

    def _order_arrived(self, sort: str, descending: bool, version: Version,
                       order: np.ndarray | None) -> None:
        self._reading.discard((sort, descending, version))
        if order is not None:
            self.search.add_order(sort, descending, order, version)
        if not self.waiting:
            return
        if (order is not None and not self.search.has_order(self.query.sort,
                                                            self.query.descending)):
            # Another sort is wanted now, or the workspace changed while reading: read again.
            self._read_order(self.query.sort, self.query.descending)
            return
        self.waiting = False
        shown = len(self._rows)
        # (the order is read here only when the worker could not)
        matches = self.search.matches(self.query, max(shown, self._wanted))
        ids = matches.ids
        if self._count is not None and np.array_equal(ids[:shown], self.ids[:shown]):
            self.ids, self._count, self._shown = ids, None, self.query  # the page stays
            self._matches, self._taken = matches, len(ids)
            self.ordered.emit()
        else:
            self._show_matches(self._wanted, matches)

    def _show_matches(self, wanted: int, matches: Matches | None = None) -> None:
        """Reset to the contacts matching the query, loading the first ``wanted`` rows.

        While a search's matches are still being found, at most a page is loaded (a
        reload keeping thousands of rows loaded would walk far).
        """
        if matches is None:
            matches = self.search.matches(self.query, min(wanted, PAGE))
        if not matches.complete:
            wanted = min(wanted, PAGE)
        self._show(matches.ids, wanted, matches=matches)

    def _show(self, ids: np.ndarray, wanted: int, count: int | None = None,
              matches: Matches | None = None) -> None:
        """Reset to the contacts ``ids``, loading the first ``wanted`` rows."""
        self.beginResetModel()
        self.ids, self._count, self._shown = ids, count, self.query
        self._matches, self._taken = matches, len(ids)
        self._rows = self._read(0, wanted, self._reuse)
        self._reuse = None
        self.endResetModel()

    def _read(self, start: int, size: int, reuse: Reuse | None = None) -> list[RowTuple]:
        """The rows of ``ids[start:start + size]``; ids of contacts deleted since are dropped.

        Rows loaded before (``reuse``) are taken from there, not read again.
        """
        page = self.ids[start : start + size]
        if reuse is not None and len(page):
            at = reuse.positions(page)
            missing = page[at < 0]
            fresh = {row[ROW_ID]: row for row in contacts.row_tuples_for_ids(self.ws, missing)}
            old = reuse.rows
            found = [old[i] if i >= 0 else fresh.get(cid)
                     for i, cid in zip(at.tolist(), page.tolist(), strict=True)]
            rows = [row for row in found if row is not None] if len(missing) else found
        else:
            rows = contacts.row_tuples_for_ids(self.ws, page)
        if len(rows) < len(page):  # some were deleted since the query ran: drop them
            kept = np.array([row[ROW_ID] for row in rows], dtype=np.int64)
            self.ids = np.concatenate([self.ids[:start], kept, self.ids[start + len(page):]])
            if self._count is not None:
                self._count -= len(page) - len(rows)
        return rows

    def row_of(self, contact_id: int, reach: int = 2000) -> int | None:
        """The model row of a contact, loading the pages up to it.

        None if it does not match, or lies more than ``reach`` rows beyond those loaded.
        """
        found = np.flatnonzero(self.ids == contact_id)
        if not len(found):
            return None
        position = int(found[0])
        if position >= len(self._rows) + reach:
            return None
        while position >= len(self._rows) and self.canFetchMore():
            self.fetchMore()
        return position if position < len(self._rows) else None

    def update_contact(self, contact_id: int) -> bool:
        """Re-read one loaded row in place; False when it is not loaded or no longer exists."""
        found = np.flatnonzero(self.ids[: len(self._rows)] == contact_id)
        if not len(found):
            return False
        position = int(found[0])
        fresh = contacts.row_tuples_for_ids(self.ws, [contact_id])
        if not fresh:
            return False
        self._rows[position] = fresh[0]  # (a reset waiting to reuse these rows sees it)
        self.dataChanged.emit(self.index(position, 0),
                              self.index(position, self.columnCount() - 1))
        return True

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """True while rows remain unloaded (or matches remain to be found)."""
        return not parent.isValid() and (len(self._rows) < len(self.ids) or not (
            self._matches is None or self._matches.complete))

    def _find_more(self, rows: int) -> None:
        """Find matches until ``ids`` holds ``rows`` (when a search's are found as needed)."""
        matches = self._matches
        if matches is None or matches.complete or len(self.ids) >= rows:
            return
        matches.find(self._taken + rows - len(self.ids))
        self.ids = np.concatenate([self.ids, matches.ids[self._taken:]])
        self._taken = len(matches.ids)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Load the next page (a smaller one while matches are being found)."""
        if parent.isValid():
            return
        start = len(self._rows)
        page = PAGE if self.total_exact else FINDING_PAGE
        self._find_more(start + page)
        more = self._read(start, page)
        if not more:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text from the loaded rows."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]  # the fields of contacts.ROW_FIELDS
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_FOLLOW_UP:
                return short_date(row[ROW_FOLLOW_UP]) if row[ROW_FOLLOW_UP] else ""
            if column == COL_AUDIENCE:
                return compact(row[ROW_AUDIENCE]) if row[ROW_AUDIENCE] else ""
            return row[_FIELD_OF_COLUMN[column]]
        if role == ROW_ROLE:
            return contact_row(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_AUDIENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_AUDIENCE and row[ROW_AUDIENCE]:
                return f"{exact(row[ROW_AUDIENCE])} people across this contact's audiences"
            if column == COL_FOLLOW_UP and row[ROW_FOLLOW_UP]:
                return row[ROW_FOLLOW_UP]
            if column in (COL_NAME, COL_ORGANISATION, COL_EMAIL, COL_TAGS):
                return row[_FIELD_OF_COLUMN[column]] or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database and reload (before the first reset, only note the order)."""
        key = SORT_KEYS[column]
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.query = dataclasses.replace(self.query, sort=key, descending=descending)
        if self._started:
            self.reset()
