"""Long work behind a progress dialog: the dialog shows within a second, not Qt's four."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from socialdesk.qt.app import create_application
from socialdesk.qt.workers import start_with_dialog


def _slow() -> str:
    time.sleep(1.5)
    return "done"


@pytest.fixture
def parent(qtbot) -> QWidget:
    """A widget for the test's jobs and dialogs to belong to, closed with the test."""
    create_application()
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


RUNNERS: dict[str, dict[str, bool]] = {
    "import or export": {"cancellable": True},
    "backup or restore": {"cancellable": False, "writes": True},
}


@pytest.mark.parametrize("runner", sorted(RUNNERS))
def test_the_progress_dialog_shows_within_a_second_of_slow_work(
        parent: QWidget, qtbot, runner: str) -> None:
    parent.show()
    start = time.perf_counter()
    shown: list[float] = []
    results: list[object] = []

    def look() -> None:
        if not shown and any(isinstance(w, QProgressDialog) and w.isVisible()
                             for w in QApplication.topLevelWidgets()):
            shown.append(time.perf_counter() - start)

    watch = QTimer()
    watch.timeout.connect(look)
    watch.start(20)
    start_with_dialog(parent, "Working…", lambda _progress: _slow(),
                      lambda result, error: results.append(error or result), **RUNNERS[runner])
    assert results == []  # it returned at once
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    watch.stop()

    assert results == ["done"]
    assert shown and shown[0] < 1.0


def test_nothing_waits_for_background_work_in_a_nested_event_loop() -> None:
    """Callers go on in a callback; only --quit-after-startup's measurement spins events."""
    from pathlib import Path

    import socialdesk
    from socialdesk.qt import workers

    assert not hasattr(workers, "run_in_background")
    assert not hasattr(workers, "run_and_wait")
    package = Path(socialdesk.__file__).parent
    spinning = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                      if "QEventLoop" in (text := path.read_text(encoding="utf-8"))
                      or "processEvents" in text)
    assert spinning == ["qt/app.py"]
    assert (package / "qt" / "app.py").read_text(encoding="utf-8").count("processEvents") == 1


def test_closing_the_window_backs_up_first_then_closes(window, qtbot) -> None:
    """The close waits for the backup without blocking; a second close starts no other."""
    import threading

    from socialdesk.core.backup import catalog
    from socialdesk.core.backup import create as backup
    from socialdesk.qt.workers import Task, run_task, writer_pool

    folder = backup.backup_folder(window.ws)
    gate = threading.Event()
    held = run_task(Task(), lambda _progress: gate.wait(20), writer_pool())  # a write runs
    try:
        window.close()  # returns at once: the backup waits for the write before it
        assert window.isVisible(), "the window closed before its backup was made"
        assert catalog.list_backups(folder) == []
        window.close()  # asked again while it backs up: no second backup
        assert window.isVisible()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert [b.kind for b in catalog.list_backups(folder)] == ["auto"]
    del held


def test_writes_run_one_after_another(parent: QWidget, qtbot) -> None:
    """Two writes started together never overlap: the second waits for the first."""
    import threading

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


def test_views_read_one_after_another_on_one_thread(parent: QWidget, qtbot) -> None:
    """Two views' reads take turns: each read busy in Python lengthens the GUI's waits."""
    import threading

    from socialdesk.qt.workers import LatestJob

    second_started = threading.Event()
    answers: list[object] = []

    def first() -> bool:
        return second_started.wait(0.5)  # True only if the second read ran meanwhile

    def second() -> str:
        second_started.set()
        return "second"

    planner, reports = LatestJob(parent), LatestJob(parent)
    planner.finished.connect(answers.append)
    reports.finished.connect(answers.append)
    planner.start(first)
    reports.start(second)
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=10_000)
    assert answers == [False, "second"]


def test_a_read_waiting_behind_a_newer_request_does_not_run(parent: QWidget, qtbot) -> None:
    """Only the latest request of a view runs once the reading thread is free."""
    import threading

    from socialdesk.qt.workers import LatestJob

    let_go = threading.Event()
    ran: list[str] = []
    answers: list[object] = []
    busy, job = LatestJob(parent), LatestJob(parent)
    job.finished.connect(answers.append)
    busy.start(lambda: let_go.wait(10))
    job.start(lambda: ran.append("older") or "older")
    job.start(lambda: ran.append("newer") or "newer")
    let_go.set()
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert job.wait(10_000)
    assert (ran, answers) == (["newer"], ["newer"])


