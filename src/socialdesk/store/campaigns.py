"""Campaigns and the business's own channels: reading and writing them.

Deleting returns what was deleted so that an undo can put it back exactly (same id,
and for a campaign, the posts that belonged to it).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date

from socialdesk.store.columns import field_names, from_row, insert_sql, select_list, select_named
from socialdesk.store.known_names import shown, stored_platform
from socialdesk.store.models import Campaign, Channel
from socialdesk.store.post_writes import now_stamp
from socialdesk.store.workspace import Workspace

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


# The campaigns and channels tables' columns, named once: the fields of their dataclasses.
CAMPAIGN_COLUMNS = field_names(Campaign)
CHANNEL_COLUMNS = field_names(Channel)
_CHANNEL_READ = select_named(CHANNEL_COLUMNS, "channels", {"platform": shown("platform")})
# What a save writes: the fields but the id, and the platform's own name for "other".
_CHANNEL_WRITTEN = (*CHANNEL_COLUMNS[1:], "platform_label")


def campaign_from(row: sqlite3.Row) -> Campaign:
    """A :class:`Campaign` from a row that selected :data:`CAMPAIGN_COLUMNS`."""
    return from_row(Campaign, row, CAMPAIGN_COLUMNS)


def channel_from(row: sqlite3.Row) -> Channel:
    """A :class:`Channel` from a row that selected :data:`CHANNEL_COLUMNS`."""
    return from_row(Channel, row, CHANNEL_COLUMNS[:-1], active=bool(row["active"]))


def _update(table: str, columns: tuple[str, ...]) -> str:
    return f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in columns)} WHERE id = ?"


def validate_campaign(campaign: Campaign) -> None:
    """Raise ``ValueError`` with a user-facing message for a campaign that cannot be stored."""
    if not campaign.name.strip():
        raise ValueError("Give the campaign a name.")
    if not _COLOUR.match(campaign.colour):
        raise ValueError(f"{campaign.colour!r} is not a colour (#rrggbb).")
    for value in (campaign.starts_on, campaign.ends_on):
        if value is not None:
            date.fromisoformat(value)
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValueError("The campaign ends before it starts.")


def get_campaign(ws: Workspace, campaign_id: int) -> Campaign | None:
    """One campaign, or None."""
    row = ws.conn.execute(
        f"SELECT {select_list(CAMPAIGN_COLUMNS)} FROM campaigns WHERE id = ?", (campaign_id,),
    ).fetchone()
    return campaign_from(row) if row else None


def campaign_post_counts(ws: Workspace) -> dict[int, int]:
    """How many posts each campaign has, by campaign id."""
    return {row["campaign_id"]: row["posts"] for row in ws.conn.execute(
        "SELECT campaign_id, count(*) AS posts FROM posts WHERE campaign_id IS NOT NULL "
        "GROUP BY campaign_id")}


def _campaign_values(campaign: Campaign) -> tuple[object, ...]:
    """The values of ``CAMPAIGN_COLUMNS[1:]`` (all but the id) as a save writes them."""
    clean = {"name": campaign.name.strip(), "goal": campaign.goal.strip(),
             "colour": campaign.colour.lower()}
    return tuple(clean.get(name, getattr(campaign, name)) for name in CAMPAIGN_COLUMNS[1:])


def create_campaign(ws: Workspace, campaign: Campaign) -> int:
    """Store a new campaign (its ``id`` is ignored); return the new id."""
    validate_campaign(campaign)
    with ws.transaction():
        cursor = ws.conn.execute(
            insert_sql("campaigns", CAMPAIGN_COLUMNS[1:]), _campaign_values(campaign))
    return int(cursor.lastrowid or 0)


def update_campaign(ws: Workspace, campaign: Campaign) -> None:
    """Save a changed campaign; its posts' SEQUENCE rises when the name changes."""
    validate_campaign(campaign)
    with ws.transaction():
        old = get_campaign(ws, campaign.id)
        if old is None:
            raise LookupError(f"Campaign {campaign.id} no longer exists.")
        ws.conn.execute(_update("campaigns", CAMPAIGN_COLUMNS[1:]),
                        (*_campaign_values(campaign), campaign.id))
        if old.name != campaign.name.strip():  # exported calendars show it as a category
            ws.conn.execute(
                "UPDATE posts SET sequence = sequence + 1, updated_at = ? WHERE campaign_id = ?",
                (now_stamp(), campaign.id))


