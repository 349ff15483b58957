"""A temporary SQLite file that holds the rows of a file under review, in reading order.

An import read for review (preview, duplicates, the user's decisions) keeps its rows here
rather than in memory, so reviewing a file of any size takes the same memory. Rows are
opaque blobs numbered from 0; the file is deleted when the stage is closed or forgotten.
Each call opens its own connection, so the stage can be filled on one thread and read
on others.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class BlobStage:
    """Numbered blobs in a temporary file (``count`` of them)."""

    def __init__(self) -> None:
        handle, name = tempfile.mkstemp(prefix="socialdesk-import-", suffix=".sqlite")
        os.close(handle)
        self.path = Path(name)
        self.count = 0
        self._finalizer = weakref.finalize(self, _remove, self.path)
        with closing(self._connect()) as conn:
            conn.execute("CREATE TABLE rows (position INTEGER PRIMARY KEY, data BLOB)")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        return conn

    def extend(self, blobs: Iterable[bytes]) -> None:
        """Add blobs after those already there."""
        rows = [(self.count + n, blob) for n, blob in enumerate(blobs)]
        with closing(self._connect()) as conn, conn:
            conn.executemany("INSERT INTO rows (position, data) VALUES (?, ?)", rows)
        self.count += len(rows)

    def read(self, start: int, stop: int) -> list[bytes]:
        """The blobs numbered ``start`` up to (not including) ``stop``."""
        with closing(self._connect()) as conn:
            return [row[0] for row in conn.execute(
                "SELECT data FROM rows WHERE position >= ? AND position < ? ORDER BY position",
                (start, stop))]

    def pages(self, size: int = 5000) -> Iterator[list[bytes]]:
        """Every blob in order, ``size`` at a time."""
        for start in range(0, self.count, size):
            yield self.read(start, start + size)

    def close(self) -> None:
        """Delete the file (the stage is empty afterwards)."""
        self.count = 0
        self._finalizer()
