"""Calendar: month, week and agenda views of the posts, with the editor in a pane on the right.

Only the visible range is loaded (a month grid is six weeks); on a big workspace it is
read on a worker thread, the new period showing its days without posts until it comes, so
paging never waits for the workspace, whatever its size. Filters apply to what is loaded.
Every edit — drag to another day, save, delete, campaigns, channels — is one transaction
and one step on the main window's undo stack. A later date of a repeating post opens the editor on
that date: its status and results are its own.

This module navigates, loads and filters what the view shows; the editor pane and the
side panels are :class:`~socialdesk.qt.calendar.editing.PostEditing` (``editing.py``).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import deque
from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.calendar.recurrence import posts_in_range
from socialdesk.core.changes import Changes
from socialdesk.core.clock import today
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.calendar import periods
from socialdesk.qt.calendar.actions import CalendarActions
from socialdesk.qt.calendar.agenda import AgendaList
from socialdesk.qt.calendar.campaigns import CampaignsPanel, ChannelsPanel
from socialdesk.qt.calendar.canvas import PostCanvas
from socialdesk.qt.calendar.editing import PostEditing
from socialdesk.qt.calendar.editor import PostEditor
from socialdesk.qt.calendar.loading import STEP_MS, Period, RangeCache, read_period
from socialdesk.qt.calendar.month import MonthGrid, month_days
from socialdesk.qt.calendar.periods import Range
from socialdesk.qt.calendar.toolbar import MODES, CalendarBar
from socialdesk.qt.calendar.week import WeekGrid
from socialdesk.qt.formatting import month_title, week_title
from socialdesk.qt.view_base import View
from socialdesk.qt.workers import LatestJob
from socialdesk.store import post_writes, posts
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import PostRow
from socialdesk.store.workspace import Workspace

BACKGROUND_ABOVE = 2000  # posts; a bigger workspace reads months on worker threads
READ_AHEAD_MS = 150  # after a range shows, before reading its neighbours (it paints first)
AGENDA_IDEAS = 500  # undated ideas listed after the agenda's posts
MODE_KEY = "calendar/mode"  # the mode shown last, in the app's settings

__all__ = ["CalendarView", "MonthGrid", "month_days"]


def _in_month(rows: list[PostRow], day: date) -> int:
    """How many of ``rows`` (in date order) fall in ``day``'s month."""
    def key(row: PostRow) -> str:
        return row.scheduled_on or ""

    first, after = f"{day:%Y-%m}-01", f"{periods.add_months(day, 1):%Y-%m}-01"
    return bisect_left(rows, after, key=key) - bisect_left(rows, first, key=key)


