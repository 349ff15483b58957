"""File → Import… with an .ics file: preview question, worker import, summary, undo reset."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from socialdesk.core.calendar.export import export_calendar
from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.calendar.import_dialog import CalendarImportOptions
from socialdesk.qt.main_window import MainWindow
from socialdesk.store import reports
from socialdesk.store.workspace import Workspace


@pytest.fixture
def calendar_file(demo: Workspace, tmp_path: Path) -> Path:
    out = tmp_path / "plan.ics"
    export_calendar(demo, out, "ics")
    return out


def when_options_open(script: Callable[[CalendarImportOptions], None],
                      seen: list[CalendarImportOptions]) -> None:
    """Run ``script`` on the import options as soon as they are shown (modally)."""
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CalendarImportOptions):
            QTimer.singleShot(20, attempt)
            return
        seen.append(dialog)
        script(dialog)

    QTimer.singleShot(0, attempt)


def test_importing_an_ics_file_from_the_menu(qtbot, tmp_path: Path, calendar_file: Path,
                                             close_window,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    create_application()
    window = MainWindow(Workspace.open(tmp_path / "new.sqlite", create=True), app_settings())
    qtbot.addWidget(window)
    seen: list[CalendarImportOptions] = []
    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(calendar_file), "")))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: told.append(text)))
    asked: list[str] = []

    def events_only(dialog: CalendarImportOptions) -> None:
        assert dialog.todos is not None and not dialog.todos.isChecked()
        asked.append(f"{dialog.question.text()} {dialog.todos.text()}")
        dialog.accept()

    when_options_open(events_only, seen)  # events yes, to-dos no
    window.import_file()  # returns at once; the summary shows when the import ended
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "events" in asked[0] and "to-dos" in asked[0]
    dated = reports.counts(window.ws).posts
    assert dated > 50
    assert f"Imported {dated:,} posts" in told[0]
    assert window.current_view_name() == "today"
    assert window.undo_stack.count() == 0
    when_options_open(lambda dialog: dialog.accept(), seen)
    window.import_file()  # the same file again: nothing new
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20_000)
    assert reports.counts(window.ws).posts == dated
    before = len(seen)
    when_options_open(lambda dialog: dialog.reject(), seen)
    window.import_file()  # cancelled in the options dialog
    qtbot.waitUntil(lambda: len(seen) > before, timeout=20_000)
    close_window(window)


def test_an_old_series_is_imported_from_the_date_chosen(
        qtbot, tmp_path: Path, close_window, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALDESK_TODAY", "2026-06-15")
    source = tmp_path / "club.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:club@test\r\nSUMMARY:Club\r\nDTSTART;VALUE=DATE:20190107\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    create_application()
    window = MainWindow(Workspace.open(tmp_path / "new.sqlite", create=True), app_settings())
    qtbot.addWidget(window)
    seen: list[CalendarImportOptions] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(source), "")))
    told: list[object] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a: told.append(a)))

    def from_2025(dialog: CalendarImportOptions) -> None:
        assert dialog.todos is None  # the file has none
        assert dialog.since_edit is not None
        assert dialog.since() == date(2026, 6, 15)  # today by default
        dialog.since_edit.setDate(QDate(2025, 1, 1))
        dialog.accept()

    when_options_open(from_2025, seen)
    window.import_file()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)  # the import ended: its summary
    first, count = window.ws.conn.execute(
        "SELECT min(scheduled_on), count(*) FROM posts").fetchone()
    assert (first, count) == ("2025-01-02", 104)
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


def test_closing_during_an_import_waits_for_it_then_backs_up_and_closes(
        qtbot, tmp_path: Path, calendar_file: Path, open_window,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The close waits behind a progress dialog until the import ended and was handled."""
    import threading

    from PySide6.QtWidgets import QProgressDialog

    from socialdesk.core.backup import catalog
    from socialdesk.core.backup import create as backup
    from socialdesk.qt.workers import Task, run_task, writer_pool

    path = tmp_path / "new.sqlite"
    window = open_window(path, create=True)  # empty: nothing to back up when closed now
    folder = backup.backup_folder(window.ws)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(calendar_file), "")))
    told: list[tuple[str, bool]] = []  # the summary, and whether the window still showed
    monkeypatch.setattr(QMessageBox, "information", staticmethod(
        lambda parent, title, text: told.append((text, window.isVisible()))))

    def dialogs(label: str) -> list[QProgressDialog]:
        return [d for d in window.findChildren(QProgressDialog)
                if d.labelText().startswith(label)]

    gate = threading.Event()
    held = run_task(Task(), lambda _progress: gate.wait(30), writer_pool())  # the writer is busy
    try:
        when_options_open(lambda dialog: dialog.accept(), [])
        window.import_file()
        qtbot.waitUntil(lambda: bool(dialogs("Importing plan.ics")), timeout=20_000)
        window.close()  # the import waits for the writer: the window waits for the import
        assert window.isVisible(), "the window closed while its import was under way"
        [finishing] = dialogs("Finishing the import of plan.ics")
        assert finishing.isVisible()
        window.close()  # asked again meanwhile: still waiting, with one dialog
        assert window.isVisible() and len(dialogs("Finishing")) == 1
        assert reports.counts(window.ws).posts == 0 and catalog.list_backups(folder) == []
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    [(summary, showing)] = told
    assert summary.startswith("Imported ") and showing  # handled before the window closed
    with Workspace.open(path) as ws:
        assert reports.counts(ws).posts > 50
    assert [b.kind for b in catalog.list_backups(folder)] == ["auto"]
    del held


def test_a_calendar_csv_is_previewed_with_its_problems_and_imported_from_the_menu(
        qtbot, tmp_path: Path, demo: Workspace, close_window,
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "plan.csv"
    export_calendar(demo, source, "csv")
    with source.open("a", encoding="utf-8", newline="") as handle:
        handle.write("x9,2030-01-01,,,,posted,,Bad status,text,,,x9,\r\n")
    create_application()
    window = MainWindow(Workspace.open(tmp_path / "new.sqlite", create=True), app_settings())
    qtbot.addWidget(window)
    seen: list[CalendarImportOptions] = []
    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(source), "")))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: told.append(text)))
    asked: list[str] = []

    def accept(dialog: CalendarImportOptions) -> None:
        assert dialog.todos is None and dialog.since_edit is None
        assert dialog.problems is not None
        asked.append(f"{dialog.question.text()} {dialog.problems.text()}")
        dialog.accept()

    when_options_open(accept, seen)
    window.import_file()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    posts = reports.counts(demo).posts
    assert "a SocialDesk calendar spreadsheet" in asked[0]
    assert "unknown status 'posted'" in asked[0]
    assert window.ws.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == \
        demo.conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    assert posts > 0 and "Imported" in told[0]
    close_window(window)
