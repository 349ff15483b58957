"""Long work behind a progress dialog: the dialog shows within a second, not Qt's four."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from socialdesk.qt.app import create_application
from socialdesk.qt.workers import run_and_wait, run_in_background


def _slow() -> str:
    time.sleep(1.5)
    return "done"


RUNNERS: dict[str, Callable[[QWidget], object]] = {
    "import or export": lambda parent: run_in_background(parent, "Reading…",
                                                         lambda _progress: _slow()),
    "backup or restore": lambda parent: run_and_wait(parent, "Restoring…", _slow),
}


@pytest.mark.parametrize("runner", sorted(RUNNERS))
def test_the_progress_dialog_shows_within_a_second_of_slow_work(qtbot, runner: str) -> None:
    create_application()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    start = time.perf_counter()
    shown: list[float] = []

    def look() -> None:
        if not shown and any(isinstance(w, QProgressDialog) and w.isVisible()
                             for w in QApplication.topLevelWidgets()):
            shown.append(time.perf_counter() - start)

    watch = QTimer()
    watch.timeout.connect(look)
    watch.start(20)
    result = RUNNERS[runner](parent)
    watch.stop()

    assert result == "done"
    assert shown and shown[0] < 1.0


def test_writes_run_one_after_another(qtbot) -> None:
    """Two writes started together never overlap: the second waits for the first."""
    import threading

    from socialdesk.qt.workers import start_with_dialog

    create_application()
    parent = QWidget()
    qtbot.addWidget(parent)
    first_running, let_first_end = threading.Event(), threading.Event()
    order: list[str] = []
    done: list[object] = []

    def first(_progress: object) -> str:
        first_running.set()
        order.append("first starts")
        assert let_first_end.wait(10)
        order.append("first ends")
        return "first"

    def second(_progress: object) -> str:
        order.append("second starts")
        return "second"

    start_with_dialog(parent, "Importing…", first, lambda r, e: done.append(e or r), writes=True)
    start_with_dialog(parent, "Restoring…", second, lambda r, e: done.append(e or r),
                      writes=True)
    assert first_running.wait(10)
    qtbot.wait(100)  # time enough for a second worker thread to start, were there one
    assert order == ["first starts"]
    let_first_end.set()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)
    assert order == ["first starts", "first ends", "second starts"]
    assert done == ["first", "second"]
