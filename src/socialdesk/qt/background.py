"""Long work on a worker thread behind a cancellable progress dialog.

``run_in_background(parent, label, work, abandon=False)`` runs ``work(progress)`` on the
thread pool while a window-modal progress dialog shows, and returns its result (or
raises its exception) on the GUI thread. ``progress(done, total)`` updates the dialog and
returns False once the user pressed Cancel, so the work can stop and raise its own
cancel error. With ``abandon=True`` a Cancel raises :class:`Cancelled` at once and the
work's eventual result is dropped (for read-only work that cannot stop by itself).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from socialdesk.qt.workers import Progress, Task, run_task

T = TypeVar("T")
__all__ = ["Cancelled", "Progress", "run_in_background"]


class Cancelled(Exception):
    """The user cancelled work that was abandoned rather than stopped."""


def run_in_background(parent: QWidget | None, label: str, work: Callable[[Progress], T],
                      *, abandon: bool = False) -> T:
    """Run ``work(progress)`` on a worker thread behind a progress dialog; return its result."""
    task = Task()
    loop = QEventLoop()
    box: dict[str, Any] = {}
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setValue(0)  # without a value the dialog keeps Qt's 4 s delay, whatever is set
    dialog.setMinimumDuration(500)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def finished(result: Any, error: BaseException | None) -> None:
        box.update(result=result, error=error)
        loop.quit()

    def cancel() -> None:
        task.cancel()
        if abandon:
            box.setdefault("abandoned", True)
            loop.quit()

    task.progressed.connect(progressed)
    task.finished.connect(finished)
    dialog.canceled.connect(cancel)
    run_task(task, work)
    if not box:
        loop.exec()
    dialog.close()
    dialog.deleteLater()
    if box.get("abandoned") and "error" not in box:
        raise Cancelled
    if box["error"] is not None:
        raise box["error"]
    return box["result"]
