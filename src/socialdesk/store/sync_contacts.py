"""Contacts as team sharing reads and writes them: every contact at once, and one by UID.

Sync names contacts by their ``uid`` (row ids differ between computers) and compares the
whole workspace's contacts on every run, so :func:`synced_contact_rows` reads every
contact with its details, tags, audiences, interactions and links in seven queries in
all, whatever their number. A link is read from both of its ends: each contact sees the
other by UID.

The writes go through the store's own writers (:func:`~socialdesk.store.contacts.save_contact`,
:func:`~socialdesk.store.audiences.set_audiences`, …) inside the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from socialdesk.store.audiences import set_audiences
from socialdesk.store.columns import select_list
from socialdesk.store.contacts import CONTACT_COLUMNS, delete_contact, save_contact
from socialdesk.store.interactions import set_interactions
from socialdesk.store.known_names import shown
from socialdesk.store.links import set_links
from socialdesk.store.models import Audience, Contact, Detail, Interaction, Link
from socialdesk.store.workspace import Workspace

_CHUNK = 500  # UIDs per IN (…) list


@dataclass(frozen=True, slots=True)
class SyncedLink:
    """A link seen from one of its contacts; the other is named by its UID.

    ``direction``: ``both`` (an undirected link), ``out`` (from this contact to the
    other) or ``in`` (from the other to this one). ``kind`` is the name it reads back as
    (a kind of its own for ``other``).
    """

    other_uid: str
    kind: str
    weight: float
    direction: str
    note: str


@dataclass(slots=True)
class SyncedContact:
    """One contact and everything that hangs off it, as sync reads and writes it."""

    uid: str
    contact: Contact  # with its details and tags; ``id`` is the local row id (0: none)
    slug: str | None = None
    audiences: list[Audience] = field(default_factory=list)  # platforms as they read back
    interactions: list[Interaction] = field(default_factory=list)
    links: list[SyncedLink] = field(default_factory=list)


def synced_contact_rows(ws: Workspace) -> list[SyncedContact]:
    """Every contact that has a UID, with everything that hangs off it."""
    cursor = ws.conn.cursor()
    cursor.row_factory = None  # plain tuples: a third faster than sqlite3.Row here
    details: dict[int, list[Detail]] = defaultdict(list)
    for contact_id, kind, value, label in cursor.execute(
        "SELECT contact_id, kind, value, label FROM contact_details "
        "ORDER BY contact_id, kind, position, id"
    ):
        details[contact_id].append(Detail(kind, value, label))
    tags: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in cursor.execute(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
    ):
        tags[contact_id].append(name)
    found: dict[int, SyncedContact] = {}
    for uid, slug, *values in cursor.execute(
        f"SELECT uid, slug, {select_list(CONTACT_COLUMNS)} FROM contacts WHERE uid IS NOT NULL"
    ):
        contact_id = values[0]
        contact = Contact(**dict(zip(CONTACT_COLUMNS, values, strict=True)),
                          details=tuple(details.get(contact_id, ())),
                          tags=tuple(tags.get(contact_id, ())))
        found[contact_id] = SyncedContact(uid, contact, slug)
    topics: dict[int, list[str]] = defaultdict(list)
    for audience_id, name in cursor.execute(
        "SELECT at.audience_id, t.name FROM audience_topics at JOIN topics t ON t.id = at.topic_id"
    ):
        topics[audience_id].append(name)
    for audience_id, contact_id, platform, size, handle, rate, checked, url in cursor.execute(
        f"SELECT id, contact_id, {shown('platform')}, size, handle, engagement_rate, "
        "last_checked_on, url FROM audiences"
    ):
        if (owner := found.get(contact_id)) is not None:
            owner.audiences.append(Audience(audience_id, contact_id, platform, size, handle,
                                            rate, checked, tuple(topics[audience_id]), url))
    for interaction_id, contact_id, day, kind, note in cursor.execute(
        "SELECT id, contact_id, happened_on, kind, note FROM interactions"
    ):
        if (owner := found.get(contact_id)) is not None:
            owner.interactions.append(Interaction(interaction_id, contact_id, day, kind, note))
    for from_id, to_id, kind, weight, directed, note in cursor.execute(
        f"SELECT from_id, to_id, {shown('kind')}, weight, directed, note FROM contact_links"
    ):
        start, end = found.get(from_id), found.get(to_id)
        if start is not None and end is not None:
            start.links.append(
                SyncedLink(end.uid, kind, weight, "out" if directed else "both", note))
            end.links.append(
                SyncedLink(start.uid, kind, weight, "in" if directed else "both", note))
    return list(found.values())


def contact_ids(ws: Workspace, uids: Iterable[str]) -> dict[str, int]:
    """The local ids of the contacts with these UIDs (those that exist)."""
    wanted = list(dict.fromkeys(uids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update((str(uid), int(contact_id)) for uid, contact_id in ws.conn.execute(
            f"SELECT uid, id FROM contacts WHERE uid IN ({', '.join('?' * len(chunk))})", chunk
        ))
    return found


def slug_holder(ws: Workspace, slug: str) -> tuple[int, str] | None:
    """The id and name of the contact whose slug is ``slug``, if any."""
    row = ws.conn.execute("SELECT id, name FROM contacts WHERE slug = ?", (slug,)).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def set_slug(ws: Workspace, contact_id: int, slug: str) -> None:
    """Give the contact ``slug`` (unique: the caller makes sure no other contact has it)."""
    ws.conn.execute("UPDATE contacts SET slug = ? WHERE id = ?", (slug, contact_id))


def write_synced_contact(ws: Workspace, item: SyncedContact) -> int:
    """Create or update the contact ``item.uid`` so that it holds exactly ``item``.

    ``item.contact.id`` is ignored: the UID names the contact. Links are given by the
    other contact's UID; those to a UID no contact here has are left out. The slug is
    set only when given (a slug is never taken away), and must be free. Returns the id.
    """
    with ws.transaction():
        contact_id = contact_ids(ws, [item.uid]).get(item.uid, 0)
        if not contact_id:
            contact_id = int(ws.conn.execute(
                "INSERT INTO contacts (uid, name) VALUES (?, ?)", (item.uid, item.contact.name)
            ).lastrowid or 0)
        save_contact(ws, replace(item.contact, id=contact_id))
        if item.slug is not None:
            set_slug(ws, contact_id, item.slug)
        set_audiences(ws, contact_id, item.audiences)
        set_interactions(ws, contact_id, item.interactions)
        set_links(ws, contact_id, _local_links(ws, contact_id, item.links))
    return contact_id


def _local_links(ws: Workspace, contact_id: int, links: Sequence[SyncedLink]) -> list[Link]:
    ids = contact_ids(ws, (link.other_uid for link in links))
    local = []
    for link in links:
        other = ids.get(link.other_uid)
        if other is None or other == contact_id:
            continue
        ends = (other, contact_id) if link.direction == "in" else (contact_id, other)
        local.append(Link(0, *ends, kind=link.kind, weight=link.weight,
                          directed=link.direction != "both", note=link.note))
    return local


def delete_synced_contact(ws: Workspace, uid: str) -> bool:
    """Delete the contact ``uid`` and what hangs off it; False when there is none."""
    with ws.transaction():
        contact_id = contact_ids(ws, [uid]).get(uid)
        if contact_id is None:
            return False
        delete_contact(ws, contact_id)
    return True
