"""Post templates: saved posts (text, channels and their variants, topics, campaign).

A template is what "New post from template" starts a post from. Deleting one returns it,
so that an undo puts it back with the same id.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace

from socialdesk.store.post_writes import channel_rows, now_stamp
from socialdesk.store.workspace import Workspace

Channel = tuple[str, str | None]  # (platform, own text or None for the post's body)
_COLUMNS = "id, name, title, body, link, campaign_id, channels, topics"


@dataclass(frozen=True, slots=True)
class PostTemplate:
    """A saved post to start new ones from."""

    id: int
    name: str
    title: str = ""
    body: str = ""
    link: str = ""
    campaign_id: int | None = None
    channels: tuple[Channel, ...] = ()
    topics: tuple[str, ...] = ()


def _template(row: sqlite3.Row) -> PostTemplate:
    return PostTemplate(
        id=row["id"], name=row["name"], title=row["title"], body=row["body"], link=row["link"],
        campaign_id=row["campaign_id"],
        channels=tuple((platform, text) for platform, text in json.loads(row["channels"])),
        topics=tuple(json.loads(row["topics"])),
    )


def _values(template: PostTemplate) -> list[object]:
    channels = [[row.platform_label or row.platform, row.body]
                for row in channel_rows(template.channels)]
    topics = list(dict.fromkeys(t.strip() for t in template.topics if t.strip()))
    return [template.name.strip(), template.title.strip(), template.body, template.link,
            template.campaign_id, json.dumps(channels, ensure_ascii=False),
            json.dumps(topics, ensure_ascii=False)]


def validate_template(template: PostTemplate) -> None:
    """Raise ``ValueError`` with a user-facing message when a template cannot be stored."""
    if not template.name.strip():
        raise ValueError("Give the template a name.")


def list_templates(ws: Workspace) -> list[PostTemplate]:
    """Every template, by name."""
    return [_template(row) for row in ws.conn.execute(
        f"SELECT {_COLUMNS} FROM post_templates ORDER BY name COLLATE NOCASE, id")]


def get_template(ws: Workspace, template_id: int) -> PostTemplate | None:
    """One template, or None."""
    row = ws.conn.execute(
        f"SELECT {_COLUMNS} FROM post_templates WHERE id = ?", (template_id,)).fetchone()
    return None if row is None else _template(row)


def template_named(ws: Workspace, name: str) -> PostTemplate | None:
    """The template called ``name`` (case-insensitive), or None."""
    row = ws.conn.execute(
        f"SELECT {_COLUMNS} FROM post_templates WHERE name = ?", (name.strip(),)).fetchone()
    return None if row is None else _template(row)


def create_template(ws: Workspace, template: PostTemplate) -> int:
    """Store a new template (its ``id`` is ignored); return its id.

    Raises ``ValueError`` when the name is empty or another template has it.
    """
    validate_template(template)
    if template_named(ws, template.name) is not None:
        raise ValueError(f"There is already a template called “{template.name.strip()}”.")
    stamp = now_stamp()
    with ws.transaction():
        cursor = ws.conn.execute(
            "INSERT INTO post_templates (name, title, body, link, campaign_id, channels, "
            "topics, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*_values(template), stamp, stamp])
    return int(cursor.lastrowid or 0)


def update_template(ws: Workspace, template: PostTemplate) -> None:
    """Replace a template's contents; ``LookupError`` when it is gone."""
    validate_template(template)
    other = template_named(ws, template.name)
    if other is not None and other.id != template.id:
        raise ValueError(f"There is already a template called “{template.name.strip()}”.")
    with ws.transaction():
        cursor = ws.conn.execute(
            "UPDATE post_templates SET name = ?, title = ?, body = ?, link = ?, "
            "campaign_id = ?, channels = ?, topics = ?, updated_at = ? WHERE id = ?",
            [*_values(template), now_stamp(), template.id])
        if cursor.rowcount == 0:
            raise LookupError("This template was deleted meanwhile.")


def delete_template(ws: Workspace, template_id: int) -> PostTemplate:
    """Delete a template; return it (for :func:`restore_template`)."""
    with ws.transaction():
        template = get_template(ws, template_id)
        if template is None:
            raise LookupError("This template was deleted meanwhile.")
        ws.conn.execute("DELETE FROM post_templates WHERE id = ?", (template_id,))
    return template


def restore_template(ws: Workspace, template: PostTemplate) -> None:
    """Put a deleted template back with its id (its campaign only if that still exists)."""
    stamp = now_stamp()
    with ws.transaction():
        if template.campaign_id is not None and ws.conn.execute(
                "SELECT 1 FROM campaigns WHERE id = ?", (template.campaign_id,)).fetchone() is None:
            template = replace(template, campaign_id=None)
        ws.conn.execute(
            "INSERT INTO post_templates (id, name, title, body, link, campaign_id, channels, "
            "topics, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [template.id, *_values(template), stamp, stamp])
