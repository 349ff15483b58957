"""Planner: for one post, which partners could spread it and what asking them would add."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from socialdesk.core import planning
from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, exact, percent, short_date
from socialdesk.core.leverage import PartnerEstimate
from socialdesk.qt.table_model import Column, RowTableModel, SortProxy, count_column
from socialdesk.qt.views.base import EmptyState, View, heading, make_table, muted, section_title
from socialdesk.store import posts
from socialdesk.store.workspace import Workspace


class PlannerView(View):
    """Ranks partners for the chosen post and suggests asks within an effort budget."""

    name = "planner"
    title = "Planner"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.chosen: set[str] = set()
        self.post = QComboBox()
        self.post.setMinimumContentsLength(40)
        self.post.currentIndexChanged.connect(self.replan)
        self.budget = QSpinBox()
        self.budget.setRange(0, 24 * 60)
        self.budget.setSingleStep(15)
        self.budget.setValue(60)
        self.budget.setSuffix(" min")
        self.budget.setToolTip("How much time you can spend asking partners for this post")
        self.budget.valueChanged.connect(self.replan)
        self.result = section_title("")
        self.result.setWordWrap(True)
        self.explain = muted("")
        columns: list[Column[PartnerEstimate]] = [
            Column("Ask", lambda e: e.id in self.chosen, display=lambda v: "✓" if v else ""),
            Column("Partner", lambda e: e.name),
            Column("Shares if asked", lambda e: e.p, display=percent, numeric=True,
                   tooltip=lambda e: f"p = {e.p:.3f} (likelihood × freshness)"),
            Column("Topic fit", lambda e: e.fit, display=percent, numeric=True),
            count_column("Audience", lambda e: e.audience),
            Column("Adds reach", lambda e: e.added_reach, display=compact, numeric=True,
                   tooltip=lambda e: f"{exact(round(e.added_reach))} more people expected "
                   "if you ask only this partner"),
            Column("Effort", lambda e: e.effort_minutes, display=lambda v: f"{v:.0f} min",
                   numeric=True),
        ]
        self.model: RowTableModel[PartnerEstimate] = RowTableModel(columns, self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table(self.proxy, sortable=True, stretch=1)
        self.body = EmptyState(self.table, "")
        bar = QHBoxLayout()
        bar.addWidget(heading("Planner"))
        bar.addStretch()
        bar.addWidget(QLabel("Post:"))
        bar.addWidget(self.post, 2)
        bar.addWidget(QLabel("Time to spend:"))
        bar.addWidget(self.budget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.result)
        layout.addWidget(self.explain)
        layout.addWidget(self.body, 1)

    def refresh(self) -> None:
        """Reload the upcoming posts and plan the selected one."""
        current = self.post.currentData()
        self.post.blockSignals(True)
        self.post.clear()
        for row in posts.upcoming_posts(self.ws, today().isoformat(), limit=100):
            self.post.addItem(f"{short_date(row.scheduled_on, today())} · {row.title}", row.id)
        index = self.post.findData(current)
        self.post.setCurrentIndex(max(0, index))
        self.post.blockSignals(False)
        self.replan()

    def select_post(self, post_id: int) -> None:
        """Plan a given post (adding it to the list if it is not upcoming)."""
        index = self.post.findData(post_id)
        if index < 0:
            self.post.addItem(f"Post {post_id}", post_id)
            index = self.post.count() - 1
        self.post.setCurrentIndex(index)

    def replan(self) -> None:
        """Run the leverage model for the selected post and budget."""
        post_id = self.post.currentData()
        if post_id is None:
            self.model.set_rows([])
            self.result.setText("")
            self.explain.setText("")
            self.body.set_empty(True, "No upcoming posts to plan — add one in the Calendar.")
            return
        post, plan = planning.plan_post(self.ws, post_id, today(), self.budget.value())
        self.chosen = {e.id for e in plan.chosen}
        self.model.set_rows(plan.ranked)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        self.table.resizeColumnsToContents()
        self.body.set_empty(
            not plan.ranked, "No partners yet — give a contact an audience to plan with them."
        )
        topics = ", ".join(sorted(post.topics)) or "no topics"
        self.result.setText(
            f"Alone: {compact(plan.own_reach)} people  →  with {len(plan.chosen)} asks: "
            f"{compact(plan.expected_reach)} (×{plan.multiplier:.1f}), "
            f"{plan.effort_minutes:.0f} min of asking"
        )
        self.explain.setText(
            f"“{post.title}” ({topics}). Expected unique reach, counting overlap between "
            "audiences; ✓ marks the asks that add the most for the time you have."
        )
