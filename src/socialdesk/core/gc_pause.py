"""Pausing Python's cyclic garbage collector while a worker thread builds big results.

A full collection stops every thread, the GUI's too, for as long as it takes to scan
every object; a worker that allocates hundreds of thousands of objects (an import, the
partners list) sets one off in the middle of its work, and on the large demo that froze
the window for 70–160 ms. Reference counting still frees the worker's objects as usual;
only the search for reference cycles waits until no worker needs the pause.

What was made meanwhile and is still alive (the job's result, mostly) is then frozen out
of later collections (``gc.freeze``), as startup's objects are: otherwise the first
collection after the pause would scan it all at once and freeze the window the same.
Reference counting still frees it when dropped; only reference cycles made during the
pause stay uncollected, and the app's workers make few.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pausing = 0
_was_enabled = True


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic cyclic collection inside (nested and concurrent uses are counted)."""
    global _pausing, _was_enabled
    with _lock:
        if _pausing == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if _pausing == 0 and _was_enabled:
                gc.freeze()
                gc.enable()
