"""Startup to a shown main window, and peak memory, against a bare PySide6 window."""

from __future__ import annotations

import compileall
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Result, large_workspace

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


def _wall(cmd: list[str], env: dict[str, str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def _rss_kib(cmd: list[str], env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", MAXRSS, *cmd], check=True, env=env,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


BUNDLE = Path(__file__).resolve().parent.parent / "dist" / "SocialDesk" / "SocialDesk"


def run() -> list[Result]:
    """Measure both programs the same way: whole process, offscreen, best of five."""
    import os

    import socialdesk

    # Start from bytecode, as an installed copy does (PySide6 has its .pyc files too);
    # PYTHONDONTWRITEBYTECODE, set on some machines, would otherwise compile every start.
    compileall.compile_dir(Path(socialdesk.__file__).parent, quiet=1)
    workspace = large_workspace()
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SOCIALDESK_CONFIG_DIR": scratch,
               "SOCIALDESK_DATA_DIR": scratch}
        app = [sys.executable, "-m", "socialdesk", "--workspace", str(workspace),
               "--quit-after-startup"]
        bare = [sys.executable, "-c", BARE]
        app_s, bare_s = _wall(app, env), _wall(bare, env)
        app_rss, bare_rss = _rss_kib(app, env), _rss_kib(bare, env)
        bundle_s = _wall([str(BUNDLE), *app[3:]], env) if BUNDLE.exists() else None
    results = [
        Result("startup to shown window, large workspace", app_s * 1000, "ms", bare_s * 1000,
               "≤ 2.5× bare window (stretch 1.5×)"),
        Result("peak memory (RSS), large workspace", app_rss / 1024, "MB", bare_rss / 1024,
               "as low as possible"),
    ]
    if bundle_s is not None:  # packaging/build made it
        results.append(Result("  same, from the installed bundle (dist/SocialDesk)",
                              bundle_s * 1000, "ms", bare_s * 1000, "≤ 2.5× bare window"))
    return results


if __name__ == "__main__":
    from common import print_table

    print_table(run())
