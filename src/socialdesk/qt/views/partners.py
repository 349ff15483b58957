"""Partners: every contact with an audience of their own, and how likely they share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFontMetrics, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, percent, short_date
from socialdesk.core.leverage import posterior
from socialdesk.qt.contact_editor import ContactEditor
from socialdesk.qt.icons import brand_icon, ui_icon
from socialdesk.qt.table_model import ROW_ROLE, Column, RowTableModel, count_column
from socialdesk.qt.views.base import EmptyState, View, heading, make_table, muted
from socialdesk.qt.views.contacts import EDITOR_WIDTH, filter_combo, show_status, size_splitter
from socialdesk.store import contacts, partners
from socialdesk.store.contacts import ContactQuery, fts_expression
from socialdesk.store.models import PartnerRow
from socialdesk.store.schema_v1 import CONTACT_KINDS, STAGES
from socialdesk.store.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
COL_NAME, COL_AUDIENCE, COL_PLATFORMS, COL_LIKELIHOOD, COL_LAST_ASKED, COL_TOPICS = range(6)


def likelihood(row: PartnerRow) -> float:
    """The partner's share likelihood q from tie strength and past asks."""
    return posterior(row.strength, row.asks_resolved, row.asks_shared)


def _by_size(row: PartnerRow) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(row.platforms.items(), key=lambda kv: (-kv[1], kv[0])))


