"""Fixtures for the GUI tests: the main window on a copy of the small demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.store.workspace import Workspace


@pytest.fixture
def open_window(qtbot):
    """Opens the main window on a workspace file, shown and exposed; closed afterwards."""
    create_application()
    windows: list[MainWindow] = []

    def make(path: Path, *, create: bool = False) -> MainWindow:
        main = MainWindow(Workspace.open(path, create=create), app_settings())
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        windows.append(main)
        return main

    yield make
    for main in windows:
        if main.isVisible():
            main.close()  # backs up first: the window goes once that is done
            qtbot.waitUntil(lambda main=main: not main.isVisible(), timeout=60_000)


@pytest.fixture
def window(open_window, demo_path: Path) -> MainWindow:
    """The main window, shown at 1280×800 on a private copy of the small demo."""
    main = open_window(demo_path)
    main.resize(1280, 800)
    return main


@pytest.fixture
def calendar_view(qtbot, workspace):
    """A calendar on an empty workspace, at 1280×800, showing March 2031."""
    from calendar_helpers import MONTH
    from PySide6.QtGui import QUndoStack

    from socialdesk.qt.views.calendar import CalendarView

    calendar = CalendarView(workspace, undo_stack=QUndoStack())
    qtbot.addWidget(calendar)
    calendar.resize(1280, 800)
    calendar.show()
    qtbot.waitExposed(calendar)
    calendar.anchor = MONTH
    calendar.refresh()
    return calendar
