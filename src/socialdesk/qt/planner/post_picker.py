"""The planner's choice of post: upcoming posts, then past ones with asks still waiting."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QWidget

from socialdesk.core.clock import today
from socialdesk.qt.formatting import day_text
from socialdesk.qt.planner.data import WaitingPost
from socialdesk.store import planning, posts
from socialdesk.store.models import PostRow
from socialdesk.store.workspace import Workspace

UPCOMING = 100


class PostPicker(QComboBox):
    """A drop-down of posts; the item data is the post id.

    Posts chosen elsewhere (the calendar's "Plan leverage…") are added to the list and
    kept until :meth:`fill` reads the workspace again.
    """

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.upcoming: list[PostRow] | None = None
        self.picked: dict[int, str] = {}  # labels of posts chosen elsewhere
        self.setMinimumContentsLength(36)
        self.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip("The post to plan: upcoming posts, then past posts with asks "
                        "still waiting (not answered yet, or agreed but not shared yet)")

    def fill(self, waiting: Sequence[WaitingPost] = (), reread: bool = True) -> None:
        """List the upcoming posts (read again unless told not to) and the waiting ones.

        The chosen post stays chosen, and no signal is emitted.
        """
        current = self.currentData()
        day = today()
        if reread:
            self.picked.clear()
        if reread or self.upcoming is None:
            self.upcoming = posts.upcoming_posts(self.ws, day.isoformat(), limit=UPCOMING)
        self.blockSignals(True)
        self.clear()
        for row in self.upcoming:
            self.addItem(f"{day_text(row.scheduled_on, day)} · {row.title}", row.id)
        listed = {row.id for row in self.upcoming}
        extra = [w for w in waiting if w.id not in listed]
        if extra:
            self.insertSeparator(self.count())
            for w in extra:
                self.addItem(f"{day_text(w.scheduled_on, day)} · {w.title} — "
                             f"{w.waiting} ask{'s' if w.waiting != 1 else ''} waiting", w.id)
        if current is not None and self.findData(current) < 0 and (
                reread or current in self.picked):
            self.add_post(current)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def add_post(self, post_id: int) -> int:
        """Add a post that is not listed (chosen in the calendar); its index, or -1."""
        if post_id not in self.picked:
            facts = planning.post_facts(self.ws, post_id)
            if facts is None:
                return -1
            self.picked[post_id] = f"{day_text(facts.scheduled_on, today())} · {facts.title}"
        self.addItem(self.picked[post_id], post_id)
        return self.count() - 1

    def select(self, post_id: int) -> bool:
        """Choose a post (adding it if needed); False when there is no such post."""
        index = self.findData(post_id)
        if index < 0:
            index = self.add_post(post_id)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0