COLUMNS: list[Column[PartnerRow]] = [
    Column("Partner", lambda r: r.name,
           tooltip=lambda r: f"{r.name} — {r.organisation}" if r.organisation else r.name),
    count_column("Audience", lambda r: r.audience),
    Column("Per platform", _by_size,
           display=lambda v: "  ".join(f"{p} {compact(n)}" for p, n in v),
           tooltip=lambda r: "\n".join(f"{p}: {n:,}" for p, n in _by_size(r))),
    Column("Shares if asked", likelihood, display=percent, numeric=True,
           tooltip=lambda r: f"Shared {r.asks_shared} of {r.asks_resolved} answered asks; "
           f"tie strength {r.strength:.0%}"),
    Column("Last asked", lambda r: r.last_asked_on,
           display=lambda v: short_date(v, today()) if v else "never"),
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


class PartnerModel(RowTableModel[PartnerRow]):
    """Partners, sorted here in Python with a key per row (fast for thousands of rows)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self.sort_column = COL_AUDIENCE
        self.sort_order = Qt.SortOrder.DescendingOrder

    def set_rows(self, rows: Sequence[PartnerRow]) -> None:
        """Replace every row, in the current sort order."""
        super().set_rows(self._sorted(rows))

    def _sorted(self, rows: Sequence[PartnerRow]) -> list[PartnerRow]:
        value = self.columns[self.sort_column].value

        def key(row: PartnerRow) -> tuple[bool, Any]:
            raw = value(row)
            return (raw is None, raw.casefold() if isinstance(raw, str) else
                    raw if raw is not None else 0)

        ordered = sorted(rows, key=lambda r: r.name.casefold())
        ordered.sort(key=key, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        return ordered

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column's raw value (numbers as numbers), keeping selections."""
        if column < 0:
            return
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = {id(row): position for position, row in enumerate(self.rows)}
        self.rows = self._sorted(self.rows)
        new_position = [0] * len(self.rows)
        for position, row in enumerate(self.rows):
            new_position[old[id(row)]] = position
        before = self.persistentIndexList()
        self.changePersistentIndexList(
            before, [self.index(new_position[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()


class PartnerFilter(QSortFilterProxyModel):
    """Partners of one kind, stage and tag whose details match a search.

    Sorting is the source model's (``sort`` is passed on), so the proxy only filters.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind: str | None = None
        self.stage: str | None = None
        self.tag: str | None = None
        self.ids: set[int] | None = None  # matching the search text; None: no search

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Let the source sort itself."""
        self.sourceModel().sort(column, order)

    def set_filters(self, kind: str | None, stage: str | None, tag: str | None,
                    ids: set[int] | None) -> None:
        """Apply new filters."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self.kind, self.stage, self.tag, self.ids = kind, stage, tag, ids
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.kind, self.stage, self.tag, self.ids = kind, stage, tag, ids
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """Keep the rows that pass every filter."""
        source = self.sourceModel()
        if not isinstance(source, PartnerModel) or source_row >= len(source.rows):
            return False
        row = source.rows[source_row]
        tag = self.tag.casefold() if self.tag else None
        return ((self.kind is None or row.kind == self.kind)
                and (self.stage is None or row.stage == self.stage)
                and (tag is None or any(t.casefold() == tag for t in row.tags))
                and (self.ids is None or row.id in self.ids))


class PartnersView(View):
    """Partners ranked by audience or likelihood, filterable, with the same editor."""

    name = "partners"
    title = "Partners"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.model = PartnerModel(self)
        self.proxy = PartnerFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Search partners: name, organisation, e-mail, tags, notes…")
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(ui_icon("search", self.palette().placeholderText().color(), 16),
                              QLineEdit.ActionPosition.LeadingPosition)
        self.kind = filter_combo("All kinds", list(CONTACT_KINDS), "Show one kind of partner")
        self.stage = filter_combo("All stages", list(STAGES), "Show one relationship stage")
        self.tag = filter_combo("All tags", [], "Show the partners with one tag")
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(150)
        self.debounce.timeout.connect(self.apply_filters)
        self.filter.textChanged.connect(self.debounce.start)
        for combo in (self.kind, self.stage, self.tag):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.table = make_table(self.proxy, sortable=True)
        self.table.horizontalHeader().setSortIndicator(COL_AUDIENCE,
                                                       Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.setItemDelegateForColumn(COL_PLATFORMS, PlatformTotalsDelegate(self.table))
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.body = EmptyState(
            self.table,
            "No partners yet — import contacts, or add an audience to a contact (Contacts → "
            "Audiences) to make them a partner.",
        )
        self.editor = ContactEditor(ws)
        self.editor.status.connect(lambda text: show_status(self, text))
        self.splitter = splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.body)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        self.summary = muted("")
        bar = QHBoxLayout()
        bar.addWidget(heading("Partners"))
        bar.addSpacing(12)
        bar.addWidget(self.filter, 3)
        bar.addWidget(self.kind)
        bar.addWidget(self.stage)
        bar.addWidget(self.tag)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self._sized = False

    def showEvent(self, event: QShowEvent) -> None:
        """Give the table the room the editor does not need, the first time."""
        super().showEvent(event)
        size_splitter(self.splitter, EDITOR_WIDTH)

    def refresh(self) -> None:
        """Reload every partner."""
        selected = self.selected_id()
        self._fill_tags()
        rows = partners.partner_rows(self.ws)
        self.model.set_rows(rows)
        self.apply_filters()
        if not self._sized and rows:
            self._size_columns()
        if selected is not None:
            self.select_partner(selected)

    def _size_columns(self) -> None:
        self._sized = True
        self.table.resizeColumnsToContents()
        for column, widest in ((COL_NAME, 180), (COL_TOPICS, 180), (6, 200)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        self.table.setColumnWidth(COL_PLATFORMS, 180)

    def _fill_tags(self) -> None:
        chosen = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("All tags", None)
        for tag in contacts.all_tags(self.ws):
            self.tag.addItem(tag, tag)
        self.tag.setCurrentIndex(max(0, self.tag.findData(chosen)))
        self.tag.blockSignals(False)

    def apply_filters(self) -> None:
        """Filter with what is typed and chosen."""
        self.debounce.stop()
        text = self.filter.text()
        ids = (set(contacts.matching_ids(self.ws, ContactQuery(text)))
               if fts_expression(text) else None)
        self.proxy.set_filters(self.kind.currentData(), self.stage.currentData(),
                               self.tag.currentData(), ids)
        self._update_summary()

    def _update_summary(self) -> None:
        rows = self.model.rows
        shown = [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]
        total = sum(r.audience for r in shown)
        filtered = len(shown) != len(rows)
        self.summary.setText(
            (f"{len(shown):,} of {len(rows):,} partners" if filtered else
             f"{len(rows):,} partners")
            + f" with {compact(total)} followers between them (audiences overlap: the planner "
            "counts unique reach)."
        )
        self.summary.setToolTip(f"{total:,} followers")
        self.body.set_empty(
            not shown,
            "No partners match. Try fewer words or another filter." if rows else None,
        )

    # --- selection and editing ----------------------------------------------------

    def selected_id(self) -> int | None:
        """The id of the selected partner, if any."""
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        return row.id if row else None

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        if row is not None:
            self.editor.show_contact(row.id)

    def select_partner(self, contact_id: int) -> None:
        """Select a partner in the table (if it shows) and in the editor."""
        for position in range(self.proxy.rowCount()):
            index = self.proxy.index(position, 0)
            if index.data(ROW_ROLE).id == contact_id:
                self.table.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                break
        self.editor.show_contact(contact_id)

    def contact_edited(self, contact_id: int | None) -> None:
        """A contact changed: update (or add, or drop) its row, and the editor."""
        if contact_id is None:
            self.refresh()
            return
        fresh = partners.partner_rows(self.ws, [contact_id])
        rows = [r for r in self.model.rows if r.id != contact_id]
        if fresh or len(rows) != len(self.model.rows):
            selected = self.selected_id()
            self.model.set_rows(rows + fresh)
            self.apply_filters()
            if selected is not None:
                self.select_partner(selected)
        self.editor.contact_edited(contact_id)
