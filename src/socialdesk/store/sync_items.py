"""Posts, asks, campaigns as team sharing carries them: read in bulk, written by UID.

Reading is one query per table whatever the number of items (the large demo's 20k posts
and 30k asks read in well under a second). Items refer to each other by UID, never by
row id: a post names its campaign's UID, an ask its post's and partner's UID. Writing
runs inside the caller's transaction; a reference that does not resolve locally is left
empty (``None``).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from socialdesk.store.known_names import shown, stored_platform
from socialdesk.store.post_writes import now_stamp, set_channels, set_media, set_topics
from socialdesk.store.workspace import Workspace

# The posts columns a synced post holds as they are (besides channels, topics, …).
POST_COLUMNS = (
    "title", "body", "status", "scheduled_on", "scheduled_time", "timezone", "repeat_rule",
    "repeat_until", "evergreen_weeks", "link", "location", "notes", "published_url",
    "reach", "clicks", "engagements",
)
# Columns in a post's item only when not empty (so that a record synced before the column
# existed does not read as changed): the first comment.
POST_OPTIONAL = ("first_comment",)
OCCURRENCE_COLUMNS = ("status", "published_url", "reach", "clicks", "engagements")
ASK_COLUMNS = (
    "status", "asked_on", "due_on", "answered_on", "message", "predicted_reach",
    "observed_reach", "effort_minutes", "note", "planned_p", "planned_reach", "planned_x0",
    "model_version",
)
CAMPAIGN_COLUMNS = ("name", "goal", "starts_on", "ends_on", "colour")


class MissingPartner(LookupError):
    """An ask's partner (a contact UID) is not in this workspace (yet)."""


class DuplicateAsk(LookupError):
    """Another ask (another UID, ``other``) already asks the same partner about the same post."""

    def __init__(self, message: str, other: str) -> None:
        super().__init__(message)
        self.other = other


def _grouped(rows: sqlite3.Cursor) -> dict[int, list[sqlite3.Row]]:
    groups: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row)
    return groups


