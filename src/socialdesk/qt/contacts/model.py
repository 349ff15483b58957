"""The contacts table model: matching ids found ahead, rows fetched a page at a time.

A query (search text, filters, sort) gives the ids of the matching contacts in order
(:class:`~socialdesk.store.contact_search.ContactSearch`): every one, or for a search with
very many matches (a one-letter prefix over a million contacts) the first ones, and more
as the view scrolls (``canFetchMore``/``fetchMore``, see
:class:`~socialdesk.store.contact_search.Matches`); the count then reads "100,000+".
``fetchMore()`` only offers more rows; ``data()`` reads the rows it is asked for a page
(:data:`CACHE_PAGE`) at a time and keeps the last :data:`KEEP_PAGES` pages read, so a
table scrolled end to end over a million contacts holds their ids, never their rows.

On a large workspace the order of every contact for a sort key (which searches need) is
read on a worker thread, never on the GUI thread: meanwhile the first page sorted by
name comes from the name index at once, and other queries keep the rows shown until
the order arrives (``waiting``). Over :data:`SEARCH_ABOVE` contacts a search or filter
runs on a worker too (its own lane, with a connection of its own kept open there) with
the rows of its first screenful: the rows shown stay until the answer comes, and only
the latest query's answer is shown (a :class:`~socialdesk.qt.workers.LatestJob`).
What runs on the workers lives beside this module: the order read in
:mod:`~socialdesk.qt.contacts.order_job`, the search in
:mod:`~socialdesk.qt.contacts.search_job`; this one keeps the model on the GUI thread.
Loaded rows are kept as plain tuples, which the garbage collector does not track: 100k
loaded rows add nothing to a full collection.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from socialdesk.core.formatting import compact, exact
from socialdesk.qt.contacts.order_job import OrderCourier, order_pool, read_order_for
from socialdesk.qt.contacts.search_job import (
    FIRST_PAGE,
    Found,
    find_for,
    forget_reader,
    page_rows,
    search_pool,
)
from socialdesk.qt.formatting import day_text
from socialdesk.qt.table_model import (
    ALIGNMENT,
    DISPLAY,
    RIGHT,
    ROW_ROLE,
    TOOLTIP,
    TitledColumnsModel,
)
from socialdesk.qt.workers import LatestJob, run_task
from socialdesk.store import contacts
from socialdesk.store.contact_search import ContactSearch, Matches, Ranked, Version
from socialdesk.store.contacts import (
    ROW_AUDIENCE,
    ROW_FIELDS,
    ROW_FOLLOW_UP,
    ContactQuery,
    RowTuple,
    contact_row,
)
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
PAGE = 400
FINDING_PAGE = 100  # rows a scroll loads while the matches are still being found
CACHE_PAGE = 200  # rows read from the workspace at once, when first shown
KEEP_PAGES = 40  # pages of rows kept read (8,000 rows); the least recently shown go
BACKGROUND_ABOVE = 5000  # contacts (by highest id): above, orders are read on a worker
# Above, searches run on a worker too (30–45 ms over 1M contacts; over 100k, 2 ms at the
# median: less than the hop to a worker and back on a loaded machine).
SEARCH_ABOVE = 200_000
INDEXED_SORTS = ("name",)  # an index gives their first page at once (contacts_name)

_owners = itertools.count()


class LoadedRows(Sequence[ContactRow]):
    """The rows the table has (loaded or not) as :class:`ContactRow` objects, when asked."""

    def __init__(self, model: ContactsModel) -> None:
        self._model = model

    def __len__(self) -> int:
        return self._model.rowCount()

    @overload
    def __getitem__(self, index: int) -> ContactRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ContactRow]: ...

    def __getitem__(self, index: int | slice) -> ContactRow | list[ContactRow]:
        if isinstance(index, slice):
            return [contact_row(self._model.row_tuple(i))
                    for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return contact_row(self._model.row_tuple(index))

    def __iter__(self) -> Iterator[ContactRow]:
        return (contact_row(self._model.row_tuple(i)) for i in range(len(self)))


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
        self._shown_rows = 0  # rows the table has (read or not)
        # Pages of rows read (page number → rows), the most recently used last.
        self._pages: OrderedDict[int, list[RowTuple]] = OrderedDict()
        self._started = False  # sorting before the first reset only sets the query
        # The ids are only a first page's (from the name index, before the order arrives):
        # how many contacts there are is not known yet (counting them takes 30–190 ms over
        # a million on this thread; the order read on the worker gives it).
        self._first_page_only = False
        self.waiting = False  # the query's order is being read; the rows shown may be older
        self._wanted = FIRST_PAGE  # rows to load once the order arrives
        self._reading: set[tuple[str, bool, Version]] = set()
        self._courier = OrderCourier(self)
        self._courier.arrived.connect(self._order_arrived)
        self.searching = False  # a search runs on the worker, its order known
        self._finder = LatestJob(self)
        self._finder.pool = search_pool()
        self._finder.finished.connect(self._found)
        self._finder.failed.connect(self._not_found)
        self._owner = owner = next(_owners)
        self.destroyed.connect(lambda: forget_reader(owner))

    @property
    def rows(self) -> LoadedRows:
        """The rows the table has so far, in table order (read when asked for)."""
        return LoadedRows(self)

    @property
    def pending(self) -> bool:
        """True while the rows shown are an earlier query's, until the order arrives."""
        return self.waiting and self._shown != self.query

    @property
    def total(self) -> int | None:
        """How many contacts match the query (loaded or not); see :attr:`total_exact`.

        None while only a first page is known, until the order read on the worker arrives.
        """
        if self._first_page_only:
            return None
        if self._matches is not None and not self._matches.complete:
            return self._matches.at_least
        return len(self.ids)

    @property
    def total_exact(self) -> bool:
        """False while a search's matches are still being found: ``total`` is a minimum."""
        return self._first_page_only or self._matches is None or self._matches.complete

    def set_query(self, query: ContactQuery) -> None:
        """Show the contacts matching ``query`` (loads the first page)."""
        self.query = query
        self.reset()

    def reset(self, keep_loaded: bool = False) -> None:
        """Run the query again from the first page.

        With ``keep_loaded``, offer as many rows as before (so that a view scrolled down
        stays where it was after an edit); only those shown are read again. On a large
        workspace whose order for this sort is not read yet, the table changes when it
        arrives.
        """
        self._run(max(FIRST_PAGE, self._shown_rows) if keep_loaded else FIRST_PAGE)

    def _run(self, wanted: int) -> None:
        """Run the query, to show its first ``wanted`` rows (now, or when read)."""
        self._started = True
        self._finder.cancel()  # an answer to an earlier query is not shown
        self.searching = False
        sort, descending = self.query.sort, self.query.descending
        highest = contacts.highest_contact_id(self.ws)
        large = highest > BACKGROUND_ABOVE
        if (highest > SEARCH_ABOVE and self.query.filtered
                and self.search.has_order(sort, descending)):
            self.waiting, self._wanted = True, wanted
            self._find_on_worker(wanted)
            return
        if self.search.has_order(sort, descending) or not large:
            self.waiting = False
            self._show_matches(wanted)
            return
        self.waiting, self._wanted = True, wanted
        self._read_order(sort, descending)
        if not self.query.filtered and sort in INDEXED_SORTS and wanted <= PAGE:
            first = contacts.first_sorted_ids(self.ws, sort, descending, wanted)
            # Fewer than asked for: they are every contact, and their count is known.
            self._show(np.array(first, dtype=np.int64), wanted,
                       first_page_only=len(first) == wanted)

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
                       order: Ranked | None) -> None:
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
        shown = self._shown_rows
        if self.query.filtered and contacts.highest_contact_id(self.ws) > SEARCH_ABOVE:
            self._find_on_worker(max(shown, self._wanted))
            return
        self.waiting = False
        # (the order is read here only when the worker could not)
        matches = self.search.matches(self.query, max(shown, self._wanted))
        ids = matches.ids
        if self._first_page_only and np.array_equal(ids[:shown], self.ids[:shown]):
            self.ids, self._first_page_only, self._shown = ids, False, self.query  # page stays
            self._matches, self._taken = matches, len(ids)
            self._pages.clear()  # read when ids were only a first page's
            self.ordered.emit()
        else:
            self._show_matches(self._wanted, matches)

    def _find_on_worker(self, wanted: int) -> None:
        """Run the query on the search thread; :meth:`_found` shows its answer."""
        ranked = self.search.order_of(self.query.sort, self.query.descending)
        assert ranked is not None, "searches start once the order is read"
        self.searching = True
        owner, path, query, version = self._owner, self.ws.path, self.query, \
            self.search.version()
        wanted, read_at_most = min(wanted, PAGE), self.search.read_at_most
        self._finder.start(lambda: find_for(owner, path, query, ranked, wanted,
                                            read_at_most, version))

    def _found(self, found: Found) -> None:
        """A search's answer: shown if it is the current query's, on the workspace as is."""
        query, version, matches, rows = found
        if not self.waiting or query != self.query:
            return
        self.searching = False
        if version != self.search.version():  # written meanwhile: search again
            self._run(self._wanted)
            return
        self.waiting = False
        matches.move_to(self.ws)
        self._show_matches(self._wanted, matches, rows)

    def _not_found(self, _error: BaseException) -> None:
        """The worker could not read: search here (which reports a damaged file)."""
        if self.waiting and self.searching:
            self.searching = self.waiting = False
            self._show_matches(self._wanted)

    def _show_matches(self, wanted: int, matches: Matches | None = None,
                      first_page: list[RowTuple] | None = None) -> None:
        """Reset to the contacts matching the query, loading the first ``wanted`` rows.

        While a search's matches are still being found, at most a page is loaded (a
        reload keeping thousands of rows loaded would walk far).
        """
        if matches is None:
            matches = self.search.matches(self.query, min(wanted, PAGE))
        if not matches.complete:
            wanted = min(wanted, PAGE)
        self._show(matches.ids, wanted, matches=matches, first_page=first_page)

    def _show(self, ids: np.ndarray, wanted: int, first_page_only: bool = False,
              matches: Matches | None = None,
              first_page: list[RowTuple] | None = None) -> None:
        """Reset to the contacts ``ids``, offering the first ``wanted`` rows.

        ``first_page_only``: ``ids`` are the first of more, how many is not known yet.

        ``first_page``: the rows of the first ids, read already (the rest of their page
        is read when the table shows it).
        """
        self.beginResetModel()
        self.ids, self._first_page_only, self._shown = ids, first_page_only, self.query
        self._matches, self._taken = matches, len(ids)
        self._find_more(wanted)
        self._shown_rows = min(wanted, len(self.ids))
        self._pages.clear()
        if first_page:
            self._pages[0] = first_page
        self.endResetModel()

    def row_tuple(self, row: int) -> RowTuple:
        """The fields of table row ``row`` (see ``contacts.ROW_FIELDS``), read if need be.

        Its page is read when first asked for; the least recently used pages beyond
        :data:`KEEP_PAGES` are forgotten. A contact deleted since the query ran shows
        as a row without a name until the next reload.
        """
        number = row // CACHE_PAGE
        page = self._pages.get(number)
        if page is None or row - number * CACHE_PAGE >= len(page):
            page = self._read_page(number)
            self._pages[number] = page
            while len(self._pages) > KEEP_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[row - number * CACHE_PAGE]

    def _read_page(self, number: int) -> list[RowTuple]:
        return page_rows(self.ws, self.ids[number * CACHE_PAGE: (number + 1) * CACHE_PAGE])

    def row_of(self, contact_id: int, reach: int = 2000) -> int | None:
        """The model row of a contact, offering the rows up to it.

        None if it does not match, or lies more than ``reach`` rows beyond those offered.
        """
        found = np.flatnonzero(self.ids == contact_id)
        if not len(found):
            return None
        position = int(found[0])
        if position >= self._shown_rows + reach:
            return None
        while position >= self._shown_rows and self.canFetchMore():
            self.fetchMore()
        return position if position < self._shown_rows else None

    def update_contact(self, contact_id: int) -> bool:
        """Re-read one row in place; False when the table lacks it or it no longer exists."""
        found = np.flatnonzero(self.ids[: self._shown_rows] == contact_id)
        if not len(found):
            return False
        position = int(found[0])
        fresh = contacts.row_tuples_for_ids(self.ws, [contact_id])
        if not fresh:
            return False
        page = self._pages.get(position // CACHE_PAGE)
        if page is not None:
            page[position % CACHE_PAGE] = fresh[0]
        self.dataChanged.emit(self.index(position, 0),
                              self.index(position, self.columnCount() - 1))
        return True

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """True while rows remain unloaded (or matches remain to be found)."""
        return not parent.isValid() and (self._shown_rows < len(self.ids) or not (
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
        """Offer the next page of rows (a smaller one while matches are being found)."""
        if parent.isValid():
            return
        start = self._shown_rows
        page = PAGE if self.total_exact else FINDING_PAGE
        self._find_more(start + page)
        more = min(page, len(self.ids) - start)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), start, start + more - 1)
        self._shown_rows += more
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows offered so far."""
        return 0 if parent.isValid() else self._shown_rows

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, from the page of rows read for it."""
        if role not in _ANSWERED or not index.isValid():  # fonts, colours, sizes… (most asks)
            return None
        row = self.row_tuple(index.row())  # the fields of contacts.ROW_FIELDS
        column = index.column()
        if role == DISPLAY:
            if column == COL_FOLLOW_UP:
                return day_text(row[ROW_FOLLOW_UP]) if row[ROW_FOLLOW_UP] else ""
            if column == COL_AUDIENCE:
                return compact(row[ROW_AUDIENCE]) if row[ROW_AUDIENCE] else ""
            return row[_FIELD_OF_COLUMN[column]]
        if role == ROW_ROLE:
            return contact_row(row)
        if role == ALIGNMENT:
            return RIGHT if column == COL_AUDIENCE else None
        if column == COL_AUDIENCE and row[ROW_AUDIENCE]:  # the tooltip
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


# The roles data() answers: the others (asked for every cell painted or measured) at once.
_ANSWERED = frozenset((DISPLAY, int(ROW_ROLE), ALIGNMENT, TOOLTIP))
