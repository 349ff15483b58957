"""Writing a contact's audiences (a contact with at least one is a partner) and topics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from socialdesk.store.columns import field_names, select_list
from socialdesk.store.known_names import stored_platform
from socialdesk.store.models import Audience
from socialdesk.store.workspace import Workspace

# The audiences table's columns: the fields of Audience (its topics are rows of another table).
AUDIENCE_COLUMNS = field_names(Audience, leave_out=("topics",))


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


def merged_audiences(audiences: Sequence[Audience]) -> list[Audience]:
    """One audience per platform (the rule of schema version 5), in the order given.

    Two on one platform ("Instagram" and "instagram" too) become one: the larger, its
    handle, address and engagement filled from the other where empty, the topics of both
    and the later date checked (as migration 5 merges existing ones).
    """
    groups: dict[tuple[str, str], list[Audience]] = {}
    for audience in audiences:
        platform, label = stored_platform(audience.platform)
        groups.setdefault((platform, label.casefold()), []).append(audience)
    merged = []
    for same in groups.values():
        keep = max(same, key=lambda a: a.size)  # the first of the largest
        rest = [keep, *(a for a in same if a is not keep)]
        merged.append(replace(
            keep,
            handle=next((a.handle for a in rest if a.handle.strip()), keep.handle),
            url=next((a.url for a in rest if a.url.strip()), keep.url),
            engagement_rate=next((a.engagement_rate for a in rest
                                  if a.engagement_rate is not None), None),
            last_checked_on=max((a.last_checked_on for a in rest if a.last_checked_on),
                                default=None),
            topics=tuple(t for a in rest for t in a.topics),
        ))
    return merged


def _insert(ws: Workspace, contact_id: int, audience: Audience) -> int:
    written = (*AUDIENCE_COLUMNS[1:], "platform_label")  # all but the id
    platform, label = stored_platform(audience.platform)
    clean = {"contact_id": contact_id, "platform": platform, "platform_label": label,
             "handle": audience.handle.strip(), "url": audience.url.strip(),
             "size": int(audience.size)}
    audience_id = int(ws.conn.execute(
        f"INSERT INTO audiences ({select_list(written)}) "
        f"VALUES ({', '.join('?' * len(written))})",
        tuple(clean[name] if name in clean else getattr(audience, name) for name in written),
    ).lastrowid or 0)
    ws.conn.executemany(
        "INSERT OR IGNORE INTO audience_topics (audience_id, topic_id) VALUES (?, ?)",
        [(audience_id, topic) for topic in _topic_ids(ws, audience.topics)],
    )
    return audience_id


def set_audiences(ws: Workspace, contact_id: int, audiences: Sequence[Audience]) -> list[int]:
    """Make ``audiences`` the contact's audiences (ids are ignored); return the new ids.

    Two on one platform are saved as one (:func:`merged_audiences`); a platform not in
    the known list (``vocabulary.PLATFORMS``) is saved as ``other`` with its name, and
    reads back as that name.
    """
    for audience in audiences:
        check_audience(audience)
    with ws.transaction():
        ws.conn.execute("DELETE FROM audiences WHERE contact_id = ?", (contact_id,))
        return [_insert(ws, contact_id, audience) for audience in merged_audiences(audiences)]


def all_topics(ws: Workspace) -> list[str]:
    """Every topic name, alphabetically (for completion)."""
    return [r[0] for r in ws.conn.execute("SELECT name FROM topics ORDER BY name COLLATE NOCASE")]
