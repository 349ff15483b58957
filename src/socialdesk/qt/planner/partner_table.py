"""The planner's partner table: a checkbox per partner to choose the asks, and the figures.

A chosen partner also shows its marginal reach: what it adds on top of the others chosen
(``leverage.marginal_reaches``, the figure ``socialdesk plan`` gives as ``marginal_reach``);
an unchosen one shows "—" there. The model sorts its rows itself in Python (a key per
row), which stays fast with the large demo's 5,000 partners where a sort proxy comparing
cells would not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, exact, percent
from socialdesk.core.planner import planning
from socialdesk.core.planner.leverage import marginal_reaches
from socialdesk.core.planner.likelihood import SHARE_CHANCE, ShareChance, chance_text
from socialdesk.qt.columns import fitter_of
from socialdesk.qt.formatting import day_text
from socialdesk.qt.icons import ui_icon
from socialdesk.qt.planner.post_plan import Lines, PartnerLine, PostData
from socialdesk.qt.table_model import (
    ALIGNMENT,
    CHECK,
    DECORATION,
    DISPLAY,
    RIGHT,
    TOOLTIP,
    UNANSWERED,
    Column,
    RowTableModel,
)
from socialdesk.qt.view_base import make_table

Index = QModelIndex | QPersistentModelIndex
(COL_ASK, COL_NAME, COL_P, COL_FIT, COL_AUDIENCE, COL_ADDED, COL_MARGINAL, COL_EFFORT,
 COL_LAST) = range(9)
NOT_CHOSEN = "—"
MARGINAL_TIP = "the reach this partner adds on top of the others chosen"
WARNING_COLOUR = "#c98a00"
ASKED_COLOUR = "#2f6fd6"  # the "asked" badge's colour


def likelihood_tip(line: PartnerLine) -> str:
    """Why the partner's p is what it is, in words."""
    history = (f"shared {line.shared} of {line.asked} answered asks" if line.asked
               else "never answered an ask yet, so this comes from how close you are")
    if line.last_asked_on is None:
        fresh = "never asked before"
    else:
        fresh = f"last asked {day_text(line.last_asked_on, today())}"
    return (f"{SHARE_CHANCE} {line.estimate.p:.1%}: the chance they share if you ask now.\n"
            f"Not asked lately, {line.rested:.0%}: {history};\n{fresh}.")


def share_chance_of(line: PartnerLine) -> ShareChance:
    """The partner's share chance, with the tiredness from their last ask next to it."""
    days = planning.days_since(today(), line.last_asked_on)
    return ShareChance(line.estimate.p, chance_text(line.estimate.p, line.rested, days))


def fatigue_tip(line: PartnerLine, limit: int | None = None) -> str:
    """The warning for a partner asked too often lately (empty when not)."""
    if not line.overasked:
        return ""
    limit_text = f" (more than {limit})" if limit is not None else ""
    return (f"Asked {line.recent_asks} times in the last 30 days{limit_text} — "
            "give them a rest, or they may stop sharing.")


def _last_asked_tip(line: PartnerLine) -> str:
    tip = fatigue_tip(line)
    when = (f"Last asked for another post on {line.last_asked_on}" if line.last_asked_on
            else "Never asked for another post")
    return f"{tip}\n{when}." if tip else f"{when}; {line.recent_asks} asks in the last 30 days."


def _name_tip(line: PartnerLine) -> str:
    if line.post_status:
        return (f"{line.name}: already asked for this post "
                f"({line.post_status.replace('_', ' ')})")
    return line.name


