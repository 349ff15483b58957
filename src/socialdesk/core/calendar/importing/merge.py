"""Decide, for every post read from a file, whether to insert it, update one, or leave it.

A post whose UID is new is inserted. A post whose UID is already in the workspace is
updated only when the file's copy is newer — a higher SEQUENCE, or a LAST-MODIFIED
later than the post's last change — and the update would change something. An update
replaces what the file can say (title, body, schedule, status, link, location, repeat;
the channels only when the file lists them; the topics only when it has categories; the
campaign only when a category names one; the first comment and the media only when the
file has them) and keeps the rest (notes, results).

A CSV file (``layout`` ``"csv"`` or ``"hootsuite"``) has no SEQUENCE or LAST-MODIFIED: the
file's copy always wins, but only for the fields that layout says
(:data:`~socialdesk.core.calendar.importing.csv_posts.SAYS`); a CSV row names its campaign
itself (an empty cell: no campaign).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from socialdesk.core.calendar.importing.csv_posts import SAYS
from socialdesk.core.calendar.importing.model import ParsedPost
from socialdesk.store.calendar_import import ExistingPost, PostValues
from socialdesk.store.post_series import SeriesValues, StoredSeries

_COMPARED = (
    "title", "body", "status", "campaign_id", "scheduled_on", "scheduled_time", "timezone",
    "link", "location", "repeat_rule", "repeat_until", "evergreen_weeks",
    "series_id", "recurrence_id", "first_comment",
)


@dataclass(slots=True)
class Plan:
    """The writes of one import."""

    new: list[PostValues] = field(default_factory=list)
    updates: list[tuple[int, PostValues]] = field(default_factory=list)
    unchanged: int = 0
    links: list[tuple[int, int | None, str | None]] = field(default_factory=list)


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
    if values.media is not None and values.media != old.media:
        return False
    if values.topics is not None:
        return {t.casefold() for t in values.topics} == {t.casefold() for t in old.topics}
    return True


def plan_writes(
    posts: Iterable[ParsedPost],
    existing: Mapping[str, ExistingPost],
    campaigns: Mapping[str, int],
    series_ids: Mapping[str, int] | None = None,
    layout: str = "ics",
    workspace_zone: str | None = None,
) -> Plan:
    """Sort ``posts`` into inserts, updates and unchanged ones (see the module docstring).

    ``existing`` maps UIDs to the workspace's posts, ``campaigns`` casefolded campaign
    names to ids, ``series_ids`` the UIDs of stored series to their ids. A post left
    unchanged that the file names as a date of a series but the workspace does not
    (imported before series were kept) is linked to it (``Plan.links``). A post in
    ``workspace_zone`` (no zone of its own in the file's reading) matches a stored post
    that names that zone itself: the same times, so no change.
    """
    says = SAYS.get(layout)
    plan = Plan()
    for post in posts:
        if post.campaign is not None:
            campaign_id, topics = campaigns.get(post.campaign.strip().casefold()), post.categories
        else:
            campaign_id, topics = split_categories(post.categories, campaigns)
        series_id = (series_ids or {}).get(post.series_uid or "")
        recurrence_id = post.recurrence_id if series_id is not None else None
        old = existing.get(post.uid)
        values = PostValues(
            uid=post.uid, title=post.title, body=post.body, status=post.status,
            campaign_id=campaign_id, scheduled_on=post.scheduled_on,
            scheduled_time=post.scheduled_time, timezone=post.timezone, link=post.link,
            notes="", location=post.location, repeat_rule=post.repeat_rule,
            repeat_until=post.repeat_until,
            evergreen_weeks=post.evergreen_weeks, sequence=post.sequence,
            series_id=series_id, recurrence_id=recurrence_id,
            created_at=post.created, first_comment=post.first_comment or "",
            channels=post.channels or (), topics=topics, media=post.media or (),
        )
        if old is None:
            plan.new.append(values)
            continue
        if says is None and not _newer(post, old):
            plan.unchanged += 1
            if series_id is not None and old.series_id is None:
                plan.links.append((old.id, series_id, recurrence_id))
            continue
        values = dataclasses.replace(
            values,
            campaign_id=campaign_id if campaign_id is not None or post.campaign is not None
            else old.campaign_id,
            notes=old.notes,
            sequence=max(post.sequence, old.sequence + 1),
            created_at=None,
            channels=post.channels,
            topics=topics if post.categories or layout == "csv" else None,
            first_comment=old.first_comment if post.first_comment is None
            else post.first_comment,
            media=post.media,
        )
        if values.timezone is None and old.timezone == workspace_zone:
            values = dataclasses.replace(values, timezone=old.timezone)
        if says is not None:  # what the file does not say stays as it is
            values = dataclasses.replace(values, **{
                name: getattr(old, name) for name in _COMPARED if name not in says})
        if _same(values, old):
            plan.unchanged += 1
        else:
            plan.updates.append((old.id, values))
    return plan


def _newer_series(new: SeriesValues, old: StoredSeries) -> bool:
    if new.sequence != old.values.sequence:
        return new.sequence > old.values.sequence
    return bool(new.modified and new.modified > old.updated_at)


def plan_series(
    masters: Iterable[SeriesValues], existing: Mapping[str, StoredSeries]
) -> tuple[list[SeriesValues], list[tuple[int, SeriesValues]]]:
    """The series to insert and those to update (by id), as for posts.

    A stored series is replaced by the file's copy when that is newer; either way it
    keeps every date it made posts for (its ``occurrences``), since the import never
    deletes a post. Nothing is written for a series the file does not change.
    """
    new: list[SeriesValues] = []
    updates: list[tuple[int, SeriesValues]] = []
    for master in masters:
        old = existing.get(master.uid)
        if old is None:
            new.append(master)
            continue
        base = master if _newer_series(master, old) else old.values
        dates = tuple(sorted(set(old.values.occurrences) | set(master.occurrences)))
        values = dataclasses.replace(base, occurrences=dates)
        if values != old.values:
            updates.append((old.id, values))
    return new, updates
