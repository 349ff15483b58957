"""Starting on the view open last: the window shows at once, the view fills in after."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.main_window import VIEW_NAMES, MainWindow
from socialdesk.qt.view_base import Placeholder, View
from socialdesk.store import reports
from socialdesk.store.models import Counts
from socialdesk.store.workspace import Workspace

# What each view shows once its data arrived, on the small demo.
FILLED: dict[str, Callable[[View, Counts], bool]] = {
    "today": lambda v, t: f"{t.contacts:,} contacts" in v.summary.text(),  # type: ignore[attr-defined]
    "calendar": lambda v, t: v.grid.post_count() > 0,  # type: ignore[attr-defined]
    "contacts": lambda v, t: v.model.total == t.contacts,  # type: ignore[attr-defined]
    "partners": lambda v, t: v.model.rowCount() == t.partners,  # type: ignore[attr-defined]
    "planner": lambda v, t: (not v.is_busy()  # type: ignore[attr-defined]
                             and v.model.rowCount() == t.partners),  # type: ignore[attr-defined]
    "reports": lambda v, t: v.campaign_model.rowCount() >= 3,  # type: ignore[attr-defined]
}


def test_every_view_says_what_shows_its_data() -> None:
    assert set(FILLED) == set(VIEW_NAMES)


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_the_window_shows_the_last_views_placeholder_then_its_data(
        name: str, demo_path: Path, qtbot, close_window) -> None:
    create_application()
    settings = app_settings()
    settings.setValue("window/view", name)
    window = MainWindow(Workspace.open(demo_path), settings)
    qtbot.addWidget(window, before_close_func=close_window)
    totals = reports.counts(window.ws)

    window.show()  # shows before the view is built, let alone filled
    shown = window.stack.currentWidget()
    assert isinstance(shown, Placeholder) and shown.isVisible()
    assert shown.title.text() == window.sidebar.buttons[name].text()
    assert "Loading" in shown.note.text()
    assert window.current_view_name() == name and window.sidebar.buttons[name].isChecked()
    assert name not in window.views

    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), View), timeout=10_000)
    view = window.stack.currentWidget()
    assert view is window.views[name] and view.isVisible()
    qtbot.waitUntil(lambda: FILLED[name](view, totals), timeout=10_000)


def test_opening_on_today_reads_no_whole_table_on_the_gui_thread(
        demo_path: Path, qtbot, close_window) -> None:
    # The workspace's counts and Today's lists grow with it: a million contacts made
    # them hundreds of milliseconds on the GUI thread before the window could show.
    create_application()
    ws = Workspace.open(demo_path)
    totals = reports.counts(ws)
    statements: list[str] = []
    ws.conn.set_trace_callback(statements.append)  # the window's (GUI thread's) connection
    window = MainWindow(ws, app_settings())
    qtbot.addWidget(window, before_close_func=close_window)
    window.show()
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), View))
    today = window.views["today"]
    qtbot.waitUntil(lambda: FILLED["today"](today, totals))
    qtbot.waitUntil(lambda: f"{totals.contacts:,} contacts" in window.path_label.text())
    ws.conn.set_trace_callback(None)

    # A scan that stops at a first row or a page (EXISTS, LIMIT) does not grow.
    scans = [(sql, plan) for sql in statements
             if sql.lstrip().upper().startswith(("SELECT", "WITH"))
             and "EXISTS" not in sql.upper() and "LIMIT" not in sql.upper()
             for plan in (str(row[-1]) for row in ws.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
             if plan.startswith("SCAN") and plan.split()[1] in BIG_TABLES]
    assert scans == []


BIG_TABLES = ("contacts", "posts", "asks", "audiences", "post_occurrences", "c", "p", "a")


def test_a_window_closed_before_its_view_was_built_builds_none(
        demo_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QThreadPool

    from socialdesk.qt.backup.dialogs import DamagedDialog

    shown: list[str] = []  # built on the closed file, the view would find it "damaged"
    monkeypatch.setattr(DamagedDialog, "exec", lambda dialog: shown.append(dialog.detail) or 0)
    create_application()
    settings = app_settings()
    settings.setValue("window/view", "planner")
    window = MainWindow(Workspace.open(demo_path), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.safety.skip_backup_on_close()
    window.close()  # at once (nothing to back up), before the view's turn came
    with qtbot.waitSignal(window.placeholder.painted, timeout=1000, raising=False):
        window.placeholder.painted.emit()  # a paint pending when it closed
    qtbot.wait(200)  # past the build's turn
    pool = QThreadPool.globalInstance()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=10_000)  # an import
    qtbot.wait(50)  # its answer delivered
    assert window.views == {} and shown == []
