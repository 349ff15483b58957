"""The sync conflicts dialog: each field changed on both sides, keep mine or keep theirs.

Opened from the status bar's "N conflicts" link. Keeping mine sends this computer's value
at the next sync; keeping theirs takes the server's into the workspace at once (one small
write on the window's connection). An edit against a deletion shows as the whole item.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.changes import Changes
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.sync.kind import Kind

HEADERS = ("Item", "Field", "Mine (this computer)", "Theirs (the server)")


def shown_value(value: Any, *, whole: bool) -> str:
    """A conflicting value as a cell shows it."""
    if whole:
        return "deleted" if value is None else "edited"
    if isinstance(value, str):
        return value
    return "" if value is None else json.dumps(value, ensure_ascii=False)


class ConflictsDialog(QDialog):
    """The pending conflicts of ``ws``; ``changed`` hears what each decision changed."""

    def __init__(self, ws: Workspace, kinds: list[Kind], changed: Callable[[Changes], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync conflicts")
        self.ws = ws
        self.kinds = kinds
        self.changed = changed
        self.ids: list[int] = []
        self.intro = QLabel(
            "These were changed both here and by someone else since the last sync. Choose "
            "which to keep: yours is sent at the next sync; theirs replaces yours now.")
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Conflicts")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.keep_mine = QPushButton("Keep &mine")
        self.keep_theirs = QPushButton("Keep &theirs")
        buttons.addButton(self.keep_mine, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.keep_theirs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.keep_mine.clicked.connect(lambda: self.keep("mine"))
        self.keep_theirs.clicked.connect(lambda: self.keep("theirs"))
        self.table.itemSelectionChanged.connect(self._enable)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 360)
        self.reload()
        keyboard_ready(self)

    def reload(self) -> None:
        """Show the conflicts still pending."""
        from socialdesk.core.sync.merge import WHOLE, pending

        shown = pending(self.ws, self.kinds)
        self.ids = [c["id"] for c in shown]
        self.table.setRowCount(len(shown))
        for row, c in enumerate(shown):
            whole = c["field"] == WHOLE
            cells = (c["title"], "the whole item" if whole else c["field"],
                     shown_value(c["mine"], whole=whole), shown_value(c["theirs"], whole=whole))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        if shown:
            self.table.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.keep_mine.setEnabled(chosen)
        self.keep_theirs.setEnabled(chosen)

    def keep(self, side: Literal["mine", "theirs"]) -> None:
        """Decide the selected conflicts for ``side``."""
        from socialdesk.core.sync.merge import resolve

        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        changes = Changes()
        for row in rows:
            try:
                changes |= resolve(self.ws, self.ids[row], side, self.kinds)
            except KeyError:
                continue  # decided meanwhile (by `socialdesk sync resolve`)
        self.changed(changes)
        self.reload()
