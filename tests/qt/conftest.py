"""Fixtures for the GUI tests: the main window on a copy of the small demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.store.workspace import Workspace


@pytest.fixture
def window(qtbot, demo_path: Path):
    """The main window, shown at 1280×800 on a private copy of the small demo."""
    create_application()
    main = MainWindow(Workspace.open(demo_path), app_settings())
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.isVisible():
        main.close()


@pytest.fixture
def fresh_keyring():
    """A keyring file of the test's own (conftest points its folder into tmp_path)."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    yield
    keyring.set_keyring(previous)


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
