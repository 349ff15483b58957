"""Backups in the GUI: restore list, passphrase, damaged workspace, automatic backups."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QPushButton

from bad_workspaces import make_hostile, with_kdf
from held_writer import writer_held
from socialdesk.core.backup import catalog, secrets
from socialdesk.core.backup import create as backup
from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.backup.dialogs import DamagedDialog, PassphraseDialog, RestoreDialog
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.opening import open_or_recover
from socialdesk.store import reports
from socialdesk.store.workspace import Workspace

ACCEPTED = QDialog.DialogCode.Accepted


@pytest.fixture
def answers(monkeypatch):
    """Modal message boxes answer at once; what they said is kept."""
    said: list[str] = []

    def record(*args, **kwargs):
        said.append(args[2])
        return QMessageBox.StandardButton.Yes

    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return said


def opened_in(window: MainWindow, path) -> list[Workspace | None]:
    """File → Open… of ``path``: what the window was told (a refusal is told at once)."""
    opened: list[Workspace | None] = []
    window.safety.open_workspace(path, create=False, done=opened.append)
    return opened


def delete_posts(ws: Workspace) -> None:
    with ws.transaction():
        ws.conn.execute("DELETE FROM posts")


def test_restore_list_shows_date_kind_counts_and_size(qtbot, demo, tmp_path) -> None:
    create_application()
    backup.make_backup(demo, kind="auto")
    backup.make_backup(demo, passphrase="pw", rotate=False)
    folder = backup.backup_folder(demo)
    dialog = RestoreDialog(catalog.list_backups(folder), folder)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.model
    assert model.rowCount() == 2
    texts = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(2)]
    plain = next(row for row in texts if row[1] == "Automatic")
    assert plain[2] == f"{reports.counts(demo).contacts:,}"
    assert plain[4].endswith("KB")
    sealed = next(row for row in texts if row[1] == "Made by you")
    assert sealed[5] == "Encrypted"
    assert dialog.restore_button.isEnabled()
    dialog.resize(760, 420)
    dialog.grab().save(str(tmp_path / "restore-dialog.png"))


def test_a_backup_can_be_removed_from_the_restore_list(qtbot, demo, confirmations) -> None:
    create_application()
    made = {backup.make_backup(demo, kind="manual").path for _ in range(2)}
    folder = backup.backup_folder(demo)
    dialog = RestoreDialog(catalog.list_backups(folder), folder)
    qtbot.addWidget(dialog)
    chosen = dialog.selected().path
    dialog.remove_button.click()
    assert chosen.exists(), "Cancel keeps it"
    assert "cannot be restored afterwards" in confirmations.texts[-1]
    assert confirmations.buttons[-1] == ["Delete backup", "Cancel"]
    confirmations.answer = "Delete backup"
    dialog.remove_button.click()
    [kept] = made - {chosen}
    assert not chosen.exists() and kept.exists()
    assert [b.path for b in dialog.model.rows] == [kept]
    assert dialog.selected().path == kept
    dialog.remove_button.click()
    assert dialog.pages.currentIndex() == 1, "the empty state shows"
    assert not dialog.remove_button.isEnabled()


def test_restore_list_empty_state_says_what_to_do(qtbot, tmp_path) -> None:
    create_application()
    dialog = RestoreDialog([], tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.pages.currentIndex() == 1
    assert not dialog.restore_button.isEnabled()


def test_file_restore_brings_back_the_backup_and_keeps_a_safety_copy(
        window, qtbot, monkeypatch, answers, confirmations) -> None:
    confirmations.answer = "Restore"
    backup.make_backup(window.ws)
    expected = reports.counts(window.ws).posts
    delete_posts(window.ws)
    window.data_changed()
    monkeypatch.setattr(RestoreDialog, "exec", lambda dialog: (dialog.accept(), ACCEPTED)[1])
    restore_action = next(a for a in window.menuBar().actions()[0].menu().actions()
                          if a.text() == "&Restore…")
    restore_action.trigger()  # returns at once: the restore runs on the writer thread
    qtbot.waitUntil(lambda: not window.safety.restoring, timeout=20_000)
    assert reports.counts(window.ws).posts == expected
    qtbot.waitUntil(lambda: f"{expected:,} posts" in window.path_label.text())  # a worker
    kinds = [b.kind for b in catalog.list_backups(backup.backup_folder(window.ws))]
    assert "safety" in kinds


@pytest.mark.usefixtures("fresh_keyring")
def test_encrypted_restore_asks_for_the_passphrase_until_right(
        window, qtbot, monkeypatch, answers, confirmations) -> None:
    confirmations.answer = "Restore"
    made = backup.make_backup(window.ws, passphrase="river stone")
    expected = reports.counts(window.ws).posts
    delete_posts(window.ws)
    typed = iter(["wrong", "river stone"])
    problems: list[str] = []

    def type_passphrase(dialog: PassphraseDialog) -> int:
        problems.append(dialog.problem.text())
        dialog.passphrase.setText(next(typed))
        dialog.remember.setChecked(True)
        return ACCEPTED

    monkeypatch.setattr(PassphraseDialog, "exec", type_passphrase)
    restored: list[object] = []
    window.safety.restore_from(made.path, done=restored.append)
    qtbot.waitUntil(lambda: bool(restored), timeout=20_000)
    assert reports.counts(window.ws).posts == expected
    assert "Wrong passphrase" in problems[1]
    assert secrets.recall(window.ws.path) == "river stone"
    assert b"river stone" not in window.ws.path.read_bytes()


@pytest.mark.usefixtures("fresh_keyring")
def test_an_encrypted_backup_asking_for_costly_keys_is_refused_before_asking(
        window, monkeypatch, answers, tmp_path) -> None:
    sealed = backup.make_backup(window.ws, passphrase="river stone").path
    crafted = with_kdf(sealed, tmp_path / "costly.sdbackup", n=1 << 18)
    asked: list[PassphraseDialog] = []
    monkeypatch.setattr(PassphraseDialog, "exec", lambda dialog: asked.append(dialog) or 0)
    assert window.safety.restore_from(crafted, confirm=False) is None
    assert asked == []
    assert len(answers) == 1 and str(crafted) in answers[0]
    assert "encryption parameters" in answers[0]


def test_a_damaged_workspace_offers_the_newest_backup(qtbot, demo, monkeypatch, answers):
    create_application()
    backup.make_backup(demo)
    expected = reports.counts(demo).contacts
    path = demo.path
    demo.close()
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))
    offered: list[DamagedDialog] = []

    def choose_restore(dialog: DamagedDialog) -> int:
        offered.append(dialog)
        dialog.grab().save(str(path.parent / "damaged-dialog.png"))
        dialog.restore_button.click()
        return ACCEPTED

    monkeypatch.setattr(DamagedDialog, "exec", choose_restore)
    opened: list[Workspace | None] = []
    open_or_recover(None, path, create=False, done=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    [ws] = opened
    assert ws is not None
    assert reports.counts(ws).contacts == expected
    ws.close()
    assert offered and offered[0].newest is not None and "damaged" in offered[0].detail
    assert list(path.parent.glob("demo.damaged-*.sqlite"))
    assert any("kept as" in text for text in answers)


def test_declining_leaves_the_damaged_workspace_untouched(demo, monkeypatch, answers):
    create_application()
    path = demo.path
    demo.close()
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))
    monkeypatch.setattr(DamagedDialog, "exec", lambda dialog: 0)
    opened: list[Workspace | None] = []
    open_or_recover(None, path, create=False, done=opened.append)
    assert opened == [None]
    assert path.read_bytes() == bytes(data)


def test_opening_a_workspace_that_would_run_sql_of_its_own_is_refused(
        window, demo_template, tmp_path, answers):
    hostile = tmp_path / "elsewhere" / "shop.sqlite"
    hostile.parent.mkdir()
    shutil.copyfile(demo_template, hostile)
    name = make_hostile(hostile, "view")
    before = hostile.read_bytes()
    shown = window.ws.path
    assert opened_in(window, hostile) == [None]  # File → Open…
    assert len(answers) == 1 and str(hostile) in answers[0] and f"'{name}'" in answers[0]
    assert hostile.read_bytes() == before
    assert window.ws.path == shown


def test_closing_the_window_makes_an_automatic_backup(window, close_window) -> None:
    folder = backup.backup_folder(window.ws)
    close_window(window)
    made = catalog.list_backups(folder)
    assert [b.kind for b in made] == ["auto"]


def test_the_daily_timer_backs_up_when_a_day_has_passed(window, qtbot) -> None:
    assert window.safety.timer.isActive()
    window.safety.timer.timeout.emit()
    qtbot.waitUntil(lambda: not window.safety.busy, timeout=20_000)
    folder = backup.backup_folder(window.ws)
    assert [b.kind for b in catalog.list_backups(folder)] == ["auto"]
    assert "Last backup: today" in window.backup_label.text()
    window.safety.timer.timeout.emit()  # not due again today
    qtbot.waitUntil(lambda: not window.safety.busy, timeout=20_000)
    assert len(catalog.list_backups(folder)) == 1


def test_opening_a_workspace_another_socialdesk_holds_is_refused(window, tmp_path, answers):
    import subprocess
    import sys

    other = tmp_path / "other.sqlite"
    Workspace.open(other, create=True).close()
    hold = ("import sys; from socialdesk.core.lock import WorkspaceLock; "
            "l = WorkspaceLock.acquire(sys.argv[1]); print('locked', flush=True); "
            "sys.stdin.readline()")
    child = subprocess.Popen([sys.executable, "-c", hold, str(other)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        assert opened_in(window, other) == [None]
        assert "already open in another SocialDesk" in answers[-1]
    finally:
        child.communicate("\n", timeout=10)
    [ws] = opened_in(window, other)
    assert ws is not None


def test_closing_without_changes_after_a_backup_adds_none(window, qtbot, close_window) -> None:
    from socialdesk.store.workspace import Workspace

    folder = backup.backup_folder(window.ws)
    path = window.ws.path
    close_window(window)  # the first close backs up
    assert len(catalog.list_backups(folder)) == 1
    again = MainWindow(Workspace.open(path), app_settings())
    qtbot.addWidget(again)
    close_window(again)  # opened and closed without a change: no second copy
    assert len(catalog.list_backups(folder)) == 1


def test_a_backup_made_with_ctrl_b_outlives_the_automatic_one_on_close(window, qtbot,
                                                                       close_window) -> None:
    import time

    from PySide6.QtGui import QKeySequence

    folder = backup.backup_folder(window.ws)
    shortcut = next(a for a in window.menuBar().actions()[0].menu().actions()
                    if a.shortcut() == QKeySequence("Ctrl+B"))
    shortcut.trigger()
    qtbot.waitUntil(lambda: not window.safety.busy, timeout=20_000)
    [manual] = catalog.list_backups(folder)
    assert manual.kind == "manual"
    delete_posts(window.ws)
    time.sleep(1.01 - time.time() % 1)  # the automatic backup is the newer one
    close_window(window)  # backs up automatically, then rotates
    assert sorted(b.kind for b in catalog.list_backups(folder)) == ["auto", "manual"]
    assert manual.path.exists()


def test_settings_say_which_backups_are_kept_until_removed(qtbot, demo) -> None:
    from PySide6.QtWidgets import QLabel

    from socialdesk.qt.settings_pages.backups import BackupsPage

    create_application()
    backups_page = BackupsPage(demo)
    qtbot.addWidget(backups_page)
    said = " ".join(label.text() for label in backups_page.findChildren(QLabel))
    assert "Older automatic backups are removed" in said
    assert "Backups you make yourself" in said and "until you remove them" in said


def test_backup_now_shows_progress_and_cancel_leaves_no_backup(window, qtbot) -> None:
    """File → Backup now, which the user waits for, runs behind a progress dialog; its
    Cancel stops the backup and leaves no file in the backup folder."""
    import threading

    from PySide6.QtWidgets import QProgressDialog

    from socialdesk.qt.workers import start_on_worker

    folder = backup.backup_folder(window.ws)
    let_go = threading.Event()
    start_on_worker(window, lambda: let_go.wait(10), lambda *_: None, writes=True)
    window.backup_now()  # waits behind the write above
    [dialog] = [d for d in window.findChildren(QProgressDialog) if "Backing up" in d.labelText()]
    [cancel] = dialog.findChildren(QPushButton)
    assert cancel.text() == "Cancel"
    cancel.click()
    let_go.set()
    qtbot.waitUntil(lambda: not window.safety.busy, timeout=20_000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert not (folder.exists() and list(folder.iterdir()))
    window.backup_now()  # not cancelled: made
    qtbot.waitUntil(lambda: not window.safety.busy, timeout=20_000)
    assert [b.kind for b in catalog.list_backups(folder)] == ["manual"]


def test_cancel_while_restoring_leaves_the_workspace_as_it_was(
        window, qtbot, answers) -> None:
    made = backup.make_backup(window.ws)
    delete_posts(window.ws)  # typed after the backup: a restore would bring the posts back
    folder = backup.backup_folder(window.ws)
    before = sorted(folder.iterdir())
    restored: list[object] = []
    with writer_held(qtbot):
        window.safety.restore_from(made.path, confirm=False, done=restored.append)
        dialog = next(d for d in window.findChildren(QProgressDialog)
                      if d.labelText() == f"Restoring {made.path.name}…")
        cancel = dialog.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()  # while the restore waits for the writer thread
    qtbot.waitUntil(lambda: bool(restored), timeout=20_000)
    assert restored == [None] and answers == []  # stopped quietly
    assert reports.counts(window.ws).posts == 0  # the workspace reopened as it was
    assert sorted(folder.iterdir()) == before  # no safety backup
    assert [p.name for p in window.ws.path.parent.iterdir() if ".staging-" in p.name] == []


def test_cancelling_a_damaged_workspaces_restore_leaves_the_file_as_it_is(
        qtbot, demo, monkeypatch, answers):
    create_application()
    backup.make_backup(demo)
    path = demo.path
    demo.close()
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))
    monkeypatch.setattr(DamagedDialog, "exec",
                        lambda dialog: (dialog.restore_button.click(), ACCEPTED)[1])
    opened: list[Workspace | None] = []
    with writer_held(qtbot):
        open_or_recover(None, path, create=False, done=opened.append)
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, QProgressDialog) and w.labelText().startswith("Restoring"))
        cancel = dialog.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert opened == [None] and answers == []
    assert path.read_bytes() == bytes(data)  # not restored, not kept aside
    assert not list(path.parent.glob("demo.damaged-*.sqlite"))
