"""A post's asks: who was asked, what they answered, the reach of their share.

The status of every ask is a drop-down right in the table; a shared ask also gets a box
for the reach the partner saw. A change is not written here: ``outcome_requested`` asks
the planner to record it (one transaction, one undo step). A share may be recorded before
the post is published; the list then says that its reach counts in reports only once the
post is published.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, exact
from socialdesk.core.planner.ask_messages import KIT_MARK
from socialdesk.qt.formatting import day_text
from socialdesk.qt.planner.kit_actions import KitButtons
from socialdesk.qt.planner.visits_offer import VisitsOffer
from socialdesk.qt.table_model import Column, RowTableModel
from socialdesk.qt.view_base import EmptyState, make_table, muted
from socialdesk.qt.wheel import wheel_needs_focus
from socialdesk.store import asks as ask_store
from socialdesk.store.models import AskRow
from socialdesk.store.vocabulary import ASK_STATUSES
from socialdesk.store.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
COL_NAME, COL_STATUS, COL_ASKED, COL_ANSWERED, COL_REACH, COL_PREDICTED, COL_MESSAGE = range(7)
STATUS_LABELS = {"asked": "Asked", "agreed": "Agreed", "shared": "Shared",
                 "declined": "Declined", "no_reply": "No reply"}
MAX_REACH = 100_000_000
HINT = ("Record what each partner answered. A share (with the reach they saw) teaches the "
        "planner they are likely to share again.")
NOT_PUBLISHED = ("This post is not published yet: a share recorded now teaches the planner at "
                 "once, and its reach counts in Reports once the post is marked published.")


def _reach_tip(ask: AskRow) -> str:
    if ask.status != "shared":
        return "Set the answer to Shared to enter their reach"
    tip = "How many people saw their share (from their post's numbers)"
    if not ask.counts_in_reports:
        tip += " — counted in Reports once the post is published"
    return tip


def _without_kit(message: str) -> str:
    """The message as written, the share kit after it left out (it is long)."""
    written, kit, _rest = message.partition(KIT_MARK)
    return f"{written.rstrip()}\n\n(and their share kit)" if kit else message


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


COLUMNS: list[Column[AskRow]] = [
    Column("Partner", lambda a: a.contact_name),
    Column("Answer", lambda a: a.status, display=lambda v: STATUS_LABELS.get(v, v),
           tooltip=lambda a: "Choose what they answered"),
    Column("Asked", lambda a: a.asked_on, display=lambda v: day_text(v, today())),
    Column("Answered", lambda a: a.answered_on,
           display=lambda v: day_text(v, today()) if v else ""),
    Column("Their reach", lambda a: a.observed_reach,
           display=lambda v: compact(v) if v is not None else "", numeric=True,
           tooltip=_reach_tip),
    Column("Expected", lambda a: a.predicted_reach, display=compact, numeric=True,
           tooltip=lambda a: f"The planner expected about {exact(round(a.predicted_reach))} "
           "more people from this ask" if a.predicted_reach is not None else ""),
    Column("Message", lambda a: _first_line(a.message), tooltip=lambda a: _without_kit(a.message)),
]


class AskTableModel(RowTableModel[AskRow]):
    """A post's asks; the answer and reach columns are editable."""

    outcome_requested = Signal(object, str, object)  # ask, status, observed reach or None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """The answer is always editable; the reach once shared."""
        flags = super().flags(index)
        if not index.isValid():
            return flags
        if index.column() == COL_STATUS or (
                index.column() == COL_REACH and self.rows[index.row()].status == "shared"):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The raw status and reach for the editors, else the columns' own values."""
        if index.isValid() and role == Qt.ItemDataRole.EditRole:
            ask = self.rows[index.row()]
            return ask.status if index.column() == COL_STATUS else ask.observed_reach
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for a new answer or reach to be recorded (the planner writes it)."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        ask = self.rows[index.row()]
        if index.column() == COL_STATUS and value in ASK_STATUSES and value != ask.status:
            self.outcome_requested.emit(ask, value, ask.observed_reach)
            return True
        if index.column() == COL_REACH and ask.status == "shared":
            reach = int(value) if value is not None and int(value) >= 0 else None
            if reach != ask.observed_reach:
                self.outcome_requested.emit(ask, "shared", reach)
            return True
        return False


