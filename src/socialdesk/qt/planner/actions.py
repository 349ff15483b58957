"""The planner's writes as undoable commands: creating asks and recording their outcomes.

Each write runs at once in one transaction and goes onto the main window's undo stack;
undoing an outcome or a template puts back only what it changed, where nobody changed it
since. After a write, an undo or a redo, ``changed`` tells the planner (and the main
window) what it changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from socialdesk import APP_NAME
from socialdesk.core.field_edits import ASK_ANSWER, SETTINGS
from socialdesk.core.settings import stored_form
from socialdesk.qt.undo import UndoableActions, quoted
from socialdesk.store import asks
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import AskRow
from socialdesk.store.settings import stored_settings

if TYPE_CHECKING:  # the planner's model: loaded with the Planner, not with Today
    from socialdesk.core.planner.asking import DraftAsk

FAILURES = (sqlite3.Error, WorkspaceError, LookupError, ValueError)
STATUS_WORDS = {"asked": "asked", "agreed": "agreed", "shared": "shared",
                "declined": "declined", "no_reply": "no reply"}


class PlannerActions(UndoableActions):
    """Writes for the planner, each one transaction and one undo step."""

    FAILURES = FAILURES

    def create_asks(self, post_id: int, title: str, drafts: Sequence[DraftAsk],
                    today: date) -> list[int]:
        """Record the drafts as asks (one transaction, one undo step); return their ids."""
        from socialdesk.core.planner import asking

        if not drafts:
            return []
        try:
            ids = asking.create_asks(self.ws, post_id, drafts, today)
        except FAILURES as error:
            QMessageBox.warning(self.widget, APP_NAME, f"The asks were not saved: {error}")
            return []
        made = list(ids)

        def again() -> None:
            made[:] = asking.create_asks(self.ws, post_id, drafts, today)

        count = len(drafts)
        text = (f"Ask {drafts[0].name} to share {quoted(title)}" if count == 1
                else f"Ask {count} partners to share {quoted(title)}")
        self._push_existence(text, ASK_ANSWER, lambda: made, again,
                             lambda: asks.delete_asks(self.ws, made), exists=True)
        return ids

    def save_templates(self, templates: dict[str, str]) -> bool:
        """Save the ask message templates (the workspace setting); one undo step."""
        key = "ask_templates"
        try:
            before = stored_settings(self.ws).get(key)
            return self._edit("Edit the message template", SETTINGS, 0, {key: before},
                              {key: stored_form(key, templates)})
        except FAILURES as error:
            QMessageBox.warning(self.widget, APP_NAME, f"The template was not saved: {error}")
            return False

    def save_sender(self, name: str, business: str) -> bool:
        """Save who signs the asks (asked once: remembered as asked); one undo step."""
        values = {"sender_name": name, "sender_business": business, "sender_asked": True}
        try:
            stored = stored_settings(self.ws)
            return self._edit("Set who signs the asks", SETTINGS, 0,
                              {key: stored.get(key) for key in values},
                              {key: stored_form(key, value) for key, value in values.items()})
        except FAILURES as error:
            QMessageBox.warning(self.widget, APP_NAME, f"Your name was not saved: {error}")
            return False

    def record_outcome(self, ask: AskRow, status: str, observed_reach: int | None,
                       today: date) -> bool:
        """Set an ask's status (and reach when shared); one undo step. True when saved."""
        answered = None if status == "asked" else (
            ask.answered_on if status == ask.status and ask.answered_on else today.isoformat())
        reach = observed_reach if status == "shared" else None
        if status == ask.status:
            text = f"Reach of {ask.contact_name}'s share"
        else:
            text = f"{ask.contact_name}: {STATUS_WORDS.get(status, status)}"
        before = {"status": ask.status, "answered_on": ask.answered_on,
                  "observed_reach": ask.observed_reach}
        after = {"status": status, "answered_on": answered, "observed_reach": reach}
        return self._edit(text, ASK_ANSWER, ask.id, before, after)
