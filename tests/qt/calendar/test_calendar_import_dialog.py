"""File → Import… with an .ics file: preview question, worker import, summary, undo reset."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from socialdesk.core.calendar.export import export_calendar
from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.store import reports
from socialdesk.store.workspace import Workspace


@pytest.fixture
def calendar_file(demo: Workspace, tmp_path: Path) -> Path:
    out = tmp_path / "plan.ics"
    export_calendar(demo, out, "ics")
    return out


def test_importing_an_ics_file_from_the_menu(qtbot, tmp_path: Path, calendar_file: Path,
                                             close_window,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    create_application()
    window = MainWindow(Workspace.open(tmp_path / "new.sqlite", create=True), app_settings())
    qtbot.addWidget(window)
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(calendar_file), "")))

    def question(parent, title, text, buttons):
        asked.append(text)
        return QMessageBox.StandardButton.No  # events yes, to-dos no

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: told.append(text)))
    window.import_file()  # returns at once; the summary shows when the import ended
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "events" in asked[0] and "to-dos" in asked[0]
    dated = reports.counts(window.ws).posts
    assert dated > 50
    assert f"Imported {dated:,} posts" in told[0]
    assert window.current_view_name() == "today"
    assert window.undo_stack.count() == 0
    window.import_file()  # the same file again: nothing new
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20_000)
    assert reports.counts(window.ws).posts == dated
    close_window(window)


def test_a_broken_calendar_file_imports_nothing(qtbot, tmp_path: Path, close_window,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    create_application()
    window = MainWindow(Workspace.open(tmp_path / "new.sqlite", create=True), app_settings())
    qtbot.addWidget(window)
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:x\n")
    shown: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(broken), "")))
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    window.import_file()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "broken.ics, line" in shown[0] and "Nothing was imported" in shown[0]
    assert reports.counts(window.ws).posts == 0
    close_window(window)