COLUMNS: list[Column[PartnerLine]] = [
    Column("Ask", lambda r: r.id, display=lambda _v: ""),
    Column("Partner", lambda r: r.name, tooltip=lambda r: _name_tip(r)),
    Column(SHARE_CHANCE, lambda r: share_chance_of(r), display=lambda v: v.text,
           numeric=True, tooltip=likelihood_tip),
    Column("Fit", lambda r: r.estimate.fit, display=percent, numeric=True,
           tooltip=lambda r: f"{r.estimate.fit:.0%} of their audience is into this post's "
           "topics (weighted by reach)"),
    Column("Audience", lambda r: r.estimate.audience, display=compact, numeric=True,
           tooltip=lambda r: f"{exact(r.estimate.audience)} followers and readers in all"),
    Column("Adds", lambda r: r.estimate.added_reach, display=compact, numeric=True,
           tooltip=lambda r: f"About {exact(round(r.estimate.added_reach))} more people "
           "expected if you ask only this partner"),
    # Filled in by the model, which knows the choice (the lines do not).
    Column("In plan", lambda r: None, numeric=True),
    Column("Time", lambda r: r.estimate.effort_minutes, display=lambda v: f"{v:.0f} min",
           numeric=True, tooltip=lambda r: "Minutes it takes you to ask them"),
    Column("Last asked", lambda r: r.last_asked_on,
           display=lambda v: day_text(v, today()) if v else "never", tooltip=_last_asked_tip),
]


