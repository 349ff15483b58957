"""Posts, campaigns and own channels: what the calendar shows (reads only)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from socialdesk.store.campaigns import (
    CAMPAIGN_COLUMNS,
    CHANNEL_COLUMNS,
    campaign_from,
    channel_from,
)
from socialdesk.store.columns import field_names, from_row, select_list, select_named
from socialdesk.store.known_names import shown
from socialdesk.store.models import Campaign, Channel, PostRow
from socialdesk.store.workspace import Workspace

# Each post's channels and topics come with it (joined by a control character no name
# holds): one query and one pass in Python, rather than a query per 900 posts and a
# dictionary per post.
_SEP = "\x1f"
# Each column under the name of the PostRow field it fills (platforms and topics joined).
_POST_SQL = """
SELECT p.id, p.title, p.status, p.scheduled_on, p.scheduled_time, c.name AS campaign,
       c.colour AS colour,
       (SELECT group_concat(platform, char(31)) FROM (
            SELECT coalesce(nullif(platform_label, ''), platform) AS platform
            FROM post_channels WHERE post_id = p.id ORDER BY 1)) AS platforms,
       (SELECT group_concat(name, char(31)) FROM (
            SELECT t.name FROM post_topics pt JOIN topics t ON t.id = pt.topic_id
            WHERE pt.post_id = p.id ORDER BY t.name)) AS topics,
       p.reach, p.campaign_id, p.timezone,
       (p.repeat_rule IS NOT NULL OR p.evergreen_weeks IS NOT NULL) AS repeats
FROM posts p LEFT JOIN campaigns c ON c.id = p.campaign_id
"""
_PLAIN = field_names(PostRow, leave_out=("platforms", "topics", "repeats", "occurrence"))
_RULE = ("repeat_rule", "repeat_until", "evergreen_weeks")
_ORDER = " ORDER BY p.scheduled_on, coalesce(p.scheduled_time, ''), p.id"


@dataclass(frozen=True, slots=True)
class Repeating:
    """A repeating post with its rule, for working out its later dates."""

    row: PostRow
    repeat_rule: str | None
    repeat_until: str | None
    evergreen_weeks: int | None


@dataclass(frozen=True, slots=True)
class PostTexts:
    """A post with its text and each channel's own text, for checking limits."""

    row: PostRow
    body: str
    channels: tuple[tuple[str, str | None], ...]
    link: str = ""