def post_items(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Every post as a plain dict by post UID (see ``core/sync/post_kind.py``)."""
    conn = ws.conn
    channels = _grouped(conn.execute(
        f"SELECT post_id, {shown('platform')} AS platform, body FROM post_channels "
        "ORDER BY post_id, 2 COLLATE NOCASE, 2"))
    topics = _grouped(conn.execute(
        "SELECT pt.post_id, t.name FROM post_topics pt JOIN topics t ON t.id = pt.topic_id "
        "ORDER BY pt.post_id, t.name COLLATE NOCASE, t.name"))
    media = _grouped(conn.execute(
        "SELECT post_id, path, alt FROM post_media ORDER BY post_id, position, id"))
    occurrences = _grouped(conn.execute(
        f"SELECT post_id, occurs_on, {', '.join(OCCURRENCE_COLUMNS)} FROM post_occurrences "
        "ORDER BY post_id, occurs_on"))
    items: dict[str, dict[str, Any]] = {}
    for row in conn.execute(
        f"SELECT p.id, p.uid, {', '.join('p.' + c for c in (*POST_COLUMNS, *POST_OPTIONAL))}, "
        "c.uid AS campaign "
        "FROM posts p LEFT JOIN campaigns c ON c.id = p.campaign_id"
    ):
        post_id = row["id"]
        item = {name: row[name] for name in POST_COLUMNS}
        item.update({name: row[name] for name in POST_OPTIONAL if row[name]})
        item["campaign"] = row["campaign"]
        item["topics"] = [r["name"] for r in topics.get(post_id, ())]
        item["channels"] = [{"platform": r["platform"], "body": r["body"]}
                            for r in channels.get(post_id, ())]
        item["media"] = [{"path": r["path"], "alt": r["alt"]} for r in media.get(post_id, ())]
        item["occurrences"] = [
            {"on": r["occurs_on"], **{name: r[name] for name in OCCURRENCE_COLUMNS}}
            for r in occurrences.get(post_id, ())]
        items[row["uid"]] = item
    return items


def _id_of(ws: Workspace, table: str, uid: object) -> int | None:
    if not uid:
        return None
    row = ws.conn.execute(f"SELECT id FROM {table} WHERE uid = ?", (uid,)).fetchone()
    return int(row[0]) if row else None


def write_post(ws: Workspace, uid: str, item: dict[str, Any]) -> None:
    """Create or update post ``uid`` to hold ``item`` (a :func:`post_items` value)."""
    values = [item[name] for name in POST_COLUMNS]
    values += [item.get(name) or "" for name in POST_OPTIONAL]
    values.append(_id_of(ws, "campaigns", item.get("campaign")))
    stamp = now_stamp()
    columns = (*POST_COLUMNS, *POST_OPTIONAL, "campaign_id")
    with ws.transaction():
        post_id = _id_of(ws, "posts", uid)
        if post_id is None:
            cursor = ws.conn.execute(
                f"INSERT INTO posts (uid, {', '.join(columns)}, created_at, updated_at) "
                f"VALUES (?, {', '.join('?' * len(columns))}, ?, ?)",
                [uid, *values, stamp, stamp])
            post_id = int(cursor.lastrowid or 0)
        else:
            ws.conn.execute(
                f"UPDATE posts SET {', '.join(f'{c} = ?' for c in columns)}, "
                "sequence = sequence + 1, updated_at = ? WHERE id = ?",
                [*values, stamp, post_id])
        set_channels(ws, post_id, tuple((c["platform"], c["body"]) for c in item["channels"]))
        set_topics(ws, post_id, tuple(item["topics"]))
        set_media(ws, post_id, tuple(m["path"] for m in item["media"]),
                  tuple(m["alt"] for m in item["media"]))
        ws.conn.execute("DELETE FROM post_occurrences WHERE post_id = ?", (post_id,))
        ws.conn.executemany(
            f"INSERT INTO post_occurrences (post_id, occurs_on, {', '.join(OCCURRENCE_COLUMNS)})"
            f" VALUES (?, ?, {', '.join('?' * len(OCCURRENCE_COLUMNS))})",
            [(post_id, o["on"], *(o[name] for name in OCCURRENCE_COLUMNS))
             for o in item["occurrences"]])


def delete_by_uid(ws: Workspace, table: str, uid: str) -> None:
    """Remove the post, ask or campaign ``uid`` (``table``: posts, asks or campaigns)."""
    if table not in ("posts", "asks", "campaigns"):
        raise ValueError(f"not a synced table: {table}")
    with ws.transaction():
        ws.conn.execute(f"DELETE FROM {table} WHERE uid = ?", (uid,))


def ask_items(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Every ask as a plain dict by ask UID: its columns, ``post``, ``partner`` and ``visits``."""
    conn = ws.conn
    visits = _grouped(conn.execute(
        "SELECT ask_id, first_day, last_day, visits, source_file FROM ask_visits "
        "ORDER BY ask_id, first_day, last_day"))
    items: dict[str, dict[str, Any]] = {}
    for row in conn.execute(
        f"SELECT a.id, a.uid, {', '.join('a.' + c for c in ASK_COLUMNS)}, p.uid AS post, "
        "c.uid AS partner FROM asks a JOIN contacts c ON c.id = a.contact_id "
        "LEFT JOIN posts p ON p.id = a.post_id"
    ):
        item = {name: row[name] for name in ASK_COLUMNS}
        item["post"] = row["post"]
        item["partner"] = row["partner"]
        item["visits"] = [
            {"first_day": r["first_day"], "last_day": r["last_day"], "visits": r["visits"],
             "source_file": r["source_file"]} for r in visits.get(row["id"], ())]
        items[row["uid"]] = item
    return items


def write_ask(ws: Workspace, uid: str, item: dict[str, Any]) -> None:
    """Create or update ask ``uid`` to hold ``item`` (an :func:`ask_items` value).

    Raises :class:`MissingPartner` when its partner is not here, :class:`DuplicateAsk`
    when another ask already asks that partner about that post; nothing is written then.
    """
    contact_id = _id_of(ws, "contacts", item.get("partner"))
    if contact_id is None:
        raise MissingPartner(f"its partner (contact {item.get('partner')}) is not in this "
                             "workspace")
    post_id = _id_of(ws, "posts", item.get("post"))
    if post_id is not None:
        other = ws.conn.execute(
            "SELECT uid FROM asks WHERE contact_id = ? AND post_id = ? AND uid <> ?",
            (contact_id, post_id, uid)).fetchone()
        if other:
            raise DuplicateAsk(f"ask {other[0]} already asks its partner about its post",
                               other[0])
    columns = (*ASK_COLUMNS, "post_id", "contact_id")
    values = [*(item[name] for name in ASK_COLUMNS), post_id, contact_id]
    with ws.transaction():
        ask_id = _id_of(ws, "asks", uid)
        if ask_id is None:
            cursor = ws.conn.execute(
                f"INSERT INTO asks (uid, {', '.join(columns)}) "
                f"VALUES (?, {', '.join('?' * len(columns))})", [uid, *values])
            ask_id = int(cursor.lastrowid or 0)
        else:
            ws.conn.execute(
                f"UPDATE asks SET {', '.join(f'{c} = ?' for c in columns)}, "
                "updated_at = ? WHERE id = ?", [*values, now_stamp(), ask_id])
        ws.conn.execute("DELETE FROM ask_visits WHERE ask_id = ?", (ask_id,))
        ws.conn.executemany(
            "INSERT INTO ask_visits (ask_id, first_day, last_day, visits, source_file) "
            "VALUES (?, ?, ?, ?, ?)",
            [(ask_id, v["first_day"], v["last_day"], v["visits"], v["source_file"])
             for v in item["visits"]])


def campaign_items(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Every campaign as a plain dict of its columns, by campaign UID."""
    return {
        row["uid"]: {name: row[name] for name in CAMPAIGN_COLUMNS}
        for row in ws.conn.execute(
            f"SELECT uid, {', '.join(CAMPAIGN_COLUMNS)} FROM campaigns WHERE uid IS NOT NULL")
    }


def write_campaign(ws: Workspace, uid: str, item: dict[str, Any]) -> None:
    """Create or update campaign ``uid`` to hold ``item`` (a :func:`campaign_items` value)."""
    values = [item[name] for name in CAMPAIGN_COLUMNS]
    with ws.transaction():
        cursor = ws.conn.execute(
            f"UPDATE campaigns SET {', '.join(f'{c} = ?' for c in CAMPAIGN_COLUMNS)} "
            "WHERE uid = ?", [*values, uid])
        if cursor.rowcount == 0:
            ws.conn.execute(
                f"INSERT INTO campaigns (uid, {', '.join(CAMPAIGN_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(CAMPAIGN_COLUMNS))})", [uid, *values])


def channel_items(ws: Workspace) -> list[dict[str, Any]]:
    """The business's own channels (platform, handle, url, followers, active), unordered."""
    return [
        {"platform": row["platform"], "handle": row["handle"], "url": row["url"],
         "followers": row["followers"], "active": bool(row["active"])}
        for row in ws.conn.execute(
            f"SELECT {shown('platform')} AS platform, handle, url, followers, active "
            "FROM channels")
    ]


def replace_channels(ws: Workspace, items: list[dict[str, Any]]) -> None:
    """Make ``items`` (:func:`channel_items` values) the own channels.

    A channel with the same platform, handle and address keeps its row (and id); the
    others are removed or added.
    """
    wanted: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for given in items:
        platform, label = stored_platform(given["platform"])
        wanted.setdefault((platform, label, given["handle"], given["url"]), given)
    with ws.transaction():
        for row in ws.conn.execute(
            "SELECT id, platform, platform_label, handle, url FROM channels"
        ).fetchall():
            key = (row["platform"], row["platform_label"], row["handle"], row["url"])
            item = wanted.pop(key, None)
            if item is None:
                ws.conn.execute("DELETE FROM channels WHERE id = ?", (row["id"],))
            else:
                ws.conn.execute("UPDATE channels SET followers = ?, active = ? WHERE id = ?",
                                (item["followers"], int(item["active"]), row["id"]))
        ws.conn.executemany(
            "INSERT INTO channels (platform, platform_label, handle, url, followers, active) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(*key, item["followers"], int(item["active"])) for key, item in wanted.items()])
