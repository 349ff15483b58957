"""Today: this week's posts, posts that need a look, asks waiting, follow-ups due.

Each heading counts the list under it, with the same store query: this week is the
calendar's Week view (repeats included), the asks are :func:`asks.waiting_asks`. A
waiting ask whose tracked link brought visits is offered as shared, never marked so
without the user's say. Everything is read on a worker (:func:`read_today`): the
view shows at once and fills in when the figures arrive.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from socialdesk.core.calendar.post_checks import PostProblem, posts_needing_attention
from socialdesk.core.calendar.recurrence import posts_in_range
from socialdesk.core.changes import Changes
from socialdesk.core.clock import today
from socialdesk.qt.delegates import PlatformsDelegate, StatusDelegate
from socialdesk.qt.formatting import clock_text, day_text
from socialdesk.qt.planner.actions import PlannerActions
from socialdesk.qt.planner.visits_offer import VisitsOffer
from socialdesk.qt.reports.leverage_card import CardFigures, LeverageCard, read_card
from socialdesk.qt.table_model import Column, RowTableModel
from socialdesk.qt.view_base import EmptyState, View, heading, make_table, muted, section_title
from socialdesk.qt.workers import LatestJob
from socialdesk.store import asks, contacts, reports
from socialdesk.store.asks import WaitingAsks
from socialdesk.store.models import AskRow, Counts, FollowUp, PostRow
from socialdesk.store.posts import week_of
from socialdesk.store.workspace import Workspace

ASKS_LISTED = 200  # waiting asks listed, the first by due date (the heading says so)
WEEK_ROWS = (3, 12)  # the fewest and most rows of posts the week shows without scrolling
WAITING_MEANS = ("Waiting: asked and not answered yet, or agreed but not shared yet. "
                 "Overdue: waiting past its due date.")


@dataclass(frozen=True, slots=True)
class TodayFigures:
    """Everything Today shows on ``day``."""

    day: date
    week: list[PostRow]
    problems: list[PostProblem]
    waiting: WaitingAsks
    offers: list[tuple[AskRow, int]]
    due: list[FollowUp]
    totals: Counts
    card: CardFigures


def read_today(ws: Workspace, day: date) -> TodayFigures:
    """Today's lists and figures for ``day`` (safe on a worker's own connection)."""
    monday, sunday = week_of(day)
    return TodayFigures(
        day=day,
        week=posts_in_range(ws, monday, sunday),
        problems=posts_needing_attention(ws, monday, sunday + timedelta(days=7)),
        waiting=asks.waiting_asks(ws, day.isoformat(), limit=ASKS_LISTED),
        offers=asks.visits_waiting(ws),
        due=contacts.follow_ups_due(ws, day.isoformat()),
        totals=reports.counts(ws),
        card=read_card(ws, day),
    )


def _read(path: Path, day_iso: str) -> TodayFigures:
    """Worker: Today's figures, on a read-only connection of its own."""
    with Workspace.open_readonly(path) as ws:
        return read_today(ws, date.fromisoformat(day_iso))


