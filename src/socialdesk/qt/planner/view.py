"""Planner: for one post, which partners could spread it, what asking them would add.

The partner table's ticks are the asks: preselected by the budgeted greedy choice (or the
asks already made for the post), changed by ticking boxes, clicking circles in the
network picture or changing the time to spend. The first-degree figures follow each
change at once (the model's terms are kept); the Monte Carlo range with reshares runs
on a worker. Reading the partners runs on a worker too, and is kept until the workspace
changes (``refresh``), so the GUI thread never waits for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPalette, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.changes import VIEWED, Changes
from socialdesk.core.clock import today
from socialdesk.core.planner import asking
from socialdesk.core.settings import workspace_settings
from socialdesk.qt.icons import palette_icon
from socialdesk.qt.keyboard import labelled
from socialdesk.qt.planner.actions import PlannerActions
from socialdesk.qt.planner.ask_list import AskList
from socialdesk.qt.planner.asks_dialog import AsksDialog
from socialdesk.qt.planner.data import WorkspaceFacts, read_workspace
from socialdesk.qt.planner.network import NetworkPicture
from socialdesk.qt.planner.partner_table import PartnerTableModel, make_partner_table
from socialdesk.qt.planner.post_picker import PostPicker
from socialdesk.qt.planner.post_plan import PICTURE_SIZE, PostData, cascade_range, plan_for_post
from socialdesk.qt.planner.sender_dialog import SenderDialog
from socialdesk.qt.planner.summary import PlanSummary
from socialdesk.qt.view_base import EmptyState, View, heading, muted, section_title
from socialdesk.qt.workers import LatestJob, check_presence
from socialdesk.store.models import AskRow
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.planner.cascade import CascadeSummary

SIMULATE_DELAY_MS = 80  # wait for a burst of ticks to end before simulating
TAB_PARTNERS, TAB_ASKS = range(2)


def _load(path: Path, generation: int, facts: WorkspaceFacts | None, post_id: int | None,
          day: date) -> tuple[int, WorkspaceFacts, PostData | None, int | None]:
    """Worker: read the workspace (unless cached) and plan the post, on its own connection."""
    with Workspace.open_readonly(path) as ws:
        # The user left the planner: stop at the next check, read again when it shows.
        facts = facts if facts is not None else read_workspace(ws, day, check_presence)
        check_presence()
        data = plan_for_post(ws, facts, post_id) if post_id is not None else None
    return generation, facts, data, post_id


class PlannerView(View):
    """Ranks partners for the chosen post and turns the chosen ones into asks."""

    name = "planner"
    title = "Planner"
    shows = VIEWED  # the leverage model reads nearly everything
    edited = Signal(object)  # the workspace changed through this view: the Changes

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(ws, parent)
        self.facts: WorkspaceFacts | None = None  # cached until the workspace changes
        self.generation = 0
        self.data: PostData | None = None
        self.chosen: set[str] = set()
        self.ticks_asked = False  # the ticks came from the post's asks (not a suggestion)
        self.ranges: dict[tuple[int, frozenset[str]], CascadeSummary] = {}
        self.steps: list[Callable[[], object]] = []  # what is left of showing a plan
        self.asks_dialog: AsksDialog | None = None
        self.sender_dialog: SenderDialog | None = None
        self.actions = PlannerActions(ws, self, undo_stack)
        self.actions.changed.connect(self._after_write)
        self.loader = LatestJob(self)
        self.loader.finished.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)
        self.simulator = LatestJob(self)
        self.simulator.finished.connect(self._simulated)
        self.simulator.failed.connect(lambda _e: self.summary.show_range(None))
        self.simulate_timer = QTimer(self)
        self.simulate_timer.setSingleShot(True)
        self.simulate_timer.setInterval(SIMULATE_DELAY_MS)
        self.simulate_timer.timeout.connect(self._simulate)

        self.post = PostPicker(ws)
        self.post.currentIndexChanged.connect(lambda _i: self._request())
        self.budget = QSpinBox()
        self.budget.setRange(0, 24 * 60)
        self.budget.setSingleStep(15)
        self.budget.setValue(60)
        self.budget.setSuffix(" min")
        self.budget.setToolTip("How much time you can spend asking partners for this post; "
                               "the ticks become the asks that add the most in that time")
        self.budget.valueChanged.connect(self._budget_changed)
        self.create_button = QPushButton(palette_icon("send", QPalette.ColorRole.ButtonText),
                                         "Create asks…")
        self.create_button.setToolTip("Write a message to each ticked partner and track "
                                      "their answers")
        self.create_button.clicked.connect(self.open_asks_dialog)

        self.explain = muted("")
        self.summary = PlanSummary()
        self.model = PartnerTableModel(self)
        self.model.toggled.connect(self.toggle)
        self.table = make_partner_table(self.model)
        self.table.setAccessibleName("Partners for this post")
        self.body = EmptyState(self.table, "Working out who could carry this post…")
        self.asks = AskList(ws)
        self.asks.outcome_requested.connect(self.record_outcome)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.body, "Partners")
        self.tabs.addTab(self.asks, "Asks for this post")
        self.picture = NetworkPicture()
        self.picture.setAccessibleName("Who could carry it: who knows whom")
        self.picture.toggled.connect(self.toggle)
        self.legend = muted("")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(section_title("Who could carry it"))
        right_layout.addWidget(self.picture, 1)
        right_layout.addWidget(self.legend)
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 400])

        bar = QHBoxLayout()
        bar.addWidget(heading("Planner"))
        bar.addSpacing(12)
        bar.addWidget(labelled("&Post:", self.post))
        bar.addWidget(self.post, 1)
        bar.addSpacing(8)
        bar.addWidget(labelled("&Time to spend:", self.budget))
        bar.addWidget(self.budget)
        bar.addSpacing(8)
        bar.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.explain)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.summary.clear()
        self._update_buttons()

    def is_busy(self) -> bool:
        """Whether a plan or a Monte Carlo range is still being worked out."""
        return (self.loader.pending or bool(self.steps) or self.simulator.pending
                or self.simulate_timer.isActive())

    def set_undo_stack(self, stack: QUndoStack) -> None:
        """Put the planner's writes on ``stack`` (the main window's)."""
        self.actions.undo_stack = stack

    # --- loading ----------------------------------------------------------------------

    def refresh(self) -> None:
        """The workspace changed (or the view opens): list the posts, re-read the partners."""
        self.facts = None
        self.generation += 1
        self.ranges.clear()
        self.post.fill()
        self._request()

    def select_post(self, post_id: int) -> None:
        """Plan a given post (adding it to the list if it is not upcoming)."""
        self.post.select(post_id)

    def _request(self) -> None:
        """Plan the chosen post on the worker (reading the workspace first if needed)."""
        post_id = self.post.currentData()
        if self.data is None or self.data.post.id != post_id:
            self.body.set_empty(True, "Working out who could carry this post…")
            self.picture.set_message("")
        if self.facts is None:
            self.explain.setText("Reading your partners…")
        path, generation, facts, day = self.ws.path, self.generation, self.facts, today()
        self.loader.start(lambda: _load(path, generation, facts, post_id, day))

    def _loaded(self, result: tuple[int, WorkspaceFacts, PostData | None, int | None]) -> None:
        if self._workspace_closed():
            return  # the window closed before the plan came: nothing to show it in
        generation, facts, data, post_id = result
        if generation == self.generation and self.facts is None:
            self.facts = facts
            if facts.waiting_posts:
                self.post.fill(facts.waiting_posts, reread=False)
        if post_id != self.post.currentData():
            self._request()
            return
        same_post = (self.data is not None and data is not None
                     and self.data.post.id == data.post.id)
        self.data = data
        if data is None:
            self._show_nothing("No upcoming posts to plan — add one in the Calendar, or "
                               "choose “Plan leverage…” on a post there.")
            return
        if same_post:  # re-read (settings, an edit): the ticks and what they mean stay
            self.chosen = {c for c in self.chosen if c in data.terms}
        else:
            asked = data.asked_partners()
            self.ticks_asked = bool(asked)
            self.chosen = asked or data.suggestion(self.budget.value())
        previous = [self.model.plan]  # 50,000 partners' figures: freed in a turn of its own
        self.model.set_plan(data, self.chosen)
        self.body.set_empty(not data.columns.ids, "No partners yet — give a contact an audience "
                            "(Contacts → Audiences) to plan with them.")
        self._show_in_steps([lambda: self._show_asks(data), self._show_choice, previous.clear])

    def _show_in_steps(self, steps: list[Callable[[], object]]) -> None:
        """Run ``steps`` one per event-loop turn, after the table's own turn.

        The table's columns are fitted in a turn between. A newer plan (or none) drops the
        steps left. All at once took 60–100 ms of the GUI thread on the huge workspace.
        """
        self.steps = steps

        def next_step() -> None:
            if self._workspace_closed():
                steps.clear()  # the window closed meanwhile
            if self.steps is steps and steps:
                steps.pop(0)()
                QTimer.singleShot(1, self, next_step)  # zero-time ones can run in one pass

        QTimer.singleShot(1, self, next_step)

    def _show_asks(self, data: PostData) -> None:
        self.asks.set_asks(data.asks)
        self.tabs.setTabText(TAB_ASKS, f"Asks for this post ({len(data.asks)})"
                             if data.asks else "Asks for this post")

    def _show_choice(self) -> None:
        self._explain(asked=self.ticks_asked)
        self._choice_changed()

    def _workspace_closed(self) -> bool:
        try:
            self.ws.conn.total_changes  # noqa: B018 (raises once the connection is closed)
        except sqlite3.ProgrammingError:
            return True
        return False

    def _explain(self, asked: bool) -> None:
        """Say what the ticks mean: the asks already made, or the planner's suggestion."""
        if self.data is None:
            return
        topics = ", ".join(sorted(self.data.post.topics)) or "no topics"
        ticks = ("Ticked: the partners you asked for this post — change the time to spend "
                 "for a suggestion." if asked else
                 "Ticked: the asks that add the most for the time you have — tick or untick "
                 "to choose your own.")
        self.explain.setText(f"“{self.data.post.title}” ({topics}). {ticks} Reach counts "
                             "each person once, even when audiences overlap.")

    def _load_failed(self, error: object) -> None:
        if isinstance(error, LookupError):
            self.data = None
            self._show_nothing(f"{error} Choose another post.")
            return
        self._show_nothing(f"The planner could not read this workspace: {error}")

    def _show_nothing(self, message: str) -> None:
        self.steps = []
        self.chosen = set()
        self.model.set_plan(None)
        self.body.set_empty(True, message)
        self.asks.set_asks([])
        self.picture.set_message(message)
        self.summary.clear()
        self.explain.setText("")
        self.legend.setText("")
        self._update_buttons()

    # --- the choice -------------------------------------------------------------------

    def _budget_changed(self, minutes: int) -> None:
        if self.data is not None:
            self.chosen = self.data.suggestion(minutes)
            self.ticks_asked = False
            self._explain(asked=False)
            self._choice_changed()

    def toggle(self, partner_id: str, ticked: bool) -> None:
        """Tick or untick one partner."""
        if ticked:
            self.chosen.add(partner_id)
        else:
            self.chosen.discard(partner_id)
        self._choice_changed()

    def set_chosen(self, ids: set[str]) -> None:
        """Make exactly these partners the asks."""
        self.chosen = set(ids)
        self._choice_changed()

    def _choice_changed(self) -> None:
        """Update the figures at once and start the Monte Carlo range."""
        data = self.data
        if data is None:
            return
        self.model.set_chosen(self.chosen)
        self.summary.show_first_degree(data.alone, data.reach(self.chosen), len(self.chosen),
                                       data.effort(self.chosen))
        shown, links = data.picture(self.ws, self.chosen)
        self.picture.set_plan(shown, links, self.chosen, data.alone)
        total = len(data.columns.ids)
        lead = (f"The best {PICTURE_SIZE} of {total:,} partners" if total > PICTURE_SIZE
                else "Every partner")
        self.legend.setText(
            f"{lead}. Bigger circle: bigger audience; nearer the centre: adds more. Dashed: "
            "your asks; lines: who knows whom. Hover for numbers, click to tick.")
        tired = [line for line in self._new_asks() if line.overasked]
        self.summary.set_warning(self._fatigue_text(tired))
        self._update_buttons()
        key = (data.post.id, frozenset(self.chosen))
        if key in self.ranges:
            self.simulate_timer.stop()
            self.simulator.cancel()
            self.summary.show_range(self.ranges[key])
        else:
            self.summary.show_range(None, pending=True)
            self.simulate_timer.start()

    def _fatigue_text(self, tired: list) -> str:
        if not tired:
            return ""
        limit = self.facts.warning_count if self.facts else 2
        names = ", ".join(line.name for line in tired[:3]) + (
            f" and {len(tired) - 3} more" if len(tired) > 3 else "")
        verb = "was" if len(tired) == 1 else "were"
        return (f"{names} {verb} asked more than {limit} times in the last 30 days — they "
                "may tire of it. You can still ask, or untick them to give them a rest.")

    def _simulate(self) -> None:
        data = self.data
        if data is None:
            return
        key = (data.post.id, frozenset(self.chosen))
        path, asked = self.ws.path, sorted(self.chosen)
        self.simulator.start(lambda: (key, cascade_range(path, data, asked)))

    def _simulated(self, result: tuple[tuple[int, frozenset[str]], CascadeSummary]) -> None:
        key, summary = result
        self.ranges[key] = summary
        if self.data is not None and key == (self.data.post.id, frozenset(self.chosen)):
            self.summary.show_range(summary)

    # --- asks -------------------------------------------------------------------------

    def _new_asks(self) -> list:
        """The ticked partners not yet asked for this post.

        A partner is asked once per post: to ask one who declined again, their answer is
        set back to "asked" on the post's Asks tab.
        """
        if self.data is None:
            return []
        lines = [self.data.by_id[c] for c in self.chosen if c in self.data.by_id]
        lines.sort(key=lambda line: -line.estimate.added_reach)
        return [line for line in lines if line.post_status is None]

    def _update_buttons(self) -> None:
        new = self._new_asks()
        self.create_button.setEnabled(bool(new))
        self.create_button.setText(f"Create {len(new)} asks…" if len(new) > 1 else
                                   "Create ask…" if new else "Create asks…")
        if self.data is not None and self.chosen and not new:
            self.create_button.setToolTip(
                "Everyone ticked has been asked for this post (to ask again, set their "
                "answer back to “asked” on the Asks tab)")
        else:
            self.create_button.setToolTip("Write a message to each ticked partner and track "
                                          "their answers")

    def open_asks_dialog(self) -> AsksDialog | None:
        """Show the messages for the ticked partners; creating them records the asks.

        The first time, with no sender set, asks who signs them first (then shows them).
        """
        lines = self._new_asks()
        if self.data is None or not lines:
            return None
        settings = workspace_settings(self.ws)
        if not (settings["sender_asked"] or settings["sender_name"].strip()
                or settings["sender_business"].strip()):
            sender = SenderDialog(parent=self)
            sender.finished.connect(lambda result: self._sender_answered(sender, result))
            sender.finished.connect(sender.deleteLater)
            self.sender_dialog = sender
            sender.open()
            return None
        post = self.data.post
        drafts = asking.draft_asks(self.ws, post.id, [line.estimate for line in lines], today(),
                                   x0=self.data.x0)
        dialog = AsksDialog(self.ws, post, drafts,
                            self.facts.warning_count if self.facts else 2, self,
                            save_templates=self.actions.save_templates)
        dialog.accepted.connect(lambda: self._create_asks(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.asks_dialog = dialog
        dialog.open()
        return dialog

    def _sender_answered(self, dialog: SenderDialog, result: int) -> None:
        """Save the sender (or that the question was asked), then show the messages."""
        name, business = dialog.values() if result == QDialog.DialogCode.Accepted else ("", "")
        self.sender_dialog = None
        if self.actions.save_sender(name, business):
            self.open_asks_dialog()

    def _create_asks(self, dialog: AsksDialog) -> None:
        post = dialog.post
        if self.actions.create_asks(post.id, post.title, dialog.result_drafts(), today()):
            self.tabs.setCurrentIndex(TAB_ASKS)

    def record_outcome(self, ask: AskRow, status: str, reach: object) -> None:
        """Save what a partner answered (one undo step); the table's p follows."""
        self.actions.record_outcome(ask, status, reach if isinstance(reach, int) else None,
                                    today())

    def _after_write(self, changes: Changes) -> None:
        self.edited.emit(changes)
        self.facts = None
        self.generation += 1
        self.ranges.clear()
        self._request()