def week_of(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of ``day``'s week: the calendar's week, Today's "this week"."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _chunks(ids: list[int]) -> list[tuple[list[int], str]]:
    """``ids`` in chunks under SQLite's parameter limit, each with its placeholders."""
    return [(ids[i : i + 900], ",".join("?" * len(ids[i : i + 900])))
            for i in range(0, len(ids), 900)]


def _names(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split(_SEP)) if joined else ()


def post_row(record: sqlite3.Row) -> PostRow:
    """A row of :data:`_POST_SQL` as a :class:`PostRow`."""
    return from_row(PostRow, record, _PLAIN, platforms=_names(record["platforms"]),
                    topics=_names(record["topics"]), repeats=bool(record["repeats"]))


def repeat_row(row: PostRow, scheduled_on: str, status: str, reach: int | None) -> PostRow:
    """A repeating post's row as its repeat on a later date, with its own status and reach.

    Built field by field rather than with ``dataclasses.replace``, which takes twice as
    long (a quarter of the calendar holds thousands of repeats).
    """
    return PostRow(
        id=row.id, title=row.title, status=status, scheduled_on=scheduled_on,
        scheduled_time=row.scheduled_time, campaign=row.campaign, colour=row.colour,
        platforms=row.platforms, topics=row.topics, reach=reach, campaign_id=row.campaign_id,
        timezone=row.timezone, repeats=True, occurrence=True,
    )


def _with_channels(ws: Workspace, rows: list[sqlite3.Row]) -> list[PostRow]:
    return [post_row(r) for r in rows]


def posts_between(ws: Workspace, first: str, last: str) -> list[PostRow]:
    """Posts scheduled from ``first`` to ``last`` (ISO dates, inclusive), in time order."""
    rows = ws.conn.execute(
        f"{_POST_SQL} WHERE p.scheduled_on BETWEEN ? AND ? {_ORDER}", (first, last)
    ).fetchall()
    return _with_channels(ws, rows)


def repeating_records(ws: Workspace, first: str | None = None,
                      last: str | None = None) -> list[Repeating]:
    """Repeating posts with their rule, until and evergreen weeks.

    With ``first`` and ``last``: those that start by ``last`` and do not end before
    ``first``. Without: every repeating post with a date (one pass through the table).
    """
    sql = _POST_SQL.replace("FROM posts p", ", p.repeat_rule, p.repeat_until, "
                            "p.evergreen_weeks FROM posts p")
    repeats = "(p.repeat_rule IS NOT NULL OR p.evergreen_weeks IS NOT NULL)"
    if first is None or last is None:
        rows = ws.conn.execute(
            f"{sql.replace('FROM posts p', 'FROM posts p NOT INDEXED')} "
            f"WHERE p.scheduled_on IS NOT NULL AND {repeats} {_ORDER}").fetchall()
    else:
        rows = ws.conn.execute(
            f"{sql} WHERE p.scheduled_on <= ? AND {repeats} "
            f"AND (p.repeat_until IS NULL OR p.repeat_until >= ?) {_ORDER}",
            (last, first),
        ).fetchall()
    return [Repeating(row=post_row(r), **{name: r[name] for name in _RULE}) for r in rows]


def post_by_id(ws: Workspace, post_id: int) -> PostRow | None:
    """The post ``post_id`` as the calendar shows it on its own date; None if there is none."""
    rows = ws.conn.execute(f"{_POST_SQL} WHERE p.id = ?", (post_id,)).fetchall()
    return _with_channels(ws, rows)[0] if rows else None


def upcoming_posts(ws: Workspace, today: str, limit: int = 50) -> list[PostRow]:
    """Posts from ``today`` on that are not published or skipped, soonest first."""
    rows = ws.conn.execute(
        f"{_POST_SQL} WHERE p.scheduled_on >= ? AND p.status NOT IN ('published', 'skipped') "
        f"{_ORDER} LIMIT ?",
        (today, limit),
    ).fetchall()
    return _with_channels(ws, rows)


def unscheduled_posts(ws: Workspace, limit: int = 50) -> list[PostRow]:
    """Ideas and drafts without a date, newest first."""
    rows = ws.conn.execute(
        f"{_POST_SQL} WHERE p.scheduled_on IS NULL ORDER BY p.id DESC LIMIT ?", (limit,)
    ).fetchall()
    return _with_channels(ws, rows)


def post_count(ws: Workspace) -> int:
    """How many posts the workspace holds, with a date or not."""
    return int(ws.conn.execute("SELECT count(*) FROM posts").fetchone()[0])


def count_unscheduled(ws: Workspace) -> int:
    """How many posts have no date."""
    return int(ws.conn.execute("SELECT count(*) FROM posts WHERE scheduled_on IS NULL")
               .fetchone()[0])


def post_texts_between(ws: Workspace, first: str, last: str) -> list[PostTexts]:
    """Posts from ``first`` to ``last`` with their body, each channel's own text and link."""
    rows = ws.conn.execute(
        f"{_POST_SQL} WHERE p.scheduled_on BETWEEN ? AND ? {_ORDER}", (first, last)
    ).fetchall()
    post_rows = _with_channels(ws, rows)
    bodies: dict[int, tuple[str, str]] = {}
    variants: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for chunk, marks in _chunks([r.id for r in post_rows]):
        bodies.update((row["id"], (row["body"], row["link"])) for row in ws.conn.execute(
            f"SELECT id, body, link FROM posts WHERE id IN ({marks})", chunk))
        for row in ws.conn.execute(
            f"SELECT post_id, {shown('platform')} AS platform, body FROM post_channels "
            f"WHERE post_id IN ({marks}) ORDER BY 2", chunk,
        ):
            variants[row["post_id"]].append((row["platform"], row["body"]))
    found = []
    for row in post_rows:
        body, link = bodies.get(row.id, ("", ""))
        found.append(PostTexts(row, body, tuple(variants[row.id]), link))
    return found


def campaigns(ws: Workspace) -> list[Campaign]:
    """Every campaign, latest start first."""
    rows = ws.conn.execute(
        f"SELECT {select_list(CAMPAIGN_COLUMNS)} FROM campaigns "
        "ORDER BY coalesce(starts_on, '') DESC, name"
    ).fetchall()
    return [campaign_from(row) for row in rows]


def channels(ws: Workspace) -> list[Channel]:
    """The business's own active accounts, biggest first."""
    rows = ws.conn.execute(
        f"SELECT {select_named(CHANNEL_COLUMNS, 'channels', {'platform': shown('platform')})} "
        "FROM channels WHERE active = 1 "
        "ORDER BY followers DESC, platform"
    ).fetchall()
    return [channel_from(row) for row in rows]
