"""Everything stored about one contact: as a snapshot, and field by field.

A snapshot, taken before a delete and put back by its undo, holds the contact's own row
(id, uid and timestamps included) and every row that hangs off it: details, tags,
audiences with topics, links, interactions and asks. :func:`restore_contact` writes it
all back in one transaction under the same id, so that undo commands further down the
stack that name this contact still find it.

Field by field (for edits and their undo, see :mod:`socialdesk.core.field_edits`), a
contact is its own columns plus ``details``, ``tags``, ``audiences``, ``links`` and
``interactions``, each a tuple of rows compared by what they say (not by row id).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from socialdesk.store import audiences as audience_store
from socialdesk.store import links as link_store
from socialdesk.store.columns import insert_sql, select_list
from socialdesk.store.contacts import (
    CONTACT_COLUMNS,
    EDITABLE_COLUMNS,
    RECORD_COLUMNS,
    SHARE_COLUMNS,
    get_contact,
    save_contact,
)
from socialdesk.store.interactions import interactions_of, set_interactions
from socialdesk.store.models import Audience, Contact, Interaction, Link
from socialdesk.store.partners import audiences_of
from socialdesk.store.workspace import Workspace

_CONTACT_COLUMNS = select_list(CONTACT_COLUMNS + RECORD_COLUMNS + SHARE_COLUMNS)


class RestoreConflict(ValueError):
    """A contact cannot be put back because its id was given to another contact since."""


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    """One contact and everything that belongs to it, as stored."""

    row: dict[str, object]  # the contacts row, _CONTACT_COLUMNS by name
    contact: Contact
    audiences: tuple[Audience, ...]
    links: tuple[Link, ...]
    interactions: tuple[Interaction, ...]
    asks: tuple[dict[str, object], ...]  # asks rows, every column by name

    @property
    def id(self) -> int:
        """The contact's id."""
        return int(self.contact.id)


def snapshot_contact(ws: Workspace, contact_id: int) -> ContactSnapshot | None:
    """Everything stored about a contact, or None if it does not exist."""
    contact = get_contact(ws, contact_id)
    if contact is None:
        return None
    row = ws.conn.execute(
        f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    asks = ws.conn.execute(
        "SELECT * FROM asks WHERE contact_id = ? ORDER BY id", (contact_id,)
    ).fetchall()
    return ContactSnapshot(
        row=_by_name(row),
        contact=contact,
        audiences=tuple(audiences_of(ws, contact_id)),
        links=tuple(link_store.links_of(ws, contact_id)),
        interactions=tuple(interactions_of(ws, contact_id)),
        asks=tuple(_by_name(a) for a in asks),
    )


def _by_name(row: sqlite3.Row) -> dict[str, object]:
    return {name: row[name] for name in row.keys()}  # noqa: SIM118 (a Row iterates values)


OWN_FIELDS = (*EDITABLE_COLUMNS, "details", "tags")


def contact_fields(
    contact: Contact | None = None, *, audiences: Iterable[Audience] | None = None,
    links: Iterable[Link] | None = None, interactions: Iterable[Interaction] | None = None,
) -> dict[str, Any]:
    """The fields of what is given, as :func:`read_contact_fields` reads them.

    Details keep their order within a kind (the first e-mail is the one shown); tags are
    in alphabetical order; audiences, links and interactions lose their row ids.
    """
    values: dict[str, Any] = {}
    if contact is not None:
        values.update({name: getattr(contact, name) for name in OWN_FIELDS})
        values["details"] = tuple(sorted(contact.details, key=lambda d: d.kind))
        values["tags"] = tuple(sorted(contact.tags, key=str.casefold))
    if audiences is not None:
        values["audiences"] = tuple(replace(a, id=0, contact_id=0) for a in audiences)
    if links is not None:
        values["links"] = tuple(replace(link, id=0, other_name="") for link in links)
    if interactions is not None:
        values["interactions"] = tuple(replace(i, id=0, contact_id=0) for i in interactions)
    return values


def read_contact_fields(ws: Workspace, contact_id: int) -> dict[str, Any] | None:
    """Every field of a contact, its lists included; None if it does not exist."""
    contact = get_contact(ws, contact_id)
    if contact is None:
        return None
    return contact_fields(contact, audiences=audiences_of(ws, contact_id),
                          links=link_store.links_of(ws, contact_id),
                          interactions=interactions_of(ws, contact_id))


def write_contact_fields(ws: Workspace, contact_id: int, values: Mapping[str, Any]) -> None:
    """Store some fields of a contact (one transaction); the others stay as they are."""
    with ws.transaction():
        contact = get_contact(ws, contact_id)
        if contact is None:
            raise LookupError("This contact was deleted meanwhile.")
        own = {name: values[name] for name in OWN_FIELDS if name in values}
        if own:
            save_contact(ws, replace(contact, **own))
        if "audiences" in values:
            audience_store.set_audiences(ws, contact_id, values["audiences"])
        if "links" in values:
            link_store.set_links(ws, contact_id, values["links"])
        if "interactions" in values:
            set_interactions(ws, contact_id, values["interactions"])


def restore_contact(ws: Workspace, snapshot: ContactSnapshot) -> None:
    """Put a deleted contact back with everything it had, under its old id.

    Links to contacts deleted since are left out; an ask whose post was deleted since
    keeps no post. Raises :class:`RestoreConflict` when the id is taken by someone else.
    """
    with ws.transaction():
        taken = ws.conn.execute(
            "SELECT name FROM contacts WHERE id = ?", (snapshot.id,)
        ).fetchone()
        if taken is not None:
            raise RestoreConflict(
                f"Cannot bring back {snapshot.contact.name}: their place was taken by "
                f"{taken[0]} since."
            )
        ws.conn.execute(insert_sql("contacts", tuple(snapshot.row)),
                        tuple(snapshot.row.values()))
        ws.conn.executemany(
            "INSERT INTO contact_details (contact_id, kind, value, label, position) "
            "VALUES (?, ?, ?, ?, ?)",
            [(snapshot.id, d.kind, d.value, d.label, i)
             for i, d in enumerate(snapshot.contact.details)],
        )
        ws.conn.executemany("INSERT OR IGNORE INTO tags (name) VALUES (?)",
                            [(t,) for t in snapshot.contact.tags])
        ws.conn.executemany(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) "
            "SELECT ?, id FROM tags WHERE name = ?",
            [(snapshot.id, t) for t in snapshot.contact.tags],
        )
        audience_store.set_audiences(ws, snapshot.id, snapshot.audiences)
        link_store.set_links(ws, snapshot.id, snapshot.links)
        set_interactions(ws, snapshot.id, snapshot.interactions)
        for ask in snapshot.asks:
            values = dict(ask)
            if ws.conn.execute("SELECT 1 FROM asks WHERE id = ?", (values["id"],)).fetchone():
                values["id"] = None  # the id went to another ask: take a new one
            if values["post_id"] is not None and not ws.conn.execute(
                "SELECT 1 FROM posts WHERE id = ?", (values["post_id"],)
            ).fetchone():
                values["post_id"] = None
            ws.conn.execute(insert_sql("asks", tuple(values)), tuple(values.values()))
