"""Decide, for every post read from a file, whether to insert it, update one, or leave it.

A post whose UID is new is inserted. A post whose UID is already in the workspace is
updated only when the file's copy is newer — a higher SEQUENCE, or a LAST-MODIFIED
later than the post's last change — and the update would change something. An update
replaces what the file can say (title, body, schedule, status, link, location, repeat;
the channels only when the file lists them; the topics only when it has categories; the
campaign only when a category names one) and keeps the rest (notes, media, results).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from socialdesk.core.calendar.importing.model import ParsedPost
from socialdesk.store.calendar_import import ExistingPost, PostValues

_COMPARED = (
    "title", "body", "status", "campaign_id", "scheduled_on", "scheduled_time", "timezone",
    "link", "location", "repeat_rule", "repeat_until", "evergreen_weeks",
)


@dataclass(slots=True)
class Plan:
    """The writes of one import."""

    new: list[PostValues] = field(default_factory=list)
    updates: list[tuple[int, PostValues]] = field(default_factory=list)
    unchanged: int = 0


def split_categories(
    categories: Iterable[str], campaigns: Mapping[str, int]
) -> tuple[int | None, tuple[str, ...]]:
    """The campaign (the first category naming one) and the topics (the others)."""
    campaign_id = None
    topics = []
    for name in categories:
        found = campaigns.get(name.casefold())
        if campaign_id is None and found is not None:
            campaign_id = found
        else:
            topics.append(name)
    return campaign_id, tuple(topics)


def _newer(post: ParsedPost, old: ExistingPost) -> bool:
    if post.sequence > old.sequence:
        return True
    return bool(post.modified and post.modified > old.updated_at)


def _same(values: PostValues, old: ExistingPost) -> bool:
    if any(getattr(values, name) != getattr(old, name) for name in _COMPARED):
        return False
    if values.channels is not None and sorted(values.channels) != sorted(old.channels):
        return False
    if values.topics is not None:
        return {t.casefold() for t in values.topics} == {t.casefold() for t in old.topics}
    return True


def plan_writes(
    posts: Iterable[ParsedPost],
    existing: Mapping[str, ExistingPost],
    campaigns: Mapping[str, int],
) -> Plan:
    """Sort ``posts`` into inserts, updates and unchanged ones (see the module docstring).

    ``existing`` maps UIDs to the workspace's posts, ``campaigns`` casefolded campaign
    names to ids.
    """
    plan = Plan()
    for post in posts:
        campaign_id, topics = split_categories(post.categories, campaigns)
        old = existing.get(post.uid)
        values = PostValues(
            uid=post.uid, title=post.title, body=post.body, status=post.status,
            campaign_id=campaign_id, scheduled_on=post.scheduled_on,
            scheduled_time=post.scheduled_time, timezone=post.timezone, link=post.link,
            notes="", location=post.location, repeat_rule=post.repeat_rule,
            repeat_until=post.repeat_until,
            evergreen_weeks=post.evergreen_weeks, sequence=post.sequence,
            created_at=post.created, channels=post.channels or (), topics=topics,
        )
        if old is None:
            plan.new.append(values)
            continue
        if not _newer(post, old):
            plan.unchanged += 1
            continue
        values = dataclasses.replace(
            values,
            campaign_id=campaign_id if campaign_id is not None else old.campaign_id,
            notes=old.notes,
            sequence=max(post.sequence, old.sequence + 1),
            created_at=None,
            channels=post.channels,
            topics=topics if post.categories else None,
        )
        if _same(values, old):
            plan.unchanged += 1
        else:
            plan.updates.append((old.id, values))
    return plan