class PartnerTableModel(RowTableModel[PartnerLine]):
    """Partners for one post with a checkbox each; ``toggled`` when the user ticks one.

    The rows are the plan's lines in a sort order, made when shown (see
    :class:`~socialdesk.qt.planner.post_plan.Lines`).
    """

    toggled = Signal(str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self.plan: PostData | None = None
        self.rows: Sequence[PartnerLine] = []  # type: ignore[assignment]
        self.order: list[int] = []
        self.chosen: set[str] = set()
        self.marginal: dict[str, float] = {}  # the chosen partners' marginal reach
        self.sort_column = COL_ADDED
        self.sort_order = Qt.SortOrder.DescendingOrder
        self._warning = ui_icon("triangle-alert", WARNING_COLOUR, 16)
        self._asked = ui_icon("send", ASKED_COLOUR, 16)

    def set_plan(self, plan: PostData | None, chosen: Iterable[str] = ()) -> None:
        """Show a post's partners (or none), in the current sort order, ``chosen`` ticked."""
        self.beginResetModel()
        self.plan = plan
        self.chosen = set(chosen)
        self.marginal = self._marginal()
        self.order = self._sorted()
        self.rows = Lines(plan, self.order) if plan is not None else []
        self.endResetModel()

    def set_chosen(self, ids: Iterable[str]) -> None:
        """Tick exactly these partners (and show what each adds on top of the others)."""
        if (chosen := set(ids)) == self.chosen:
            return  # as the plan was shown: no repaint of the table
        self.chosen = chosen
        self.marginal = self._marginal()
        if self.order:
            last = len(self.order) - 1
            self.dataChanged.emit(self.index(0, COL_ASK), self.index(last, COL_ASK),
                                  [Qt.ItemDataRole.CheckStateRole])
            self.dataChanged.emit(self.index(0, COL_MARGINAL), self.index(last, COL_MARGINAL))

    def _marginal(self) -> dict[str, float]:
        """``R(S) − R(S ∖ {c})`` of each chosen partner c (S: the chosen)."""
        plan = self.plan
        if plan is None:
            return {}
        terms = {c: plan.terms[c] for c in self.chosen if c in plan.terms}
        return marginal_reaches(plan.x0, terms, terms, plan.universe)

    def row_of(self, partner_id: str) -> int:
        """The model row of a partner, or -1."""
        if self.plan is None or partner_id not in self.plan.row:
            return -1
        return self.order.index(self.plan.row[partner_id])

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows are selectable; the first column is a checkbox."""
        flags = super().flags(index)
        if index.isValid() and index.column() == COL_ASK:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The checkbox state and the icons, then the columns' own values."""
        if role in UNANSWERED or not index.isValid() or self.plan is None:
            return None
        column = index.column()
        if role == CHECK and column != COL_ASK:
            return None
        cols, row = self.plan.columns, self.order[index.row()]
        if column == COL_MARGINAL:
            return self._marginal_data(cols.ids[row], role)
        if column == COL_ASK:
            if role == CHECK:
                return (Qt.CheckState.Checked if cols.ids[row] in self.chosen
                        else Qt.CheckState.Unchecked)
            if role == TOOLTIP:
                return f"Tick to ask {cols.names[row]} to share this post"
        if role == DECORATION:
            if column == COL_LAST:
                return self._warning if cols.overasked[row] else None
            if column == COL_NAME:
                return self._asked if cols.status[row] else None
            return None
        return super().data(index, role)

    def _marginal_data(self, partner_id: str, role: int) -> Any:
        """The marginal reach cell: a chosen partner's figure, "—" for the others."""
        value = self.marginal.get(partner_id)
        if role == DISPLAY:
            return NOT_CHOSEN if value is None else compact(value)
        if role == ALIGNMENT:
            return RIGHT
        if role == TOOLTIP:
            if value is None:
                return f"Not chosen. Tick to see {MARGINAL_TIP}."
            return f"About {exact(round(value))} people: {MARGINAL_TIP}."
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A tick or untick in the first column: tell the view (which sets the choice)."""
        if not index.isValid() or index.column() != COL_ASK or self.plan is None:
            return False
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        self.toggled.emit(self.plan.columns.ids[self.order[index.row()]], _checked(value))
        return True

    def _sorted(self) -> list[int]:
        """Row numbers of the plan in the current sort order (rank order: best first)."""
        if self.plan is None:
            return []
        cols = self.plan.columns
        count = len(cols.ids)
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        if self.sort_column == COL_ADDED and descending:
            return list(range(count))
        keys: Sequence[Any] = {
            COL_ASK: [pid in self.chosen for pid in cols.ids],
            COL_NAME: [name.casefold() for name in cols.names],
            COL_P: cols.p, COL_FIT: cols.fit, COL_AUDIENCE: cols.audience,
            COL_ADDED: cols.added, COL_EFFORT: cols.effort,
            COL_MARGINAL: [self.marginal.get(pid, -1.0) for pid in cols.ids],
            COL_LAST: [(day is not None, day or "") for day in cols.last_asked],
        }[self.sort_column]
        return sorted(range(count), key=keys.__getitem__, reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column's raw value (numbers as numbers), keeping the selection."""
        if column < 0 or self.plan is None:
            return
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old = [self.order[i.row()] for i in before]
        self.order = self._sorted()
        self.rows = Lines(self.plan, self.order)
        position = {row: n for n, row in enumerate(self.order)}
        self.changePersistentIndexList(
            before, [self.index(position[row], i.column())
                     for row, i in zip(old, before, strict=True)])
        self.layoutChanged.emit()


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == Qt.CheckState.Checked.value


TICK_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class PartnerTable(QTableView):
    """The table itself: Space or Enter ticks the current row's checkbox."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space or Enter toggles the current partner; other keys as usual."""
        model = self.model()
        current = self.currentIndex()
        if event.key() in TICK_KEYS and current.isValid() and model is not None:
            box = model.index(current.row(), COL_ASK)
            state = box.data(Qt.ItemDataRole.CheckStateRole)
            toggled = Qt.CheckState.Unchecked if _checked(state) else Qt.CheckState.Checked
            model.setData(box, toggled, Qt.ItemDataRole.CheckStateRole)
            return
        super().keyPressEvent(event)


def make_partner_table(model: PartnerTableModel) -> PartnerTable:
    """The configured table: sortable by any column, the partner name stretching."""
    table = make_table(model, sortable=True, stretch=COL_NAME, table=PartnerTable())
    assert isinstance(table, PartnerTable)
    header = table.horizontalHeader()
    header.setSortIndicator(COL_ADDED, Qt.SortOrder.DescendingOrder)
    metrics = table.fontMetrics()
    fitter = fitter_of(table)
    fitter.keep = (COL_NAME,)
    fitter.per_turn = True  # 50 rows of ten columns: 25–40 ms at once, refitted per post
    header.setMinimumSectionSize(metrics.horizontalAdvance("Ask") + 16)
    return table
