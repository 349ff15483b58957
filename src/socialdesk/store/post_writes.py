"""Writing posts: create, update, move, delete (and restore, for undo).

A later date of a repeating post gets its own status and results through
:func:`socialdesk.store.occurrences.set_occurrence`; deleting the post removes those too, and
restoring it brings them back.

Every public write is one transaction (nesting as a savepoint inside a caller's) and
raises the post's iCalendar SEQUENCE and ``updated_at``, so calendar programs that
subscribed to an export pick up the change.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.store import occurrences
from socialdesk.store.columns import field_names, from_row, select_list
from socialdesk.store.known_names import shown, stored_platform
from socialdesk.store.models import OccurrenceDraft, PostDetail, PostDraft
from socialdesk.store.vocabulary import POST_STATUSES, REPEAT_RULES
from socialdesk.store.workspace import Workspace

# The posts table's columns: what the user edits (PostDraft's fields that are columns;
# channels, topics and media are rows of other tables) and what the store keeps.
_FIELDS = field_names(PostDraft, leave_out=("channels", "topics", "media", "media_alt"))
_KEPT = field_names(PostDetail, leave_out=("draft",))
POST_COLUMNS = _KEPT + _FIELDS
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
KEEP = object()  # move_post: leave the time as it is


@dataclass(frozen=True, slots=True)
class DeletedPost:
    """What :func:`delete_post` removed: enough to put it back exactly."""

    detail: PostDetail
    ask_ids: tuple[int, ...]
    marked: tuple[tuple[str, OccurrenceDraft], ...] = ()  # later dates with their own status


def now_stamp() -> str:
    """The current UTC time as the schema's timestamp text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def validate(draft: PostDraft) -> None:
    """Raise ``ValueError`` with a user-facing message when a draft cannot be stored."""
    if not draft.title.strip():
        raise ValueError("Give the post a title.")
    if draft.status not in POST_STATUSES:
        raise ValueError(f"Unknown status {draft.status!r}.")
    if draft.repeat_rule is not None and draft.repeat_rule not in REPEAT_RULES:
        raise ValueError(f"Unknown repeat {draft.repeat_rule!r}.")
    for name in ("scheduled_on", "repeat_until"):
        value = getattr(draft, name)
        if value is not None:
            date.fromisoformat(value)
    if draft.scheduled_time is not None:
        if not _TIME.match(draft.scheduled_time):
            raise ValueError(f"{draft.scheduled_time!r} is not a time (HH:MM).")
        if draft.scheduled_on is None:
            raise ValueError("A post with a time needs a date.")
    if draft.timezone is not None:
        try:
            ZoneInfo(draft.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Unknown time zone {draft.timezone!r} (choose one from the "
                             "list, such as Europe/London).") from error
    if draft.repeat_until and draft.scheduled_on and draft.repeat_until < draft.scheduled_on:
        raise ValueError("The repeat ends before the post's date.")
    if draft.evergreen_weeks is not None and draft.evergreen_weeks < 1:
        raise ValueError("Repost at most every week (1 or more weeks).")
    for name in ("reach", "clicks", "engagements"):
        value = getattr(draft, name)
        if value is not None and value < 0:
            raise ValueError(f"{name.title()} cannot be negative.")


def get_post(ws: Workspace, post_id: int) -> PostDetail | None:
    """One post with its channels, topics and media; None when there is no such post."""
    row = ws.conn.execute(
        f"SELECT {select_list(POST_COLUMNS)} FROM posts WHERE id = ?", (post_id,),
    ).fetchone()
    if row is None:
        return None
    channels = _channels(ws, post_id)
    topics = tuple(r[0] for r in ws.conn.execute(
        "SELECT t.name FROM post_topics pt JOIN topics t ON t.id = pt.topic_id "
        "WHERE pt.post_id = ? ORDER BY t.name COLLATE NOCASE", (post_id,)))
    files = ws.conn.execute(
        "SELECT path, alt FROM post_media WHERE post_id = ? ORDER BY position, id",
        (post_id,)).fetchall()
    draft = from_row(PostDraft, row, _FIELDS, channels=channels, topics=topics,
                     media=tuple(r["path"] for r in files),
                     media_alt=tuple(r["alt"] for r in files))
    return from_row(PostDetail, row, _KEPT, draft=draft)


def _channels(ws: Workspace, post_id: int) -> tuple[tuple[str, str | None], ...]:
    return tuple(
        (row["platform"], row["body"]) for row in ws.conn.execute(
            f"SELECT {shown('platform')} AS platform, body FROM post_channels "
            "WHERE post_id = ? ORDER BY 1",
            (post_id,),
        )
    )


def _row_values(draft: PostDraft) -> list[object]:
    values = [getattr(draft, name) for name in _FIELDS]
    values[0] = draft.title.strip()
    return values


def create_post(ws: Workspace, draft: PostDraft, *, uid: str | None = None) -> int:
    """Store a new post with its channels, topics and media; return its id."""
    validate(draft)
    stamp = now_stamp()
    with ws.transaction():
        cursor = ws.conn.execute(
            f"INSERT INTO posts (uid, {', '.join(_FIELDS)}, sequence, created_at, updated_at) "
            f"VALUES (?, {', '.join('?' * len(_FIELDS))}, 0, ?, ?)",
            [uid or str(uuid.uuid4()), *_row_values(draft), stamp, stamp],
        )
        post_id = int(cursor.lastrowid or 0)
        _write_parts(ws, post_id, draft)
    return post_id


def update_post(ws: Workspace, post_id: int, draft: PostDraft) -> None:
    """Replace everything a user edits about a post; raise ``LookupError`` if it is gone."""
    validate(draft)
    with ws.transaction():
        cursor = ws.conn.execute(
            f"UPDATE posts SET {', '.join(f'{name} = ?' for name in _FIELDS)}, "
            "sequence = sequence + 1, updated_at = ? WHERE id = ?",
            [*_row_values(draft), now_stamp(), post_id],
        )
        if cursor.rowcount == 0:
            raise LookupError(f"Post {post_id} no longer exists.")
        _write_parts(ws, post_id, draft)


def _write_parts(ws: Workspace, post_id: int, draft: PostDraft) -> None:
    set_channels(ws, post_id, draft.channels)
    set_topics(ws, post_id, draft.topics)
    set_media(ws, post_id, draft.media, draft.media_alt)


def move_post(ws: Workspace, post_id: int, scheduled_on: str | None,
              scheduled_time: str | object | None = KEEP) -> None:
    """Give a post another date (and, unless ``KEEP``, another time or none)."""
    if scheduled_on is not None:
        date.fromisoformat(scheduled_on)
    with ws.transaction():
        if scheduled_time is KEEP:
            cursor = ws.conn.execute(
                "UPDATE posts SET scheduled_on = ?, sequence = sequence + 1, updated_at = ? "
                "WHERE id = ?", (scheduled_on, now_stamp(), post_id))
        else:
            cursor = ws.conn.execute(
                "UPDATE posts SET scheduled_on = ?, scheduled_time = ?, "
                "sequence = sequence + 1, updated_at = ? WHERE id = ?",
                (scheduled_on, scheduled_time, now_stamp(), post_id))
        if cursor.rowcount == 0:
            raise LookupError(f"Post {post_id} no longer exists.")


def set_channels(ws: Workspace, post_id: int,
                 channels: tuple[tuple[str, str | None], ...]) -> None:
    """Make ``channels`` (platform, own text or None) the post's target channels.

    A platform named twice is one target (the first text of its own wins); one not in
    the known list is stored as ``other`` with its name (see ``store/known_names.py``).
    """
    with ws.transaction():
        ws.conn.execute("DELETE FROM post_channels WHERE post_id = ?", (post_id,))
        ws.conn.executemany(
            "INSERT INTO post_channels (post_id, platform, platform_label, body) "
            "VALUES (?, ?, ?, ?)",
            [(post_id, *target) for target in channel_rows(channels)],
        )


class ChannelRow(NamedTuple):
    """A post's target as post_channels keeps it (the columns in their order)."""

    platform: str
    platform_label: str
    body: str | None


def channel_rows(channels: Iterable[tuple[str, str | None]]) -> list[ChannelRow]:
    """The row of each target, as post_channels keeps them.

    One row per platform: a platform named twice keeps the first text of its own.
    """
    found: dict[tuple[str, str], ChannelRow] = {}
    for given, body in channels:
        platform, label = stored_platform(given)
        text = body if body and body.strip() else None
        key = (platform, label.casefold())
        if key not in found or (found[key].body is None and text is not None):
            found[key] = ChannelRow(platform, label, text)
    return list(found.values())


def set_topics(ws: Workspace, post_id: int, names: tuple[str, ...]) -> None:
    """Make ``names`` the post's topics, adding topics the workspace does not have yet."""
    with ws.transaction():
        ws.conn.execute("DELETE FROM post_topics WHERE post_id = ?", (post_id,))
        for name in dict.fromkeys(n.strip() for n in names if n.strip()):
            ws.conn.execute("INSERT OR IGNORE INTO topics (name) VALUES (?)", (name,))
            ws.conn.execute(
                "INSERT OR IGNORE INTO post_topics (post_id, topic_id) "
                "SELECT ?, id FROM topics WHERE name = ?", (post_id, name))


def set_media(ws: Workspace, post_id: int, paths: tuple[str, ...],
              alts: tuple[str, ...] = ()) -> None:
    """Make ``paths`` (relative to the media folder) the post's media, in order.

    ``alts``: each file's description (alt text), by position; missing ones are empty.
    """
    with ws.transaction():
        ws.conn.execute("DELETE FROM post_media WHERE post_id = ?", (post_id,))
        ws.conn.executemany(
            "INSERT INTO post_media (post_id, path, position, alt) VALUES (?, ?, ?, ?)",
            [(post_id, path, position, media_alt(alts, position))
             for position, path in enumerate(paths)],
        )


def media_alt(alts: tuple[str, ...], position: int) -> str:
    """The description of the media file at ``position`` ("" when it has none)."""
    return alts[position].strip() if position < len(alts) else ""


def delete_post(ws: Workspace, post_id: int) -> DeletedPost:
    """Delete a post (its asks stay, without a post); return what :func:`restore_post` needs."""
    with ws.transaction():
        detail = get_post(ws, post_id)
        if detail is None:
            raise LookupError(f"Post {post_id} no longer exists.")
        asks = tuple(r[0] for r in ws.conn.execute(
            "SELECT id FROM asks WHERE post_id = ?", (post_id,)))
        marked = occurrences.occurrences_of(ws, post_id)
        ws.conn.execute("DELETE FROM posts WHERE id = ?", (post_id,))
    return DeletedPost(detail, asks, marked)


def restore_post(ws: Workspace, deleted: DeletedPost) -> None:
    """Put a deleted post back with its id, UID, parts, marked dates and asks (SEQUENCE raised)."""
    detail = deleted.detail
    with ws.transaction():
        ws.conn.execute(
            f"INSERT INTO posts (id, uid, {', '.join(_FIELDS)}, sequence, created_at, "
            f"updated_at) VALUES (?, ?, {', '.join('?' * len(_FIELDS))}, ?, ?, ?)",
            [detail.id, detail.uid, *_row_values(detail.draft), detail.sequence + 1,
             detail.created_at, now_stamp()],
        )
        if detail.series_id is not None:  # back in its series (unless that went meanwhile)
            ws.conn.execute(
                "UPDATE posts SET series_id = ?, recurrence_id = ? WHERE id = ? "
                "AND EXISTS (SELECT 1 FROM post_series WHERE id = ?)",
                (detail.series_id, detail.recurrence_id, detail.id, detail.series_id))
        _write_parts(ws, detail.id, detail.draft)
        occurrences.write(ws, detail.id, deleted.marked)
        for chunk in range(0, len(deleted.ask_ids), 900):
            ids = deleted.ask_ids[chunk : chunk + 900]
            ws.conn.execute(
                f"UPDATE asks SET post_id = ? WHERE id IN ({','.join('?' * len(ids))})",
                (detail.id, *ids),
            )


def topic_names(ws: Workspace) -> list[str]:
    """Every topic name in the workspace, alphabetically (for completion)."""
    return [r[0] for r in ws.conn.execute("SELECT name FROM topics ORDER BY name COLLATE NOCASE")]


def canonical(draft: PostDraft) -> PostDraft:
    """``draft`` as :func:`get_post` would read it back (for comparing drafts)."""
    channels: dict[str, str | None] = {}
    for platform, body in draft.channels:
        channels.setdefault(platform, body if body and body.strip() else None)
    topics = sorted(dict.fromkeys(t.strip() for t in draft.topics if t.strip()), key=str.casefold)
    return replace(draft, title=draft.title.strip(), channels=tuple(sorted(channels.items())),
                   topics=tuple(topics), media_alt=tuple(
                       media_alt(draft.media_alt, i) for i in range(len(draft.media))))


def post_fields(draft: PostDraft) -> dict[str, Any]:
    """A draft's fields by name, as :func:`read_post_fields` reads them back."""
    draft = canonical(draft)
    return {f.name: getattr(draft, f.name) for f in fields(draft)}


def read_post_fields(ws: Workspace, post_id: int) -> dict[str, Any] | None:
    """Every field of a stored post by name; None if there is no such post."""
    detail = get_post(ws, post_id)
    return None if detail is None else post_fields(detail.draft)


def write_post_fields(ws: Workspace, post_id: int, values: Mapping[str, Any]) -> None:
    """Store some fields of a post (one transaction); the others stay as they are.

    A new date alone is a move (:func:`move_post`), as dragging the post does.
    """
    with ws.transaction():
        detail = get_post(ws, post_id)
        if detail is None:
            raise LookupError(f"Post {post_id} no longer exists.")
        if set(values) == {"scheduled_on"}:
            move_post(ws, post_id, values["scheduled_on"])
        else:
            update_post(ws, post_id, replace(detail.draft, **values))
