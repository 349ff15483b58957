"""Hashtag groups in the window: the editor's "Hashtags" menu and where groups are managed.

A group is a saved set of hashtags and mentions ("#bakery #sourdough @localfarm"). The
editor's menu inserts one at the cursor of the text being edited (the main text or a
channel's own); the channel counters then count it against each network's limit like
any other text. Groups are managed in a list with a name and a text (Settings →
Hashtags, or "Manage groups…" in the menu); a change is saved at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk.qt.calendar.channel_texts import warning_colour
from socialdesk.qt.settings_pages import SettingsPage, explanation
from socialdesk.store.hashtag_groups import (
    HashtagGroup,
    delete_hashtag_group,
    hashtag_groups,
    save_hashtag_group,
)
from socialdesk.store.workspace import Workspace

MENU_TEXT = 60  # characters of a group's text shown in the menu


class HashtagGroupsEditor(QWidget):
    """The groups in a list; the chosen one's name and text, with Save, New and Delete."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.list = QListWidget()
        self.list.setAccessibleName("Hashtag groups")
        self.list.setMinimumHeight(90)
        self.list.currentItemChanged.connect(self._picked)
        self.name = QLineEdit()
        self.name.setPlaceholderText("A name: Bread, Events, Partners…")
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText("#bakery #sourdough @localfarm")
        self.body.setMaximumHeight(70)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.new_button = QPushButton("New")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton("Save group")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel("Name"))
        layout.addWidget(self.name)
        layout.addWidget(QLabel("Hashtags and mentions"))
        layout.addWidget(self.body)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.reload()

    def reload(self, chosen: int | None = None) -> None:
        """Read the groups again; pick ``chosen`` (an id), else start a new one."""
        self.list.blockSignals(True)
        self.list.clear()
        for group in hashtag_groups(self.ws):
            item = QListWidgetItem(f"{group.name} — {group.body}")
            item.setData(Qt.ItemDataRole.UserRole, group)
            self.list.addItem(item)
            if group.id == chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._picked(self.list.currentItem())

    def current(self) -> HashtagGroup | None:
        """The group picked in the list (None: a new one is being typed)."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _picked(self, item: QListWidgetItem | None, _old: Any = None) -> None:
        group = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.name.setText(group.name if group else "")
        self.body.setPlainText(group.body if group else "")
        self.delete_button.setEnabled(group is not None)
        self.save_button.setText("Save group" if group else "Add group")
        self._show_problem("")

    def start_new(self) -> None:
        """Clear the fields to type a new group."""
        self.list.setCurrentItem(None)
        self.list.clearSelection()
        self._picked(None)
        self.name.setFocus()

    def save(self) -> bool:
        """Save the fields as the picked group, or as a new one; False with a problem shown."""
        group = self.current()
        try:
            saved = save_hashtag_group(self.ws, self.name.text(), self.body.toPlainText(),
                                       group.id if group else None)
        except ValueError as error:
            self._show_problem(str(error))
            return False
        self.reload(saved)
        return True

    def delete(self) -> None:
        """Delete the picked group."""
        group = self.current()
        if group is not None:
            delete_hashtag_group(self.ws, group.id)
            self.reload()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setStyleSheet(f"color: {warning_colour(self)}; font-weight: bold;")
        self.problem.setVisible(bool(text))


class HashtagGroupsDialog(QDialog):
    """The groups editor on its own, opened from the post editor's menu."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hashtag groups")
        self.groups = HashtagGroupsEditor(ws)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation("Saved sets of hashtags and mentions, inserted into a "
                                     "post's text from the editor's Hashtags menu."))
        layout.addWidget(self.groups, 1)
        layout.addWidget(close)
        self.resize(460, 420)


class HashtagGroupsPage(SettingsPage):
    """Settings → Hashtags: the groups, saved at once (not with the dialog's OK)."""

    title = "Hashtags"
    icon = "copy"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.layout_.addWidget(explanation(
            "Saved sets of hashtags and mentions (#bakery #sourdough @localfarm), inserted "
            "into a post's text from the post editor's Hashtags menu. A change here is saved "
            "at once."))
        self.groups = HashtagGroupsEditor(ws)
        self.layout_.addWidget(self.groups, 1)

    def load(self, values: Any) -> None:
        """Nothing: the groups are not settings."""

    def values(self) -> dict[str, Any]:
        """No settings."""
        return {}


class HashtagButton(QToolButton):
    """"# Hashtags ▾": each saved group, inserted by ``insert``; and "Manage groups…"."""

    def __init__(self, ws: Workspace | None, insert: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self._insert = insert
        self.setText("# Hashtags")
        self.setToolTip("Insert a saved group of hashtags and mentions at the cursor")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self)
        menu.aboutToShow.connect(self.fill)
        self.setMenu(menu)

    def fill(self) -> None:
        """List the groups (read when the menu opens, so it shows every change)."""
        menu = self.menu()
        menu.clear()
        groups = hashtag_groups(self.ws) if self.ws is not None else []
        for group in groups:
            text = group.body if len(group.body) <= MENU_TEXT else \
                group.body[:MENU_TEXT - 1] + "…"
            action = menu.addAction(f"{group.name}: {text}")
            action.setToolTip(group.body)
            action.triggered.connect(lambda _=False, body=group.body: self._insert(body))
        if not groups:
            menu.addAction("No groups yet").setEnabled(False)
        menu.addSeparator()
        manage = menu.addAction("Manage groups…")
        manage.setEnabled(self.ws is not None)
        manage.triggered.connect(self.manage)

    def manage(self) -> None:
        """Open the groups to add, change or delete them."""
        if self.ws is not None:
            HashtagGroupsDialog(self.ws, self.window()).exec()
