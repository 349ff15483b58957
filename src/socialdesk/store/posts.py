"""Posts, campaigns and own channels: what the calendar shows."""

from __future__ import annotations

from collections import defaultdict

from socialdesk.store.models import Campaign, Channel, PostRow
from socialdesk.store.workspace import Workspace

_POST_SQL = """
SELECT p.id, p.title, p.status, p.scheduled_on, p.scheduled_time,
       c.name, c.colour, p.reach
FROM posts p LEFT JOIN campaigns c ON c.id = p.campaign_id
"""


def _with_channels(ws: Workspace, rows: list[tuple]) -> list[PostRow]:
    if not rows:
        return []
    ids = [r[0] for r in rows]
    platforms: dict[int, list[str]] = defaultdict(list)
    topics: dict[int, list[str]] = defaultdict(list)
    # Chunked to stay under SQLite's parameter limit on large workspaces.
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for post_id, platform in ws.conn.execute(
            f"SELECT post_id, platform FROM post_channels WHERE post_id IN ({marks}) "
            "ORDER BY platform",
            chunk,
        ):
            platforms[post_id].append(platform)
        for post_id, topic in ws.conn.execute(
            f"SELECT pt.post_id, t.name FROM post_topics pt JOIN topics t "
            f"ON t.id = pt.topic_id WHERE pt.post_id IN ({marks}) ORDER BY t.name",
            chunk,
        ):
            topics[post_id].append(topic)
    return [
        PostRow(
            id=r[0], title=r[1], status=r[2], scheduled_on=r[3], scheduled_time=r[4],
            campaign=r[5], colour=r[6], reach=r[7],
            platforms=tuple(platforms[r[0]]), topics=tuple(topics[r[0]]),
        )
        for r in rows
    ]


def posts_between(ws: Workspace, first: str, last: str) -> list[PostRow]:
    """Posts scheduled from ``first`` to ``last`` (ISO dates, inclusive), in time order."""
    rows = ws.conn.execute(
        f"{_POST_SQL} WHERE p.scheduled_on BETWEEN ? AND ? "
        "ORDER BY p.scheduled_on, coalesce(p.scheduled_time, ''), p.id",
        (first, last),
    ).fetchall()
    return _with_channels(ws, rows)


def upcoming_posts(ws: Workspace, today: str, limit: int = 50) -> list[PostRow]:
    """Posts from ``today`` on that are not published or skipped, soonest first."""
    rows = ws.conn.execute(
        f"{_POST_SQL} WHERE p.scheduled_on >= ? AND p.status NOT IN ('published', 'skipped') "
        "ORDER BY p.scheduled_on, coalesce(p.scheduled_time, ''), p.id LIMIT ?",
        (today, limit),
    ).fetchall()
    return _with_channels(ws, rows)


def unscheduled_posts(ws: Workspace, limit: int = 50) -> list[PostRow]:
    """Ideas and drafts without a date, newest first."""
    rows = ws.conn.execute(
        f"{_POST_SQL} WHERE p.scheduled_on IS NULL ORDER BY p.id DESC LIMIT ?", (limit,)
    ).fetchall()
    return _with_channels(ws, rows)


def campaigns(ws: Workspace) -> list[Campaign]:
    """Every campaign, latest start first."""
    rows = ws.conn.execute(
        "SELECT id, name, goal, starts_on, ends_on, colour FROM campaigns "
        "ORDER BY coalesce(starts_on, '') DESC, name"
    ).fetchall()
    return [Campaign(*row) for row in rows]


def channels(ws: Workspace) -> list[Channel]:
    """The business's own active accounts, biggest first."""
    rows = ws.conn.execute(
        "SELECT id, platform, handle, followers FROM channels WHERE active = 1 "
        "ORDER BY followers DESC, platform"
    ).fetchall()
    return [Channel(*row) for row in rows]
