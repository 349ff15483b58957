"""What a share kit is made from: the ask, its partner's audiences and slug, the post."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from socialdesk.store.workspace import Workspace


class KitAudienceRow(NamedTuple):
    """One of the partner's audiences."""

    platform: str
    handle: str
    url: str
    size: int


@dataclass(frozen=True, slots=True)
class AskKitData:
    """One ask's partner and post, as a share kit needs them."""

    ask_id: int
    contact_id: int
    partner: str
    slug: str | None
    audiences: tuple[KitAudienceRow, ...]
    post_id: int | None
    title: str
    body: str
    link: str
    variants: dict[str, str]
    campaign: str | None
    scheduled_on: str | None
    first_media: str | None


def ask_kit_data(ws: Workspace, ask_id: int) -> AskKitData | None:
    """The ask's kit data, or None when there is no such ask."""
    row = ws.conn.execute("SELECT contact_id, post_id FROM asks WHERE id = ?",
                          (ask_id,)).fetchone()
    if row is None:
        return None
    return kit_data(ws, row["contact_id"], row["post_id"], ask_id)


def kit_data(ws: Workspace, contact_id: int, post_id: int | None,
             ask_id: int = 0) -> AskKitData | None:
    """What a kit for ``contact_id`` about ``post_id`` needs, or None without the contact.

    ``ask_id`` 0: for an ask not made yet.
    """
    conn = ws.conn
    row = conn.execute(
        """SELECT c.id AS contact_id, c.name AS partner, c.slug, p.id AS post_id,
                  p.title, p.body, p.link, p.scheduled_on, g.name AS campaign
           FROM contacts c LEFT JOIN posts p ON p.id = ?
           LEFT JOIN campaigns g ON g.id = p.campaign_id
           WHERE c.id = ?""", (post_id, contact_id)).fetchone()
    if row is None:
        return None
    audiences = tuple(
        KitAudienceRow(r["platform"], r["handle"], r["url"], r["size"]) for r in conn.execute(
            "SELECT platform, handle, url, size FROM audiences WHERE contact_id = ? "
            "ORDER BY id", (row["contact_id"],)))
    variants: dict[str, str] = {}
    first_media = None
    if row["post_id"] is not None:
        variants = {r["platform"].lower(): r["body"] for r in conn.execute(
            "SELECT platform, body FROM post_channels WHERE post_id = ? AND body IS NOT NULL "
            "AND body <> ''", (row["post_id"],))}
        media = conn.execute("SELECT path FROM post_media WHERE post_id = ? "
                             "ORDER BY position, id LIMIT 1", (row["post_id"],)).fetchone()
        first_media = media["path"] if media else None
    return AskKitData(
        ask_id=ask_id, contact_id=row["contact_id"], partner=row["partner"],
        slug=row["slug"], audiences=audiences, post_id=row["post_id"],
        title=row["title"] or "", body=row["body"] or "", link=row["link"] or "",
        variants=variants, campaign=row["campaign"], scheduled_on=row["scheduled_on"],
        first_media=first_media)


def slugs_starting(ws: Workspace, base: str) -> set[str]:
    """Every partner slug that is ``base`` or starts with ``base-``.

    "Starts with ``base-``" is the range from ``base-`` to ``base.`` ("." follows "-"),
    which walks the slug index instead of every contact.
    """
    return {r[0] for r in ws.conn.execute(
        "SELECT slug FROM contacts WHERE slug = ? UNION ALL "
        "SELECT slug FROM contacts WHERE slug >= ? AND slug < ?",
        (base, f"{base}-", f"{base}."))}


def keep_slug(ws: Workspace, contact_id: int, slug: str) -> str:
    """Give the contact ``slug`` unless it has one already; return the one it has now.

    A slug is never replaced: links that carry it are out in the world.
    """
    with ws.transaction():
        ws.conn.execute("UPDATE contacts SET slug = ? WHERE id = ? AND slug IS NULL",
                        (slug, contact_id))
        row = ws.conn.execute("SELECT slug FROM contacts WHERE id = ?", (contact_id,)).fetchone()
    return str(row[0])
