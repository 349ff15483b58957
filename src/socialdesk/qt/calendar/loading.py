"""Reading the calendar's ranges (months, weeks) on a worker thread, ahead of need.

On a big workspace a month with its repeats takes some 20–40 ms to read: the calendar
reads the one it opens on, and the ones either side of what it shows, on the thread pool
with a read-only connection of their own, so paging to them takes no reading at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from socialdesk.core.gc_pause import collection_paused
from socialdesk.core.recurrence import posts_in_range
from socialdesk.store import posts
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

Range = tuple[date, date]


class RangeLoader(QObject):
    """Carries ranges read on a worker thread to the GUI thread."""

    loaded = Signal(int, object)  # generation, {(first, last): [PostRow, …]}, one at a time


class RangeLoad(QRunnable):
    """Reads the posts of some ranges, repeats included, on its own read-only connection."""

    def __init__(self, path: Path, generation: int, ranges: Sequence[Range],
                 loader: RangeLoader) -> None:
        super().__init__()
        self.path, self.generation, self.ranges, self.loader = (
            path, generation, list(ranges), loader)

    def run(self) -> None:
        """Read the ranges in order, handing each over as soon as it is read."""
        try:
            with collection_paused(), Workspace.open_readonly(self.path) as ws:
                repeating = posts.repeating_records(ws) if len(self.ranges) > 1 else None
                for first, last in self.ranges:
                    rows = posts_in_range(ws, first, last, repeating)
                    try:
                        self.loader.loaded.emit(self.generation, {(first, last): rows})
                    except RuntimeError:
                        return  # the view has gone
        except (WorkspaceError, sqlite3.Error):
            return  # the GUI's own reads report a damaged workspace