class _InPlaceEditor(QStyledItemDelegate):
    """An editor always shown in its cell, which Tab leaves for the next control.

    (Qt's delegates send Tab back to the table, which hands it to the first editor again.)
    """

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Tab and Shift+Tab move the focus on as in any form; other keys as usual."""
        if isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Tab,
                                                             Qt.Key.Key_Backtab):
            return False
        return super().eventFilter(editor, event)


class StatusEditor(_InPlaceEditor):
    """A drop-down of the answers, always shown; choosing one saves it."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        """The drop-down."""
        combo = QComboBox(parent)
        for status in ASK_STATUSES:
            combo.addItem(STATUS_LABELS[status], status)
        combo.setToolTip("What did they answer?")
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        wheel_needs_focus(combo)  # scrolling the list must not answer asks
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Show the ask's status."""
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        """Hand the chosen status to the model."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ReachEditor(_InPlaceEditor):
    """A number box for the reach of a share; saved when editing finishes."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        """The number box (empty until a reach is typed)."""
        box = QSpinBox(parent)
        box.setRange(-1, MAX_REACH)
        box.setSpecialValueText("not known")
        box.setGroupSeparatorShown(True)
        box.setAlignment(Qt.AlignmentFlag.AlignRight)
        box.setToolTip("How many people saw their share — type it from their post's numbers")
        box.editingFinished.connect(lambda b=box: self.commitData.emit(b))
        wheel_needs_focus(box)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Show the recorded reach (or "not known")."""
        assert isinstance(editor, QSpinBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setValue(-1 if value is None else int(value))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        """Hand the typed reach to the model."""
        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        value = editor.value()
        model.setData(index, None if value < 0 else value, Qt.ItemDataRole.EditRole)


class AskList(QWidget):
    """The asks made for the planned post, with their answers editable in place."""

    outcome_requested = Signal(object, str, object)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AskTableModel(self)
        self.model.outcome_requested.connect(self._requested)
        self.table = make_table(self.model, stretch=COL_MESSAGE)
        self.table.setAccessibleName("Asks for this post")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setItemDelegateForColumn(COL_STATUS, StatusEditor(self.table))
        self.table.setItemDelegateForColumn(COL_REACH, ReachEditor(self.table))
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 16)
        metrics = self.table.fontMetrics()
        for column, sample in ((COL_NAME, "Małgorzata Kowalczyk"), (COL_STATUS, "No reply"),
                               (COL_ASKED, "Wed 30 Sep"), (COL_ANSWERED, "Wed 30 Sep"),
                               (COL_REACH, "1,000,000"), (COL_PREDICTED, "Expected")):
            extra = 44 if column in (COL_STATUS, COL_REACH) else 20
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + extra)
        self.body = EmptyState(self.table, "No asks for this post yet — tick the partners to "
                               "ask on the Partners tab, then press “Create asks”.")
        self.hint = muted(HINT)
        self.ws = ws
        self.offer = VisitsOffer()
        self.offer.mark_shared.connect(lambda ask: self._requested(ask, "shared",
                                                                   ask.observed_reach))
        self.kit = KitButtons(ws)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.offer)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.kit)

    def set_asks(self, rows: Sequence[AskRow]) -> None:
        """Show these asks, each with its answer drop-down (and reach box when shared)."""
        self.model.set_rows(rows)
        for row, ask in enumerate(rows):
            self.table.openPersistentEditor(self.model.index(row, COL_STATUS))
            if ask.status == "shared":
                self.table.openPersistentEditor(self.model.index(row, COL_REACH))
        self.body.set_empty(not rows)
        unpublished = any(not ask.counts_in_reports for ask in rows)
        self.hint.setText(f"{HINT} {NOT_PUBLISHED}" if unpublished else HINT)
        self.hint.setVisible(bool(rows))
        post_id = rows[0].post_id if rows else None
        self.offer.set_offers(ask_store.visits_waiting(self.ws, post_id)
                              if post_id is not None else [])
        chosen = self.kit.ask.id if self.kit.ask is not None else None
        row = next((i for i, ask in enumerate(rows) if ask.id == chosen), 0)
        if rows:
            self.table.setCurrentIndex(self.model.index(row, COL_NAME))
        self._current_changed(self.model.index(row, COL_NAME) if rows else QModelIndex())
        self.kit.setVisible(bool(rows))

    def _current_changed(self, index: Index, _previous: Index | None = None) -> None:
        rows = self.model.rows
        self.kit.set_ask(rows[index.row()] if index.isValid() and index.row() < len(rows)
                         else None)

    def _requested(self, ask: AskRow, status: str, reach: object) -> None:
        # Later: the write reloads this table, which must not happen inside an editor's signal.
        QTimer.singleShot(0, self, lambda: self.outcome_requested.emit(ask, status, reach))
