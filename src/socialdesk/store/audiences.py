"""Writing a contact's audiences (a contact with at least one is a partner) and topics."""

from __future__ import annotations

from collections.abc import Sequence

from socialdesk.store.models import Audience
from socialdesk.store.workspace import Workspace

PLATFORMS = (
    "instagram", "facebook", "x", "linkedin", "threads", "mastodon", "bluesky", "tiktok",
    "youtube", "pinterest", "newsletter", "blog", "other",
)


def check_audience(audience: Audience) -> None:
    """Raise ValueError (a message for the user) for values the workspace would refuse."""
    if not audience.platform.strip():
        raise ValueError("An audience needs a platform.")
    if audience.size < 0:
        raise ValueError("An audience's size cannot be negative.")
    rate = audience.engagement_rate
    if rate is not None and not 0 <= rate <= 1:
        raise ValueError("The engagement rate is a share between 0% and 100%.")


def _topic_ids(ws: Workspace, names: Sequence[str]) -> list[int]:
    unique: dict[str, str] = {}
    for name in names:  # "Bread" and "bread" are one topic; the first spelling is kept
        if name.strip():
            unique.setdefault(name.strip().casefold(), name.strip())
    ids = []
    for name in unique.values():
        ws.conn.execute("INSERT OR IGNORE INTO topics (name) VALUES (?)", (name,))
        ids.append(ws.conn.execute("SELECT id FROM topics WHERE name = ?", (name,)).fetchone()[0])
    return ids


def _insert(ws: Workspace, contact_id: int, audience: Audience) -> int:
    audience_id = int(ws.conn.execute(
        "INSERT INTO audiences (contact_id, platform, handle, url, size, engagement_rate, "
        "last_checked_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (contact_id, audience.platform.strip().lower(), audience.handle.strip(),
         audience.url.strip(), int(audience.size), audience.engagement_rate,
         audience.last_checked_on),
    ).lastrowid or 0)
    ws.conn.executemany(
        "INSERT OR IGNORE INTO audience_topics (audience_id, topic_id) VALUES (?, ?)",
        [(audience_id, topic) for topic in _topic_ids(ws, audience.topics)],
    )
    return audience_id


def set_audiences(ws: Workspace, contact_id: int, audiences: Sequence[Audience]) -> list[int]:
    """Make ``audiences`` the contact's audiences (ids are ignored); return the new ids."""
    for audience in audiences:
        check_audience(audience)
    with ws.transaction():
        ws.conn.execute("DELETE FROM audiences WHERE contact_id = ?", (contact_id,))
        return [_insert(ws, contact_id, audience) for audience in audiences]


def all_topics(ws: Workspace) -> list[str]:
    """Every topic name, alphabetically (for completion)."""
    return [r[0] for r in ws.conn.execute("SELECT name FROM topics ORDER BY name COLLATE NOCASE")]
