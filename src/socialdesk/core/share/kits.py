"""Making the share kit of an ask in a workspace: its data, the partner's slug, the page."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from socialdesk.core.calendar.media import media_path, stays_inside
from socialdesk.core.settings import workspace_settings
from socialdesk.core.share.kit import KitAudience, KitInput, ShareKit, build_kit
from socialdesk.core.share.links import slugify, unique_slug
from socialdesk.core.share.page import kit_page
from socialdesk.store import share as stored
from socialdesk.store.share import AskKitData
from socialdesk.store.workspace import Workspace


class KitError(Exception):
    """A kit that cannot be made; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class MadeKit:
    """A kit with what its page shows besides: the post's first image and the sender."""

    kit: ShareKit
    image: Path | None
    sender: str

    def page(self) -> str:
        """The kit as a self-contained HTML page."""
        return kit_page(self.kit, self.image, self.sender)


def planned_slug(ws: Workspace, name: str, slug: str | None,
                 taken: Collection[str] = ()) -> str:
    """The partner's slug, or the one they will get (not among ``taken``), without storing it."""
    if slug:
        return slug
    return unique_slug(name, stored.slugs_starting(ws, slugify(name)) | set(taken))


def partner_slug(ws: Workspace, contact_id: int, name: str, slug: str | None) -> str:
    """The partner's slug, made from the name and kept the first time it is needed."""
    if slug:
        return slug
    return stored.keep_slug(ws, contact_id, planned_slug(ws, name, None))


def keep_planned_slug(ws: Workspace, contact_id: int, name: str, planned: str) -> str:
    """Give the partner the ``planned`` slug unless they have one; return theirs.

    When another partner took ``planned`` meanwhile, they get a fresh one.
    """
    try:
        return stored.keep_slug(ws, contact_id, planned)
    except sqlite3.IntegrityError:
        return partner_slug(ws, contact_id, name, None)


def sender_parts(ws: Workspace) -> tuple[str, str]:
    """The sender's name and business, as the settings give them."""
    settings = workspace_settings(ws)
    return settings["sender_name"].strip(), settings["sender_business"].strip()


def sender(ws: Workspace) -> str:
    """"Name, Business" as the settings give them ("" when neither is set)."""
    return ", ".join(part for part in sender_parts(ws) if part)


def kit_of(data: AskKitData, slug: str) -> ShareKit:
    """The kit of the partner and post in ``data``, its links carrying ``slug``."""
    assert data.post_id is not None
    return build_kit(KitInput(
        ask_id=data.ask_id, partner=data.partner, slug=slug,
        audiences=tuple(KitAudience(a.platform, a.handle, a.url, a.size) for a in data.audiences),
        post_id=data.post_id, title=data.title, body=data.body, link=data.link,
        variants=data.variants, campaign=data.campaign, scheduled_on=data.scheduled_on))


def make_kit(ws: Workspace, ask_id: int) -> MadeKit:
    """The share kit of ask ``ask_id`` (its partner gets a slug if they had none)."""
    data = stored.ask_kit_data(ws, ask_id)
    if data is None:
        raise KitError(f"There is no ask #{ask_id}.")
    if data.post_id is None:
        raise KitError(f"Ask #{ask_id} is not for a post (its post was deleted), so there "
                       "is nothing to share.")
    kit = kit_of(data, partner_slug(ws, data.contact_id, data.partner, data.slug))
    image = (media_path(ws.path, data.first_media)
             if data.first_media and stays_inside(data.first_media) else None)
    return MadeKit(kit, image if image and image.is_file() else None, sender(ws))
