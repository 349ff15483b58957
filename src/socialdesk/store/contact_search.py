"""Search as you type over many contacts: matching ids in table order, fast.

Sorting every match in SQL costs more than finding them (for a one-letter prefix over
100k contacts, SQLite reads tens of thousands of names to sort them). So the order of
every contact for a sort key is read once into a rank array, and each search only runs
the full-text query (or the filters) and orders the ids it returns by rank with numpy.
The ranks are read again whenever the workspace changed since they were read: a write
on this connection (``total_changes``) or a commit by another (``PRAGMA data_version``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


from socialdesk.store import contacts
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.workspace import Workspace


class ContactSearch:
    """Finds the contacts matching a query, in the query's sort order."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._ranks: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = {}
        self._version: tuple[int, int] | None = None

    def _current_version(self) -> tuple[int, int]:
        data_version = self.ws.conn.execute("PRAGMA data_version").fetchone()[0]
        return int(data_version), self.ws.conn.total_changes

    def invalidate(self) -> None:
        """Forget the cached orders (they are read again on the next search)."""
        self._ranks.clear()
        self._version = None

    def _order(self, sort: str, descending: bool) -> tuple[np.ndarray, np.ndarray]:
        """Every contact id in sort order, and each id's position in that order."""
        version = self._current_version()
        if version != self._version:
            self._ranks.clear()
            self._version = version
        key = (sort, descending)
        if key not in self._ranks:
            import numpy as np  # imported on first search, not at startup

            order = np.fromiter(contacts.sorted_ids(self.ws, sort, descending), dtype=np.int64)
            rank = np.zeros(int(order.max()) + 1 if len(order) else 1, dtype=np.int64)
            rank[order] = np.arange(len(order), dtype=np.int64)
            self._ranks[key] = (order, rank)
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
