"""The calendar's edits as undoable commands: save, move and delete posts, campaigns, channels.

Saving a later date of a repeating post writes that date's status and results together
with any change to the series: one transaction, one undo step.

Each edit runs at once (one transaction, errors shown to the user), then goes onto the
main window's undo stack as a command whose undo puts the previous state back: for a
change of a post, campaign or channel, only the fields it changed, and only where
nobody changed them since. After any write, undo or redo, ``changed`` tells the views
what it changed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

from socialdesk.core.calendar.media import copy_into_media
from socialdesk.core.calendar.post_copies import duplicate_draft
from socialdesk.core.changes import CAMPAIGN_ROWS, POST_ROWS
from socialdesk.core.clock import today
from socialdesk.core.field_edits import CAMPAIGN, CHANNEL, POST, TEMPLATE, post_on
from socialdesk.qt.formatting import day_text
from socialdesk.qt.undo import UndoableActions, quoted
from socialdesk.store import campaigns, occurrences, post_templates, post_writes
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import Campaign, Channel, OccurrenceDraft, PostDraft
from socialdesk.store.post_templates import PostTemplate
from socialdesk.store.post_writes import DeletedPost, post_fields

FAILURES = (sqlite3.Error, WorkspaceError, LookupError, ValueError, OSError)


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

    def save_post(self, post_id: int | None, draft: PostDraft,
                  loaded: PostDraft | None = None) -> int | None:
        """Create (``post_id`` None) or update a post; return its id, or None on failure.

        An update writes the fields that differ from ``loaded`` (what the editor showed;
        by default the post as stored now), so changes made elsewhere to the others stay.
        """
        try:
            post_writes.validate(draft)
            draft = self.store_media(draft)
            if post_id is None:
                return self._create(draft)
            if loaded is None:
                stored = post_writes.get_post(self.ws, post_id)
                loaded = stored.draft if stored is not None else draft
        except FAILURES as error:
            self._report(error)
            return None
        if not self._edit(f"Edit {quoted(draft.title)}", POST, post_id, post_fields(loaded),
                          post_fields(draft)):
            return None
        return post_id

    def save_repeat(self, post_id: int, occurs_on: str, draft: PostDraft,
                    loaded: PostDraft, marked: OccurrenceDraft | None) -> bool:
        """Save the series and one later date's own status and results as one undo step.

        ``draft`` was edited from ``loaded``; ``marked`` None leaves the date as it is.
        True when saved (or nothing changed).
        """
        try:
            post_writes.validate(draft)
            if marked is not None:
                occurrences.validate(marked)
            draft = self.store_media(draft)
            was = occurrences.get_occurrence(self.ws, post_id, occurs_on)
        except FAILURES as error:
            self._report(error)
            return False
        before = {**post_fields(loaded), "marked": was}
        after = {**post_fields(draft), "marked": marked if marked is not None else was}
        return self._edit(f"Edit {quoted(draft.title)} on {day_text(occurs_on, today())}",
                          post_on(occurs_on), post_id, before, after)

    def _create(self, draft: PostDraft, text: str = "") -> int:
        post_id = post_writes.create_post(self.ws, draft)
        detail = post_writes.get_post(self.ws, post_id)
        assert detail is not None
        self._push_post(text or f"New post {quoted(draft.title)}", DeletedPost(detail, ()),
                        exists=True)
        return post_id

    def duplicate_post(self, post_id: int) -> int | None:
        """Copy a post (see :mod:`~socialdesk.core.calendar.post_copies`); the copy's id.

        The copy is undated, with a new UID and no history; undo deletes it again.
        """
        try:
            detail = post_writes.get_post(self.ws, post_id)
            if detail is None:
                raise LookupError("This post was deleted meanwhile.")
            return self._create(duplicate_draft(detail.draft),
                                f"Duplicate {quoted(detail.draft.title)}")
        except FAILURES as error:
            self._report(error)
            return None

    def _push_post(self, text: str, deleted: DeletedPost, *, exists: bool) -> None:
        state = {"deleted": deleted}
        post_id = deleted.detail.id
        self._push_existence(
            text, POST, lambda: [post_id],
            lambda: post_writes.restore_post(self.ws, state["deleted"]),
            lambda: state.update(deleted=post_writes.delete_post(self.ws, post_id)),
            exists=exists, changes=POST_ROWS.with_post(post_id))

    def move_post(self, post_id: int, day: date) -> bool:
        """Give a post another date (its time stays); True when it moved."""
        before = post_writes.get_post(self.ws, post_id)
        if before is None:
            self._report(LookupError("This post was deleted meanwhile."))
            return False
        old = before.draft.scheduled_on
        if old == day.isoformat():
            return False
        return self._edit(f"Move {quoted(before.draft.title)} to {day_text(day.isoformat())}",
                          POST, post_id, {"scheduled_on": old},
                          {"scheduled_on": day.isoformat()})

    def delete_post(self, post_id: int) -> bool:
        """Delete a post (undo brings it back, asks included); True when deleted."""
        try:
            deleted = post_writes.delete_post(self.ws, post_id)
        except FAILURES as error:
            self._report(error)
            return False
        self._push_post(f"Delete {quoted(deleted.detail.draft.title)}", deleted, exists=False)
        return True

    # --- templates -------------------------------------------------------------------

    def save_template(self, template: PostTemplate) -> int | None:
        """Create (id 0) or replace a template; return its id, or None on failure."""
        try:
            if not template.id:
                new_id = post_templates.create_template(self.ws, template)
                stored = post_templates.get_template(self.ws, new_id)
                assert stored is not None
                self._push_template(f"New template {quoted(template.name)}", stored,
                                    exists=True)
                return new_id
            post_templates.validate_template(template)
            before = post_templates.get_template(self.ws, template.id)
            if before is None:
                raise LookupError("This template was deleted meanwhile.")
        except FAILURES as error:
            self._report(error)
            return None
        if not self._edit(f"Replace template {quoted(template.name)}", TEMPLATE, template.id,
                          asdict(before), asdict(template)):
            return None
        return template.id

    def delete_template(self, template_id: int) -> bool:
        """Delete a template (undo brings it back); True when deleted."""
        try:
            template = post_templates.delete_template(self.ws, template_id)
        except FAILURES as error:
            self._report(error)
            return False
        self._push_template(f"Delete template {quoted(template.name)}", template, exists=False)
        return True

    def _push_template(self, text: str, template: PostTemplate, *, exists: bool) -> None:
        state = {"gone": template}
        self._push_existence(
            text, TEMPLATE, lambda: [template.id],
            lambda: post_templates.restore_template(self.ws, state["gone"]),
            lambda: state.update(gone=post_templates.delete_template(self.ws, template.id)),
            exists=exists)

    # --- campaigns -------------------------------------------------------------------

    def save_campaign(self, campaign: Campaign) -> int | None:
        """Create (id 0) or update a campaign; return its id, or None on failure."""
        try:
            if not campaign.id:
                new_id = campaigns.create_campaign(self.ws, campaign)
                stored = campaigns.get_campaign(self.ws, new_id)
                assert stored is not None
                self._push_campaign(f"New campaign {quoted(campaign.name)}", stored, (),
                                    exists=True)
                return new_id
            campaigns.validate_campaign(campaign)
            before = campaigns.get_campaign(self.ws, campaign.id)
            if before is None:
                raise LookupError("This campaign was deleted meanwhile.")
        except FAILURES as error:
            self._report(error)
            return None
        if not self._edit(f"Edit campaign {quoted(campaign.name)}", CAMPAIGN, campaign.id,
                          asdict(before), asdict(campaign)):
            return None
        return campaign.id

    def delete_campaign(self, campaign_id: int) -> bool:
        """Delete a campaign; its posts stay (without it) and an undo gives them back."""
        try:
            campaign, post_ids = campaigns.delete_campaign(self.ws, campaign_id)
        except FAILURES as error:
            self._report(error)
            return False
        self._push_campaign(f"Delete campaign {quoted(campaign.name)}", campaign, post_ids,
                            exists=False)
        return True

    def _push_campaign(self, text: str, campaign: Campaign, post_ids: tuple[int, ...],
                       *, exists: bool) -> None:
        state = {"gone": (campaign, post_ids)}
        self._push_existence(
            text, CAMPAIGN, lambda: [campaign.id],
            lambda: campaigns.restore_campaign(self.ws, *state["gone"]),
            lambda: state.update(gone=campaigns.delete_campaign(self.ws, campaign.id)),
            exists=exists, changes=CAMPAIGN_ROWS)

    # --- own channels ----------------------------------------------------------------

    def save_channel(self, channel: Channel) -> int | None:
        """Create (id 0) or update an own channel; return its id, or None on failure."""
        label = quoted(f"{channel.platform} {channel.handle}".strip())
        try:
            if not channel.id:
                new_id = campaigns.create_channel(self.ws, channel)
                stored = campaigns.get_channel(self.ws, new_id)
                assert stored is not None
                self._push_channel(f"New channel {label}", stored, exists=True)
                return new_id
            campaigns.validate_channel(channel)
            before = campaigns.get_channel(self.ws, channel.id)
            if before is None:
                raise LookupError("This channel was deleted meanwhile.")
        except FAILURES as error:
            self._report(error)
            return None
        if not self._edit(f"Edit channel {label}", CHANNEL, channel.id, asdict(before),
                          asdict(channel)):
            return None
        return channel.id

    def delete_channel(self, channel_id: int) -> bool:
        """Delete an own channel (undo brings it back)."""
        try:
            channel = campaigns.delete_channel(self.ws, channel_id)
        except FAILURES as error:
            self._report(error)
            return False
        self._push_channel(
            f"Delete channel {quoted(f'{channel.platform} {channel.handle}'.strip())}",
            channel, exists=False)
        return True

    def _push_channel(self, text: str, channel: Channel, *, exists: bool) -> None:
        state = {"gone": channel}
        self._push_existence(
            text, CHANNEL, lambda: [channel.id],
            lambda: campaigns.restore_channel(self.ws, state["gone"]),
            lambda: state.update(gone=campaigns.delete_channel(self.ws, channel.id)),
            exists=exists)
