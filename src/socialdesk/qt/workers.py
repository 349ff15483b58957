"""Work on a worker thread with its result handed back to the GUI thread.

:func:`start_on_worker` returns at once and calls ``done`` later (loads, backups);
:func:`run_and_wait` waits behind a progress dialog (restores, the backup on close).
Cancellable work with progress goes through :mod:`socialdesk.qt.background`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from socialdesk.core.gc_pause import collection_paused


class Outcome(QObject):
    """Carries a worker's result (or exception) to the GUI thread; keep it while it runs."""

    finished = Signal(object, object)  # result, exception


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], outcome: Outcome) -> None:
        super().__init__()
        self.work = work
        self.outcome = outcome

    def run(self) -> None:
        try:
            with collection_paused():  # a full GC pass here would freeze the window
                result, error = self.work(), None
        except Exception as exc:  # handed to the GUI thread, which shows or raises it
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the receiver is gone: nobody to tell
            self.outcome.finished.emit(result, error)


def start_on_worker(parent: QObject, work: Callable[[], Any],
                      done: Callable[[Any, BaseException | None], None]) -> Outcome:
    """Run ``work`` on a worker thread; call ``done(result, error)`` on the GUI thread."""
    outcome = Outcome(parent)
    outcome.finished.connect(done)
    QThreadPool.globalInstance().start(_Job(work, outcome))
    return outcome


def run_and_wait(parent: QWidget | None, label: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` on a worker thread while a progress dialog shows; return or raise."""
    loop = QEventLoop()
    box: dict[str, Any] = {}

    def done(result: Any, error: BaseException | None) -> None:
        box.update(result=result, error=error)
        loop.quit()

    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setValue(0)  # without a value the dialog keeps Qt's 4 s delay, whatever is set
    progress.setMinimumDuration(400)
    holder = QObject()
    start_on_worker(holder, work, done)
    if "error" not in box:
        loop.exec()
    progress.close()
    if box["error"] is not None:
        raise box["error"]
    return box["result"]
