"""GUI stalls on the large workspace: the longest the event loop was blocked, per view.

A probe timer ticks every 5 ms on the GUI thread; any tick that comes late means the
loop was busy for that long. Scripted actions run one after another through the event
loop (open each view, search, scroll the contacts table end to end, switch months, open
the planner on a post, import 10,000 contacts through the import dialog, export the
calendar through File → Export…), and the worst
stall is charged to the action that was running. Goal: no action blocks the GUI
thread for more than 100 ms.

Building the window before it first shows is startup, measured by ``bench_startup``: there
is no window yet to freeze, so the probe starts once it shows. The actions run on a copy
of the large workspace (the import writes to it).

Each stall also says how much of it the GUI thread spent on the CPU itself ("GUI CPU"): a
stall with little GUI CPU is the GUI thread waiting, for Python's interpreter lock held by
a worker in most cases. With ``SOCIALDESK_STALL_TRACE=FILE`` a watchdog thread writes every
thread's Python stack to FILE whenever the event loop is more than ``TRACE_AFTER_MS`` late,
under the name of the action running: the GUI thread's stack says where it waits (a
statement, or a call from Qt into Python waiting for the lock), the workers' who runs.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench_import import google_csv
from common import Result, large_workspace

TICK_MS = 5
TRACE_AFTER_MS = 80  # with SOCIALDESK_STALL_TRACE: trace the threads of longer stalls
IMPORT_ROWS = 10_000


def run() -> list[Result]:
    """Run the scripted actions and report the worst stall of each."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["SOCIALDESK_CONFIG_DIR"] = scratch
        os.environ["SOCIALDESK_DATA_DIR"] = scratch
        workspace = Path(scratch) / "large.sqlite"
        shutil.copyfile(large_workspace(), workspace)
        contacts_csv = Path(scratch) / "contacts-10k.csv"
        with google_csv().open(encoding="utf-8") as source, contacts_csv.open(
                "w", encoding="utf-8") as target:
            target.writelines(itertools.islice(source, IMPORT_ROWS + 1))
        return _measure(workspace, contacts_csv)


