"""The main window's File and Edit actions.

Open, new, sample data, import, export, settings, backup, and files dropped on the window.
:class:`WindowActions` is the half of :class:`~socialdesk.qt.main_window.MainWindow` that
turns these menu actions into work on the workspace; the window itself builds the views,
switches between them and keeps them current.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox

from socialdesk import APP_NAME
from socialdesk.core.changes import EVERYTHING, Changes
from socialdesk.core.clock import today
from socialdesk.qt.opening import ask_existing, ask_new
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from socialdesk.qt.backup.control import BackupControl
    from socialdesk.qt.change_watch import ChangeWatch


class WindowActions(QMainWindow):
    """Opening workspaces, importing and exporting, settings and backups.

    The window provides the workspace and its helpers below, and ``set_workspace``,
    ``finish_editing``, ``data_changed``, ``written_by_worker`` and ``current_view_name``.
    """

    ws: Workspace
    safety: BackupControl
    changes: ChangeWatch
    undo_stack: QUndoStack

    def _open_path(self, path: Path, *, create: bool) -> None:
        def opened(ws: Workspace | None) -> None:
            if ws is not None:
                self.set_workspace(ws)

        self.safety.open_workspace(path, create=create, done=opened)

    def new_workspace(self) -> None:
        """Ask for a new file name and start an empty workspace there."""
        path = ask_new(self, self.ws.path.parent)
        if path is not None:
            self._open_path(path, create=True)

    def open_workspace(self) -> None:
        """Ask for a workspace file and open it."""
        path = ask_existing(self, self.ws.path.parent)
        if path is not None:
            self._open_path(path, create=False)

    # --- actions --------------------------------------------------------------------

    def load_sample_data(self) -> None:
        """Fill the (empty) workspace with the sample bakery."""
        from socialdesk.core.demo import populate_demo

        try:
            populate_demo(self.ws, "small", seed=1, today=today())
        except (ValueError, WorkspaceError) as error:
            QMessageBox.warning(self, APP_NAME, str(error))
            return
        self.data_changed()

    def import_file(self) -> None:
        """Import contacts (or a calendar) from a file the user picks."""
        from socialdesk.qt import transfer

        self._import(lambda done: transfer.import_dialog(self, self.ws, done))

    def _import(self, run: Callable[[Callable[[Changes | None], None]], None]) -> None:
        """Start an import; when it ended (told what it changed), reload the views showing it."""
        paused = contextlib.ExitStack()  # the import's worker commits: not another program
        paused.enter_context(self.changes.paused())

        def done(changes: Changes | None) -> None:
            paused.close()
            if changes:
                self.data_imported(changes)

        try:
            run(done)
        except BaseException:
            paused.close()
            raise

    def data_imported(self, changes: Changes = EVERYTHING) -> None:
        """After an import: reload, and forget undo steps recorded against the old data."""
        self.undo_stack.clear()
        if self.current_view_name() is None:  # the welcome panel: the workspace has data now
            self.data_changed()
        else:
            self.written_by_worker(changes)

    def export_file(self) -> None:
        """Export contacts or the calendar to a file the user picks."""
        from socialdesk.qt import transfer

        transfer.export_dialog(self, self.ws)

    def edit_settings(self) -> None:
        """Edit → Settings…: the workspace's settings; OK is one step on the undo stack."""
        from socialdesk.qt.settings_dialog import edit_settings

        self.finish_editing()
        edit_settings(self)

    def backup_now(self) -> None:
        """Back up the workspace into the backups folder (on a worker thread)."""
        self.safety.backup_now()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept a contacts, calendar or analytics export file dragged onto the window."""
        from socialdesk.qt import transfer

        if not self.ws.readonly and transfer.dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import a dropped contacts file (once the drop itself has finished)."""
        from socialdesk.qt import transfer

        path = transfer.dropped_file(event.mimeData())
        if path is None:
            return
        event.acceptProposedAction()

        QTimer.singleShot(0, lambda: self._import(
            lambda done: transfer.import_path(self, self.ws, path, done)))
