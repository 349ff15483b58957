"""Reading the calendar's ranges (months, weeks) on a worker thread, ahead of need.

On a big workspace a month with its repeats takes from some 30 ms (20,000 posts) to most of
a second (200,000): the calendar reads the range it shows (:func:`read_period`, through a
``LatestJob``: paging fast reads only the last period asked for) and the ones either side
of it (:class:`RangeCache`) on worker threads with a read-only connection of their own, so
paging to a neighbour takes no reading at all. Ranges read ahead for a calendar the user
left are put off until it shows again (:class:`~socialdesk.qt.workers.Presence`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from socialdesk.core.calendar.recurrence import posts_in_range
from socialdesk.qt.calendar.periods import Range
from socialdesk.qt.workers import Presence, Task, reads_pool, run_task
from socialdesk.store import posts
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import PostRow
from socialdesk.store.workspace import Workspace

# Between steps of work spread over the event loop. Not 0: a zero single-shot is a posted
# event, and posted events posted while they are handled run in the same pass, so a chain
# of them holds the window as long as doing it all at once.
STEP_MS = 1
CACHED_RANGES = 12  # months or weeks kept once read


@dataclass(frozen=True, slots=True)
class Period:
    """What a worker read for the calendar: a range's posts and, for the agenda, the ideas."""

    generation: int  # the :attr:`RangeCache.generation` it was read for
    key: Range
    rows: list[PostRow] | None  # None: not asked for (already read)
    ideas: list[PostRow] | None  # None: not asked for


def read_period(path: Path, generation: int, key: Range, rows: bool,
                ideas: int | None) -> Period:
    """Worker: the posts of ``key`` (if ``rows``) and the newest ``ideas`` undated posts."""
    with Workspace.open_readonly(path) as ws:
        return Period(generation, key, posts_in_range(ws, *key) if rows else None,
                      None if ideas is None else posts.unscheduled_posts(ws, limit=ideas))


class RangeLoader(Task):
    """Carries ranges read on a worker thread to the GUI thread, one at a time."""

    loaded = Signal(int, object)  # generation, {(first, last): [PostRow, …]}
    put_off = Signal(int, object)  # generation, [(first, last), …] not read: the view was left


def read_ranges(path: Path, generation: int, ranges: Sequence[Range],
                loader: RangeLoader, left: threading.Event | None = None) -> None:
    """Worker: read ``ranges`` (repeats included) in order, handing each over when read.

    Once ``left`` is set (the user left the calendar) the ranges not read yet are handed
    back unread.
    """
    try:
        if left is not None and left.is_set():
            loader.put_off.emit(generation, list(ranges))
            return
        with Workspace.open_readonly(path) as ws:
            repeating = posts.repeating_records(ws) if len(ranges) > 1 else None
            for at, (first, last) in enumerate(ranges):
                if left is not None and left.is_set():
                    loader.put_off.emit(generation, list(ranges[at:]))
                    return
                rows = posts_in_range(ws, first, last, repeating)
                try:
                    loader.loaded.emit(generation, {(first, last): rows})
                except RuntimeError:
                    return  # the view has gone
    except (WorkspaceError, sqlite3.Error):
        return  # the GUI's own reads report a damaged workspace


class RangeCache(QObject):
    """The posts of the ranges read so far, for the workspace as it is now.

    :meth:`fetch` reads ranges on a worker thread; each one read for the current state of
    the workspace arrives through ``arrived``. :meth:`forget` drops everything when the
    workspace changed (reads under way then arrive unheard). With a widget for ``parent``
    (the calendar), ranges whose turn comes once the user left it are read when it shows
    again.
    """

    arrived = Signal(object, object)  # range, [PostRow, …]

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.generation = 0  # bumped whenever what was read may be out of date
        self._rows: dict[Range, list[PostRow]] = {}  # oldest read first
        self._pending: set[Range] = set()  # being read on a worker thread
        self._put_off: list[Range] = []  # to read once the calendar shows again
        self._loader = RangeLoader(self)
        self._loader.loaded.connect(self._loaded)
        self._loader.put_off.connect(self._was_put_off)
        self.presence = Presence.of(parent) if isinstance(parent, QWidget) else None
        if self.presence is not None:
            self.presence.returned.connect(self._returned)

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, key: Range) -> list[PostRow] | None:
        """The posts of ``key`` if they were read, else None."""
        return self._rows.get(key)

    def missing(self, key: Range) -> bool:
        """Neither read nor being read."""
        return key not in self._rows and key not in self._pending

    def remember(self, key: Range, rows: list[PostRow]) -> None:
        """Keep the posts read for ``key`` (the oldest read go past ``CACHED_RANGES``)."""
        self._rows[key] = rows
        while len(self._rows) > CACHED_RANGES:
            del self._rows[next(iter(self._rows))]

    def forget(self) -> None:
        """Drop what was read (the workspace changed); reads under way are ignored."""
        self.generation += 1
        self._rows.clear()
        self._pending.clear()
        self._put_off.clear()

    def fetch(self, ranges: list[Range]) -> None:
        """Read ``ranges`` on a worker thread."""
        if not ranges:
            return
        self._pending.update(ranges)
        path, generation, loader, wanted = self.path, self.generation, self._loader, list(ranges)
        left = self.presence.left if self.presence is not None else None
        run_task(loader, lambda _progress: read_ranges(path, generation, wanted, loader, left),
                 reads_pool())

    def _was_put_off(self, generation: int, ranges: list[Range]) -> None:
        if generation != self.generation:
            return
        self._pending.difference_update(ranges)
        self._put_off.extend(ranges)

    def _returned(self) -> None:
        """The calendar shows again: read what was put off and is still missing."""
        wanted = [key for key in dict.fromkeys(self._put_off) if self.missing(key)]
        self._put_off.clear()
        self.fetch(wanted)

    def _loaded(self, generation: int, found: dict[Range, list[PostRow]]) -> None:
        if generation != self.generation:  # the workspace changed since: read again
            return
        for key, rows in found.items():
            self._pending.discard(key)
            self.remember(key, rows)
            self.arrived.emit(key, rows)
