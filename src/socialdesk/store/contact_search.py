"""Search as you type over many contacts: matching ids in table order, fast.

Sorting every match in SQL costs more than finding them (for a one-letter prefix over
100k contacts, SQLite reads tens of thousands of names to sort them). So the order of
every contact for a sort key is read once into a rank array, and each search only runs
the full-text query (or the filters) and orders the ids it returns by rank with numpy.
The ranks are read again whenever the workspace changed since they were read: a write
on this connection (``total_changes``) or a commit by another (``PRAGMA data_version``).

Reading an order takes tens of milliseconds on a large workspace (up to ~200 ms for the
e-mail order), so a window reads it on a worker thread with :func:`read_order` and hands
it over with :meth:`ContactSearch.add_order`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


from socialdesk.store import contacts
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.workspace import Workspace

Version = tuple[int, int]


def read_order(path: Path, sort: str, descending: bool) -> np.ndarray:
    """Every contact id in a sort order, read on a read-only connection of its own.

    Safe on a worker thread; pair it with the :meth:`ContactSearch.version` taken
    before it started.
    """
    with Workspace.open_readonly(path) as ws:
        return contacts.sorted_ids(ws, sort, descending)


class ContactSearch:
    """Finds the contacts matching a query, in the query's sort order."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._ranks: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = {}
        self._version: Version | None = None

    def _current_version(self) -> Version:
        return self.ws.data_version(), self.ws.conn.total_changes

    def version(self) -> Version:
        """What the workspace looks like now: it changes with every write or commit.

        Forgets the cached orders when it changed since they were read.
        """
        version = self._current_version()
        if version != self._version:
            self._ranks.clear()
            self._version = version
        return version

    def invalidate(self) -> None:
        """Forget the cached orders (they are read again on the next search)."""
        self._ranks.clear()
        self._version = None

    def has_order(self, sort: str, descending: bool) -> bool:
        """True when the order for this sort is cached and current (a search needs no read)."""
        self.version()
        return (sort, descending) in self._ranks

    def add_order(self, sort: str, descending: bool, order: np.ndarray, version: Version) -> bool:
        """Cache an order read elsewhere (:func:`read_order`) at ``version``.

        False (and nothing cached) when the workspace changed since: the order may be stale.
        """
        if self.version() != version:
            return False
        self._ranks[(sort, descending)] = _with_ranks(order)
        return True

    def _order(self, sort: str, descending: bool) -> tuple[np.ndarray, np.ndarray]:
        """Every contact id in sort order, and each id's position in that order."""
        key = (sort, descending)
        if not self.has_order(sort, descending):
            self._ranks[key] = _with_ranks(contacts.sorted_ids(self.ws, sort, descending))
        return self._ranks[key]

    def ids(self, query: ContactQuery) -> np.ndarray:
        """The ids of the contacts matching ``query``, in its sort order."""
        order, rank = self._order(query.sort, query.descending)
        if not query.filtered:
            return order
        import numpy as np

        found = np.fromiter(contacts.matching_ids(self.ws, query), dtype=np.int64)
        found = found[found < len(rank)]  # guards a commit racing the version check
        return found[np.argsort(rank[found], kind="stable")]


def _with_ranks(order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``order`` and each id's position in it (indexed by id)."""
    import numpy as np  # imported on first search, not at startup

    rank = np.zeros(int(order.max()) + 1 if len(order) else 1, dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return order, rank