def delete_campaign(ws: Workspace, campaign_id: int) -> tuple[Campaign, tuple[int, ...]]:
    """Delete a campaign (its posts stay, without a campaign); return it and their ids."""
    with ws.transaction():
        campaign = get_campaign(ws, campaign_id)
        if campaign is None:
            raise LookupError(f"Campaign {campaign_id} no longer exists.")
        post_ids = tuple(r[0] for r in ws.conn.execute(
            "SELECT id FROM posts WHERE campaign_id = ?", (campaign_id,)))
        ws.conn.execute("DELETE FROM campaigns WHERE id = ?", (campaign_id,))
    return campaign, post_ids


def restore_campaign(ws: Workspace, campaign: Campaign, post_ids: tuple[int, ...]) -> None:
    """Put a deleted campaign back with its id and give it its posts again."""
    with ws.transaction():
        ws.conn.execute(insert_sql("campaigns", CAMPAIGN_COLUMNS),
                        tuple(getattr(campaign, name) for name in CAMPAIGN_COLUMNS))
        for start in range(0, len(post_ids), 900):
            ids = post_ids[start : start + 900]
            ws.conn.execute(
                f"UPDATE posts SET campaign_id = ? WHERE id IN ({','.join('?' * len(ids))})",
                (campaign.id, *ids),
            )


# --- own channels ---------------------------------------------------------------------


def validate_channel(channel: Channel) -> None:
    """Raise ``ValueError`` with a user-facing message for a channel that cannot be stored."""
    if not channel.platform.strip():
        raise ValueError("Choose the channel's network.")
    if channel.followers < 0:
        raise ValueError("Followers cannot be negative.")


def all_channels(ws: Workspace) -> list[Channel]:
    """Every own channel, active ones first, biggest first."""
    rows = ws.conn.execute(
        f"SELECT {_CHANNEL_READ} FROM channels ORDER BY active DESC, followers DESC, platform"
    ).fetchall()
    return [channel_from(row) for row in rows]


def get_channel(ws: Workspace, channel_id: int) -> Channel | None:
    """One own channel, or None."""
    row = ws.conn.execute(
        f"SELECT {_CHANNEL_READ} FROM channels WHERE id = ?", (channel_id,)
    ).fetchone()
    return channel_from(row) if row else None


def _channel_values(channel: Channel) -> tuple[object, ...]:
    """The values of ``_CHANNEL_WRITTEN`` as a save writes them.

    A platform not in the known list is stored as ``other`` with its name.
    """
    platform, label = stored_platform(channel.platform)
    clean = {"platform": platform, "platform_label": label, "handle": channel.handle.strip(),
             "url": channel.url.strip(), "followers": int(channel.followers),
             "active": int(channel.active)}
    return tuple(clean[name] for name in _CHANNEL_WRITTEN)


def create_channel(ws: Workspace, channel: Channel) -> int:
    """Store a new own channel (its ``id`` is ignored); return the new id."""
    validate_channel(channel)
    with ws.transaction():
        cursor = ws.conn.execute(
            insert_sql("channels", _CHANNEL_WRITTEN), _channel_values(channel))
    return int(cursor.lastrowid or 0)


def update_channel(ws: Workspace, channel: Channel) -> None:
    """Save a changed own channel."""
    validate_channel(channel)
    with ws.transaction():
        cursor = ws.conn.execute(
            _update("channels", _CHANNEL_WRITTEN), (*_channel_values(channel), channel.id))
        if cursor.rowcount == 0:
            raise LookupError(f"Channel {channel.id} no longer exists.")


def delete_channel(ws: Workspace, channel_id: int) -> Channel:
    """Delete an own channel; return it for an undo."""
    with ws.transaction():
        channel = get_channel(ws, channel_id)
        if channel is None:
            raise LookupError(f"Channel {channel_id} no longer exists.")
        ws.conn.execute("DELETE FROM channels WHERE id = ?", (channel_id,))
    return channel


def restore_channel(ws: Workspace, channel: Channel) -> None:
    """Put a deleted own channel back with its id."""
    with ws.transaction():
        ws.conn.execute(insert_sql("channels", ("id", *_CHANNEL_WRITTEN)),
                        (channel.id, *_channel_values(channel)))
