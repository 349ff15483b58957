"""Contacts: search-as-you-type over every contact, filters, and an editable detail pane."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.changes import CONTACT_ROWS, POSTS, Changes
from socialdesk.core.settings import default_effort
from socialdesk.qt.columns import fitter_of
from socialdesk.qt.confirm import confirm
from socialdesk.qt.contacts.commands import CreateContact, DeleteContact, undo_stack_for
from socialdesk.qt.contacts.editor import ContactEditor
from socialdesk.qt.contacts.model import (
    COL_FOLLOW_UP,
    COL_KIND,
    COL_NAME,
    COL_STAGE,
    COL_TAGS,
    ContactsModel,
)
from socialdesk.qt.icons import palette_icon
from socialdesk.qt.table_model import ROW_ROLE
from socialdesk.qt.view_base import EmptyState, View, heading, make_table, muted
from socialdesk.store import contacts
from socialdesk.store.contact_snapshot import snapshot_contact
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.interactions import ask_count
from socialdesk.store.models import Contact
from socialdesk.store.vocabulary import CONTACT_KINDS, STAGES
from socialdesk.store.workspace import Workspace


def filter_combo(everything: str, values: list[str], tip: str) -> QComboBox:
    """A combo offering ``everything`` (no filter) and then each value."""
    combo = QComboBox()
    combo.setToolTip(tip)
    combo.addItem(everything, None)
    for value in values:
        combo.addItem(value.title() if value.islower() else value, value)
    return combo


def fill_tags(combo: QComboBox, ws: Workspace) -> None:
    """Offer the workspace's tags in a tag filter, keeping the chosen one (no signal)."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("All tags", None)
    for tag in contacts.all_tags(ws):
        combo.addItem(tag, tag)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)


def confirm_delete(parent: QWidget, ws: Workspace, contact_id: int, name: str) -> bool:
    """Ask before deleting a contact that has asks (they go with it); True to go ahead."""
    asks = ask_count(ws, contact_id)
    if not asks:
        return True
    return confirm(
        parent, "Delete contact",
        f"Delete {name}?\n\nThe {asks} ask{'s' if asks != 1 else ''} made to them will be "
        "deleted too, and the planner forgets how often they shared. "
        "You can undo this with Edit → Undo.", "Delete contact")


EDITOR_WIDTH = 430
FIT_ROWS = 30  # rows the table's columns are fitted to: about a screenful
KEEP_LOADED = 2000  # rows a reload keeps offered to stay scrolled; beyond, it starts over


