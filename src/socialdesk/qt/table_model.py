"""A table model over a list of plain row objects, described by column specs.

Rows are handed in whole with :meth:`RowTableModel.set_rows`; ``data()`` never touches
the database. Numbers are right-aligned and rounded; the exact value is the tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from socialdesk.core.formatting import compact, exact

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Roles as plain ints: ``data()`` runs for every role of every cell painted, and looking
# up ``Qt.ItemDataRole.X`` costs more than the rest of a call that answers None.
DISPLAY, DECORATION, TOOLTIP, ALIGNMENT, CHECK = (
    int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.DecorationRole),
    int(Qt.ItemDataRole.ToolTipRole), int(Qt.ItemDataRole.TextAlignmentRole),
    int(Qt.ItemDataRole.CheckStateRole))
UNANSWERED = frozenset(int(r) for r in (  # what a painted cell also asks: the style's own
    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole))


class TitledColumnsModel(QAbstractTableModel):
    """A table model whose columns are fixed: titles in ``HEADERS``, numbers in ``NUMERIC``."""

    HEADERS: tuple[str, ...] = ()
    NUMERIC: frozenset[int] = frozenset()  # columns of numbers: titles aligned right

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One per title."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles, right-aligned over numbers."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMERIC:
            return RIGHT
        return None


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its header, how to get the value, how to show it."""

    header: str
    value: Callable[[Row], Any]
    display: Callable[[Any], str] | None = None
    numeric: bool = False
    tooltip: Callable[[Row], str] | None = None
    colour: Callable[[Row], str | None] | None = None


def count_column(header: str, value: Callable[[Any], Any]) -> Column:
    """A right-aligned, compactly rounded number column with the exact value on hover."""
    return Column(header, value, display=compact, numeric=True,
                  tooltip=lambda row: exact(value(row)))


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of row objects."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        """The row object at a model row."""
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (none below the top level)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headers, right-aligned over numbers."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, alignment, tooltip, colour, sort key or the row object."""
        if role in UNANSWERED or not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == DISPLAY:
            value = column.value(row)
            if column.display is not None:
                return column.display(value)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            value = column.value(row)
            return (value is None, value if value is not None else 0)
        if role == ROW_ROLE:
            return row
        if role == ALIGNMENT and column.numeric:
            return RIGHT
        if role == TOOLTIP and column.tooltip is not None:
            return column.tooltip(row)
        if role == DECORATION and column.colour is not None:
            colour = column.colour(row)
            return QColor(colour) if colour else None
        return None


class SortProxy(QSortFilterProxyModel):
    """Sorts by each column's raw value (numbers as numbers), filters on every column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def lessThan(self, left: Index, right: Index) -> bool:
        """Compare raw values; strings without regard to case."""
        a = self.sourceModel().data(left, SORT_ROLE)
        b = self.sourceModel().data(right, SORT_ROLE)
        try:
            return _key(a) < _key(b)
        except TypeError:
            return str(a) < str(b)


def _key(value: Any) -> Any:
    missing, raw = value
    return (missing, raw.casefold() if isinstance(raw, str) else raw)
