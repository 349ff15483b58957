"""Edit → Settings…: the workspace's settings in one dialog, saved as one undoable step.

The dialog reads every setting when it opens and writes nothing until OK: then the
changed settings are stored in one transaction by a field-by-field edit on
the main window's undo stack (so Edit → Undo puts the previous values back, those
nobody changed since), and a new backup passphrase goes into the OS keyring. Cancel
leaves everything as it was.

A value equal to its default is stored as no override; for the per-network reach rates
and the ask messages only the entries that differ from the defaults are stored.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from socialdesk import APP_NAME
from socialdesk.core.backup import secrets
from socialdesk.core.field_edits import SETTINGS
from socialdesk.core.settings import stored_form, workspace_settings
from socialdesk.qt.calendar.hashtag_groups import HashtagGroupsPage
from socialdesk.qt.icons import ui_icon
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.publish.accounts_page import AccountsPage
from socialdesk.qt.settings_pages import Problem, SettingsPage
from socialdesk.qt.settings_pages.appearance import AppearancePage
from socialdesk.qt.settings_pages.asks import AsksPage
from socialdesk.qt.settings_pages.backups import BackupsPage
from socialdesk.qt.settings_pages.reach import ReachPage
from socialdesk.qt.sync.team_page import TeamPage
from socialdesk.qt.undo import edit_fields
from socialdesk.qt.wheel import wheel_needs_focus
from socialdesk.store import settings as stored
from socialdesk.store.workspace import Workspace

PAGES: tuple[type[SettingsPage], ...] = (ReachPage, AsksPage, HashtagGroupsPage, BackupsPage,
                                         AccountsPage, TeamPage, AppearancePage)


class SettingsDialog(QDialog):
    """Pages of settings on the left, the chosen page on the right; OK, Cancel, defaults."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Settings — {APP_NAME}")
        self.ws = ws
        self.loaded = workspace_settings(ws)
        self.pages: list[SettingsPage] = [page(ws) for page in PAGES]
        self.list = QListWidget()
        self.list.setAccessibleName("Settings pages")
        self.list.setIconSize(QSize(20, 20))
        self.list.setSpacing(2)
        self.stack = QStackedWidget()
        colour = self.palette().text().color()
        for page in self.pages:
            page.load(self.loaded)
            self.list.addItem(QListWidgetItem(ui_icon(page.icon, colour, 20), page.title))
            scroll = QScrollArea()
            scroll.setWidget(page)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            self.stack.addWidget(scroll)
        width = self.list.sizeHintForColumn(0) + 28
        self.list.setFixedWidth(max(width, 150))
        self.list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.list.setCurrentRow(0)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: palette(highlight); font-weight: bold;")
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button = self.buttons.button(
            QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setText("Restore defaults")
        self.defaults_button.setToolTip("Put this page's settings back to SocialDesk's own "
                                        "(saved when you click OK)")
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addSpacing(8)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(self._natural_size())
        wheel_needs_focus(self)
        keyboard_ready(self)

    def _natural_size(self) -> QSize:
        """Big enough to show every page without scrolling, within the screen."""
        widest = max(page.sizeHint().width() for page in self.pages)
        tallest = max(page.sizeHint().height() for page in self.pages)
        margins = self.layout().contentsMargins()
        width = self.list.width() + 8 + widest + margins.left() + margins.right() + 24
        height = (tallest + self.buttons.sizeHint().height() + self.layout().spacing()
                  + margins.top() + margins.bottom() + 8)
        size = QSize(max(width, 880), max(height, 480))
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            size = size.boundedTo(QSize(screen.width() - 40, screen.height() - 60))
        return size

    def page(self, cls: type[SettingsPage]) -> SettingsPage:
        """The page of type ``cls``."""
        return next(page for page in self.pages if isinstance(page, cls))

    def show_page(self, page: SettingsPage) -> None:
        """Switch to ``page``."""
        self.list.setCurrentRow(self.pages.index(page))

    def current_page(self) -> SettingsPage:
        """The page shown."""
        return self.pages[self.list.currentRow()]

    def restore_defaults(self) -> None:
        """Restore defaults: the shown page goes back to SocialDesk's defaults."""
        self.current_page().restore_defaults()
        self.problem.hide()

    def values(self) -> dict[str, Any]:
        """Every page's values, merged."""
        merged: dict[str, Any] = {}
        for page in self.pages:
            merged.update(page.values())
        return merged

    def changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The stored forms before and after, of the settings whose value changed."""
        current = stored.stored_settings(self.ws)
        effective = workspace_settings(self.ws)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for key, value in self.values().items():
            now = effective[key]
            if key == "ask_templates":
                same = stored_form(key, value) == stored_form(key, now)
            else:
                same = value == now
            if not same:
                before[key] = current.get(key)
                after[key] = stored_form(key, value)
        return before, after

    def accept(self) -> None:
        """OK: close only when every page's values can be saved (else say what is wrong)."""
        for box in self.findChildren(QAbstractSpinBox):  # a number typed but not yet taken
            if box.hasAcceptableInput():
                box.interpretText()
        for page in self.pages:
            try:
                page.check()
            except Problem as problem:
                self.show_page(page)
                self.problem.setText(f"⚠ {problem}")
                self.problem.show()
                problem.widget.setFocus()
                return
        super().accept()

    def passphrase(self) -> str | None:
        """A new backup passphrase chosen with Set passphrase… (None if none was)."""
        page = self.page(BackupsPage)
        assert isinstance(page, BackupsPage)
        return page.new_passphrase


def edit_settings(window: Any, undo_stack: QUndoStack | None = None) -> bool:
    """Run the Settings dialog for ``window``'s workspace; True when something changed.

    The change is one command on the window's ``undo_stack``; after it (and after its
    undo and redo) the window's views that show settings recompute (``views_changed``).
    """
    ws: Workspace = window.ws
    dialog = SettingsDialog(ws, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    before, after = dialog.changes()
    passphrase = dialog.passphrase()
    if passphrase is not None:
        try:
            secrets.remember(ws.path, passphrase)
        except secrets.KeyringUnavailable as error:
            QMessageBox.warning(window, f"Settings — {APP_NAME}",
                                f"{error}\n\nBackups will ask for the passphrase instead.")
    if not after:
        return passphrase is not None

    stack = undo_stack if undo_stack is not None else window.undo_stack
    return edit_fields(stack, window, ws, SETTINGS, 0, before, after, "Change settings",
                       lambda: window.views_changed(SETTINGS.changes))
