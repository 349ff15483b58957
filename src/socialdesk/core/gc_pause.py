"""No full garbage collection while a worker thread builds big results.

A full collection stops every thread, the GUI's too, for as long as it takes to walk
every object the app made; a worker that allocates hundreds of thousands of objects (an
import, the partners list, the planner's inputs) sets one off in the middle of its work,
and on the large demo that froze the window for 70–160 ms. Inside
:func:`collection_paused` full collections are put off; the young generations are still
collected as usual (a millisecond at a time), so reference cycles among new objects are
still found.

On the way out, what survived (the job's result, mostly) is frozen out of later
collections (``gc.freeze``, as startup's objects are): otherwise the first full
collection afterwards would walk it all at once. Reference counting still frees it when
it is dropped; only cycles that outlive the job are never collected, and the app's
workers make few.

Reference counting has a pause of its own: dropping the last reference to a structure of
millions of objects frees them all in one go, holding the interpreter lock throughout
(an export's 200,000 posts: ~0.4 s during which the GUI thread cannot run Python).
:func:`free_in_parts` frees a big list a part at a time instead.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

NEVER = 1 << 30  # a full-collection threshold no job reaches


class _Pauses:
    """How many jobs are inside, and the thresholds to restore after the last."""

    lock = threading.Lock()
    depth = 0
    thresholds: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def collection_paused() -> Iterator[None]:
    """No full collection inside (nested and concurrent uses are counted)."""
    with _Pauses.lock:
        if _Pauses.depth == 0:
            first, second, _ = _Pauses.thresholds = gc.get_threshold()
            gc.set_threshold(first, second, NEVER)
        _Pauses.depth += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.depth -= 1
            if _Pauses.depth == 0:
                gc.freeze()  # cheap: moves the tracked objects aside, examines none
                gc.set_threshold(*_Pauses.thresholds)


FREE_PART = 5000  # items freed at once by free_in_parts


def free_in_parts(items: list[object]) -> None:
    """Empty ``items`` a part at a time, between which other threads may take the lock.

    The caller hands over a list holding the last references to its objects (copy a
    tuple into one and drop the tuple first); the list is left empty.
    """
    while items:
        del items[-FREE_PART:]
