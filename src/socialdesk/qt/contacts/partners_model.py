"""The partners table: rows, per-platform totals, Python-side sorting, filters, loading.

Sorting happens in the source model with a key per row (Qt's proxy would call back into
Python for every comparison: seconds for 5,000 partners); the proxy only filters.
Thousands of partners are read on a worker thread with their own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact
from socialdesk.core.planner import planning
from socialdesk.core.planner.leverage import ModelParams
from socialdesk.core.planner.likelihood import SHARE_CHANCE, ShareChance, share_chance
from socialdesk.qt.formatting import day_text
from socialdesk.qt.icons import brand_icon
from socialdesk.qt.table_model import ROW_ROLE, Column, RowTableModel, count_column
from socialdesk.store import partners
from socialdesk.store.models import PartnerRow
from socialdesk.store.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
DEFAULT_PARAMS = ModelParams()  # until the workspace's model is read
(COL_NAME, COL_AUDIENCE, COL_PLATFORMS, COL_LIKELIHOOD, COL_LAST_ASKED, COL_TOPICS,
 COL_ORGANISATION, COL_KIND, COL_STAGE) = range(9)


def likelihood(row: PartnerRow, params: ModelParams | None = None) -> ShareChance:
    """The partner's share chance, as the planner gives it.

    From tie strength, past asks and how lately they were asked (``params``: the
    workspace's model, or the defaults).
    """
    days = (today() - date.fromisoformat(row.last_asked_on)).days if row.last_asked_on \
        else None
    return share_chance(row.strength, row.asks_resolved, row.asks_shared, days,
                        params or DEFAULT_PARAMS)


def _by_size(row: PartnerRow) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(row.platforms.items(), key=lambda kv: (-kv[1], kv[0])))


def partner_columns(params: Callable[[], ModelParams | None]) -> list[Column[PartnerRow]]:
    """The table's columns; the share chance with the model ``params()`` gives."""
    return [*COLUMNS[:COL_LIKELIHOOD],
            Column(SHARE_CHANCE, lambda r: likelihood(r, params()), display=lambda v: v.text,
                   numeric=True, tooltip=_chance_tip),
            *COLUMNS[COL_LIKELIHOOD + 1:]]


def _chance_tip(row: PartnerRow) -> str:
    return (f"The chance they share if you ask them now. Shared {row.asks_shared} of "
            f"{row.asks_resolved} answered asks; tie strength {row.strength:.0%}"
            + (f"; last asked {day_text(row.last_asked_on, today())}" if row.last_asked_on
               else "; never asked") + ".")


COLUMNS: list[Column[PartnerRow]] = [
    Column("Partner", lambda r: r.name,
           tooltip=lambda r: f"{r.name} — {r.organisation}" if r.organisation else r.name),
    count_column("Audience", lambda r: r.audience),
    Column("Per platform", _by_size,
           display=lambda v: "  ".join(f"{p} {compact(n)}" for p, n in v),
           tooltip=lambda r: "\n".join(f"{p}: {n:,}" for p, n in _by_size(r))),
    Column(SHARE_CHANCE, likelihood, display=lambda v: v.text, numeric=True,
           tooltip=_chance_tip),
    Column("Last asked", lambda r: r.last_asked_on,
           display=lambda v: day_text(v, today()) if v else "never"),
    Column("Top topics", lambda r: ", ".join(r.topics), tooltip=lambda r: ", ".join(r.topics)),
    Column("Organisation", lambda r: r.organisation),
    Column("Kind", lambda r: r.kind),
    Column("Stage", lambda r: r.stage),
]


class PlatformTotalsDelegate(QStyledItemDelegate):
    """Each platform's mark followed by its audience, biggest first ("◎ 12.4k  ✉ 800")."""

    ICON = 14

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the cell background, then a mark and a rounded number per platform."""
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        if widget is not None:
            widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                                       widget)
        row = index.data(ROW_ROLE)
        if row is None:
            return
        metrics = QFontMetrics(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(option.palette.highlightedText().color() if selected
                       else option.palette.text().color())
        x = option.rect.left() + 4
        for platform, size in _by_size(row):
            text = compact(size)
            width = self.ICON + 3 + metrics.horizontalAdvance(text)
            if x + width > option.rect.right():
                break
            top = option.rect.center().y() - self.ICON // 2
            brand_icon(platform, self.ICON).paint(painter, QRect(x, top, self.ICON, self.ICON))
            cell = QRect(x + self.ICON + 3, option.rect.top(), width, option.rect.height())
            painter.drawText(cell, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             text)
            x += width + 10
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Room for three platforms."""
        return QSize(3 * (self.ICON + 48), self.ICON + 8)


def sort_partners(rows: Sequence[PartnerRow], column: int, order: Qt.SortOrder,
                  params: ModelParams | None = None) -> list[PartnerRow]:
    """``rows`` by a column's raw value (numbers as numbers, text without case), then name.

    Plain Python: a worker thread can sort what it read before handing it over.
    """
    value = partner_columns(lambda: params)[column].value

    def key(row: PartnerRow) -> tuple[bool, Any]:
        raw = value(row)
        return (raw is None, raw.casefold() if isinstance(raw, str) else
                raw if raw is not None else 0)

    ordered = sorted(rows, key=lambda r: r.name.casefold())
    ordered.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
    return ordered


class PartnerModel(RowTableModel[PartnerRow]):
    """The partners that pass the filters, sorted here in Python with a key per row.

    ``all_rows`` holds every partner in order, ``rows`` the ones shown. Filtering here,
    one pass over a list, spares the proxy a call into Python for every row each time
    the rows change (5,000 calls when thousands of partners arrive).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(partner_columns(lambda: self.params), parent)
        self.params: ModelParams | None = None  # the workspace's model, once read
        self.sort_column = COL_AUDIENCE
        self.sort_order = Qt.SortOrder.DescendingOrder
        self.all_rows: list[PartnerRow] = []
        self.accepts: Callable[[PartnerRow], bool] | None = None  # None: every row

    def set_rows(self, rows: Sequence[PartnerRow], *, ordered: bool = False) -> None:
        """Replace every row, in the current sort order (``ordered``: they already are)."""
        self.all_rows = list(rows) if ordered else self._sorted(rows)
        super().set_rows(self._filtered())

    def set_filter(self, accepts: Callable[[PartnerRow], bool] | None, *,
                   apply: bool = True) -> None:
        """Show only the rows ``accepts`` passes (None: all); ``apply=False``: later."""
        self.accepts = accepts
        if apply:
            super().set_rows(self._filtered())

    def _filtered(self) -> list[PartnerRow]:
        accepts = self.accepts
        return self.all_rows if accepts is None else [r for r in self.all_rows if accepts(r)]

    def _sorted(self, rows: Sequence[PartnerRow]) -> list[PartnerRow]:
        return sort_partners(rows, self.sort_column, self.sort_order, self.params)

    def set_params(self, params: ModelParams) -> None:
        """Give the share chances with the workspace's model (calibration, fatigue…)."""
        self.params = params
        if self.sort_column == COL_LIKELIHOOD:
            self.sort(self.sort_column, self.sort_order)
        elif self.rows:
            self.dataChanged.emit(self.index(0, COL_LIKELIHOOD),
                                  self.index(len(self.rows) - 1, COL_LIKELIHOOD))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column's raw value (numbers as numbers), keeping selections."""
        if column < 0:
            return
        self.sort_column, self.sort_order = column, order
        self.all_rows = self._sorted(self.all_rows)
        self.layoutAboutToBeChanged.emit()
        old = {id(row): position for position, row in enumerate(self.rows)}
        self.rows = list(self._filtered())
        new_position = [0] * len(self.rows)
        for position, row in enumerate(self.rows):
            new_position[old[id(row)]] = position
        before = self.persistentIndexList()
        self.changePersistentIndexList(
            before, [self.index(new_position[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()


class PartnerFilter(QSortFilterProxyModel):
    """Partners of one kind, stage and tag whose details match a search.

    It holds the filters; the source model sorts (``sort`` is passed on) and filters.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind: str | None = None
        self.stage: str | None = None
        self.tag: str | None = None
        self.ids: set[int] | None = None  # matching the search text; None: no search
        self._tag_key: str | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Let the source sort itself."""
        self.sourceModel().sort(column, order)

    def set_filters(self, kind: str | None, stage: str | None, tag: str | None,
                    ids: set[int] | None, *, apply: bool = True) -> None:
        """Set new filters and apply them (``apply=False``: at the source's next rows)."""
        self.kind, self.stage, self.tag, self.ids = kind, stage, tag, ids
        self._tag_key = tag.casefold() if tag else None
        source = self.sourceModel()
        if isinstance(source, PartnerModel):
            source.set_filter(self.accepts if self.filtering() else None, apply=apply)

    def accepts(self, row: PartnerRow) -> bool:
        """Whether ``row`` passes every filter."""
        tag = self._tag_key
        return ((self.kind is None or row.kind == self.kind)
                and (self.stage is None or row.stage == self.stage)
                and (tag is None or any(t.casefold() == tag for t in row.tags))
                and (self.ids is None or row.id in self.ids))

    def filtering(self) -> bool:
        """True when any filter is set."""
        return not (self.kind is None and self.stage is None and self.tag is None
                    and self.ids is None)


@dataclass(frozen=True)
class SortedPartners:
    """Partner rows in the order of one column."""

    column: int
    order: Qt.SortOrder
    rows: list[PartnerRow]


def read_sorted(path: Path, column: int = COL_AUDIENCE,
                order: Qt.SortOrder = Qt.SortOrder.DescendingOrder,
                params: ModelParams | None = None) -> SortedPartners:
    """Every partner, read on a connection of its own and sorted (for a worker thread)."""
    with Workspace.open_readonly(path) as ws:
        return SortedPartners(column, order,
                              sort_partners(partners.partner_rows(ws), column, order, params))


def read_params(path: Path) -> ModelParams:
    """The workspace's model, as the planner uses it.

    For a worker thread: it fits the calibration on the track record.
    """
    with Workspace.open_readonly(path) as ws:
        return planning.model_params(ws)
