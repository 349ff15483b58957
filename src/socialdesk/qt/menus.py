"""The main window's menu bar: File, Edit, View and Help, with their shortcuts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from socialdesk import APP_NAME, __version__


def build_menus(window: Any, views: Sequence[tuple[str, str]]) -> tuple[QAction, ...]:
    """Fill the main window's menu bar; return the actions a read-only workspace disables.

    ``window`` is the :class:`~socialdesk.qt.main_window.MainWindow` (its slots are the
    menus' commands); ``views`` are its views' names and titles, in the sidebar's order.
    """
    file_menu = window.menuBar().addMenu("&File")
    _action(window, file_menu, "&New workspace…", window.new_workspace,
            QKeySequence.StandardKey.New)
    _action(window, file_menu, "&Open workspace…", window.open_workspace,
            QKeySequence.StandardKey.Open)
    file_menu.addSeparator()
    importing = _action(window, file_menu, "&Import…", window.import_file, "Ctrl+I")
    _action(window, file_menu, "&Export…", window.export_file, "Ctrl+E")
    file_menu.addSeparator()
    refreshing = _action(window, file_menu, "Refresh &results", window.publishing.refresh_results,
                         "F5")
    syncing = _action(window, file_menu, "Sy&nc now", window.syncing.sync_now)
    file_menu.addSeparator()
    backing_up = _action(window, file_menu, "&Backup now", window.backup_now, "Ctrl+B")
    restoring = _action(window, file_menu, "&Restore…", window.safety.restore)
    file_menu.addSeparator()
    quit_action = _action(window, file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    if quit_action.shortcut().isEmpty():  # some platforms define no Quit key
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))

    edit_menu = window.menuBar().addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    settings = _action(window, edit_menu, "&Settings…", window.edit_settings,
                       QKeySequence.StandardKey.Preferences)
    if settings.shortcut().isEmpty():  # Preferences has no key on Windows and Linux
        settings.setShortcut(QKeySequence("Ctrl+,"))

    view_menu = window.menuBar().addMenu("&View")
    for number, (name, title) in enumerate(views, start=1):
        _action(window, view_menu, title, lambda _=False, n=name: window.show_view(n),
                f"Ctrl+{number}")

    from socialdesk.qt import help as helping

    help_menu = window.menuBar().addMenu("&Help")
    _action(window, help_menu, "&User guide", lambda: helping.open_user_guide(window),
            QKeySequence.StandardKey.HelpContents)
    _action(window, help_menu, "&Licences", lambda: helping.show_licences(window))
    _action(window, help_menu, "&Report a problem…", lambda: helping.report_problem(window))
    help_menu.addSeparator()
    _action(window, help_menu, f"&About {APP_NAME}", lambda: about(window))
    # What a workspace opened read-only cannot do (see MainWindow._workspace_opened).
    return (importing, backing_up, restoring, settings, refreshing, syncing)


def _action(window: QMainWindow, menu: Any, text: str, slot: Callable[..., object],
            shortcut: QKeySequence.StandardKey | str | None = None) -> QAction:
    action = QAction(text, window)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def about(window: Any) -> None:
    """Show the version and where the workspace lives."""
    QMessageBox.about(
        window, f"About {APP_NAME}",
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Plan each post together with the partners who can spread it.</p>"
        f"<p>Workspace: {window.ws.path}</p>",
    )
