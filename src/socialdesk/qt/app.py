"""Starting the GUI: the application object, the workspace, the main window."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from socialdesk import APP_ID, APP_NAME, STARTED, __version__
from socialdesk.store.errors import WorkspaceError

if TYPE_CHECKING:
    from socialdesk.qt.main_window import MainWindow
    from socialdesk.qt.opening import Opened

GUI_SWITCH_INTERVAL_S = 0.0002


def _needs_offscreen(screenshot: bool) -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if screenshot:
        return True
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return sys.platform.startswith("linux") and no_display


def _quiet_offscreen_noise(mode: object, context: object, message: str) -> None:
    """Drop the offscreen platform's note about window hints; pass everything else on."""
    if "propagateSizeHints" in message:
        return
    print(message, file=sys.stderr)


def create_application() -> object:
    """The QApplication with SocialDesk's names, icon and the platform's own style."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from socialdesk.qt.appsettings import keep_qt_settings_in_config_folder
    from socialdesk.qt.icons import app_icon

    qInstallMessageHandler(_quiet_offscreen_noise)
    # While a worker thread runs Python (an import, a backup, the planner), the GUI thread
    # waits for the interpreter lock each time Qt calls into Python: up to the switch
    # interval (default 5 ms), for every table cell painted. A window repainting beside a
    # busy worker froze for up to two seconds on the large demo; 0.2 ms keeps repaints
    # short (1 ms still let one take 350–500 ms) for a few per cent of the worker's speed.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    keep_qt_settings_in_config_folder()
    if sys.platform.startswith("linux"):
        from socialdesk.qt.appearance import use_fusion

        use_fusion(app)
    app.setWindowIcon(app_icon())
    return app


def run_gui(
    workspace: Path,
    *,
    quit_after_startup: bool = False,
    screenshot: Path | None = None,
    view: str = "today",
) -> int:
    """Open ``workspace`` in the main window; return the exit status."""
    if _needs_offscreen(screenshot is not None):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = create_application()
    from socialdesk.qt.appearance import apply_appearance, saved_appearance
    from socialdesk.qt.help import install_error_memory

    install_error_memory()
    apply_appearance(saved_appearance())
    if quit_after_startup or screenshot is not None:
        opened = _open_headless(workspace)
        if opened is None:
            return 1
        window = _main_window(opened)
        if screenshot is not None:
            return _screenshot(app, window, screenshot, view)
        window.show()
        freeze_startup_objects()
        _wait_until_exposed(app, window)
        print(f"Started in {(time.perf_counter() - STARTED) * 1000:.0f} ms")
        window.safety.skip_backup_on_close()  # a smoke test, not a session worth a backup
        window.close()
        return 0

    from socialdesk.qt.opening import open_at_start

    shown: list[object] = []  # the main window, once the workspace is open
    declined: list[bool] = []
    running: list[bool] = []

    def start(opened: Opened | None) -> None:
        app.setQuitOnLastWindowClosed(True)  # type: ignore[attr-defined]
        if opened is None:
            declined.append(True)
            if running:  # a restore ran first, in the event loop: leave it
                app.exit(1)  # type: ignore[attr-defined]
            return
        window = _main_window(opened)
        shown.append(window)
        window.show()
        freeze_startup_objects()

    # A damaged workspace is restored in the event loop before the window opens: its
    # dialogs closing must not end the app.
    app.setQuitOnLastWindowClosed(False)  # type: ignore[attr-defined]
    open_at_start(workspace, start)
    if declined:
        return 1
    running.append(True)
    return app.exec()  # type: ignore[attr-defined,no-any-return]


def _main_window(opened: Opened) -> MainWindow:
    """The main window on an opened workspace, holding its lock."""
    from socialdesk.qt.appsettings import app_settings
    from socialdesk.qt.main_window import MainWindow

    ws, lock = opened
    window = MainWindow(ws, app_settings())
    window.safety.hold(lock)
    return window


def _open_headless(workspace: Path) -> Opened | None:
    """Lock and open the workspace without asking anything; None (said on stderr) if not."""
    from socialdesk.core.backup import staging
    from socialdesk.core.lock import WorkspaceLock
    from socialdesk.store.errors import WorkspaceCorrupt
    from socialdesk.store.workspace import Workspace

    try:
        lock = WorkspaceLock.acquire(workspace)  # one SocialDesk per workspace
        staging.remove_stale(workspace, locked=True)  # what a killed backup or restore left
        ws = Workspace.open(workspace, create=True)
    except WorkspaceError as error:
        print(f"socialdesk: {error}", file=sys.stderr)
        if isinstance(error, WorkspaceCorrupt):
            from socialdesk.core.backup.restore import restore_hint  # cryptography: only now

            print(restore_hint(workspace), file=sys.stderr)
        with contextlib.suppress(UnboundLocalError):
            lock.release()
        return None
    return ws, lock


def freeze_startup_objects() -> None:
    """Keep what startup loaded (modules, classes, the first view) out of full GC passes.

    It lives as long as the app; without this every full collection re-scans it and
    stalls the window.
    """
    gc.freeze()


def _wait_until_exposed(app: object, window: object) -> None:
    """--quit-after-startup: wait for the first paint, exactly as bench_startup's bare window.

    No event loop runs in that mode and nobody uses the window: this wait is the
    measurement, so it stays the same as the baseline it is compared with.
    """
    from PySide6.QtTest import QTest

    QTest.qWaitForWindowExposed(window, 5000)
    app.processEvents()  # type: ignore[attr-defined]


def _screenshot(app: object, window: object, target: Path, view: str,
                limit_s: float = 20) -> int:
    """Show ``view``, let views that load in workers finish, save the picture and quit."""
    from PySide6.QtCore import QThreadPool, QTimer

    window.resize(1280, 800)  # type: ignore[attr-defined]
    window.show_view(view)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    pool = QThreadPool.globalInstance()
    deadline = time.perf_counter() + limit_s
    poll = QTimer()
    poll.setInterval(50)

    def settled() -> bool:
        handle = window.windowHandle()  # type: ignore[attr-defined]
        current = window.stack.currentWidget()  # type: ignore[attr-defined]
        busy = getattr(current, "is_busy", None)
        return (handle is not None and handle.isExposed() and pool.activeThreadCount() == 0
                and not (busy and busy()))

    def look() -> None:
        if settled() or time.perf_counter() > deadline:
            poll.stop()
            QTimer.singleShot(100, take)  # results delivered to the GUI thread get painted

    def take() -> None:
        pixmap = window.grab()  # type: ignore[attr-defined]
        target.parent.mkdir(parents=True, exist_ok=True)
        saved = pixmap.save(str(target))
        window.safety.skip_backup_on_close()  # type: ignore[attr-defined]
        window.close()  # type: ignore[attr-defined]
        if saved:
            print(f"Saved {view} view to {target}")
        else:
            print(f"socialdesk: {target}: cannot write the screenshot.", file=sys.stderr)
        app.exit(0 if saved else 1)  # type: ignore[attr-defined]

    poll.timeout.connect(look)
    QTimer.singleShot(100, poll.start)
    return app.exec()  # type: ignore[attr-defined,no-any-return]
