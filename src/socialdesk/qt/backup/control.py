"""The main window's data safety: the workspace lock, automatic and manual backups, restore.

Backups and restores run on the writer thread with their own workspace connection; the
window stays responsive (a progress dialog shows while the user must wait: on close, and
during a restore). An automatic backup is made when the window closes (the window stays
until it is made, then closes) and once a day while it is open. A close asked while a
write is under way (an import, a backup, a restore) waits until it ended and its result
was handled, then backs up and closes.

Only what startup needs is imported at the top: the backup engine
(:mod:`socialdesk.core.backup.create`, which loads ``cryptography``) and the restore UI
(:mod:`socialdesk.qt.backup.recovery`) are imported by the methods that use them, which keeps
~60 ms off every start.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from socialdesk import APP_NAME
from socialdesk.core.backup import secrets
from socialdesk.core.changes import BACKUP_LOG
from socialdesk.core.lock import WorkspaceLock
from socialdesk.core.settings import workspace_settings
from socialdesk.qt import confirm as confirmation
from socialdesk.qt.formatting import clock_text, moment_text
from socialdesk.qt.workers import Progress, Task, start_on_worker, start_with_dialog, writing
from socialdesk.store import backups
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.backup.create import BackupResult
    from socialdesk.core.backup.restore import RestoreResult

CHECK_EVERY_MS = 60 * 60 * 1000  # look once an hour whether the daily backup is due


def _backup_job(path: Path, kind: str, passphrase: str | None,
                progress: Progress | None = None) -> BackupResult:
    from socialdesk.core.backup import create as backup

    with Workspace.open(path, verify=False) as ws:
        return backup.make_backup(ws, kind=kind, passphrase=passphrase, progress=progress)


class BackupControl(QObject):
    """Owns the lock and the backup timer of a main window; runs backups and restores."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.lock: WorkspaceLock | None = None
        self.busy = False  # a backup runs
        self.closed = False  # no more automatic backups: the window closes
        self.closing = False  # the backup on close runs: the window closes when it ends
        self.restoring = False  # a restore runs: the window's workspace is closed
        self.close_waiting = False  # close once the writes under way ended
        self.finishing: QProgressDialog | None = None  # says what the close waits for
        self._pending: list[Task] = []
        writing().ended.connect(self._work_ended)
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

    def open_workspace(self, path: Path, *, create: bool,
                       done: Callable[[Workspace | None], None]) -> None:
        """Lock and open another workspace (offering a restore or a read-only open).

        ``done`` hears the workspace, or None when it was not opened (the reason shown).
        """
        from socialdesk.qt.opening import Opened, open_locked

        def opened(result: Opened | None) -> None:
            if result is None:
                done(None)
                return
            ws, lock = result
            self.hold(lock)
            done(ws)

        try:
            open_locked(self.window, path, create=create, done=opened)
        except WorkspaceError as error:
            QMessageBox.critical(self.window, f"Cannot open workspace — {APP_NAME}", str(error))
            done(None)

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
        """Back up on the writer thread; the status bar tells when it is done.

        An ``interactive`` backup (File → Backup now), which the user waits for, shows
        its progress and takes Cancel (which leaves no backup behind); the automatic one
        runs unseen.
        """
        from socialdesk.qt.backup.recovery import Cancelled

        if self.busy or self.restoring:
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
            if self.restoring:
                return  # the window's workspace is closed; the restore's end says it all
            self._work_ended()
            self.window.written_by_worker(BACKUP_LOG)  # its log line: no view reloads
            from socialdesk.core.backup.create import BackupCancelled  # loaded by the job

            if isinstance(error, BackupCancelled):
                self.window.statusBar().showMessage("Backup cancelled: none was made.", 8000)
                return
            if error is not None:
                if interactive:
                    QMessageBox.critical(self.window, f"Backup failed — {APP_NAME}", str(error))
                else:
                    self.window.statusBar().showMessage(f"Automatic backup failed: {error}",
                                                        30000)
                return
            assert result is not None
            self.window.statusBar().showMessage(f"Backed up to {result.path}", 8000)

        if interactive:
            outcome = start_with_dialog(
                self.window, "Backing up…",
                lambda progress: _backup_job(path, kind, passphrase, progress), done,
                writes=True, what="the backup")
        else:
            outcome = start_on_worker(self, lambda: _backup_job(path, kind, passphrase), done,
                                      writes=True, what="the backup")
        self._pending.append(outcome)
        return True

    def backup_now(self) -> None:
        """File → Backup now."""
        self.start_backup("manual", interactive=True)

    def backup_if_due(self) -> bool:
        """The daily automatic backup, when a day has passed since the last one."""
        from socialdesk.core.backup import create as backup

        if (self.busy or self.restoring or self.ws.readonly or not self.ws.holds_data()
                or not backup.is_due(self.ws)):
            return False
        return self.start_backup("auto", interactive=False)

    def close_when_backed_up(self) -> bool:
        """The automatic backup when the window closes; True when the close must wait for it.

        The backup runs on the writer thread behind a progress dialog, and the window is
        closed again once it ends; while it runs, another close request starts nothing.
        While a write is under way (an import, a backup, a restore) the close waits until
        it ended and its result was handled, a progress dialog saying what it finishes,
        and the window is closed again then.
        """
        if self.closing:
            return True
        if self.busy or self.restoring or writing().under_way():
            self._wait_to_close()  # close (and back up) once they ended
            return True
        if self.closed or getattr(self.window, "damage_reported", False):
            return False  # a damaged workspace is not backed up: its copy would fail the check
        if self.ws.readonly:
            return False  # nothing changed, and a backup is recorded in the workspace
        self.closed = True
        self.timer.stop()
        from socialdesk.core.backup import create as backup
        from socialdesk.qt.backup.recovery import Cancelled

        try:
            if not self.ws.holds_data():
                return False
            if not self.changed_since_opened() and backups.last_backup(self.ws) is not None:
                return False  # nothing new since it was opened, and it was backed up before
            passphrase = self._passphrase(interactive=False)
        except Cancelled:
            return False
        except (WorkspaceError, sqlite3.Error) as error:
            _backup_failed(self.window, error)
            return False
        path = self.ws.path

        def done(_result: BackupResult | None, error: BaseException | None) -> None:
            self.closing = False
            if isinstance(error, (backup.BackupError, WorkspaceError, sqlite3.Error)):
                _backup_failed(self.window, error)
            QTimer.singleShot(0, self.window.close)  # once this backup is no longer under way
            if error is not None and not isinstance(
                    error, (backup.BackupError, WorkspaceError, sqlite3.Error)):
                raise error

        self.closing = True
        start_with_dialog(self.window, "Backing up before closing…",
                          lambda progress: _backup_job(path, "auto", passphrase, progress),
                          done, cancellable=False, writes=True, what="the backup")
        return True

    def _wait_to_close(self) -> None:
        """Close once the writes under way ended; a progress dialog says what they are."""
        self.close_waiting = True
        under_way = writing().under_way()
        if self.finishing is not None or not under_way:
            return
        what = " and ".join(dict.fromkeys(under_way))
        self.finishing = QProgressDialog(f"Finishing {what}…", "", 0, 0, self.window)
        self.finishing.setCancelButton(None)
        self.finishing.setWindowModality(Qt.WindowModality.WindowModal)
        self.finishing.setAutoClose(False)
        self.finishing.setAutoReset(False)
        self.finishing.show()

    def _work_ended(self) -> None:
        """A write ended: close the window if that was asked for meanwhile."""
        if self.close_waiting and not (self.busy or self.restoring
                                       or writing().under_way()):
            self.close_waiting = False
            if self.finishing is not None:
                self.finishing.close()
                self.finishing.deleteLater()
                self.finishing = None
            QTimer.singleShot(0, self.window.close)

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

    def restore_from(self, source: Path, *, confirm: bool = True,
                     done: Callable[[RestoreResult | None], None] = lambda _result: None,
                     ) -> Task | None:
        """Restore ``source`` over the open workspace, after asking; reopen it when done.

        Returns the running restore (None when nothing was started); ``done`` hears what
        was restored (None when it failed) once the window shows the workspace again.
        """
        from socialdesk.core.backup import catalog
        from socialdesk.core.backup.restore import RestoreCancelled, RestoreError, restore
        from socialdesk.qt.backup.recovery import Cancelled, ask_passphrase, restore_message

        if self.restoring:
            return None
        info = catalog.inspect(source)
        if confirm and not confirmation.confirm(
                self.window, "Restore",
                f"Replace {self.ws.path.name} with the backup from "
                f"{moment_text(info.created)}?\n\nSocialDesk first backs up the "
                "workspace as it is now, so you can come back to it.", "Restore"):
            return None
        path = self.ws.path
        try:
            passphrase = ask_passphrase(self.window, source, path)
        except Cancelled:
            return None
        except RestoreError as error:
            QMessageBox.critical(self.window, f"Restore failed — {APP_NAME}", str(error))
            return None

        def restored(result: RestoreResult | None, error: BaseException | None) -> None:
            if isinstance(error, (RestoreError, WorkspaceError)) and not isinstance(
                    error, RestoreCancelled):
                QMessageBox.critical(self.window, f"Restore failed — {APP_NAME}", str(error))
            self.restoring = False
            self.window.set_workspace(Workspace.open(path))
            if error is not None and not isinstance(error, (RestoreError, WorkspaceError)):
                raise error
            if result is not None:
                self.window.statusBar().showMessage(restore_message(result).split("\n")[0],
                                                    15000)
            self._work_ended()
            done(result)

        self.restoring = True
        self.ws.close()  # a backup still running has its own connection; it ends first
        return start_with_dialog(self.window, f"Restoring {source.name}…",
                                 lambda progress: restore(source, path, passphrase=passphrase,
                                                          progress=progress),
                                 restored, writes=True, what="the restore")

    def offer_recovery(self, detail: str) -> None:
        """The open workspace turned out damaged: offer to restore its newest backup."""
        from socialdesk.qt.backup.recovery import recover

        path = self.ws.path
        closed: list[bool] = []

        def close() -> None:
            self.restoring = True
            self.ws.close()
            closed.append(True)

        def restored(result: RestoreResult | None) -> None:
            self.restoring = False
            if result is not None or closed:
                with contextlib.suppress(WorkspaceError):
                    self.window.set_workspace(Workspace.open(path, verify=False))
            self._work_ended()

        recover(self.window, path, detail, restored, before=close)


def _backup_failed(window: QWidget, error: BaseException) -> None:
    QMessageBox.warning(window, f"Backup failed — {APP_NAME}",
                        f"{error}\n\nYour workspace itself is saved.")


def last_backup_text(ws: Workspace) -> str:
    """The status bar's ``Last backup: today 18:15`` (or that there is none yet)."""
    from datetime import datetime

    from socialdesk.store import backups

    last = backups.last_backup(ws)
    if last is None:
        return "Not backed up yet"
    made = datetime.fromisoformat(last.created_at.replace("Z", "+00:00")).astimezone()
    days = (datetime.now().astimezone().date() - made.date()).days
    if days in (0, 1):
        return f"Last backup: {('today', 'yesterday')[days]} {clock_text(made)}"
    return f"Last backup: {moment_text(made)}"