def _titled(title: QLabel, body: QWidget, note: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    head = QHBoxLayout()
    head.addWidget(title)
    if note:
        head.addWidget(muted(note), 1)
    else:
        head.addStretch(1)
    layout.addLayout(head)
    layout.addWidget(body)
    return box


def _waiting_text(figures: WaitingAsks) -> str:
    """"14 asks waiting (3 overdue)"."""
    text = f"{figures.waiting:,} ask{'s' if figures.waiting != 1 else ''} waiting"
    return f"{text} ({figures.overdue:,} overdue)" if figures.overdue else text


def _due(iso: str | None) -> str:
    day = today()
    if iso and iso < day.isoformat():
        return f"{day_text(iso, day)} · overdue"
    return day_text(iso, day)


class TodayView(View):
    """What needs doing this week."""

    name = "today"
    title = "Today"
    # The week's posts (with their campaigns), posts to fix, asks waiting, follow-ups,
    # the workspace's counts and the leverage card (own reach, the settings).
    shows = Changes.of("posts", "campaigns", "channels", "asks", "contacts", "audiences",
                       "settings")
    open_post = Signal(int)  # double-click on a post: edit it in the calendar
    edited = Signal(object)  # Changes: Today wrote them (an ask marked as shared)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.date_label = heading("Today")
        self.summary = muted("")
        self.week_model: RowTableModel[PostRow] = RowTableModel([
            Column("Day", lambda p: day_text(p.scheduled_on, today())),
            Column("Time",
                   lambda p: clock_text(p.scheduled_time) if p.scheduled_time else "all day"),
            Column("Post", lambda p: p.title, tooltip=lambda p: p.campaign or "No campaign",
                   colour=lambda p: p.colour),
            Column("Channels", lambda p: p.platforms,
                   display=lambda v: ", ".join(v), tooltip=lambda p: ", ".join(p.platforms)),
            Column("Status", lambda p: p.status),
        ])
        self.week_table = make_table(self.week_model, stretch=2)
        self.week_table.setAccessibleName("This week's posts")
        self.week_table.setItemDelegateForColumn(3, PlatformsDelegate(self.week_table))
        self.week_table.setItemDelegateForColumn(4, StatusDelegate(self.week_table))
        self.week = EmptyState(self.week_table, "No posts this week. Plan one in the Calendar.")
        self.week_table.doubleClicked.connect(
            lambda index: self._open(self.week_model.row_at(index.row()).id))

        self.check_model: RowTableModel[PostProblem] = RowTableModel([
            Column("Day", lambda c: c.row.scheduled_on,
                   display=lambda v: day_text(v, today())),
            Column("Post", lambda c: c.row.title, tooltip=lambda c: "Double-click to fix it",
                   colour=lambda c: c.row.colour),
            Column("What to fix", lambda c: c.summary, tooltip=lambda c: "\n".join(c.problems)),
        ])
        self.check_table = make_table(self.check_model, stretch=1)
        self.check_table.setAccessibleName("Posts to fix")
        self.check_table.setToolTip("Double-click a post to open it in the Calendar")
        self.check_table.doubleClicked.connect(self._open_checked)
        self.checks = EmptyState(
            self.check_table, "Every post this week and next has a channel and fits its "
            "networks' limits.")

        self.asks_model: RowTableModel[AskRow] = RowTableModel([
            Column("Partner", lambda a: a.contact_name),
            Column("For post", lambda a: a.post_title or ""),
            Column("Due", lambda a: _due(a.due_on)),
            Column("Status", lambda a: a.status),
        ])
        self.asks_table = make_table(self.asks_model, stretch=1)
        self.asks_table.setAccessibleName("Asks waiting")
        self.asks_table.setItemDelegateForColumn(3, StatusDelegate(self.asks_table))
        self.asks_table.setToolTip(WAITING_MEANS)
        self.asks = EmptyState(self.asks_table, "No asks waiting: every ask has its answer.")
        self.offer = VisitsOffer(with_post=True)
        self.offer.mark_shared.connect(self._mark_shared)
        self.actions = PlannerActions(ws, self)
        self.actions.changed.connect(self._written)

        self.follow_model: RowTableModel[FollowUp] = RowTableModel([
            Column("Contact", lambda f: f.name),
            Column("Organisation", lambda f: f.organisation),
            Column("Due", lambda f: f.follow_up_on, display=lambda v: day_text(v, today())),
        ])
        self.follow_table = make_table(self.follow_model, stretch=1)
        self.follow_table.setAccessibleName("Follow-ups due")
        self.follow = EmptyState(self.follow_table, "No follow-ups due.")

        self.week_title = section_title("This week's posts")
        self.week_title.setToolTip("Monday to Sunday, repeats included: the Calendar's week")
        self.checks_title = section_title("Posts to fix, this week and next")
        self.asks_title = section_title("Asks waiting")
        self.asks_title.setToolTip(WAITING_MEANS)
        self.follow_title = section_title("Follow-ups due")
        grid = QGridLayout()
        grid.addWidget(_titled(self.week_title, self.week), 0, 0)
        grid.addWidget(_titled(self.checks_title, self.checks), 0, 1)
        waiting = QWidget()
        waiting_layout = QVBoxLayout(waiting)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        waiting_layout.addWidget(self.offer)
        waiting_layout.addWidget(self.asks, 1)
        grid.addWidget(_titled(self.asks_title, waiting, "asked and not answered yet, or "
                               "agreed but not shared yet"), 1, 0)
        grid.addWidget(_titled(self.follow_title, self.follow), 1, 1)
        grid.setRowStretch(0, 0)  # as high as the week's posts: see _fit_week
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.date_label)
        layout.addWidget(self.summary)
        self.leverage = LeverageCard()  # leverage lately, reach per hour, asks waiting
        layout.addWidget(self.leverage)
        layout.addLayout(grid)
        self.job = LatestJob(self)
        self.job.finished.connect(self._show)
        self.job.failed.connect(self._failed)

    def refresh(self) -> None:
        """Read the week, the asks, the follow-ups and the card again, on a worker."""
        if not self.summary.text():  # the first time; later the old figures stay meanwhile
            self.summary.setText("Reading this week's posts, asks and follow-ups…")
        path, day = self.ws.path, today().isoformat()
        self.job.start(lambda: _read(path, day))

    def is_busy(self) -> bool:
        """True while the figures are being read (screenshots and tests wait for them)."""
        return self.job.pending

    def _show(self, figures: TodayFigures) -> None:
        """Fill the lists, then the card on the next event-loop turn."""
        day = figures.day
        self.date_label.setText(f"Today, {day_text(day, day, full=True)}")
        week, problems, waiting, due = figures.week, figures.problems, figures.waiting, \
            figures.due
        self.week_model.set_rows(week)
        self.week.set_empty(not week)
        self.week_title.setText(f"This week's posts ({len(week):,})")
        self.check_model.set_rows(problems)
        self.checks.set_empty(not problems)
        self.checks_title.setText(f"Posts to fix, this week and next ({len(problems):,})")
        self.asks_model.set_rows(waiting.rows)
        self.asks.set_empty(not waiting.rows)
        self.offer.set_offers(figures.offers)
        listed = "" if len(waiting.rows) == waiting.waiting else \
            f" · the {len(waiting.rows):,} due first listed"
        self.asks_title.setText(f"Asks waiting ({waiting.waiting:,}"
                                f"{f' · {waiting.overdue:,} overdue' if waiting.overdue else ''}"
                                f"{listed})")
        self._fit_week(max(len(week), len(problems)))
        self.follow_model.set_rows(due)
        self.follow.set_empty(not due)
        self.follow_title.setText(f"Follow-ups due ({len(due):,})")
        totals = figures.totals
        self.summary.setText(
            f"{len(week):,} posts this week · {len(problems):,} to fix · "
            f"{_waiting_text(waiting)} · {len(due):,} follow-ups due · "
            f"{totals.contacts:,} contacts, {totals.partners:,} partners, "
            f"{totals.posts:,} posts in this workspace"
        )
        QTimer.singleShot(1, self, lambda: self.leverage.show_figures(figures.card))

    def _fit_week(self, rows: int) -> None:
        """Make the week's posts and the posts to fix as high as their rows (within limits).

        The asks and follow-ups below, the longer lists, get the rest of the height.
        """
        table = self.week_table
        shown = min(max(rows, WEEK_ROWS[0]), WEEK_ROWS[1])
        height = (table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                  + shown * table.verticalHeader().defaultSectionSize())
        for body in (self.week, self.checks):
            body.setFixedHeight(height)

    def _failed(self, error: object) -> None:
        """Say the figures could not be read; a damaged file is reported by the window."""
        self.summary.setText(f"Today could not read this workspace: {error}")
        report = getattr(self.window(), "_report_damage", None)
        if isinstance(error, sqlite3.DatabaseError) and report is not None:
            report(str(error))

    def set_undo_stack(self, stack: QUndoStack) -> None:
        """Put Today's writes (an ask marked as shared) on ``stack`` (the main window's)."""
        self.actions.undo_stack = stack

    def _mark_shared(self, ask: AskRow) -> None:
        """The user accepted the visits as evidence: the ask is shared (one undo step)."""
        self.actions.record_outcome(ask, "shared", ask.observed_reach, today())

    def _written(self, changes: Changes) -> None:
        self.refresh()
        self.edited.emit(changes)

    def _open(self, post_id: int) -> None:
        self.open_post.emit(post_id)

    def _open_checked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open(self.check_model.row_at(index.row()).row.id)
