"""The contacts search as it runs on its own worker lane (:func:`search_pool`).

:func:`find_for` runs there with a read-only connection kept open per thread
(:func:`reader_for`) and returns the matches with the rows of their first screenful
(:data:`Found`); :func:`page_rows` reads rows by id, here and for the table model.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QThreadPool

from socialdesk.qt.workers import Task, lane, run_task
from socialdesk.store import contacts
from socialdesk.store.contact_search import Matches, Ranked, Version, find_matches
from socialdesk.store.contacts import ROW_ID, ContactQuery, RowTuple
from socialdesk.store.workspace import Workspace

FIRST_PAGE = 50  # a screenful (the view asks for more when it is taller)


def search_pool() -> QThreadPool:
    """The thread searches run on (not niced: a search is partly Python, see workers.py).

    Kept for good: its connection (:func:`reader_for`) belongs to it.
    """
    pool = lane("contacts search")
    pool.setExpiryTimeout(-1)
    return pool


# Each search thread's connection and the model it is for, by thread (a thread Qt started
# gets a new Python thread state for every job, so a threading.local would not keep it).
_readers: dict[int, tuple[int, Workspace]] = {}


def reader_for(owner: int, path: Path) -> Workspace:
    """Worker: this thread's read-only connection for model ``owner``, opened once.

    One is kept per thread (the search lane's): another model's replaces it.
    """
    kept = _readers.get(threading.get_ident())
    if kept is not None and kept[0] == owner:
        return kept[1]
    close_reader()
    ws = Workspace.open_readonly(path)
    _readers[threading.get_ident()] = (owner, ws)
    return ws


def close_reader(owner: int | None = None) -> None:
    """Worker: close this thread's connection (only model ``owner``'s, when given)."""
    kept = _readers.get(threading.get_ident())
    if kept is not None and owner in (None, kept[0]):
        del _readers[threading.get_ident()]
        kept[1].close()


def forget_reader(owner: int) -> None:
    """Close model ``owner``'s connection on the search thread (the model is gone)."""
    with contextlib.suppress(RuntimeError):  # the pool went first: the app is quitting
        run_task(Task(), lambda _progress: close_reader(owner), search_pool())


Found = tuple[ContactQuery, Version, Matches, list["RowTuple"]]  # a search's answer


def find_for(owner: int, path: Path, query: ContactQuery, ranked: Ranked, wanted: int,
             read_at_most: int, version: Version) -> Found:
    """Worker: the matches of ``query`` and the rows of their first screenful."""
    ws = reader_for(owner, path)
    matches = find_matches(ws, query, ranked, wanted, read_at_most)
    return query, version, matches, page_rows(ws, matches.ids[:FIRST_PAGE])


def page_rows(ws: Workspace, ids: np.ndarray) -> list[RowTuple]:
    """The rows of contacts ``ids``, in that order (a deleted one as :func:`_gone`)."""
    found = {row[ROW_ID]: row for row in contacts.row_tuples_for_ids(ws, ids)}
    return [found.get(cid) or _gone(cid) for cid in ids.tolist()]


def _gone(contact_id: int) -> RowTuple:
    """The fields of a contact deleted since the query ran: its id, nothing else."""
    return (contact_id, "", "", "", "", "", "", None, 0)
