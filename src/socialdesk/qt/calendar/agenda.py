"""The agenda: the period's posts as a list, then the ideas that have no date yet."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from socialdesk.core.clock import today
from socialdesk.core.limits import platform_name
from socialdesk.qt.calendar.chips import REPEAT_MARK, post_tooltip
from socialdesk.qt.columns import fitter_of
from socialdesk.qt.delegates import PlatformsDelegate, StatusDelegate
from socialdesk.qt.formatting import clock_text, day_text
from socialdesk.qt.table_model import Column, RowTableModel
from socialdesk.qt.view_base import EmptyState, make_table
from socialdesk.store.models import PostRow

COL_CHANNELS, COL_STATUS = 3, 4


class AgendaList(QWidget):
    """A table of posts in date order; double-click or Enter edits one."""

    post_activated = Signal(int)
    repeat_activated = Signal(int, date)  # a repeat's later date: edit that date
    plan_requested = Signal(int)
    publish_requested = Signal(int)  # "Publish now" on a post
    delete_requested = Signal(int)
    duplicate_requested = Signal(int)  # "Duplicate" on a post: an undated copy

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowTableModel[PostRow] = RowTableModel([
            Column("Day", lambda p: p.scheduled_on or "",
                   display=lambda v: day_text(v or None, today())),
            Column("Time", lambda p: clock_text(p.scheduled_time) if p.scheduled_time
                   else ("all day" if p.scheduled_on else "")),
            Column("Post", lambda p: (REPEAT_MARK if p.occurrence else "") + p.title,
                   tooltip=post_tooltip, colour=lambda p: p.colour),
            Column("Channels", lambda p: p.platforms,
                   tooltip=lambda p: ", ".join(platform_name(x) for x in p.platforms)
                   or "No channel yet"),
            Column("Status", lambda p: p.status),
            Column("Campaign", lambda p: p.campaign or ""),
            Column("Topics", lambda p: ", ".join(p.topics)),
        ], self)
        self._fitted = False  # the columns were fitted to posts
        self.table = make_table(self.model, stretch=2)
        self.table.setAccessibleName("Posts")
        fitter_of(self.table).measuring = False  # fitted to the first posts: set_rows
        self.table.horizontalHeader().setResizeContentsPrecision(60)  # fast with 1,000 rows
        self.table.setItemDelegateForColumn(COL_CHANNELS, PlatformsDelegate(self.table))
        self.table.setItemDelegateForColumn(COL_STATUS, StatusDelegate(self.table))
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.body = EmptyState(self.table, "No posts in this period — double-click a day in the "
                               "month or week view, or use New post, to plan one.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body)

    def set_rows(self, rows: list[PostRow]) -> None:
        """Show ``rows`` (in the order given).

        The columns fit the first posts shown and keep their widths from then on: paging
        neither moves them nor undoes the user's, nor measures thousands of cells again.
        """
        self.model.set_rows(rows)
        self.body.set_empty(not rows)
        if self._fitted or not rows:
            return
        self._fitted = True
        fitter = fitter_of(self.table)
        widths = fitter.measure()
        widths[2] = max(260, widths[2])
        widths[COL_CHANNELS] = 4 * 20 + 8
        badge = max(self.fontMetrics().horizontalAdvance(s) for s in ("scheduled", "published"))
        widths[COL_STATUS] = badge + 28
        fitter.set_wanted(widths)

    def scroll_to(self, day: date) -> None:
        """Scroll to the first post on or after ``day``."""
        iso = day.isoformat()
        for number, row in enumerate(self.model.rows):
            if row.scheduled_on and row.scheduled_on >= iso:
                index = self.model.index(number, 0)
                self.table.scrollTo(index, self.table.ScrollHint.PositionAtTop)
                self.table.selectRow(number)
                return

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activate(self.model.row_at(index.row()))

    def activate(self, row: PostRow) -> None:
        """Edit ``row``'s post (the date's own status and results on a later date)."""
        if row.occurrence and row.scheduled_on:
            self.repeat_activated.emit(row.id, date.fromisoformat(row.scheduled_on))
        else:
            self.post_activated.emit(row.id)

    def menu_for(self, pos: QPoint) -> QMenu | None:
        """The context menu for the row at ``pos`` (viewport coordinates)."""
        index = self.table.indexAt(pos)
        if not index.isValid():
            return None
        row = self.model.row_at(index.row())
        post_id = row.id
        menu = QMenu(self)
        if row.occurrence:
            menu.addAction(f"Edit {day_text(row.scheduled_on, today())}…",
                           lambda: self.activate(row))
        menu.addAction("Edit the series…" if row.occurrence else "Edit…",
                       lambda: self.post_activated.emit(post_id))
        menu.addAction("Plan leverage…", lambda: self.plan_requested.emit(post_id))
        menu.addAction("Publish now", lambda: self.publish_requested.emit(post_id))
        menu.addAction("Duplicate", lambda: self.duplicate_requested.emit(post_id))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.delete_requested.emit(post_id))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.menu_for(pos)
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))
