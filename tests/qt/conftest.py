"""Fixtures for the GUI tests: the main window on a copy of the small demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from shiboken6 import isValid

from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.store.workspace import Workspace


@pytest.fixture(autouse=True)
def british_locale():
    """Dates and times read the same on every machine: "Fri 4 Dec", "14:46"."""
    from PySide6.QtCore import QLocale

    previous = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    yield
    QLocale.setDefault(previous)


class Confirmations:
    """What the confirmation dialogs said and offered; ``answer`` is the button to click."""

    def __init__(self) -> None:
        self.answer = "Cancel"
        self.texts: list[str] = []
        self.buttons: list[list[str]] = []


@pytest.fixture
def confirmations(qtbot):
    """Answers each modal message box by clicking its button named ``answer``, as a user."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen = Confirmations()

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        names = [b.text().replace("&", "") for b in box.buttons()]
        seen.texts.append(box.text())
        seen.buttons.append(names)
        if seen.answer in names:
            box.buttons()[names.index(seen.answer)].click()
        else:  # no such button: the test's assertions on ``buttons`` say so
            box.reject()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(click)
    timer.start()
    yield seen
    timer.stop()


@pytest.fixture
def close_window(qtbot):
    """Closes a main window and waits until it is gone (it backs up first, on a worker)."""
    def close(main: MainWindow) -> None:
        if isValid(main) and main.isVisible():
            main.close()
            qtbot.waitUntil(lambda: not main.isVisible(), timeout=60_000)

    return close


@pytest.fixture
def open_window(qtbot, close_window):
    """Opens the main window on a workspace file, shown and exposed; closed afterwards.

    It returns once the view open last was built in its placeholder's stead.
    """
    create_application()

    def make(path: Path, *, create: bool = False) -> MainWindow:
        main = MainWindow(Workspace.open(path, create=create), app_settings())
        qtbot.addWidget(main, before_close_func=close_window)
        main.show()
        qtbot.waitExposed(main)
        qtbot.waitUntil(lambda: main.pending_view is None)
        return main

    return make


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

    from socialdesk.qt.calendar.view import CalendarView

    calendar = CalendarView(workspace, undo_stack=QUndoStack())
    qtbot.addWidget(calendar)
    calendar.resize(1280, 800)
    calendar.show()
    qtbot.waitExposed(calendar)
    calendar.anchor = MONTH
    calendar.refresh()
    return calendar
