"""Links between contacts ("knows", "member of"): reading and writing one contact's links."""

from __future__ import annotations

from collections.abc import Sequence

from socialdesk.store.columns import field_names, from_row, select_list
from socialdesk.store.models import Link
from socialdesk.store.workspace import Workspace

# The contact_links table's columns: the fields of Link but the other contact's name.
LINK_COLUMNS = field_names(Link, leave_out=("other_name",))
LINK_KINDS = ("knows", "works_with", "member_of", "family", "friend", "client_of")


def links_of(ws: Workspace, contact_id: int) -> list[Link]:
    """Every link from or to a contact, with the other contact's name, by name."""
    rows = ws.conn.execute(
        f"SELECT {select_list(LINK_COLUMNS, 'l')}, c.name AS other_name "
        "FROM contact_links l JOIN contacts c "
        "ON c.id = CASE WHEN l.from_id = ? THEN l.to_id ELSE l.from_id END "
        "WHERE l.from_id = ? OR l.to_id = ? ORDER BY c.name COLLATE NOCASE, l.id",
        (contact_id, contact_id, contact_id),
    ).fetchall()
    names = tuple(name for name in LINK_COLUMNS if name != "directed")
    return [
        from_row(Link, row, names, directed=bool(row["directed"]), other_name=row["other_name"])
        for row in rows
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
    columns = LINK_COLUMNS[1:]  # all but the id
    with ws.transaction():
        ws.conn.execute(
            "DELETE FROM contact_links WHERE from_id = ? OR to_id = ?", (contact_id, contact_id)
        )
        for link in links:
            clean = {"kind": link.kind.strip(), "directed": int(link.directed)}
            written += ws.conn.execute(
                f"INSERT OR IGNORE INTO contact_links ({select_list(columns)}) "
                f"SELECT {', '.join('?' * len(columns))} "
                "WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?) "
                "AND EXISTS (SELECT 1 FROM contacts WHERE id = ?)",
                (*(clean.get(name, getattr(link, name)) for name in columns),
                 link.from_id, link.to_id),
            ).rowcount
    return written


def link_kinds(ws: Workspace) -> list[str]:
    """The usual link kinds and any others the workspace uses."""
    used = [r[0] for r in ws.conn.execute("SELECT DISTINCT kind FROM contact_links ORDER BY 1")]
    return list(dict.fromkeys([*LINK_KINDS, *used]))
