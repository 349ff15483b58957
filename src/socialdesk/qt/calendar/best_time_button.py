"""The post editor's Best time button: the next open slot at the hour posts did best.

The slot is worked out by :func:`socialdesk.core.calendar.best_times.suggest_slot`, on a
worker when the workspace is big; the button says why below itself (``note``) and hands
a slot to the editor (``found``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from socialdesk.core.calendar.best_times import Suggestion, suggest_slot
from socialdesk.core.settings import workspace_settings, workspace_zone
from socialdesk.qt.workers import start_on_worker
from socialdesk.store import posts
from socialdesk.store.workspace import Workspace

WORKER_ABOVE = 2000  # posts; a bigger workspace finds its best time on a worker


def _suggest_on_worker(path: Path, now: datetime) -> Suggestion:
    with Workspace.open_readonly(path) as ws:
        return suggest_slot(ws, now)


class BestTimeButton(QPushButton):
    """Proposes a slot for the post; ``note`` says why, or why there is none."""

    found = Signal(object)  # a Suggestion with a slot (``when``) to put in the fields

    def __init__(self, ws: Workspace | None, parent: QWidget | None = None) -> None:
        super().__init__("Best time", parent)
        self.ws = ws
        self.setToolTip("Propose the next open hour on the weekday and at the hour your "
                        "published posts reached the most people")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.note.hide()
        self.clicked.connect(self.suggest)

    def suggest(self) -> None:
        """Find the next open slot in the best weekday and hour (on a worker when big)."""
        if self.ws is None:
            return
        zone = ZoneInfo(workspace_zone(workspace_settings(self.ws)))
        now = datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)
        if posts.post_count(self.ws) <= WORKER_ABOVE:
            self._show(suggest_slot(self.ws, now))
            return
        self.setEnabled(False)
        self.say("Looking at your published posts…")
        path = self.ws.path
        start_on_worker(self, lambda: _suggest_on_worker(path, now), self._found)

    def _found(self, suggestion: Suggestion | None, error: BaseException | None) -> None:
        self.setEnabled(True)
        if error is not None or suggestion is None:
            self.say(f"Could not work out the best time: {error}")
            return
        self._show(suggestion)

    def _show(self, suggestion: Suggestion) -> None:
        if suggestion.when is not None:
            self.found.emit(suggestion)
        self.say(suggestion.message)

    def say(self, text: str) -> None:
        """Show ``text`` below the button ("" hides it)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))
