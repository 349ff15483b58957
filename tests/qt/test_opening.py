"""Starting the app on a file it cannot use, a read-only or a full disk: say why, offer a way on."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from disks import fill, make_read_only
from socialdesk.core.calendar.export import export_calendar
from socialdesk.core.lock import lock_path
from socialdesk.qt import transfer
from socialdesk.qt.app import create_application, run_gui
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.contacts.view import ContactsView
from socialdesk.qt.main_window import MainWindow
from socialdesk.store import contacts, reports
from socialdesk.store.workspace import Workspace


class Dialogs:
    """Modal dialogs answer at once: message boxes click ``button``, file dialogs ``file``."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.button = ""
        self.answer = QMessageBox.StandardButton.Open
        self.file: Path | None = None

    def click(self, box: QMessageBox) -> int:
        self.said.append(box.text())
        for button in box.buttons():
            if button.text() == self.button:
                button.click()
        return 0

    def record(self, parent, title, text, *args) -> QMessageBox.StandardButton:
        self.said.append(text)
        return self.answer

    def chosen(self, *args, **kwargs) -> tuple[str, str]:
        return (str(self.file) if self.file else "", "")


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    create_application()
    answers = Dialogs()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: answers.click(box))
    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(answers.record))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(answers.chosen))
    return answers


@pytest.fixture
def start(monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs):
    """``socialdesk --workspace PATH``: the status and the window its event loop showed."""
    shown: list[MainWindow] = []

    def event_loop(app: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        shown.append(window)
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    monkeypatch.setattr(gc, "freeze", lambda: None)  # startup keeps the app's objects: not ours

    def run(path: Path) -> tuple[int, MainWindow | None]:
        status = run_gui(path)
        return status, (shown[-1] if shown else None)

    yield run
    for window in shown:
        window.safety.skip_backup_on_close()
        window.close()


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite"
    path.write_text("Shopping: flour, butter, eggs\n")
    return path


def test_a_text_file_at_startup_offers_a_new_workspace_instead_of_quitting(
        start, dialogs: Dialogs, text_file: Path, tmp_path: Path) -> None:
    dialogs.button, dialogs.file = "New workspace…", tmp_path / "fresh.sqlite"
    status, window = start(text_file)
    assert status == 0 and window is not None
    assert window.ws.path == tmp_path / "fresh.sqlite" and not window.ws.readonly
    assert f"{text_file}: is not a SocialDesk workspace" in dialogs.said[0]
    assert text_file.read_text() == "Shopping: flour, butter, eggs\n"
    assert not lock_path(text_file).exists()


def test_a_text_file_at_startup_offers_to_open_another(
        start, dialogs: Dialogs, text_file: Path, demo_path: Path) -> None:
    dialogs.button, dialogs.file = "Open another…", demo_path
    status, window = start(text_file)
    assert status == 0 and window is not None
    assert window.ws.path == demo_path
    assert reports.counts(window.ws).contacts == 150


def test_quitting_from_the_offer_ends_the_app(start, dialogs: Dialogs, text_file: Path) -> None:
    dialogs.button = "Quit"
    assert start(text_file) == (1, None)
    assert not lock_path(text_file).exists()


def test_a_workspace_on_a_read_only_disk_opens_read_only_without_a_lock(
        start, dialogs: Dialogs, demo_path: Path, disk: Path) -> None:
    path = disk / "ws.sqlite"
    shutil.copyfile(demo_path, path)
    make_read_only(disk)
    status, window = start(path)
    assert status == 0 and window is not None
    assert "is read-only" in dialogs.said[0] and "Open it read-only?" in dialogs.said[0]
    assert "damaged" not in " ".join(dialogs.said)
    assert window.ws.readonly and window.ws.path == path
    assert "(read-only)" in window.windowTitle()
    assert window.safety.lock is None and not lock_path(path).exists()
    assert reports.counts(window.ws).contacts == 150


def test_a_workspace_opened_read_only_offers_no_edit_and_refuses_one_with_why(
        dialogs: Dialogs, demo_path: Path, qtbot) -> None:
    window = MainWindow(Workspace.open_readonly(demo_path), app_settings())
    qtbot.addWidget(window)
    assert "(read-only)" in window.windowTitle()
    assert not any(action.isEnabled() for action in window.write_actions)
    assert "Read-only" in window.backup_label.text()
    before = demo_path.read_bytes()
    view = window.show_view("contacts")
    assert isinstance(view, ContactsView)
    cid = view.model.rows[3].id
    name = contacts.get_contact(window.ws, cid).name
    view.table.selectRow(3)
    view.editor.form.name_edit.setText("Renamed Read Only")
    view.editor.form.name_edit.editingFinished.emit()
    assert any("is open read-only, so changes cannot be saved" in text for text in dialogs.said)
    assert contacts.get_contact(window.ws, cid).name == name
    for name in ("today", "calendar", "partners", "planner", "reports"):
        window.show_view(name)
    window.close()
    assert demo_path.read_bytes() == before


def test_a_calendar_import_that_fills_the_disk_says_so_and_imports_nothing(
        dialogs: Dialogs, demo: Workspace, disk: Path, tmp_path: Path, qtbot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    calendar = tmp_path / "plan.ics"
    export_calendar(demo, calendar, "ics")
    path = disk / "ws.sqlite"
    Workspace.open(path, create=True).close()
    window = MainWindow(Workspace.open(path), app_settings())
    qtbot.addWidget(window)
    fill(disk, 8 << 10)
    from socialdesk.qt.calendar.import_dialog import CalendarImportOptions

    monkeypatch.setattr(CalendarImportOptions, "exec",  # the events, as the dialog offers
                        lambda self: CalendarImportOptions.DialogCode.Accepted)
    changed: list[object] = []
    transfer.import_calendar_path(window, window.ws, calendar, changed.append)
    qtbot.waitUntil(lambda: bool(changed), timeout=20_000)
    assert changed == [None]  # nothing changed
    assert any(text.startswith(f"{path}: the disk it is on is full") for text in dialogs.said)
    assert reports.counts(window.ws).posts == 0
    window.safety.skip_backup_on_close()
    window.close()


def test_a_damaged_workspace_at_startup_is_restored_then_opened(
        dialogs: Dialogs, demo_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The restore runs in the app's event loop; the window opens when it is done."""
    from socialdesk.core.backup import create as backup
    from socialdesk.qt.backup.dialogs import DamagedDialog

    with Workspace.open(demo_path) as ws:
        backup.make_backup(ws)
    data = bytearray(demo_path.read_bytes())
    data[:100] = bytes(100)
    demo_path.write_bytes(bytes(data))

    def choose_restore(dialog: DamagedDialog) -> int:
        dialog.restore_button.click()
        return 1

    monkeypatch.setattr(DamagedDialog, "exec", choose_restore)
    monkeypatch.setattr(gc, "freeze", lambda: None)  # startup keeps the app's objects: not ours
    shown: list[MainWindow] = []

    def windows() -> list[MainWindow]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()]

    def event_loop(app: QApplication) -> int:
        assert windows() == []  # the restore runs first, in this loop
        qtbot.waitUntil(lambda: bool(windows()), timeout=30_000)
        shown.extend(windows())
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert run_gui(demo_path) == 0
    [window] = shown
    try:
        assert reports.counts(window.ws).contacts == 150
        assert any("Restored" in text for text in dialogs.said)
        assert list(demo_path.parent.glob("*.damaged-*.sqlite"))
    finally:
        window.safety.skip_backup_on_close()
        window.close()
