"""Search as you type over many contacts: matching ids in table order, fast.

Sorting every match in SQL costs more than finding them (for a one-letter prefix over
100k contacts, SQLite reads tens of thousands of names to sort them). So the order of
every contact for a sort key is read once into a rank array, and each search only runs
the full-text query (or the filters) and orders the ids it returns by rank with numpy.
The ranks are read again whenever the workspace changed since they were read: a write
on this connection (``total_changes``) or a commit by another (``PRAGMA data_version``).

Reading an order takes tens of milliseconds on a large workspace (up to ~200 ms for the
e-mail order), so a window reads it on a worker thread with :func:`read_order` and hands
it over with :meth:`ContactSearch.add_order`. A search itself (30–45 ms over a million
contacts) runs on a worker too: :func:`find_matches` on the worker's own connection with
the order the window holds (:meth:`ContactSearch.order_of`).

A search is bounded (:meth:`ContactSearch.matches`): reading every match of a one-letter
prefix over a million contacts takes longer than a keystroke may (~400k ids, 100+ ms),
and so does reading every contact of a kind, stage or tag. The full-text index first
counts the matches up to :data:`READ_AT_MOST` (a filter reads that many ids and one
more); that many or fewer are read at once and ordered by rank. More than that means at
least one contact in ``N / READ_AT_MOST`` matches, so the matches are found by walking
the sort order and asking the index (or the filters) about a chunk of ids at a time, only
as far as the table shows (:meth:`Matches.find`): a first page costs a few hundred
look-ups whatever the size.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


from socialdesk.store import contacts
from socialdesk.store.contacts import ContactQuery, fts_expression
from socialdesk.store.workspace import Workspace

Version = tuple[int, int]

# Matches read at once; beyond, they are found in sort order as the table needs them.
READ_AT_MOST = 100_000
FIRST_CHUNK = 128  # ids asked about in a walk's first look-up, doubling up to:
LAST_CHUNK = 2048


Ranked = tuple["np.ndarray", "np.ndarray"]  # ids in a sort order, each id's position


def read_order(path: Path, sort: str, descending: bool) -> Ranked:
    """Every contact id in a sort order and each id's position in it (own connection).

    Safe on a worker thread (the positions are worked out there too: ~10–20 ms for a
    million contacts); pair it with the :meth:`ContactSearch.version` taken before it
    started.
    """
    with Workspace.open_readonly(path) as ws:
        return _with_ranks(contacts.sorted_ids(ws, sort, descending))


class ContactSearch:
    """Finds the contacts matching a query, in the query's sort order."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._ranks: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = {}
        self._version: Version | None = None
        self.read_at_most = READ_AT_MOST

    def _current_version(self) -> Version:
        return self.ws.write_mark()

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

    def add_order(self, sort: str, descending: bool, ranked: Ranked, version: Version) -> bool:
        """Cache an order read elsewhere (:func:`read_order`) at ``version``.

        False (and nothing cached) when the workspace changed since: the order may be stale.
        """
        if self.version() != version:
            return False
        self._ranks[(sort, descending)] = ranked
        return True

    def order_of(self, sort: str, descending: bool) -> Ranked | None:
        """The cached order for this sort (None when not read or stale): a worker may use it."""
        return self._ranks.get((sort, descending)) if self.has_order(sort, descending) else None

    def _order(self, sort: str, descending: bool) -> tuple[np.ndarray, np.ndarray]:
        """Every contact id in sort order, and each id's position in that order."""
        key = (sort, descending)
        if not self.has_order(sort, descending):
            self._ranks[key] = _with_ranks(contacts.sorted_ids(self.ws, sort, descending))
        return self._ranks[key]

    def matches(self, query: ContactQuery, wanted: int) -> Matches:
        """The contacts matching ``query`` in its sort order: at least ``wanted`` found.

        Every match when there are at most :attr:`read_at_most` (``complete``); else the
        first ones, and :meth:`Matches.find` finds more.
        """
        if not query.filtered:
            ids = self.ids(query)
            return Matches(ids, len(ids), complete=True)
        return find_matches(self.ws, query, self._order(query.sort, query.descending),
                            wanted, self.read_at_most)

    def ids(self, query: ContactQuery) -> np.ndarray:
        """The ids of every contact matching ``query``, in its sort order."""
        order, rank = self._order(query.sort, query.descending)
        if not query.filtered:
            return order
        import numpy as np

        found = np.fromiter(contacts.matching_ids(self.ws, query), dtype=np.int64)
        return _ordered(found, order, rank)


