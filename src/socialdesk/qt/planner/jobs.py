"""Background work for the planner where only the latest request matters.

Each :class:`LatestJob` has its own one-thread pool: requests run one after another,
a new request drops the ones still waiting, and an answer that arrives after a newer
request was made is ignored. Answers are delivered on the GUI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from socialdesk.core.gc_pause import collection_paused


class _Carrier(QObject):
    """Carries a job's answer to the GUI thread (no parent: it may outlive the view)."""

    done = Signal(int, object, object)  # token, result, error


class _Job(QRunnable):
    def __init__(self, token: int, work: Callable[[], Any], carrier: _Carrier) -> None:
        super().__init__()
        self.token, self.work, self.carrier = token, work, carrier

    def run(self) -> None:
        try:
            with collection_paused():  # a full GC pass here would freeze the window
                result, error = self.work(), None
        except Exception as exc:  # handed to the GUI thread
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the view closed meanwhile
            self.carrier.done.emit(self.token, result, error)


class LatestJob(QObject):
    """Runs work off the GUI thread and reports only the latest request's answer."""

    finished = Signal(object)  # the work's result
    failed = Signal(object)  # the exception it raised

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)  # keep the thread: no start-up cost per request
        self.token = 0
        self.pending = False
        self._carrier = _Carrier()
        self._carrier.done.connect(self._done)

    def start(self, work: Callable[[], Any]) -> None:
        """Run ``work()`` after whatever runs now; earlier waiting requests are dropped."""
        self.token += 1
        self.pending = True
        self.pool.clear()
        self.pool.start(_Job(self.token, work, self._carrier))

    def cancel(self) -> None:
        """Forget every request made so far (a running one finishes unheard)."""
        self.token += 1
        self.pending = False
        self.pool.clear()

    def wait(self, msecs: int = -1) -> bool:
        """Block until no work runs (for closing and tests); False on timeout."""
        return self.pool.waitForDone(msecs)

    def _done(self, token: int, result: object, error: object) -> None:
        if token != self.token:
            return
        self.pending = False
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)
