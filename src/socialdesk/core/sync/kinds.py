"""The kinds of item a sync carries: every kind this SocialDesk has, in KIND_ORDER."""

from __future__ import annotations

from socialdesk.core.sync.calendar_kinds import CALENDAR_KINDS
from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.core.sync.kind import KIND_ORDER, Kind


def default_kinds() -> list[Kind]:
    """Settings, campaigns, contacts, posts and asks (:data:`KIND_ORDER`)."""
    kinds: list[Kind] = [*CALENDAR_KINDS, CONTACT_KIND]
    return sorted(kinds, key=lambda k: KIND_ORDER.index(k.name))