def find_matches(ws: Workspace, query: ContactQuery, ranked: Ranked, wanted: int,
                 read_at_most: int = READ_AT_MOST) -> Matches:
    """The contacts matching a filtered ``query``, ordered by ``ranked`` (its sort's order).

    What :meth:`ContactSearch.matches` runs, on any connection: a worker thread passes
    its own and an order the GUI thread holds (:meth:`ContactSearch.order_of`), then
    hands the result back (:meth:`Matches.move_to`).
    """
    expression = fts_expression(query.text)
    order, rank = ranked
    limit = read_at_most
    if query.kind or query.stage or query.tag:  # filters, and maybe a text
        found = contacts.first_matching_ids(ws, query, limit + 1)
        sql, params = contacts.among_ids_sql(query)
        if len(found) <= limit:
            found = _ordered(found, order, rank)
            return Matches(found, len(found), complete=True)
    else:
        assert expression is not None  # filtered, and no filter: a text
        counted = int(ws.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM contacts_fts WHERE contacts_fts MATCH ? "
            "LIMIT ?)", (expression, limit + 1)).fetchone()[0])
        if counted <= limit:
            found = _ordered(_fts_ids(ws, expression), order, rank)
            return Matches(found, len(found), complete=True)
        sql, params = ("SELECT rowid FROM contacts_fts WHERE rowid IN (SELECT value FROM "
                       "json_each(?)) AND contacts_fts MATCH ?", [expression])
    import numpy as np

    walk = Matches(np.zeros(0, dtype=np.int64), limit, complete=False,
                   ws=ws, sql=sql, params=params, order=order)
    walk.find(wanted)
    return walk


class Matches:
    """The contacts matching a search or filter, in sort order, found as far as asked.

    ``ids`` are those found so far; ``complete`` once they are every match. ``at_least``
    is how many match: exact when complete, else a lower bound (the index's count up to
    its limit, or the ids found, whichever is more).
    """

    def __init__(self, ids: np.ndarray, at_least: int, *, complete: bool,
                 ws: Workspace | None = None, sql: str = "", params: Sequence[object] = (),
                 order: np.ndarray | None = None) -> None:
        self.ids = ids
        self.complete = complete
        self._counted = at_least
        self._ws, self._order = ws, order
        self._sql, self._params = sql, list(params)  # matches among a JSON list of ids (first)
        self._next = 0  # where in the order the walk goes on
        self._chunk = FIRST_CHUNK

    def move_to(self, ws: Workspace) -> None:
        """Find further matches on ``ws`` (the GUI thread's, after a worker found the first)."""
        if self._ws is not None:
            self._ws = ws

    @property
    def at_least(self) -> int:
        """How many contacts match (exact once ``complete``)."""
        return len(self.ids) if self.complete else max(self._counted, len(self.ids))

    def _chunk_for(self, missing: int, have: int) -> int:
        """How many ids to ask about next to find ``missing`` more (``have`` found so far).

        As many as the share of matches among the ids seen says, and a quarter more,
        between :data:`FIRST_CHUNK` and :data:`LAST_CHUNK`; twice the last chunk while
        none was found yet.
        """
        if not have:
            self._chunk = min(self._chunk * 2, LAST_CHUNK) if self._next else FIRST_CHUNK
            return self._chunk
        share = have / self._next
        return int(min(max(missing / share * 1.25, FIRST_CHUNK), LAST_CHUNK))

    def find(self, wanted: int) -> None:
        """Walk the sort order until ``wanted`` matches are found, or every one is."""
        if self.complete or self._ws is None or self._order is None:
            return
        import numpy as np

        order, found = self._order, [self.ids]
        have = len(self.ids)
        cursor = self._ws.conn.cursor()
        cursor.row_factory = None
        while have < wanted and self._next < len(order):
            chunk = order[self._next: self._next + self._chunk_for(wanted - have, have)]
            self._next += len(chunk)
            hits = np.fromiter((row[0] for row in cursor.execute(
                self._sql, [json.dumps(chunk.tolist()), *self._params])), dtype=np.int64)
            kept = chunk[_among(chunk, hits)]
            found.append(kept)
            have += len(kept)
        self.ids = np.concatenate(found)
        self.complete = self._next >= len(order)


def _among(ids: np.ndarray, found: np.ndarray) -> np.ndarray:
    """Which of ``ids`` are in ``found``, as a mask (``np.isin`` imports ``numpy.ma``)."""
    import numpy as np

    if not len(found):
        return np.zeros(len(ids), dtype=bool)
    found = np.sort(found)
    at = np.minimum(np.searchsorted(found, ids), len(found) - 1)
    mask: np.ndarray = found[at] == ids
    return mask


def _fts_ids(ws: Workspace, expression: str) -> np.ndarray:
    """Every contact id the full-text ``expression`` matches (one string, no row objects)."""
    return contacts.ids_from_text(ws.conn.execute(
        "SELECT group_concat(rowid) FROM contacts_fts WHERE contacts_fts MATCH ?",
        (expression,)).fetchone()[0])


def _ordered(found: np.ndarray, order: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """``found`` ids in sort order: their positions in ``order``, sorted (not argsorted).

    Ids the order does not hold (a commit racing the version check) are left out.
    """
    import numpy as np

    found = found[found < len(rank)]
    positions = rank[found]
    known = order[positions] == found
    ordered: np.ndarray = order[np.sort(positions[known])]
    return ordered


def _with_ranks(order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``order`` and each id's position in it (indexed by id)."""
    import numpy as np  # imported on first search, not at startup

    rank = np.zeros(int(order.max()) + 1 if len(order) else 1, dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return order, rank
