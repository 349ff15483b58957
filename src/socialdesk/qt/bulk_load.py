"""Reading thousands of rows on a worker thread without a full garbage collection.

Building thousands of row objects trips CPython's full collection, which walks every
object the app made since startup while holding the interpreter lock — the window stops
for tens of milliseconds. :func:`no_full_collections` puts full collections off while a
worker builds its rows (the young generations are still collected as usual, a
millisecond at a time), then freezes what survived: the rows hold no cycles, so
reference counting still frees them when they are replaced.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

NEVER = 1 << 30  # a full-collection threshold no load reaches

class _Loads:
    """How many loads are building rows, and the thresholds to restore after the last."""

    lock = threading.Lock()
    depth = 0
    thresholds: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def no_full_collections() -> Iterator[None]:
    """No full collection while the block builds rows; freeze what it built on the way out."""
    with _Loads.lock:
        if _Loads.depth == 0:
            first, second, _ = _Loads.thresholds = gc.get_threshold()
            gc.set_threshold(first, second, NEVER)
        _Loads.depth += 1
    try:
        yield
    finally:
        with _Loads.lock:
            _Loads.depth -= 1
            if _Loads.depth == 0:
                gc.freeze()  # cheap: moves the tracked objects aside, examines none
                gc.set_threshold(*_Loads.thresholds)
