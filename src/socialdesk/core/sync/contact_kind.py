"""The contact kind of team sharing: contacts as vCard 4.0 in the shared address book.

A contact travels whole: its own fields, slug, details, tags, audiences, interactions and
links (:mod:`~socialdesk.core.sync.contact_record` says what the record holds,
:mod:`~socialdesk.core.sync.contact_card` how the card carries it). A link is in both its
contacts' cards but part of one record only, that of the contact whose card decides it
(:mod:`~socialdesk.core.sync.link_authority`): applying a contact sets its links to the
contacts whose UIDs sort after its own, and leaves the others as they are. A contact new
here also gets the links to it that the synced cards of the contacts before it decide
(those its card names): they were left out when those cards were applied without it.

A slug is never taken away: a record without one leaves the contact's as it is (the next
sync sends it again). A record's slug that another contact here already has goes to the
record's contact, and the other contact gets a new one (the slug on the server wins).
"""

from __future__ import annotations

from typing import Literal

from socialdesk.core.gc_pause import collection_paused
from socialdesk.core.share.links import slugify, unique_slug
from socialdesk.core.sync import contact_card
from socialdesk.core.sync.contact_card import extra_text
from socialdesk.core.sync.contact_record import record_of, synced_of, usable_uid
from socialdesk.core.sync.kind import Kind, Record
from socialdesk.core.sync.link_authority import (
    MIRROR,
    kept_links_to,
    links_in,
    merged_part,
    split_links,
)
from socialdesk.store.share import slugs_starting
from socialdesk.store.sync_contacts import (
    contact_ids,
    delete_synced_contact,
    set_slug,
    slug_holder,
    synced_contact_rows,
    write_synced_contact,
)
from socialdesk.store.workspace import Workspace


class ContactKind:
    """Contacts, as :class:`~socialdesk.core.sync.kind.Kind` ``contact``."""

    name = "contact"
    collection: Literal["calendar", "addressbook"] = "addressbook"
    component: Literal["VEVENT", "VTODO", "VJOURNAL", "VCARD"] = "VCARD"

    def records(self, ws: Workspace) -> dict[str, Record]:
        """Every contact with a usable UID (all but hand-made ones), by UID."""
        with collection_paused():
            items = [item for item in synced_contact_rows(ws) if usable_uid(item.uid)]
            for item in items:
                if item.vcard_extra:  # as another program may have left it
                    item.vcard_extra = extra_text(item.vcard_extra.split("\n"))
            return {item.uid: merged_part(split_links(item.uid, record_of(item))) for item in items}

    def to_text(self, uid: str, record: Record) -> str:
        """The contact as one vCard 4.0."""
        return contact_card.to_text(uid, record)

    def owns(self, text: str) -> bool:
        """Every vCard of the address book is a contact."""
        return True

    def from_text(self, text: str) -> tuple[str, Record]:
        """The UID and record of a server's vCard; ``SyncFormatError`` if unreadable."""
        return contact_card.from_text(text)

    def apply(self, ws: Workspace, uid: str, record: Record) -> None:
        """Create or update the contact ``uid`` so that it holds ``record``."""
        item = synced_of(uid, merged_part(record))
        with ws.transaction():
            if uid not in contact_ids(ws, [uid]):  # new here: the links others decide
                named = [str(x["uid"]) for x in links_in(record, MIRROR)]
                item.links += synced_of(uid, {"links": kept_links_to(ws, uid, named)}).links
            if item.slug is not None:
                _free_slug(ws, uid, item.slug)
            write_synced_contact(ws, item)

    def delete(self, ws: Workspace, uid: str) -> None:
        """Delete the contact ``uid`` with its details, audiences, links, interactions, asks."""
        delete_synced_contact(ws, uid)


def _free_slug(ws: Workspace, uid: str, slug: str) -> None:
    """Give the contact here that has ``slug``, if it is not ``uid``, a new slug."""
    holder = slug_holder(ws, slug)
    if holder is None or holder[0] == contact_ids(ws, [uid]).get(uid):
        return
    holder_id, holder_name = holder
    taken = slugs_starting(ws, slugify(holder_name)) | {slug}
    set_slug(ws, holder_id, unique_slug(holder_name, taken))


CONTACT_KIND: Kind = ContactKind()
