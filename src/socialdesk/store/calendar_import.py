"""The SQL side of the calendar importer: posts already there by UID, and bulk writes.

Reads are chunked ``IN`` queries (a few per thousand UIDs); writes are ``executemany``
statements inside the caller's ``ws.transaction()`` (they refuse to run outside one),
with new posts numbered from :func:`~socialdesk.store.bulk.next_id` so that their
channels and topics are written without reading ``lastrowid`` row by row.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from socialdesk.store.bulk import next_id, upsert_names
from socialdesk.store.columns import field_names, from_row, select_list
from socialdesk.store.known_names import shown
from socialdesk.store.post_writes import channel_rows
from socialdesk.store.workspace import Workspace

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
_CHUNK = 500
Channel = tuple[str, str | None]
Media = tuple[str, str]  # (path relative to the media folder, alt text)


@dataclass(frozen=True, slots=True)
class PostValues:
    """What an import writes for one post.

    ``channels`` or ``topics`` ``None``: leave the post's as they are (updates only).
    ``created_at`` ``None``: now (inserts only; updates never change it).
    ``series_id`` and ``recurrence_id``: the imported series (``post_series``) the post is
    a date of, and which. ``media`` ``None``: leave the post's as they are (updates only).
    """

    uid: str
    title: str
    body: str
    status: str
    campaign_id: int | None
    scheduled_on: str | None
    scheduled_time: str | None
    timezone: str | None
    link: str
    notes: str
    location: str
    repeat_rule: str | None
    repeat_until: str | None
    evergreen_weeks: int | None
    sequence: int
    series_id: int | None = None
    recurrence_id: str | None = None
    created_at: str | None = None
    first_comment: str = ""
    channels: tuple[Channel, ...] | None = ()
    topics: tuple[str, ...] | None = ()
    media: tuple[Media, ...] | None = ()


@dataclass(frozen=True, slots=True)
class ExistingPost:
    """A post already in the workspace, as an import compares it with a file's copy."""

    id: int
    uid: str
    title: str
    body: str
    status: str
    campaign_id: int | None
    scheduled_on: str | None
    scheduled_time: str | None
    timezone: str | None
    link: str
    notes: str
    location: str
    repeat_rule: str | None
    repeat_until: str | None
    evergreen_weeks: int | None
    sequence: int
    series_id: int | None
    recurrence_id: str | None
    updated_at: str
    first_comment: str = ""
    channels: tuple[Channel, ...] = ()
    topics: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()


# The posts columns an import compares and writes: ExistingPost's own columns but the
# ones the workspace keeps (id, updated_at).
_EXISTING_COLUMNS = field_names(ExistingPost, leave_out=("channels", "topics", "media"))
_COLUMNS = tuple(name for name in _EXISTING_COLUMNS if name not in ("id", "updated_at"))


def _require_transaction(ws: Workspace) -> None:
    if not ws.conn.in_transaction:
        raise RuntimeError("import writes must run inside ws.transaction()")


