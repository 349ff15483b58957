"""The main window's data safety: the workspace lock, automatic and manual backups, restore.

Backups and restores run on a worker thread with their own workspace connection; the
window stays responsive (a progress dialog shows while the user must wait: on close, and
during a restore). An automatic backup is made when the window closes and once a day
while it is open.

Only what startup needs is imported at the top: the backup engine
(:mod:`socialdesk.core.backup.create`, which loads ``cryptography``) and the restore UI
(:mod:`socialdesk.qt.backup.recovery`) are imported by the methods that use them, which keeps
~60 ms off every start.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QTimer,
)
from PySide6.QtWidgets import QMessageBox

from socialdesk import APP_NAME
from socialdesk.core.backup import secrets
from socialdesk.core.changes import BACKUP_LOG
from socialdesk.core.lock import WorkspaceLock
from socialdesk.core.settings import workspace_settings
from socialdesk.qt.workers import Task, run_and_wait, start_on_worker
from socialdesk.store import backups, reports
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace, needs_inline_check

if TYPE_CHECKING:
    from socialdesk.core.backup.create import BackupResult
    from socialdesk.core.backup.restore import RestoreResult

CHECK_EVERY_MS = 60 * 60 * 1000  # look once an hour whether the daily backup is due


def _backup_job(path: Path, kind: str, passphrase: str | None) -> BackupResult:
    from socialdesk.core.backup import create as backup

    with Workspace.open(path, verify=False) as ws:
        return backup.make_backup(ws, kind=kind, passphrase=passphrase)


class BackupControl(QObject):
    """Owns the lock and the backup timer of a main window; runs backups and restores."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.lock: WorkspaceLock | None = None
        self.busy = False
        self.closed = False
        self._pending: list[Task] = []
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.backup_if_due)
        self.timer.start()
        self._opened_state = self._state()

    def _state(self) -> tuple[int, int, int]:
        """Which workspace is open and how far it has been written (this and other connections)."""
        return (id(self.ws), *self.ws.write_mark())

    def skip_backup_on_close(self) -> None:
        """No automatic backup when this window closes (--screenshot, --quit-after-startup)."""
        self.closed = True
        self.timer.stop()

    def workspace_opened(self) -> None:
        """A workspace was opened in the window: remember its state to tell later edits."""
        self._opened_state = self._state()

    def changed_since_opened(self) -> bool:
        """Whether anything was written to the open workspace since it was opened."""
        return self._state() != self._opened_state

    @property
    def ws(self) -> Workspace:
        """The window's open workspace."""
        return self.window.ws

    # --- lock and opening ---------------------------------------------------------------

    def hold(self, lock: WorkspaceLock | None) -> None:
        """Keep ``lock`` for the open workspace, giving back the previous one."""
        if self.lock is not None and self.lock is not lock:
            self.lock.release()
        self.lock = lock

    def release(self) -> None:
        """Give back the workspace's lock (the window is closing)."""
        self.hold(None)

    def open_workspace(self, path: Path, *, create: bool) -> Workspace | None:
        """Lock and open another workspace (offering a restore or a read-only open)."""
        from socialdesk.qt.opening import open_locked

        try:
            opened = open_locked(self.window, path, create=create)
        except WorkspaceError as error:
            QMessageBox.critical(self.window, f"Cannot open workspace — {APP_NAME}", str(error))
            return None
        if opened is None:
            return None
        ws, lock = opened
        self.hold(lock)
        return ws

    # --- backups ------------------------------------------------------------------------

    def _passphrase(self, *, interactive: bool) -> str | None:
        """The passphrase when backups are encrypted, else None; Cancelled if unavailable."""
        from socialdesk.qt.backup.dialogs import PassphraseDialog
        from socialdesk.qt.backup.recovery import Cancelled, remember_passphrase

        if not workspace_settings(self.ws).get("backup_encrypt"):
            return None
        known = secrets.known_passphrase(self.ws.path)
        if known:
            return known
        if not interactive:
            raise Cancelled
        dialog = PassphraseDialog(
            "Backups of this workspace are encrypted. Choose the passphrase; without it "
            "the backups cannot be restored, so keep it somewhere safe.",
            new=True, parent=self.window)
        if dialog.exec() != PassphraseDialog.DialogCode.Accepted:
            raise Cancelled
        if dialog.remember.isChecked():
            remember_passphrase(self.window, self.ws.path, dialog.passphrase.text())
        return dialog.passphrase.text()

    def start_backup(self, kind: str, *, interactive: bool) -> bool:
        """Back up on a worker thread; the status bar tells when it is done."""
        from socialdesk.qt.backup.recovery import Cancelled

        if self.busy:
            return False
        try:
            passphrase = self._passphrase(interactive=interactive)
        except Cancelled:
            if not interactive:
                self.window.statusBar().showMessage(
                    "Automatic backup skipped: the encryption passphrase is not remembered "
                    "in the keyring. Use File → Backup now.", 15000)
            return False
        self.busy = True
        path = self.ws.path

        def done(result: BackupResult | None, error: BaseException | None) -> None:
            self.busy = False
            self._pending = [o for o in self._pending if o is not outcome]
            self.window.written_by_worker(BACKUP_LOG)  # its log line: no view reloads
            if error is not None:
                if interactive:
                    QMessageBox.critical(self.window, f"Backup failed — {APP_NAME}", str(error))
                else:
                    self.window.statusBar().showMessage(f"Automatic backup failed: {error}",
                                                        30000)
                return
            assert result is not None
            self.window.statusBar().showMessage(f"Backed up to {result.path}", 8000)

        outcome = start_on_worker(self, lambda: _backup_job(path, kind, passphrase), done)
        self._pending.append(outcome)
        return True

    def backup_now(self) -> None:
        """File → Backup now."""
        self.start_backup("manual", interactive=True)

    def backup_if_due(self) -> bool:
        """The daily automatic backup, when a day has passed since the last one."""
        from socialdesk.core.backup import create as backup

        if (self.busy or self.ws.readonly or reports.counts(self.ws).empty
                or not backup.is_due(self.ws)):
            return False
        return self.start_backup("auto", interactive=False)

    def wait(self, timeout_ms: int = 60_000) -> None:
        """Wait for a running backup to finish (used on close and by tests)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.busy and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)

    def on_close(self) -> None:
        """The automatic backup when the window closes (a progress dialog if it is slow)."""
        if self.closed or getattr(self.window, "damage_reported", False):
            return  # a damaged workspace is not backed up: its copy would fail the check
        if self.ws.readonly:
            return  # nothing changed, and a backup is recorded in the workspace
        self.closed = True
        self.timer.stop()
        self.wait()
        from socialdesk.core.backup import create as backup
        from socialdesk.qt.backup.recovery import Cancelled

        try:
            if reports.counts(self.ws).empty:
                return
            if not self.changed_since_opened() and backups.last_backup(self.ws) is not None:
                return  # nothing new since it was opened, and it was backed up before
            passphrase = self._passphrase(interactive=False)
            path = self.ws.path
            if needs_inline_check(path):  # small: a blink, no need for a worker
                backup.make_backup(self.ws, kind="auto", passphrase=passphrase)
            else:
                run_and_wait(self.window, "Backing up before closing…",
                             lambda: _backup_job(path, "auto", passphrase))
        except Cancelled:
            return
        except (backup.BackupError, WorkspaceError, sqlite3.Error) as error:
            QMessageBox.warning(self.window, f"Backup failed — {APP_NAME}",
                                f"{error}\n\nYour workspace itself is saved.")

    # --- restore ------------------------------------------------------------------------

    def restore(self) -> None:
        """File → Restore…: choose a backup, confirm, restore, reopen."""
        from socialdesk.core.backup import create as backup
        from socialdesk.core.backup import ownership
        from socialdesk.qt.backup.dialogs import RestoreDialog

        folder = backup.backup_folder(self.ws)
        mine = ownership.backups_of(ownership.owner_of(self.ws), folder)
        dialog = RestoreDialog(mine, folder, self.window)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        self.restore_from(dialog.chosen)

    def restore_from(self, source: Path, *, confirm: bool = True) -> RestoreResult | None:
        """Restore ``source`` over the open workspace, after asking."""
        from socialdesk.core.backup import catalog
        from socialdesk.core.backup.restore import RestoreError, restore
        from socialdesk.qt.backup.recovery import Cancelled, ask_passphrase, restore_message

        info = catalog.inspect(source)
        if confirm:
            answer = QMessageBox.question(
                self.window, f"Restore — {APP_NAME}",
                f"Replace {self.ws.path.name} with the backup from "
                f"{catalog.local_time(info.created)}?\n\nSocialDesk first backs up the "
                "workspace as it is now, so you can come back to it.")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        path = self.ws.path
        try:
            passphrase = ask_passphrase(self.window, source, path)
        except Cancelled:
            return None
        except RestoreError as error:
            QMessageBox.critical(self.window, f"Restore failed — {APP_NAME}", str(error))
            return None
        self.wait()
        self.ws.close()
        try:
            result = run_and_wait(self.window, f"Restoring {source.name}…",
                                  lambda: restore(source, path, passphrase=passphrase),
                                  writes=True)
        except (RestoreError, WorkspaceError) as error:
            QMessageBox.critical(self.window, f"Restore failed — {APP_NAME}", str(error))
            result = None
        self.window.set_workspace(Workspace.open(path))
        if result is not None:
            self.window.statusBar().showMessage(restore_message(result).split("\n")[0], 15000)
        return result

    def offer_recovery(self, detail: str) -> None:
        """The open workspace turned out damaged: offer to restore its newest backup."""
        from socialdesk.qt.backup.recovery import recover

        path = self.ws.path
        closed: list[bool] = []

        def close() -> None:
            self.ws.close()
            closed.append(True)

        restored = recover(self.window, path, detail, before=close)
        if restored is not None or closed:
            with contextlib.suppress(WorkspaceError):
                self.window.set_workspace(Workspace.open(path, verify=False))


def last_backup_text(ws: Workspace) -> str:
    """The status bar's ``Last backup: today 18:15`` (or that there is none yet)."""
    from datetime import datetime

    from socialdesk.store import backups

    last = backups.last_backup(ws)
    if last is None:
        return "Not backed up yet"
    made = datetime.fromisoformat(last.created_at.replace("Z", "+00:00")).astimezone()
    days = (datetime.now().astimezone().date() - made.date()).days
    when = {0: "today", 1: "yesterday"}.get(days, f"{made:%d %b %Y}")
    return f"Last backup: {when} {made:%H:%M}"