class CalendarView(PostEditing, View):
    """The content calendar: month grid, week cards or agenda list, and the post editor."""

    name = "calendar"
    title = "Calendar"
    shows = Changes.of("posts", "campaigns", "channels")
    plan_leverage = Signal(int)  # "Plan leverage…" on a post
    publish_now = Signal(int)  # "Publish now" on a post
    edited = Signal(object)  # the workspace changed through this view: the Changes

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(ws, parent)
        remembered = str(app_settings().value(MODE_KEY, "month"))
        self.mode = remembered if remembered in MODES else "month"
        self.anchor = today()
        self.rows: list[PostRow] = []
        self.ranges = RangeCache(ws.path, self)  # ranges read (ahead) for this state
        self.ranges.arrived.connect(self._arrived)
        self.reader = LatestJob(self)  # the range shown, when not read ahead
        self.reader.finished.connect(self._read)
        self.reader.failed.connect(self._read_failed)
        self._ideas: list[PostRow] | None = None  # the agenda's undated posts, once read
        self._shown: Range | None = None  # the range self.rows holds, when current
        self._loading = False  # nothing to show yet: the first read is under way
        self._background = False  # a big workspace: read ahead on worker threads
        self._read_ahead = QTimer(self)
        self._read_ahead.setSingleShot(True)
        self._read_ahead.setInterval(READ_AHEAD_MS)
        self._read_ahead.timeout.connect(self._read_neighbours)
        self.actions = CalendarActions(ws, self, undo_stack)
        self.actions.changed.connect(self._after_change)

        self.bar = CalendarBar()
        self.bar.mode_chosen.connect(self.set_mode)
        self.bar.step.connect(self.shift)
        self.bar.today_clicked.connect(self.go_today)
        self.bar.filters_changed.connect(self.apply_filters)
        self.bar.new_button.clicked.connect(lambda: self.new_post(None))
        self.bar.campaigns_button.clicked.connect(lambda: self.show_side("campaigns"))
        self.bar.channels_button.clicked.connect(lambda: self.show_side("channels"))
        self.title_label, self.summary = self.bar.title_label, self.bar.summary
        self.mode_buttons = self.bar.mode_buttons
        self.mode_buttons[self.mode].setChecked(True)
        self.channel_filter, self.campaign_filter, self.status_filter = self.bar.filters()
        self.new_button = self.bar.new_button
        self.template_menu = QMenu(self.bar.template_button)
        self.template_menu.aboutToShow.connect(self._fill_template_menu)
        self.bar.template_button.setMenu(self.template_menu)
        self.campaigns_button = self.bar.campaigns_button
        self.channels_button = self.bar.channels_button

        self.grid = MonthGrid()
        self.grid.setAccessibleName("Month")
        self.week = WeekGrid()
        self.week.setAccessibleName("Week")
        self.agenda = AgendaList()
        self.pages = QStackedWidget()
        for page in (self.grid, self.week, self.agenda):
            self.pages.addWidget(page)
        self.pages.setCurrentIndex(MODES.index(self.mode))
        for canvas in (self.grid, self.week):
            self._connect_canvas(canvas)
        for key, step in (("Ctrl+PgUp", -1), ("Ctrl+PgDown", 1)):  # not in the editor's tabs
            shortcut = QShortcut(QKeySequence(key), self.pages, lambda s=step: self.shift(s))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.grid.more_requested.connect(lambda day: self.show_day(day, "week"))
        self.week.more_requested.connect(lambda day: self.show_day(day, "agenda"))
        self.agenda.post_activated.connect(self.edit_post)
        self.agenda.repeat_activated.connect(self.edit_post)
        self.agenda.plan_requested.connect(self.plan_leverage)
        self.agenda.publish_requested.connect(self.publish_now)
        self.agenda.delete_requested.connect(self.delete_post)
        self.agenda.duplicate_requested.connect(self.duplicate_post)

        self._editor: PostEditor | None = None  # made on idle after opening, or when needed
        self._warming: deque[Callable[[], object]] = deque()
        self.campaigns_panel = CampaignsPanel(self.actions)
        self.channels_panel = ChannelsPanel(self.actions)
        self.side = QStackedWidget()
        for panel in (self.campaigns_panel, self.channels_panel):
            self.side.addWidget(panel)
        self.campaigns_panel.close_requested.connect(self.close_side)
        self.channels_panel.close_requested.connect(self.close_side)
        self.side.hide()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.splitter, 1)

    def set_undo_stack(self, stack: QUndoStack) -> None:
        """Put edits on ``stack`` (the main window's) instead of the view's own."""
        self.actions.undo_stack = stack

    @property
    def undo_stack(self) -> QUndoStack:
        """The stack edits go on."""
        return self.actions.undo_stack

    def _connect_canvas(self, canvas: PostCanvas) -> None:
        canvas.post_activated.connect(self.edit_post)
        canvas.repeat_activated.connect(self.edit_post)
        canvas.day_activated.connect(self.new_post)
        canvas.post_moved.connect(self.move_post)
        canvas.plan_requested.connect(self.plan_leverage)
        canvas.publish_requested.connect(self.publish_now)
        canvas.delete_requested.connect(self.delete_post)
        canvas.duplicate_requested.connect(self.duplicate_post)

    # --- navigation ------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        """Show the month grid, the week or the agenda (the next calendar opens on it too)."""
        self.mode = mode
        app_settings().setValue(MODE_KEY, mode)
        self.mode_buttons[mode].setChecked(True)
        self.pages.setCurrentIndex(MODES.index(mode))
        self._load()

    def shift(self, steps: int) -> None:
        """Go ``steps`` weeks (week view) or months back or forward."""
        self.anchor = periods.step(self.mode, self.anchor, steps)
        self._load()

    def shift_month(self, months: int) -> None:
        """Go ``months`` months back or forward (in any mode)."""
        self.anchor = periods.add_months(self.anchor, months)
        self._load()

    def go_today(self) -> None:
        """Show the period that contains today."""
        self.anchor = today()
        self._load()

    def show_day(self, day: date, mode: str) -> None:
        """Show ``day`` in ``mode`` (a "+N more" link leads here)."""
        self.anchor = day
        self.set_mode(mode)
        if mode == "agenda":
            self.agenda.scroll_to(day)

    def visible_days(self) -> tuple[date, date]:
        """The first and last day the current mode shows."""
        return periods.days_shown(self.mode, self.anchor)

    # --- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the choices (campaigns) and the visible posts.

        On a big workspace the posts are read on a worker thread; until they come the
        grid keeps what it showed (or, the first time, says it is loading).
        """
        self._load_campaign_choices()
        if self._editor is not None:
            self._editor.set_choices(posts.campaigns(self.ws), post_writes.topic_names(self.ws))
        self._background = posts.post_count(self.ws) > BACKGROUND_ABOVE
        if self._background:
            self._loading = self._shown is None  # else: keep showing it until read again
            self._forget()
            self.apply_filters()
            # Started once the view has painted: a read alongside slows the painting.
            QTimer.singleShot(STEP_MS, self, partial(self._fetch_shown, self.ranges.generation))
        else:
            self.reload()
        if self.side.isVisible() and not self._editing():
            self.side.currentWidget().refresh()  # type: ignore[attr-defined]

    def _load_campaign_choices(self) -> None:
        self.bar.set_campaigns(posts.campaigns(self.ws))

    def reload(self) -> None:
        """Read the posts of the visible range from the workspace now and show them."""
        self._forget()
        self._load(now=True)

    def _forget(self) -> None:
        """Drop what was read (the workspace changed); reads under way are ignored."""
        self.ranges.forget()
        self._shown = None
        self._ideas = None

    def _load(self, now: bool = False) -> None:
        """Show the visible range if it was read (ahead), else read it; then read ahead.

        On a big workspace it is read on a worker thread unless ``now``; meanwhile the
        period shows its days without posts.
        """
        key = self.visible_days()
        rows = self.ranges.get(key)
        if rows is None and (now or not self._background):
            rows = posts_in_range(self.ws, *key)
            self.ranges.remember(key, rows)
        if self._background:
            self._request(key)
        if rows is not None:
            self._show(key, rows)
            return
        self.rows, self._shown, self._loading = [], None, True
        self._read_ahead.stop()
        self.apply_filters()

    def _request(self, key: Range) -> None:
        """Read what showing ``key`` still needs (its posts, the agenda's ideas) on a worker.

        A range being read ahead comes through :meth:`_arrived`; of the requests made
        here only the last one's answer is heard.
        """
        rows = self.ranges.missing(key)
        ideas = AGENDA_IDEAS if self.mode == "agenda" and self._ideas is None else None
        if rows or ideas is not None:
            self.reader.start(partial(read_period, self.ws.path, self.ranges.generation,
                                      key, rows, ideas))

    def _read(self, period: Period) -> None:
        """The worker read what :meth:`_request` asked for: show it if still wanted."""
        if period.generation != self.ranges.generation:  # the workspace changed since
            return
        if period.ideas is not None:
            self._ideas = period.ideas
        if period.rows is not None:
            self.ranges.remember(period.key, period.rows)
        rows = self.ranges.get(period.key)
        if period.key != self.visible_days() or rows is None:
            return
        if self._shown != period.key:
            self._show(period.key, rows)
        elif period.ideas is not None:
            self.apply_filters()

    def _read_failed(self, error: Exception) -> None:
        """The worker could not read the workspace (moved away, damaged): say so."""
        if not isinstance(error, WorkspaceError | sqlite3.Error):
            raise error
        self.summary.setText(f"Could not read the posts: {error}")

    def _show(self, key: Range, rows: list[PostRow]) -> None:
        self.rows = rows
        self._shown = key
        self._loading = False
        self.apply_filters()
        self._prepare_editor()  # once the posts show
        if self._background:
            self._read_ahead.start()  # (again): the reads would slow the painting

    def _fetch_shown(self, generation: int) -> None:
        """Read the visible range, unless something else showed it since."""
        key = self.visible_days()
        if generation == self.ranges.generation and self._shown != key:
            self._request(key)

    def _read_neighbours(self) -> None:
        self.ranges.fetch([r for r in periods.neighbours(self.mode, self.anchor)
                           if self.ranges.missing(r)])

    def _arrived(self, key: Range, rows: list[PostRow]) -> None:
        """A range read on a worker: show it if it is the one wanted now."""
        if key == self.visible_days() and self._shown != key:
            self._show(key, rows)

    def matches(self, row: PostRow) -> bool:
        """Whether ``row`` passes the channel, campaign and status filters."""
        return self.bar.matcher()(row)

    def filtering(self) -> bool:
        """True when any filter is set."""
        return self.bar.filtering()

    def apply_filters(self) -> None:
        """Show the loaded posts that pass the filters, with a title and a summary."""
        matches = self.bar.matcher()
        shown = [row for row in self.rows if matches(row)] if self.filtering() else self.rows
        first, last = self.visible_days()
        if self.mode == "month":
            self.grid.set_month(self.anchor.year, self.anchor.month, shown)
        elif self.mode == "week":
            self.week.set_week(self.anchor, shown)
        else:
            ideas = [r for r in self._agenda_ideas() if matches(r)]
            self.agenda.set_rows(shown + ideas)
        self._update_title(first, last, shown)

    def _agenda_ideas(self) -> list[PostRow]:
        """The undated posts the agenda lists after the period's.

        A big workspace's are read on a worker: none until they come.
        """
        if self._ideas is None and not self._background:
            self._ideas = posts.unscheduled_posts(self.ws, limit=AGENDA_IDEAS)
        return self._ideas or []

    def _update_title(self, first: date, last: date, shown: list[PostRow]) -> None:
        if self.mode == "week":
            self.title_label.setText(week_title(first, last))
            period = "this week" if first <= today() <= last else "in this week"
        else:
            self.title_label.setText(month_title(self.anchor))
            period = f"in {month_title(self.anchor, year=False)}"
        if self._loading:
            self.summary.setText("Loading posts…")
            return
        if self.mode == "month":  # the grid's six weeks hold days of the months either side
            total, count = _in_month(self.rows, self.anchor), _in_month(shown, self.anchor)
        else:
            total, count = len(self.rows), len(shown)
        text = f"{count:,} of {total:,} posts {period} match" if self.filtering() else \
            f"{total:,} post{'s' if total != 1 else ''} {period}"
        undated = posts.count_unscheduled(self.ws)
        if undated and self.mode != "agenda":
            text += f" · {undated:,} ideas without a date (see Agenda)"
        elif undated > AGENDA_IDEAS:
            text += f" · the newest {AGENDA_IDEAS} of {undated:,} ideas without a date at the end"
        elif undated:
            text += f" · {undated:,} ideas without a date at the end"
        self.summary.setText(text + " · colour: campaign · dot: status · ↻ repeat")

    def _read_again(self) -> None:
        """Read the shown period again (the workspace changed): on a big one, on a worker.

        Until the worker answers the view keeps showing what it showed, with a post moved,
        saved or deleted here already in its new place (:meth:`_show_post`): no empty grid.
        """
        if not self._background:
            self.reload()
            return
        ideas = self._ideas
        self._forget()
        self._request(self.visible_days())
        if self.mode == "agenda":  # asked for again just now: shown until they come
            self._ideas = ideas

    def _show_post(self, post_id: int) -> None:
        """Show the post ``post_id`` as it is now while its period is read again.

        One post read by its id, on its own date (or gone); its repeats stay as they were
        until the worker's answer replaces them all.
        """
        if not self._background or self._loading:
            return  # a small workspace's period was read again already
        first, last = self.visible_days()
        now = posts.post_by_id(self.ws, post_id)
        rows = [row for row in self.rows
                if row.id != post_id or (now is not None and row.occurrence)]
        if now is not None and now.scheduled_on and \
                first.isoformat() <= now.scheduled_on <= last.isoformat():
            rows.append(now)
            rows.sort(key=lambda r: (r.scheduled_on or "", r.scheduled_time or "",
                                     r.occurrence, r.id))
        self.rows = rows
        self.apply_filters()

    def _after_change(self, changes: Changes) -> None:
        """Something was written, undone or redone: read again what shows it.

        On a big workspace the period is read on a worker thread, as when paging; the
        posts the change names show as they are now meanwhile (an edit, an undo, a copy).
        """
        self._load_campaign_choices()
        self._read_again()
        for post_id in sorted(changes.posts):
            self._show_post(post_id)
        if self.side.isVisible():
            panel = self.side.currentWidget()
            if panel is self._editor:
                post_id = self.editor.post_id
                if (post_id is not None and not self.editor.is_dirty()
                        and not self._load_editor(post_id, self.editor.occurs_on)):
                    self.close_side(force=True)
            else:
                panel.refresh()  # type: ignore[attr-defined]
        self.edited.emit(changes)