def _two_views(qtbot):  # type: ignore[no-untyped-def]
    """Two views in a shown stack, the first showing (as the window's views are)."""
    from PySide6.QtWidgets import QStackedWidget

    create_application()
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    first, second = QWidget(), QWidget()
    stack.addWidget(first)
    stack.addWidget(second)
    stack.show()
    return stack, first, second


def test_a_read_for_a_view_the_user_left_waits_until_the_view_shows_again(qtbot) -> None:
    """Work of a view the user left takes neither the reading thread nor the GUI's lock."""
    import threading

    from socialdesk.qt.workers import LatestJob

    stack, planner, contacts = _two_views(qtbot)
    let_go = threading.Event()
    ran: list[str] = []
    answers: list[object] = []
    busy, job = LatestJob(contacts), LatestJob(planner)
    job.finished.connect(answers.append)
    busy.start(lambda: let_go.wait(10))
    job.start(lambda: ran.append("plan") or "plan")  # the planner asks, then waits its turn
    stack.setCurrentWidget(contacts)  # the user goes on to the contacts
    let_go.set()
    assert busy.wait(10_000)
    QApplication.processEvents()
    assert (ran, answers, job.pending) == ([], [], True)

    stack.setCurrentWidget(planner)  # back to the planner: its read runs now
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert (ran, answers, job.pending) == (["plan"], ["plan"], False)


def test_a_view_built_but_not_shown_yet_reads_at_once(qtbot) -> None:
    """Only a view the user left waits: one not shown yet is about to show."""
    from socialdesk.qt.workers import LatestJob

    create_application()
    view = QWidget()
    qtbot.addWidget(view)
    answers: list[object] = []
    job = LatestJob(view)
    job.finished.connect(answers.append)
    job.start(lambda: "read")
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert answers == ["read"]


def test_a_read_running_when_the_user_leaves_stops_at_its_next_step(qtbot) -> None:
    """It reads again, from the start, once the view shows again."""
    import threading

    from socialdesk.qt.workers import LatestJob, check_presence

    stack, reports, contacts = _two_views(qtbot)
    started, go_on = threading.Event(), threading.Event()
    steps: list[str] = []
    answers: list[object] = []

    def read() -> str:
        steps.append("first step")
        started.set()
        go_on.wait(10)
        check_presence()
        steps.append("second step")
        return "figures"

    job = LatestJob(reports)
    job.finished.connect(answers.append)
    job.start(read)
    assert started.wait(10)
    stack.setCurrentWidget(contacts)  # the user leaves while the first step runs
    go_on.set()
    assert job.wait(10_000)
    QApplication.processEvents()
    assert (steps, answers, job.pending) == (["first step"], [], True)

    stack.setCurrentWidget(reports)
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert steps == ["first step", "first step", "second step"] and answers == ["figures"]



def test_a_read_the_user_picked_goes_ahead_of_the_reads_waiting(parent: QWidget, qtbot) -> None:
    """It is even served at the next step of the read running, before that read ends."""
    import threading

    from socialdesk.qt.workers import PICKED, LatestJob, check_presence

    first_step, go_on, finish = threading.Event(), threading.Event(), threading.Event()
    answers: list[object] = []

    def overview() -> str:
        first_step.set()
        go_on.wait(10)
        check_presence()  # between two parts of the figures
        finish.wait(10)
        return "overview"

    figures, track_record = LatestJob(parent), LatestJob(parent)
    campaign = LatestJob(parent, priority=PICKED)
    for job in (figures, track_record, campaign):
        job.finished.connect(answers.append)
    figures.start(overview)
    assert first_step.wait(10)
    track_record.start(lambda: "track record")  # waits for the reading thread
    campaign.start(lambda: "campaign")  # the user picks a campaign
    go_on.set()
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert answers == ["campaign"]  # while the overview is still running
    finish.set()
    qtbot.waitUntil(lambda: len(answers) == 3, timeout=10_000)
    assert answers == ["campaign", "overview", "track record"]


def test_a_picked_read_waiting_behind_a_newer_pick_does_not_run(parent: QWidget, qtbot) -> None:
    import threading

    from socialdesk.qt.workers import PICKED, LatestJob, check_presence

    go_on = threading.Event()
    ran: list[str] = []
    answers: list[object] = []

    def busy() -> str:
        go_on.wait(10)
        check_presence()
        return "busy"

    running, campaign = LatestJob(parent), LatestJob(parent, priority=PICKED)
    campaign.finished.connect(answers.append)
    running.start(busy)
    campaign.start(lambda: ran.append("first pick") or "first pick")
    campaign.start(lambda: ran.append("second pick") or "second pick")
    go_on.set()
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert running.wait(10_000)
    assert (ran, answers) == (["second pick"], ["second pick"])
