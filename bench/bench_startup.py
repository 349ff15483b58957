"""Startup to a shown main window, and peak memory, against a bare PySide6 window.

Startup is measured in pairs: the app and the bare window one after the other, which
one goes first alternating, and the figure is the median of the pairs' ratios, so that
the load of a shared machine weighs on both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Result, bench_size, compile_app, in_turn, large_workspace

PAIRS = 9
VIEW_PAIRS = 5
VIEWS_AFTER_TODAY = ("calendar", "contacts", "partners", "planner", "reports")

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtTest import QTest
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTest.qWaitForWindowExposed(window, 5000)
app.processEvents()
"""

MAXRSS = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def paired(cmd: list[str], reference: list[str], env: dict[str, str], pairs: int = PAIRS
           ) -> tuple[float, float, float]:
    """Median seconds of ``cmd`` and of ``reference``, and the median of their ratios.

    Each pair runs both, one right after the other; which goes first alternates.
    """
    for warm in (cmd, reference):  # the disk cache, for both
        _wall(warm, env)
    ours, theirs = [], []
    for i in range(pairs):
        mine, other = in_turn(i, lambda: _wall(cmd, env), lambda: _wall(reference, env))
        ours.append(mine)
        theirs.append(other)
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    return statistics.median(ours), statistics.median(theirs), statistics.median(ratios)


def _rss_kib(cmd: list[str], env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", MAXRSS, *cmd], check=True, env=env,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


BUNDLE = Path(__file__).resolve().parent.parent / "dist" / "SocialDesk" / "SocialDesk"


def run() -> list[Result]:
    """Measure both programs the same way: whole process, offscreen, in pairs."""
    import os

    compile_app()  # start from bytecode, as an installed copy does
    workspace, size = large_workspace(), bench_size()
    goal = "≤ 3× bare window" if size == "huge" else "≤ 2× bare window (stretch 1.5×)"
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SOCIALDESK_CONFIG_DIR": scratch,
               "SOCIALDESK_DATA_DIR": scratch}
        app = [sys.executable, "-m", "socialdesk", "--workspace", str(workspace),
               "--quit-after-startup"]
        bare = [sys.executable, "-c", BARE]
        app_s, bare_s, ratio = paired(app, bare, env)
        results = [Result(f"startup to shown window, {size} workspace (median of "
                          f"{PAIRS} pairs)", app_s * 1000, "ms", bare_s * 1000, goal,
                          paired_ratio=ratio)]
        for view in VIEWS_AFTER_TODAY:  # the window opens on the view open last
            Path(scratch, "socialdesk.ini").write_text(f"[window]\nview={view}\n")
            app_s, bare_s, ratio = paired(app, bare, env, pairs=VIEW_PAIRS)
            results.append(Result(f"  same, {view} open last (median of {VIEW_PAIRS} pairs)",
                                  app_s * 1000, "ms", bare_s * 1000, goal,
                                  paired_ratio=ratio))
        Path(scratch, "socialdesk.ini").unlink()
        app_rss, bare_rss = _rss_kib(app, env), _rss_kib(bare, env)
        results.append(Result(f"peak memory (RSS), {size} workspace", app_rss / 1024, "MB",
                              bare_rss / 1024, "as low as possible"))
        if BUNDLE.exists():  # packaging/build made it
            bundle_s, bare_s, ratio = paired([str(BUNDLE), *app[3:]], bare, env)
            results.append(Result("  same, from the installed bundle (dist/SocialDesk)",
                                  bundle_s * 1000, "ms", bare_s * 1000, goal,
                                  paired_ratio=ratio))
    return results


if __name__ == "__main__":
    from common import print_table

    print_table(run())
