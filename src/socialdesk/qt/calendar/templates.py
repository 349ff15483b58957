"""Post templates in the calendar: the "From template" menu and the templates dialog.

The menu lists the workspace's templates (each starts a new post in the editor) and
"Manage templates…", a dialog to start a post from one or delete it (undoable, like every
edit of the calendar). Templates are saved from the post editor ("More → Save as
template…").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk import APP_NAME
from socialdesk.qt.calendar.actions import CalendarActions
from socialdesk.store import post_templates

Use = Callable[[int], None]  # start a new post from the template with this id


def fill_menu(menu: QMenu, actions: CalendarActions, use: Use, manage: Callable[[], None]
              ) -> None:
    """Make ``menu`` list the templates as they are now, then "Manage templates…"."""
    menu.clear()
    templates = post_templates.list_templates(actions.ws)
    for template in templates:
        menu.addAction(template.name, lambda t=template.id: use(t))
    if not templates:
        menu.addAction("No templates yet: save one from a post (More → Save as template…)"
                       ).setEnabled(False)
    menu.addSeparator()
    menu.addAction("Manage templates…", manage)


class TemplatesDialog(QDialog):
    """The workspace's templates: start a post from one, or delete it."""

    def __init__(self, actions: CalendarActions, use: Use, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Post templates — {APP_NAME}")
        self.actions, self.use = actions, use
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self._use())
        self.empty = QLabel("No templates yet. Open a post and choose More → Save as "
                            "template… to keep its text, channels, topics and campaign.")
        self.empty.setWordWrap(True)
        self.use_button = QPushButton("New post from it")
        self.use_button.clicked.connect(self._use)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self._delete)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.actions.changed.connect(self.refresh)  # an undo elsewhere
        self.refresh()

    def refresh(self) -> None:
        """Show the templates as stored now."""
        chosen = self._chosen()
        self.list.clear()
        for template in post_templates.list_templates(self.actions.ws):
            item = QListWidgetItem(template.name)
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            item.setToolTip(template.title or template.body[:200])
            self.list.addItem(item)
            if template.id == chosen:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        has_any = self.list.count() > 0
        self.empty.setVisible(not has_any)
        self.use_button.setEnabled(has_any)
        self.delete_button.setEnabled(has_any)

    def _chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _use(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.accept()
            self.use(chosen)

    def _delete(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.actions.delete_template(chosen)
            self.refresh()
