"""The calendar's edits as undoable commands: save, move and delete posts, campaigns, channels.

Saving a later date of a repeating post writes that date's status and results together
with any change to the series: one transaction, one undo step.

Each edit runs at once (one transaction, errors shown to the user), then goes onto the
main window's undo stack as a command whose undo puts the previous state back. After
any write, undo or redo, ``changed`` tells the views to reload.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from socialdesk.core.clock import today
from socialdesk.core.formatting import short_date
from socialdesk.core.media import copy_into_media
from socialdesk.qt.undo import UndoableActions, quoted
from socialdesk.store import campaigns, occurrences, post_writes
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import Campaign, Channel, OccurrenceDraft, PostDraft
from socialdesk.store.post_writes import DeletedPost

FAILURES = (sqlite3.Error, WorkspaceError, LookupError, ValueError, OSError)


def _discard(write: Callable[..., object], *args: object) -> None:
    """Run a write whose result an undo step does not need."""
    write(*args)


class CalendarActions(UndoableActions):
    """Writes for the calendar view, each one transaction and one undo step."""

    FAILURES = FAILURES

    # --- posts -----------------------------------------------------------------------

    def store_media(self, draft: PostDraft) -> PostDraft:
        """Copy media picked from elsewhere into the workspace's media folder."""
        stored = tuple(
            copy_into_media(self.ws.path, Path(path)) if Path(path).is_absolute() else path
            for path in draft.media
        )
        return replace(draft, media=stored)

    def save_post(self, post_id: int | None, draft: PostDraft) -> int | None:
        """Create (``post_id`` None) or update a post; return its id, or None on failure."""
        try:
            post_writes.validate(draft)
            draft = self.store_media(draft)
            if post_id is None:
                return self._create(draft)
            before = post_writes.get_post(self.ws, post_id)
            if before is None:
                raise LookupError("This post was deleted meanwhile.")
            post_writes.update_post(self.ws, post_id, draft)
        except FAILURES as error:
            self._report(error)
            return None
        self._push(f"Edit {quoted(draft.title)}",
                   lambda: post_writes.update_post(self.ws, post_id, draft),
                   lambda: post_writes.update_post(self.ws, post_id, before.draft))
        return post_id

    def save_repeat(self, post_id: int, occurs_on: str, draft: PostDraft,
                    marked: OccurrenceDraft | None) -> bool:
        """Save the series (``draft``) and one later date's own status and results.

        ``marked`` None leaves that date as it is. True when saved (or nothing changed).
        """
        try:
            post_writes.validate(draft)
            if marked is not None:
                occurrences.validate(marked)
            draft = self.store_media(draft)
            before = post_writes.get_post(self.ws, post_id)
            if before is None:
                raise LookupError("This post was deleted meanwhile.")
            series = draft if post_writes.canonical(draft) != before.draft else None
            if series is None and marked is None:
                return True
            was = occurrences.get_occurrence(self.ws, post_id, occurs_on)

            def write(series: PostDraft | None, marked: OccurrenceDraft | None) -> None:
                with self.ws.transaction():
                    if series is not None:
                        post_writes.update_post(self.ws, post_id, series)
                    occurrences.set_occurrence(self.ws, post_id, occurs_on, marked)

            write(series, marked if marked is not None else was)
        except FAILURES as error:
            self._report(error)
            return False
        after = marked if marked is not None else was
        self._push(f"Edit {quoted(draft.title)} on {short_date(occurs_on, today())}",
                   lambda: write(series, after),
                   lambda: write(before.draft if series is not None else None, was))
        return True

    def _create(self, draft: PostDraft) -> int:
        post_id = post_writes.create_post(self.ws, draft)
        detail = post_writes.get_post(self.ws, post_id)
        assert detail is not None
        state = {"deleted": DeletedPost(detail, ())}

        def undo() -> None:
            state["deleted"] = post_writes.delete_post(self.ws, post_id)

        self._push(f"New post {quoted(draft.title)}",
                   lambda: post_writes.restore_post(self.ws, state["deleted"]), undo)
        return post_id

    def move_post(self, post_id: int, day: date) -> bool:
        """Give a post another date (its time stays); True when it moved."""
        try:
            before = post_writes.get_post(self.ws, post_id)
            if before is None:
                raise LookupError("This post was deleted meanwhile.")
            old = before.draft.scheduled_on
            if old == day.isoformat():
                return False
            post_writes.move_post(self.ws, post_id, day.isoformat())
        except FAILURES as error:
            self._report(error)
            return False
        self._push(f"Move {quoted(before.draft.title)} to {short_date(day.isoformat())}",
                   lambda: post_writes.move_post(self.ws, post_id, day.isoformat()),
                   lambda: post_writes.move_post(self.ws, post_id, old))
        return True

    def delete_post(self, post_id: int) -> bool:
        """Delete a post (undo brings it back, asks included); True when deleted."""
        try:
            deleted = post_writes.delete_post(self.ws, post_id)
        except FAILURES as error:
            self._report(error)
            return False
        state = {"deleted": deleted}

        def redo() -> None:
            state["deleted"] = post_writes.delete_post(self.ws, post_id)

        self._push(f"Delete {quoted(deleted.detail.draft.title)}", redo,
                   lambda: post_writes.restore_post(self.ws, state["deleted"]))
        return True

    # --- campaigns -------------------------------------------------------------------

    def save_campaign(self, campaign: Campaign) -> int | None:
        """Create (id 0) or update a campaign; return its id, or None on failure."""
        try:
            if not campaign.id:
                new_id = campaigns.create_campaign(self.ws, campaign)
                stored = replace(campaign, id=new_id)
                self._push(f"New campaign {quoted(campaign.name)}",
                           lambda: campaigns.restore_campaign(self.ws, stored, ()),
                           lambda: _discard(campaigns.delete_campaign, self.ws, new_id))
                return new_id
            before = campaigns.get_campaign(self.ws, campaign.id)
            if before is None:
                raise LookupError("This campaign was deleted meanwhile.")
            campaigns.update_campaign(self.ws, campaign)
        except FAILURES as error:
            self._report(error)
            return None
        self._push(f"Edit campaign {quoted(campaign.name)}",
                   lambda: campaigns.update_campaign(self.ws, campaign),
                   lambda: campaigns.update_campaign(self.ws, before))
        return campaign.id

    def delete_campaign(self, campaign_id: int) -> bool:
        """Delete a campaign; its posts stay (without it) and an undo gives them back."""
        try:
            campaign, post_ids = campaigns.delete_campaign(self.ws, campaign_id)
        except FAILURES as error:
            self._report(error)
            return False
        self._push(f"Delete campaign {quoted(campaign.name)}",
                   lambda: _discard(campaigns.delete_campaign, self.ws, campaign_id),
                   lambda: campaigns.restore_campaign(self.ws, campaign, post_ids))
        return True

    # --- own channels ----------------------------------------------------------------

    def save_channel(self, channel: Channel) -> int | None:
        """Create (id 0) or update an own channel; return its id, or None on failure."""
        label = quoted(f"{channel.platform} {channel.handle}".strip())
        try:
            if not channel.id:
                new_id = campaigns.create_channel(self.ws, channel)
                stored = replace(channel, id=new_id)
                self._push(f"New channel {label}",
                           lambda: campaigns.restore_channel(self.ws, stored),
                           lambda: _discard(campaigns.delete_channel, self.ws, new_id))
                return new_id
            before = campaigns.get_channel(self.ws, channel.id)
            if before is None:
                raise LookupError("This channel was deleted meanwhile.")
            campaigns.update_channel(self.ws, channel)
        except FAILURES as error:
            self._report(error)
            return None
        self._push(f"Edit channel {label}",
                   lambda: campaigns.update_channel(self.ws, channel),
                   lambda: campaigns.update_channel(self.ws, before))
        return channel.id

    def delete_channel(self, channel_id: int) -> bool:
        """Delete an own channel (undo brings it back)."""
        try:
            channel = campaigns.delete_channel(self.ws, channel_id)
        except FAILURES as error:
            self._report(error)
            return False
        self._push(f"Delete channel {quoted(f'{channel.platform} {channel.handle}'.strip())}",
                   lambda: _discard(campaigns.delete_channel, self.ws, channel_id),
                   lambda: campaigns.restore_channel(self.ws, channel))
        return True
