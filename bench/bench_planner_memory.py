"""Peak memory of the window with the Planner view open and a post planned, against a
bare PySide6 window (goal: ≤ 3× on the large demo).

Both are whole processes, offscreen, measured in pairs like bench_startup (which goes
first alternating; the median of the pairs' ratios). The window opens on a copy of the
demo workspace (opening may bring it up to date, and the shared cache is never written),
shows the Planner, waits for the first post's plan and its Monte Carlo range, then
chooses the second post and waits again; its peak RSS is the figure.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench_startup import BARE, _rss_kib
from common import Result, bench_size, compile_app, in_turn, large_workspace

PAIRS = 3

PLANNER = """
import sys, time
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from socialdesk.qt.app import create_application, freeze_startup_objects
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.store.workspace import Workspace

app = create_application()
window = MainWindow(Workspace.open(sys.argv[1]), app_settings())
window.resize(1280, 800)
window.show()
freeze_startup_objects()
QTest.qWaitForWindowExposed(window, 5000)


def settle(planner, ms=300_000):
    # Run the event loop (as the app does) until the chosen post's plan and range show.
    deadline = time.monotonic() + ms / 1000
    while (planner.data is None or planner.data.post.id != planner.post.currentData()
           or planner.is_busy()):
        if time.monotonic() > deadline:
            sys.exit("the planner did not finish in time")
        loop = QEventLoop()
        QTimer.singleShot(100, loop.quit)
        loop.exec()


planner = window.show_view("planner")
settle(planner)
if planner.post.count() > 1:
    planner.post.setCurrentIndex(1)
    settle(planner)
window.close()
"""


def run() -> list[Result]:
    """Peak RSS of both processes, in pairs."""
    compile_app()
    size = bench_size()
    with tempfile.TemporaryDirectory() as scratch:
        workspace = Path(scratch, "planner.sqlite")
        shutil.copyfile(large_workspace(), workspace)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SOCIALDESK_CONFIG_DIR": scratch,
               "SOCIALDESK_DATA_DIR": scratch}
        app = [sys.executable, "-c", PLANNER, str(workspace)]
        bare = [sys.executable, "-c", BARE]
        ours, theirs = [], []
        for i in range(PAIRS):
            mine, other = in_turn(i, lambda: _rss_kib(app, env), lambda: _rss_kib(bare, env))
            ours.append(mine)
            theirs.append(other)
    ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    return [Result(f"peak memory (RSS), Planner view with a post, {size} workspace "
                   f"(median of {PAIRS} pairs)", statistics.median(ours) / 1024, "MB",
                   statistics.median(theirs) / 1024, "≤ 3× bare window", paired_ratio=ratio)]


if __name__ == "__main__":
    from common import print_table

    print_table(run())
