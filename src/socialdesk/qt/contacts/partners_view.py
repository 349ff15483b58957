"""Partners: every contact with an audience of their own, and how likely they share."""

from __future__ import annotations

import sqlite3
from functools import partial

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSplitter, QVBoxLayout, QWidget

from socialdesk.core.changes import CONTACT_ROWS, POSTS, SETTINGS, Changes
from socialdesk.core.formatting import compact
from socialdesk.core.planner.leverage import ModelParams
from socialdesk.qt.columns import fitter_of
from socialdesk.qt.contacts.editor import ContactEditor
from socialdesk.qt.contacts.partners_model import (
    COL_AUDIENCE,
    COL_KIND,
    COL_LIKELIHOOD,
    COL_NAME,
    COL_ORGANISATION,
    COL_PLATFORMS,
    COL_STAGE,
    COL_TOPICS,
    PartnerFilter,
    PartnerModel,
    PlatformTotalsDelegate,
    SortedPartners,
    likelihood,
    read_params,
    read_sorted,
)
from socialdesk.qt.contacts.view import (
    EDITOR_WIDTH,
    fill_tags,
    filter_combo,
    show_status,
    size_splitter,
)
from socialdesk.qt.icons import palette_icon
from socialdesk.qt.table_model import ROW_ROLE
from socialdesk.qt.view_base import EmptyState, View, heading, make_table, muted
from socialdesk.qt.workers import LatestJob
from socialdesk.store import contacts, partners
from socialdesk.store.contacts import ContactQuery, fts_expression
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import PartnerRow
from socialdesk.store.vocabulary import CONTACT_KINDS, STAGES
from socialdesk.store.workspace import Workspace

__all__ = ["COL_AUDIENCE", "COL_LIKELIHOOD", "PartnersView", "likelihood"]


# Between steps of work spread over the event loop. Not 0: a zero single-shot is a posted
# event, and posted events posted while they are handled run in the same pass, so a chain
# of them holds the window as long as doing it all at once.
STEP_MS = 1


