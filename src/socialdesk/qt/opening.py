"""Opening a workspace in the GUI: lock it, open it, and when that fails offer a way on.

- Damaged: offer to restore a backup (:func:`open_or_recover`).
- Read-only (a read-only disk, folder or file): offer to open it read-only, without a
  lock file where none can be written.
- Anything else at startup (not a workspace, a newer SocialDesk's, in use): say why and
  offer to open another workspace or start a new one, instead of quitting.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from socialdesk import APP_NAME
from socialdesk.core.backup import staging
from socialdesk.core.lock import WorkspaceLock
from socialdesk.store.errors import (
    WorkspaceCorrupt,
    WorkspaceError,
    WorkspaceNotWritable,
    WorkspaceReadOnly,
)
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.backup.restore import RestoreResult

Opened = tuple[Workspace, WorkspaceLock | None]
WhenOpened = Callable[[Opened | None], None]
OPEN_ANOTHER, NEW_WORKSPACE = "Open another…", "New workspace…"


def open_locked(parent: QWidget | None, path: Path, *, create: bool,
                done: WhenOpened) -> None:
    """Lock and open ``path``, offering a restore or a read-only open when those fit.

    ``done`` hears the workspace and its lock (None for a read-only open where no lock
    file can be written), or None when the user declined; at once, or after a restore
    ran on the writer thread. Raises :class:`WorkspaceError` for anything else (the caller
    shows it).
    """
    try:
        lock = WorkspaceLock.acquire(path)
    except WorkspaceReadOnly as error:  # not even a lock file can be written beside it
        if not path.exists():
            raise WorkspaceNotWritable(path, "its folder cannot be written, so no "
                                       "workspace can be made there.") from error
        done(_offer_read_only(parent, error, None))
        return
    staging.remove_stale(path, locked=True)  # what a killed backup or restore left
    handed: list[bool] = []

    def opened(ws: Workspace | None) -> None:
        handed.append(True)
        if ws is None:
            lock.release()
            done(None)
        else:
            done((ws, lock))

    try:
        open_or_recover(parent, path, create=create, done=opened)
    except WorkspaceReadOnly as error:
        done(_offer_read_only(parent, error, lock))
    except BaseException:
        if not handed:
            lock.release()
        raise


def open_or_recover(parent: QWidget | None, path: Path, *, create: bool,
                    done: Callable[[Workspace | None], None]) -> None:
    """Open a workspace; if it is damaged, offer to restore a backup and open that.

    ``done`` hears the workspace, or None when the user chose not to restore (or the
    restored copy could not be opened: said). Failures before any restore raise
    :class:`WorkspaceError` for the caller to show (see :func:`open_locked`).
    """
    try:
        ws = Workspace.open(path, create=create)
    except WorkspaceCorrupt as error:
        from socialdesk.qt.backup.recovery import recover

        def restored(result: RestoreResult | None) -> None:
            if result is None:
                done(None)
                return
            try:
                reopened = Workspace.open(path)
            except WorkspaceError as failure:
                QMessageBox.critical(parent, f"Cannot open workspace — {APP_NAME}",
                                     str(failure))
                done(None)
                return
            done(reopened)

        recover(parent, path, str(error), restored)
        return
    done(ws)


def _offer_read_only(parent: QWidget | None, error: WorkspaceReadOnly,
                     lock: WorkspaceLock | None) -> Opened | None:
    """Ask whether to open a read-only workspace read-only; open it if so."""
    answer = QMessageBox.question(
        parent, f"Read-only workspace — {APP_NAME}",
        f"{error}\n\nOpen it read-only? You can look at everything and export it; "
        "changes cannot be saved.",
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Open)
    if answer != QMessageBox.StandardButton.Open:
        if lock is not None:
            lock.release()
        return None
    try:
        return Workspace.open_readonly(error.path), lock
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def open_at_start(path: Path, done: WhenOpened) -> None:
    """Open the workspace the app starts on; if it cannot be, say why and offer another.

    ``done`` hears None when the user quits (or declined a restore or a read-only open).
    """
    create = True
    while True:
        try:
            open_locked(None, path, create=create, done=done)
            return
        except WorkspaceError as error:
            chosen = choose_instead(error)
        if chosen is None:
            done(None)
            return
        path, create = chosen


WORKSPACE_FILTER = "SocialDesk workspaces (*.sqlite *.db);;All files (*)"


def ask_existing(parent: QWidget | None, folder: Path) -> Path | None:
    """File → Open workspace…: the file the user picked, or None."""
    name, _ = QFileDialog.getOpenFileName(parent, "Open workspace", str(folder),
                                          WORKSPACE_FILTER)
    return Path(name) if name else None


def ask_new(parent: QWidget | None, folder: Path) -> Path | None:
    """File → New workspace…: a new file name, or None (cancelled, or the file exists: said)."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "New workspace", str(folder / "New workspace.sqlite"), WORKSPACE_FILTER)
    if not name:
        return None
    path = Path(name)
    if path.exists():
        QMessageBox.warning(parent, APP_NAME, f"{path} already exists: open it instead, or "
                            "choose another name for a new workspace.")
        return None
    return path


def choose_instead(error: WorkspaceError) -> tuple[Path, bool] | None:
    """Say why a workspace cannot be opened; return another to open, or None to quit.

    The path comes with whether to create it (a new workspace) or open it.
    """
    while True:
        box = QMessageBox(QMessageBox.Icon.Warning, f"Cannot open workspace — {APP_NAME}",
                          str(error))
        box.setInformativeText("Open another workspace, start a new one, or quit.")
        open_button = box.addButton(OPEN_ANOTHER, QMessageBox.ButtonRole.AcceptRole)
        new_button = box.addButton(NEW_WORKSPACE, QMessageBox.ButtonRole.ActionRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_button:
            chosen = ask_existing(None, error.path.parent)
            if chosen is not None:
                return chosen, False
        elif clicked is new_button:
            chosen = ask_new(None, error.path.parent)
            if chosen is not None:
                return chosen, True
        else:
            return None