def size_splitter(splitter: QSplitter, right: int) -> None:
    """Once, when first shown: ``right`` pixels for the editor, the rest for the table."""
    if splitter.property("sized"):
        return
    splitter.setProperty("sized", True)
    total = splitter.width()
    splitter.setSizes([max(total - right, total // 2), min(right, total // 2)])


def show_status(widget: QWidget, text: str) -> None:
    """Show a passing message in the main window's status bar, if there is one."""
    bar = getattr(widget.window(), "statusBar", None)
    if callable(bar):
        bar().showMessage(text, 8000)


class ContactsView(View):
    """Every contact, searchable, filterable by kind, stage and tag, sortable, editable."""

    name = "contacts"
    title = "Contacts"
    # The pane's history lists the contact's asks with their posts' titles.
    shows = CONTACT_ROWS | POSTS

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.model = ContactsModel(ws, self)
        self._reloading = False
        self._keep: int | None = None  # the contact to select again after a reset
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, organisation, e-mail, tags, notes…")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(palette_icon("search", QPalette.ColorRole.PlaceholderText),
                              QLineEdit.ActionPosition.LeadingPosition)
        self.kind = filter_combo("All kinds", list(CONTACT_KINDS), "Show one kind of contact")
        self.stage = filter_combo("All stages", list(STAGES), "Show one relationship stage")
        self.tag = filter_combo("All tags", [], "Show the contacts with one tag")
        self.count = muted("")
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(150)
        self.debounce.timeout.connect(self.apply_query)
        self.search.textChanged.connect(self.debounce.start)
        for combo in (self.kind, self.stage, self.tag):
            combo.currentIndexChanged.connect(self.apply_query)

        # The model reads nothing until refresh(): these sorts only choose the order.
        self.table = make_table(self.model, sortable=True, stretch=COL_TAGS)
        self.table.setAccessibleName("Contacts")
        fitter = fitter_of(self.table)
        fitter.optional = (COL_FOLLOW_UP, COL_STAGE, COL_KIND)  # on a narrow table
        fitter.keep = (COL_NAME,)
        # Fitted to a screenful of rows, not make_table's 50: measuring eight columns over
        # 50 rows took 13 ms of every search's answer on a quiet machine (5 ms over 30).
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        # Resets may come later than the query that caused them (a large workspace's
        # order is read on a worker): the selection is kept across every reset. (Connected
        # after the table, whose selection model clears itself on the same signal.)
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.modelReset.connect(self._after_reset)
        self.model.ordered.connect(self._order_arrived)
        # A search found as the table scrolls says its count once the last match is found.
        self.model.rowsInserted.connect(lambda *_: self._update_state())
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.editor = ContactEditor(ws)
        self.editor.status.connect(lambda text: show_status(self, text))
        self.body = EmptyState(self.table, "")
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.body)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)

        self.new_button = QPushButton(palette_icon("user-plus"),
                                      "New contact")
        self.new_button.setToolTip("Add a contact (Ctrl+Shift+N)")
        self.new_button.clicked.connect(self.new_contact)
        self.delete_button = QPushButton(palette_icon("trash-2"),
                                         "Delete")
        self.delete_button.setToolTip("Delete the selected contact (Delete); Edit → Undo "
                                      "brings them back")
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setEnabled(False)
        self._actions()

        bar = QHBoxLayout()
        bar.addWidget(heading("Contacts"))
        bar.addSpacing(12)
        bar.addWidget(self.search, 3)
        bar.addWidget(self.kind)
        bar.addWidget(self.stage)
        bar.addWidget(self.tag)
        under = QHBoxLayout()
        under.addWidget(self.count, 1)
        under.addWidget(self.new_button)
        under.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(under)
        layout.addWidget(self.splitter, 1)

    def is_busy(self) -> bool:
        """True while a sort order is being read on the worker (screenshots wait for it)."""
        return self.model.waiting

    def showEvent(self, event: QShowEvent) -> None:
        """Give the table the room the editor does not need, the first time."""
        super().showEvent(event)
        size_splitter(self.splitter, EDITOR_WIDTH)

    def _actions(self) -> None:
        new = QAction("New contact", self)
        new.setShortcut(QKeySequence("Ctrl+Shift+N"))
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(self.new_contact)
        delete = QAction("Delete contact", self.table)
        delete.setShortcuts(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        find = QAction("Find", self)
        find.setShortcuts(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(new)
        self.addAction(find)
        self.table.addAction(delete)

    # --- querying -------------------------------------------------------------------

    def current_query(self) -> ContactQuery:
        """The query the search box and filters describe, in the table's sort order."""
        old = self.model.query
        return ContactQuery(self.search.text(), self.kind.currentData(), old.sort,
                            old.descending, self.stage.currentData(), self.tag.currentData())

    def apply_query(self) -> None:
        """Re-run the search with what is typed and chosen."""
        self.debounce.stop()
        self._reload(self.current_query())

    def refresh(self) -> None:
        """Reload the table, the tag list and the contact shown from the workspace.

        Up to ``KEEP_LOADED`` rows loaded stay loaded (the table stays scrolled where it
        was) and the selected contact stays selected; the pane shows their stored fields,
        or the first contact when they are gone (see :meth:`ContactEditor.reload`).
        """
        fill_tags(self.tag, self.ws)
        self.editor.reload()
        query = self.current_query()
        if query == self.model.query and self.model.rowCount() <= KEEP_LOADED:
            self.model.reset(keep_loaded=True)
            self._update_state()
        else:
            self._reload(query)
        if not self.table.property("sized"):
            self.table.setProperty("sized", True)
            for column, width in enumerate((190, 170, 80, 80, 210)):
                self.table.setColumnWidth(column, width)
        # A timer, not a posted call (those run before the table paints): the table shows,
        # the event loop breathes, then the editor is built (the first time, a part per
        # turn) and fills.
        QTimer.singleShot(1, self, lambda: self.editor.when_built(self._select_first))

    def _select_first(self) -> None:
        """Select the first contact when none is shown, so the pane beside shows someone."""
        if (self.editor.shown_id is None and not self.table.selectionModel().hasSelection()
                and self.model.rowCount()):
            self.table.selectRow(0)

    def _reload(self, query: ContactQuery | None = None) -> None:
        """Run the query again, keeping the selected contact selected where it still shows.

        Without ``query``, the same one keeping as many rows (those shown are read again).
        """
        if query is None:
            self.model.reset(keep_loaded=True)
        else:
            self.model.set_query(query)
        self._update_state()

    def _before_reset(self) -> None:
        # The contact in the editor, which the selection shows, unless none is shown.
        shown = self.editor.contact.id if self.editor.contact is not None else None
        self._keep = shown or self.selected_id()
        self._reloading = True

    def _after_reset(self) -> None:
        self._select_kept()
        self.delete_button.setEnabled(self.editor.contact is not None)
        self._update_state()

    def _select_kept(self) -> None:
        """Select the contact shown before the last reset again, if it is listed."""
        self._reloading = True
        try:
            row = self.model.row_of(self._keep) if self._keep else None
            if row is not None:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        finally:
            self._reloading = False

    def _order_arrived(self) -> None:
        """The whole order came after a first page: fetch on if the table shows its end."""
        if not self.table.selectionModel().hasSelection():
            self._select_kept()  # it may lie beyond the first page
        self._update_state()
        bar = self.table.verticalScrollBar()
        if bar.value() == bar.maximum() and self.model.canFetchMore():
            self.model.fetchMore()

    def _update_state(self) -> None:
        total = self.model.total
        searching = self.model.query.filtered
        if self.model.pending:
            if not self.model.searching:  # a search on the worker ends in a moment: the
                self.count.setText("Searching…" if searching else "Sorting…")  # count stays
            return
        if total is None:  # counted once the order read on the worker arrives: until
            return  # then the count shown stays (none when the view opens)
        more = "" if self.model.total_exact else "+"  # found as the table scrolls
        noun = f"{total:,}{more} contact{'s' if total != 1 else ''}"
        self.count.setText(noun + (" match" if searching and total != 1 else
                                   " matches" if searching else ""))
        message = ("No contacts match. Try fewer or shorter words, or another filter."
                   if searching else
                   "No contacts yet — use File → Import… to bring in your address book, "
                   "or add one with New contact.")
        self.body.set_empty(total == 0, message)

    # --- selection and editing ------------------------------------------------------

    def selected_id(self) -> int | None:
        """The id of the contact selected in the table, if any."""
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        return row.id if row else None

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        if self._reloading and (row is None or row.id == self.editor.shown_id):
            return  # the editor goes on showing the contact (and what is being typed)
        self.editor.show_contact(row.id if row else None)
        self.delete_button.setEnabled(self.editor.contact is not None)

    def select_contact(self, contact_id: int) -> None:
        """Show a contact in the editor, and select it in the table if it is listed."""
        row = self.model.row_of(contact_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.editor.show_contact(contact_id)
        self.delete_button.setEnabled(self.editor.contact is not None)

    def reload_for(self, changes: Changes) -> None:
        """Reload the table, or only the pane when only posts changed (their titles)."""
        if changes.touches(CONTACT_ROWS):
            self.refresh()
        else:
            self.editor.reload()

    def contact_edited(self, contact_id: int | None) -> None:
        """A contact changed (an edit, an undo, a redo): update its row and the editor."""
        if contact_id is None or not self.model.update_contact(contact_id):
            self._reload()
        self.editor.contact_edited(contact_id)
        self.delete_button.setEnabled(self.editor.contact is not None)

    def new_contact(self) -> None:
        """Add a contact (of the kind and stage filtered on) and put the cursor in its name."""
        command = CreateContact(self.ws, Contact(
            id=0, name="New contact", kind=self.kind.currentData() or "customer",
            stage=self.stage.currentData() or "aware",
            tags=(self.tag.currentData(),) if self.tag.currentData() else (),
            effort_minutes=default_effort(self.ws),
        ), self.editor.notify)
        undo_stack_for(self).push(command)
        if command.contact_id:
            self.select_contact(command.contact_id)
            self.editor.focus_name()

    def delete_selected(self) -> None:
        """Delete the contact shown in the editor (asking first if they have asks)."""
        contact = self.editor.contact
        if contact is None:
            return
        if not confirm_delete(self, self.ws, contact.id, contact.name):
            return
        snapshot = snapshot_contact(self.ws, contact.id)
        if snapshot is None:
            return
        undo_stack_for(self).push(DeleteContact(self.ws, snapshot, self.editor.notify))
        show_status(self, f"Deleted {contact.name}. Edit → Undo brings them back.")