class PartnersView(View):
    """Partners ranked by audience or likelihood, filterable, with the same editor."""

    name = "partners"
    title = "Partners"
    # The pane's history lists the contact's asks with their posts' titles.
    shows = CONTACT_ROWS | SETTINGS | POSTS

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.model = PartnerModel(self)
        self.proxy = PartnerFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Search partners: name, organisation, e-mail, tags, notes…")
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(palette_icon("search", QPalette.ColorRole.PlaceholderText),
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
        self.table = make_table(self.proxy, sortable=True, stretch=COL_TOPICS,
                                select_first=True)
        fitter = fitter_of(self.table)
        fitter.measuring = False  # measured a column at a time: _size_column
        fitter.optional = (COL_ORGANISATION, COL_STAGE, COL_KIND)  # on a narrow table
        fitter.keep = (COL_NAME,)
        self.table.setAccessibleName("Partners")
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
        self._reselecting = False
        self._generation = 0
        # Both read on the reading thread, in turn with the other views, and wait while
        # the user is in another view.
        self.params_job = LatestJob(self)  # the model's share chances
        self.params_job.finished.connect(self._params_read)
        self.params_job.failed.connect(self._read_failed)
        self.loading = LatestJob(self)  # the partners, sorted
        self.loading.finished.connect(self._loaded)
        self.loading.failed.connect(self._read_failed)

    def showEvent(self, event: QShowEvent) -> None:
        """Give the table the room the editor does not need, the first time."""
        super().showEvent(event)
        size_splitter(self.splitter, EDITOR_WIDTH)

    def refresh(self) -> None:
        """Reload every partner, read and sorted on a worker thread.

        Always on the worker: 500 partners already took 20 ms of the GUI thread to read
        (at rest; 80 ms at a load of 6) on top of building the view in the same turn.
        """
        fill_tags(self.tag, self.ws)
        self._generation += 1
        path = self.ws.path
        self.params_job.start(lambda: read_params(path))
        self.summary.setText("Loading partners…")
        # Started once the view has painted: a read alongside slows the painting.
        QTimer.singleShot(STEP_MS, self, partial(self._start_load, self._generation))

    def _start_load(self, generation: int) -> None:
        if generation == self._generation:  # else a newer load has started
            path, column, order = self.ws.path, self.model.sort_column, self.model.sort_order
            params = self.model.params
            self.loading.start(lambda: (generation, read_sorted(path, column, order, params)))

    @staticmethod
    def _read_failed(error: BaseException) -> None:
        """The file could not be read: the GUI's own reads report a damaged workspace."""
        if not isinstance(error, (WorkspaceError, sqlite3.Error)):
            raise error  # a bug: let it show

    def _params_read(self, params: ModelParams) -> None:
        """The workspace's model arrived: the share chances become the planner's."""
        if self.window().isVisible():
            self.model.set_params(params)

    def _loaded(self, answer: tuple[int, SortedPartners]) -> None:
        generation, found = answer
        if generation != self._generation or not self.window().isVisible():
            return  # a newer load is under way, or the window closed it meanwhile
        same_order = (found.column, found.order) == (self.model.sort_column,
                                                      self.model.sort_order)
        self._show_rows(found.rows, ordered=same_order)

    def _show_rows(self, rows: list[PartnerRow], *, ordered: bool = False) -> None:
        """Show ``rows`` (``ordered``: already in the table's sort order), filtered once."""
        selected = self.selected_id()
        self._set_filters(apply=False)  # applied as the model resets
        self.model.set_rows(rows, ordered=ordered)
        self._update_summary()
        if not self._sized and rows:
            self._sized = True
            QTimer.singleShot(STEP_MS, self, lambda: self._size_column(0))
        if selected is not None:
            self._select_row(selected)
        self.editor.reload()  # what changed since, but not over typing not yet saved

    def _size_column(self, column: int, widths: dict[int, int] | None = None) -> None:
        """Measure a column's contents, the next one a turn of the event loop later.

        Once all are measured, the widths go to the table's fitter at once (one repaint).
        Measuring looks at 200 rows for each of nine columns: all at once, with a repaint
        after each, would hold the window for a tenth of a second on 5,000 partners.
        """
        widths = {} if widths is None else widths
        if column < self.model.columnCount():
            if column == COL_PLATFORMS:
                widths[column] = 180
            else:
                fitted = max(self.table.sizeHintForColumn(column),
                             self.table.horizontalHeader().sectionSizeHint(column))
                widest = {COL_NAME: 180, COL_TOPICS: 180}.get(column)
                widths[column] = min(fitted, widest) if widest is not None else fitted
            QTimer.singleShot(STEP_MS, self, lambda: self._size_column(column + 1, widths))
            return
        fitter_of(self.table).set_wanted(widths)

    def apply_filters(self) -> None:
        """Filter with what is typed and chosen (the selected partner stays selected)."""
        self.debounce.stop()
        selected = self.selected_id()
        self._set_filters(apply=True)
        self._update_summary()
        if selected is not None:
            self._select_row(selected)

    def _set_filters(self, *, apply: bool) -> None:
        text = self.filter.text()
        ids = (set(contacts.matching_ids(self.ws, ContactQuery(text)))
               if fts_expression(text) else None)
        self.proxy.set_filters(self.kind.currentData(), self.stage.currentData(),
                               self.tag.currentData(), ids, apply=apply)

    def _update_summary(self) -> None:
        rows, shown = self.model.all_rows, self.model.rows
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
        if self._reselecting:
            return
        indexes = selected.indexes()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        if row is not None:
            self.editor.show_contact(row.id)

    def select_partner(self, contact_id: int) -> None:
        """Select a partner in the table (if it shows) and in the editor."""
        self._select_row(contact_id)
        self.editor.show_contact(contact_id)

    def _select_row(self, contact_id: int) -> None:
        """Select a partner's row (if it shows), leaving the editor as it is."""
        position = next((p for p, row in enumerate(self.model.rows) if row.id == contact_id),
                        None)
        index = (self.proxy.mapFromSource(self.model.index(position, 0))
                 if position is not None else None)
        if index is not None and index.isValid():
            self._reselecting = True
            try:
                self.table.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
            finally:
                self._reselecting = False

    def reload_for(self, changes: Changes) -> None:
        """Reload the partners, or only the pane when only posts changed (their titles)."""
        if changes.touches(CONTACT_ROWS | SETTINGS):
            self.refresh()
        else:
            self.editor.reload()

    def contact_edited(self, contact_id: int | None) -> None:
        """A contact changed: update (or add, or drop) its row, and the editor."""
        if contact_id is None:
            self.refresh()
            return
        fresh = partners.partner_rows(self.ws, [contact_id])
        rows = [r for r in self.model.all_rows if r.id != contact_id]
        if fresh or len(rows) != len(self.model.all_rows):
            self._show_rows(rows + fresh)
        self.editor.contact_edited(contact_id)