def _measure(workspace: Path, contacts_csv: Path) -> list[Result]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QThreadPool, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from socialdesk.qt import transfer
    from socialdesk.qt.app import create_application, freeze_startup_objects
    from socialdesk.qt.appsettings import app_settings
    from socialdesk.qt.contacts.import_wizard import ImportWizard
    from socialdesk.qt.main_window import MainWindow
    from socialdesk.store.workspace import Workspace

    app = create_application()
    worst: dict[str, float] = {}
    gui_cpu: dict[str, float] = {}  # the GUI thread's own CPU time in the worst stall
    current = ["the first second after the window shows"]
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    last_cpu = [time.thread_time()]
    ticked = [time.monotonic()]  # the last tick, for the watchdog
    trace_path = os.environ.get("SOCIALDESK_STALL_TRACE")
    watching = threading.Event()
    if trace_path:
        watching.set()
        threading.Thread(target=_watch, args=(Path(trace_path), ticked, current, watching),
                         daemon=True).start()

    def tick() -> None:
        now, cpu = clock.elapsed(), time.thread_time()
        late = now - last[0] - TICK_MS
        if late > worst.get(current[0], -1.0):
            worst[current[0]] = float(max(late, 0))
            gui_cpu[current[0]] = (cpu - last_cpu[0]) * 1000
        last[0], last_cpu[0] = now, cpu
        ticked[0] = time.monotonic()

    probe = QTimer()
    probe.setInterval(TICK_MS)
    probe.timeout.connect(tick)

    def settle(ms: int = 300) -> None:
        # An event loop, as the app runs: QTest.qWait keeps Python's interpreter lock while
        # it waits, so worker threads (the planner's) would stand still until a later step.
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def step(label: str, action: Callable[[], object], wait: int = 300) -> None:
        current[0] = label
        last[0], last_cpu[0] = clock.elapsed(), time.thread_time()
        QTimer.singleShot(0, action)
        settle(wait)

    started = time.perf_counter()
    window = MainWindow(Workspace.open(workspace), app_settings())
    window.resize(1280, 800)
    window.show()
    freeze_startup_objects()  # as run_gui does
    QTest.qWaitForWindowExposed(window, 5000)
    shown_ms = (time.perf_counter() - started) * 1000
    last[0], last_cpu[0] = clock.elapsed(), time.thread_time()
    probe.start()
    settle(1000)
    # A user reads Today for a few seconds first; the window loads the other views' code
    # meanwhile (stalls then are reported as "idle after startup").
    current[0] = "idle after startup"
    settle(3500)
    for name in ("today", "calendar", "contacts", "partners", "planner", "reports"):
        step(f"open {name}", lambda n=name: window.show_view(n), 600)
    calendar = window.view("calendar")
    for delta in (1, 1, -1, -1, -1):
        step("calendar: switch month", lambda d=delta: calendar.shift_month(d))
    contacts = window.view("contacts")
    window.show_view("contacts")
    step("contacts: type a search", lambda: QTest.keyClicks(contacts.search, "mar"), 600)
    step("contacts: clear the search", lambda: contacts.search.clear(), 600)
    table = contacts.table

    def scroll_to_end() -> None:
        table.scrollToBottom()

    start = time.perf_counter()
    while contacts.model.canFetchMore() and time.perf_counter() - start < 120:
        step("contacts: scroll end to end", scroll_to_end, 20)
    planner = window.view("planner")
    window.show_view("planner")
    if planner.post.count() > 1:
        step("planner: choose another post", lambda: planner.post.setCurrentIndex(1), 1500)

    def next_page(wizard: ImportWizard) -> None:
        """Next (or Import), then wait while the page's work runs on a worker."""
        before = wizard.currentId()
        wizard.next()
        start = time.perf_counter()
        while wizard.currentId() == before and time.perf_counter() - start < 120:
            settle(100)

    def walk_through(wizard: ImportWizard) -> None:
        """What a user does in the import dialog: look, Next, Import, Finish."""
        wizard.show()
        settle(300)
        next_page(wizard)  # preview → the duplicates review (a search on a worker)
        next_page(wizard)  # Import: writes on the writer thread behind a progress dialog
        assert wizard.changed, "the import wrote nothing"
        wizard.accept()

    ImportWizard.open = walk_through  # type: ignore[method-assign]
    imported: list[object] = []  # what the import changed, once it ended

    def import_contacts() -> None:
        window._import(lambda done: transfer.import_path(
            window, window.ws, contacts_csv, lambda changed: (done(changed),
                                                              imported.append(changed))))

    step(f"import {IMPORT_ROWS:,} contacts (read, review, write, reload)", import_contacts,
         300)
    start = time.perf_counter()
    while not imported and time.perf_counter() - start < 180:
        settle(100)
    assert imported and imported[0], "the import did not end, or changed nothing"
    settle(1200)
    exported = workspace.with_name("calendar.ics")
    told: list[str] = []
    QInputDialog.getItem = lambda *a, **k: (  # type: ignore[method-assign]
        "Calendar as iCalendar (.ics) for calendar programs", True)
    QFileDialog.getSaveFileName = lambda *a, **k: (str(exported), "")  # type: ignore[method-assign]
    QMessageBox.information = lambda *a: told.append(a[2])  # type: ignore[method-assign]
    step("export the calendar (.ics)", window.export_file, 300)
    start = time.perf_counter()
    while not told and time.perf_counter() - start < 300:  # ~50 s on the huge workspace
        settle(100)
    assert told and exported.exists(), "the calendar export wrote nothing"
    probe.stop()
    watching.clear()
    window.safety.skip_backup_on_close()
    window.close()
    app.processEvents()
    # The background integrity check stops at the close; let it end before the scratch
    # folder (and the workspace in it) is removed.
    QThreadPool.globalInstance().waitForDone(30_000)
    return [Result("main window built and shown (startup: see the startup figure)", shown_ms,
                   "ms"),
            *(Result(f"worst GUI stall: {label} (GUI CPU {gui_cpu[label]:.0f} ms)", ms,
                     "ms", None, "≤ 100 ms")
              for label, ms in worst.items())]


def _watch(path: Path, ticked: list[float], current: list[str],
           watching: threading.Event) -> None:
    """Write every thread's stack to ``path`` when a stall passes TRACE_AFTER_MS, and
    every TRACE_AFTER_MS more while it lasts."""
    main = threading.main_thread().ident
    with path.open("w", encoding="utf-8") as out:
        while watching.is_set():
            time.sleep(TRACE_AFTER_MS / 1000)
            late = (time.monotonic() - ticked[0]) * 1000
            if late < TRACE_AFTER_MS:
                continue
            out.write(f"\n=== {current[0]}: {late:.0f} ms late\n")
            for ident, frame in sys._current_frames().items():
                name = "GUI" if ident == main else "worker"
                out.write(f"--- {name} {ident}\n"
                          + "".join(traceback.format_stack(frame)[-6:]))
            out.flush()


if __name__ == "__main__":
    from common import print_table

    print_table(run())
