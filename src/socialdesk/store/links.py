"""Links between contacts ("knows", "member of"): reading and writing one contact's links."""

from __future__ import annotations

from collections.abc import Sequence

from socialdesk.store.models import Link
from socialdesk.store.workspace import Workspace

LINK_KINDS = ("knows", "works_with", "member_of", "family", "friend", "client_of")


def links_of(ws: Workspace, contact_id: int) -> list[Link]:
    """Every link from or to a contact, with the other contact's name, by name."""
    rows = ws.conn.execute(
        "SELECT l.id, l.from_id, l.to_id, l.kind, l.weight, l.directed, l.note, c.name "
        "FROM contact_links l JOIN contacts c "
        "ON c.id = CASE WHEN l.from_id = ? THEN l.to_id ELSE l.from_id END "
        "WHERE l.from_id = ? OR l.to_id = ? ORDER BY c.name COLLATE NOCASE, l.id",
        (contact_id, contact_id, contact_id),
    ).fetchall()
    return [
        Link(id=r[0], from_id=r[1], to_id=r[2], kind=r[3], weight=r[4], directed=bool(r[5]),
             note=r[6], other_name=r[7])
        for r in rows
    ]


def check_link(link: Link) -> None:
    """Raise ValueError (a message for the user) for a link the workspace would refuse."""
    if link.from_id == link.to_id:
        raise ValueError("A contact cannot be linked to themselves.")
    if not 0 <= link.weight <= 1:
        raise ValueError("A link's weight is between 0% and 100%.")
    if not link.kind.strip():
        raise ValueError("A link needs a kind, such as “knows”.")


def set_links(ws: Workspace, contact_id: int, links: Sequence[Link]) -> int:
    """Make ``links`` the contact's links (ids ignored); return how many were written.

    Links to contacts that no longer exist are left out, and so are repeats (the same
    two contacts and kind).
    """
    for link in links:
        check_link(link)
    written = 0
    with ws.transaction():
        ws.conn.execute(
            "DELETE FROM contact_links WHERE from_id = ? OR to_id = ?", (contact_id, contact_id)
        )
        for link in links:
            written += ws.conn.execute(
                "INSERT OR IGNORE INTO contact_links (from_id, to_id, kind, weight, directed, "
                "note) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?) "
                "AND EXISTS (SELECT 1 FROM contacts WHERE id = ?)",
                (link.from_id, link.to_id, link.kind.strip(), link.weight, int(link.directed),
                 link.note, link.from_id, link.to_id),
            ).rowcount
    return written


def link_kinds(ws: Workspace) -> list[str]:
    """The usual link kinds and any others the workspace uses."""
    used = [r[0] for r in ws.conn.execute("SELECT DISTINCT kind FROM contact_links ORDER BY 1")]
    return list(dict.fromkeys([*LINK_KINDS, *used]))
