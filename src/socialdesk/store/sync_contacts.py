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

from socialdesk.store.audiences import AUDIENCE_COLUMNS, set_audiences
from socialdesk.store.columns import from_row, rows_as, select_list, select_named
from socialdesk.store.contacts import CONTACT_COLUMNS, delete_contact, save_contact
from socialdesk.store.interactions import INTERACTION_COLUMNS, set_interactions
from socialdesk.store.known_names import shown
from socialdesk.store.links import LINK_COLUMNS, insert_links
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
    vcard_extra: str = ""  # the card's lines SocialDesk has no field for (contact_card.py)


@dataclass(frozen=True, slots=True)
class _Owned:
    """A row that belongs to a contact or an audience: its owner's id and one value."""

    owner: int
    name: str


@dataclass(frozen=True, slots=True)
class _DetailRow:
    """A contact_details row: the contact's id and the detail."""

    contact_id: int
    kind: str
    value: str
    label: str


_CONTACT_SQL = (f"SELECT uid, slug, vcard_extra, {select_list(CONTACT_COLUMNS)} "
                "FROM contacts WHERE uid IS NOT NULL")


def synced_contact_rows(ws: Workspace) -> list[SyncedContact]:
    """Every contact that has a UID, with everything that hangs off it."""
    conn = ws.conn
    details: dict[int, list[Detail]] = defaultdict(list)
    for row in rows_as(_DetailRow, conn.execute(
        "SELECT contact_id, kind, value, label FROM contact_details "
        "ORDER BY contact_id, kind, position, id"
    )):
        details[row.contact_id].append(Detail(row.kind, row.value, row.label))
    tags: dict[int, list[str]] = defaultdict(list)
    for owned in rows_as(_Owned, conn.execute(
        "SELECT ct.contact_id AS owner, t.name FROM contact_tags ct "
        "JOIN tags t ON t.id = ct.tag_id"
    )):
        tags[owned.owner].append(owned.name)
    found: dict[int, SyncedContact] = {}
    for row in conn.execute(_CONTACT_SQL):
        contact = from_row(Contact, row, CONTACT_COLUMNS, details=tuple(details[row["id"]]),
                           tags=tuple(tags[row["id"]]))
        found[contact.id] = SyncedContact(row["uid"], contact, row["slug"],
                                          vcard_extra=row["vcard_extra"])
    topics: dict[int, list[str]] = defaultdict(list)
    for owned in rows_as(_Owned, conn.execute(
        "SELECT at.audience_id AS owner, t.name FROM audience_topics at "
        "JOIN topics t ON t.id = at.topic_id"
    )):
        topics[owned.owner].append(owned.name)
    for audience in rows_as(Audience, conn.execute(
        f"SELECT {select_named(AUDIENCE_COLUMNS, 'a', {'platform': shown('platform', 'a')})} "
        "FROM audiences a"
    )):
        if (owner := found.get(audience.contact_id)) is not None:
            owner.audiences.append(replace(audience, topics=tuple(topics[audience.id])))
    for interaction in rows_as(Interaction, conn.execute(
        f"SELECT {select_list(INTERACTION_COLUMNS)} FROM interactions"
    )):
        if (owner := found.get(interaction.contact_id)) is not None:
            owner.interactions.append(interaction)
    for link in rows_as(Link, conn.execute(
        f"SELECT {select_named(LINK_COLUMNS, 'l', {'kind': shown('kind', 'l')})} "
        "FROM contact_links l"
    )):
        start, end = found.get(link.from_id), found.get(link.to_id)
        if start is not None and end is not None:
            start.links.append(SyncedLink(end.uid, link.kind, link.weight,
                                          "out" if link.directed else "both", link.note))
            end.links.append(SyncedLink(start.uid, link.kind, link.weight,
                                        "in" if link.directed else "both", link.note))
    return list(found.values())


def contact_ids(ws: Workspace, uids: Iterable[str]) -> dict[str, int]:
    """The local ids of the contacts with these UIDs (those that exist)."""
    wanted = list(dict.fromkeys(uids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for row in ws.conn.execute(
            f"SELECT uid, id FROM contacts WHERE uid IN ({', '.join('?' * len(chunk))})", chunk
        ):
            found[row["uid"]] = int(row["id"])
    return found


def slug_holder(ws: Workspace, slug: str) -> tuple[int, str] | None:
    """The id and name of the contact whose slug is ``slug``, if any."""
    row = ws.conn.execute("SELECT id, name FROM contacts WHERE slug = ?", (slug,)).fetchone()
    return (int(row["id"]), str(row["name"])) if row else None


def set_slug(ws: Workspace, contact_id: int, slug: str) -> None:
    """Give the contact ``slug`` (unique: the caller makes sure no other contact has it)."""
    ws.conn.execute("UPDATE contacts SET slug = ? WHERE id = ?", (slug, contact_id))


def write_synced_contact(ws: Workspace, item: SyncedContact) -> int:
    """Create or update the contact ``item.uid`` so that it holds exactly ``item``.

    ``item.contact.id`` is ignored: the UID names the contact. Links are given by the
    other contact's UID; those to a UID no contact here has are left out. They replace
    the contact's links to contacts whose UIDs sort after its own and to those they name;
    its other links stay (another contact's card decides them). The slug is
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
        ws.conn.execute("UPDATE contacts SET vcard_extra = ? WHERE id = ? AND vcard_extra <> ?",
                        (item.vcard_extra, contact_id, item.vcard_extra))
        set_audiences(ws, contact_id, item.audiences)
        set_interactions(ws, contact_id, item.interactions)
        named = sorted({link.other_uid for link in item.links})
        for start in range(0, max(len(named), 1), 500):
            chunk = named[start:start + 500]
            ws.conn.execute(
                "DELETE FROM contact_links WHERE (from_id = ? OR to_id = ?) AND EXISTS ("
                " SELECT 1 FROM contacts o WHERE o.id = CASE WHEN from_id = ? THEN to_id"
                f" ELSE from_id END AND (o.uid > ? OR o.uid IN ({','.join('?' * len(chunk))})))",
                (contact_id, contact_id, contact_id, item.uid, *chunk))
        insert_links(ws, _local_links(ws, contact_id, item.links))
    return contact_id


def _local_links(ws: Workspace, contact_id: int, links: Sequence[SyncedLink]) -> list[Link]:
    ids = contact_ids(ws, (link.other_uid for link in links))
    local = []
    for link in links:
        other = ids.get(link.other_uid)
        if other is None or other == contact_id:
            continue
        start, end = (other, contact_id) if link.direction == "in" else (contact_id, other)
        local.append(Link(0, from_id=start, to_id=end, kind=link.kind, weight=link.weight,
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