def _chunks(items: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def existing_posts(ws: Workspace, uids: Iterable[str]) -> dict[str, ExistingPost]:
    """The workspace's posts whose UID is among ``uids``, by UID."""
    wanted = sorted(set(uids))
    rows: dict[int, sqlite3.Row] = {}
    for chunk in _chunks(wanted):
        marks = ", ".join("?" for _ in chunk)
        for row in ws.conn.execute(
            f"SELECT {select_list(_EXISTING_COLUMNS)} FROM posts WHERE uid IN ({marks})",
            list(chunk),
        ):
            rows[row["id"]] = row
    channels: dict[int, list[Channel]] = defaultdict(list)
    topics: dict[int, list[str]] = defaultdict(list)
    media: dict[int, list[Media]] = defaultdict(list)
    for chunk in _chunks(sorted(rows)):
        marks = ", ".join("?" for _ in chunk)
        for row in ws.conn.execute(
            f"SELECT post_id, {shown('platform')} AS platform, body FROM post_channels "
            f"WHERE post_id IN ({marks}) ORDER BY post_id, 2",
            list(chunk),
        ):
            channels[row["post_id"]].append((row["platform"], row["body"]))
        for row in ws.conn.execute(
            f"SELECT pt.post_id, t.name FROM post_topics pt JOIN topics t ON t.id = pt.topic_id "
            f"WHERE pt.post_id IN ({marks}) ORDER BY pt.post_id, t.name",
            list(chunk),
        ):
            topics[row["post_id"]].append(row["name"])
        for row in ws.conn.execute(
            f"SELECT post_id, path, alt FROM post_media WHERE post_id IN ({marks}) "
            "ORDER BY post_id, position, id",
            list(chunk),
        ):
            media[row["post_id"]].append((row["path"], row["alt"]))
    return {
        row["uid"]: from_row(
            ExistingPost, row, _EXISTING_COLUMNS,
            channels=tuple(channels.get(row["id"], ())), topics=tuple(topics.get(row["id"], ())),
            media=tuple(media.get(row["id"], ())),
        )
        for row in rows.values()
    }


def campaign_ids(ws: Workspace) -> dict[str, int]:
    """Campaign ids by casefolded name (the oldest campaign wins a shared name)."""
    found: dict[str, int] = {}
    for row in ws.conn.execute("SELECT id, name FROM campaigns ORDER BY id"):
        found.setdefault(row["name"].strip().casefold(), row["id"])
    return found


def _topic_ids(ws: Workspace, posts: Iterable[PostValues]) -> dict[str, int]:
    """Make sure every topic of ``posts`` exists; map each name as given → id."""
    names = {t for post in posts for t in (post.topics or ()) if t.strip()}
    return upsert_names(ws, "topics", sorted(names)) if names else {}


def _write_links(ws: Workspace, pairs: Sequence[tuple[int, PostValues]]) -> None:
    topic_ids = _topic_ids(ws, (post for _, post in pairs))
    ws.conn.executemany(
        "INSERT INTO post_channels (post_id, platform, platform_label, body) "
        "VALUES (?, ?, ?, ?)",
        [
            (post_id, *target)
            for post_id, post in pairs
            for target in channel_rows(post.channels or ())
        ],
    )
    ws.conn.executemany(
        "INSERT OR IGNORE INTO post_topics (post_id, topic_id) VALUES (?, ?)",
        [
            (post_id, topic_ids[topic])
            for post_id, post in pairs
            for topic in (post.topics or ())
            if topic in topic_ids
        ],
    )
    ws.conn.executemany(
        "INSERT INTO post_media (post_id, path, position, alt) VALUES (?, ?, ?, ?)",
        [
            (post_id, path, position, alt)
            for post_id, post in pairs
            for position, (path, alt) in enumerate(post.media or ())
        ],
    )


def insert_posts(ws: Workspace, posts: Sequence[PostValues]) -> list[int]:
    """Insert new posts with their channels, topics and media; return their ids."""
    _require_transaction(ws)
    if not posts:
        return []
    first = next_id(ws, "posts")
    pairs = list(zip(range(first, first + len(posts)), posts, strict=True))
    ws.conn.executemany(
        f"INSERT INTO posts (id, {', '.join(_COLUMNS)}, created_at, updated_at) "
        f"VALUES (?, {', '.join('?' for _ in _COLUMNS)}, coalesce(?, {_NOW}), {_NOW})",
        [
            (post_id, *(getattr(post, column) for column in _COLUMNS), post.created_at)
            for post_id, post in pairs
        ],
    )
    _write_links(ws, pairs)
    return [post_id for post_id, _ in pairs]


def update_posts(ws: Workspace, updates: Sequence[tuple[int, PostValues]]) -> None:
    """Overwrite existing posts (by id) with new values; channels, topics, media when given."""
    _require_transaction(ws)
    if not updates:
        return
    columns = [column for column in _COLUMNS if column != "uid"]
    ws.conn.executemany(
        f"UPDATE posts SET {', '.join(f'{c} = ?' for c in columns)}, updated_at = {_NOW} "
        "WHERE id = ?",
        [(*(getattr(post, c) for c in columns), post_id) for post_id, post in updates],
    )
    ws.conn.executemany(
        "DELETE FROM post_channels WHERE post_id = ?",
        [(post_id,) for post_id, post in updates if post.channels is not None],
    )
    ws.conn.executemany(
        "DELETE FROM post_topics WHERE post_id = ?",
        [(post_id,) for post_id, post in updates if post.topics is not None],
    )
    ws.conn.executemany(
        "DELETE FROM post_media WHERE post_id = ?",
        [(post_id,) for post_id, post in updates if post.media is not None],
    )
    _write_links(ws, updates)


def count_rows(ws: Workspace) -> dict[str, int]:
    """Row counts of the tables an import writes (for checks that nothing changed)."""
    return {
        table: ws.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("posts", "post_channels", "post_topics", "post_media", "topics",
                      "campaigns", "post_series")
    }
