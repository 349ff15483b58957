"""Reading thousands of rows on a worker thread without a full garbage collection.

Building thousands of row objects trips CPython's full collection, which walks every
object the app made since startup while holding the interpreter lock — the window stops
for tens of milliseconds. :func:`no_full_collections` keeps the collector off while a
worker builds its rows, then freezes them (they hold no cycles, so reference counting
still frees them when they are replaced) and turns it back on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": True}


@contextmanager
def no_full_collections() -> Iterator[None]:
    """Collect nothing while the block builds rows; freeze what it built on the way out."""
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0:
                gc.collect(1)  # the young generations only: a few milliseconds
                gc.freeze()
                if _state["was_enabled"]:
                    gc.enable()
