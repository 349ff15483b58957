"""What every view shares: a heading, configured tables, empty states."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.changes import VIEWED, Changes
from socialdesk.qt.columns import ColumnFitter
from socialdesk.store.workspace import Workspace


class View(QWidget):
    """A page of the main window; ``refresh()`` reloads it from the workspace.

    ``shows`` names the kinds of rows the view shows: after a write the window reloads
    only the views that show what it changed (see :mod:`socialdesk.core.changes`).
    """

    name = ""
    title = ""
    shows: Changes = VIEWED

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws

    def refresh(self) -> None:
        """Reload what the view shows."""

    def reload_for(self, changes: Changes) -> None:
        """Catch up with ``changes`` (some of which the view shows): reload it all."""
        self.refresh()


class Placeholder(QWidget):
    """A view's place while the view is being built: its title and "Loading…".

    The window shows it at once, before the view's code is imported and its data read;
    ``painted`` says when it was first painted since :meth:`stand_in_for`.
    """

    painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = ""
        self._told = False
        self.title = heading("")
        self.note = muted("Loading…")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def stand_in_for(self, name: str, title: str) -> None:
        """Stand in for the view ``name`` titled ``title``."""
        self.name = name
        self.title.setText(title)
        self._told = False

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint, and say so the first time."""
        super().paintEvent(event)
        if not self._told:
            self._told = True
            self.painted.emit()


def heading(text: str, scale: float = 1.5) -> QLabel:
    """A view's (or page's) title in a larger, bold font."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def section_title(text: str) -> QLabel:
    """A bold title over a section of a view."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def muted(text: str) -> QLabel:
    """Secondary text in the palette's placeholder colour, wrapped."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(label.foregroundRole().PlaceholderText)
    return label


def make_table(
    model: QAbstractItemModel, *, sortable: bool = False, stretch: int | None = None,
    table: QTableView | None = None, select_first: bool = False,
    widest: Mapping[int, int] | None = None,
) -> QTableView:
    """A read-only, row-selecting table whose columns fit their contents and its width.

    Column ``stretch`` (default: the last) takes the room to spare; ``widest`` caps what
    a column is fitted to (see :class:`~socialdesk.qt.columns.ColumnFitter`).
    ``select_first``: when rows load and none is selected, the first one is. ``table``
    configures a view of a ``QTableView`` subclass instead of a new plain one.
    """
    table = table if table is not None else QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    # Fitting columns to their contents looks at this many rows, not every row (Qt's
    # default, 1,000, makes a full table's first showing stall).
    table.horizontalHeader().setResizeContentsPrecision(50)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    ColumnFitter(table, stretch).widest.update(widest or {})
    if select_first:
        _select_first_when_loaded(table)
    table.setSortingEnabled(sortable)
    return table


def _select_first_when_loaded(table: QTableView) -> None:
    """Select the first row whenever rows load and none is selected.

    On the next turn of the event loop: after the view reselected what was selected.
    """
    def select() -> None:
        model, selection = table.model(), table.selectionModel()
        if (model.rowCount() and not selection.hasSelection()
                and table.window().isVisible()):  # not once its window closed
            table.selectRow(0)

    for signal in (table.model().modelReset, table.model().layoutChanged,
                   table.model().rowsInserted):
        signal.connect(lambda *_: QTimer.singleShot(0, table, select))


class EmptyState(QStackedWidget):
    """Shows ``content``, or a message saying what to do when there is nothing to show."""

    def __init__(self, content: QWidget, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.message = QLabel(message)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setForegroundRole(self.message.foregroundRole().PlaceholderText)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.addWidget(self.message)
        self.addWidget(content)
        self.addWidget(holder)

    def set_empty(self, empty: bool, message: str | None = None) -> None:
        """Show the message (optionally a new one) instead of the content, or not."""
        if message:
            self.message.setText(message)
        self.setCurrentIndex(1 if empty else 0)
