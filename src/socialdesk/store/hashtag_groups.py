"""Hashtag groups: saved sets of hashtags and mentions the post editor inserts by name."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.store.post_writes import now_stamp
from socialdesk.store.workspace import Workspace

MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class HashtagGroup:
    """A saved set: its name and its text ("#bakery #sourdough @localfarm")."""

    id: int
    name: str
    body: str


def hashtag_groups(ws: Workspace) -> list[HashtagGroup]:
    """Every group, by name."""
    return [HashtagGroup(r["id"], r["name"], r["body"]) for r in ws.conn.execute(
        "SELECT id, name, body FROM hashtag_groups ORDER BY name COLLATE NOCASE, id")]


def save_hashtag_group(ws: Workspace, name: str, body: str, group_id: int | None = None) -> int:
    """Create a group (``group_id`` None) or change one; return its id.

    Raises ``ValueError`` with a user-facing message for an empty or taken name or an
    empty text.
    """
    name, body = " ".join(name.split()), body.strip()
    if not name:
        raise ValueError("Give the group a name.")
    if len(name) > MAX_NAME:
        raise ValueError(f"A group's name has at most {MAX_NAME} characters.")
    if not body:
        raise ValueError("Type the hashtags and mentions the group inserts.")
    taken = ws.conn.execute(
        "SELECT id FROM hashtag_groups WHERE name = ? COLLATE NOCASE AND id IS NOT ?",
        (name, group_id)).fetchone()
    if taken is not None:
        raise ValueError(f"There is already a group named {name!r}.")
    with ws.transaction():
        if group_id is None:
            cursor = ws.conn.execute(
                "INSERT INTO hashtag_groups (name, body, created_at, updated_at) "
                "VALUES (?, ?, ?, ?)", (name, body, now_stamp(), now_stamp()))
            return int(cursor.lastrowid or 0)
        ws.conn.execute("UPDATE hashtag_groups SET name = ?, body = ?, updated_at = ? "
                        "WHERE id = ?", (name, body, now_stamp(), group_id))
        return group_id


def delete_hashtag_group(ws: Workspace, group_id: int) -> None:
    """Remove a group (nothing when there is none)."""
    with ws.transaction():
        ws.conn.execute("DELETE FROM hashtag_groups WHERE id = ?", (group_id,))
