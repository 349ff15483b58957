"""Links between contacts ("knows", "member of"): reading and writing one contact's links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from socialdesk.store.columns import field_names, from_row, select_named
from socialdesk.store.known_names import shown, stored_link_kind
from socialdesk.store.models import Link
from socialdesk.store.vocabulary import LINK_KINDS
from socialdesk.store.workspace import Workspace

# The contact_links table's columns: the fields of Link but the other contact's name.
LINK_COLUMNS = field_names(Link, leave_out=("other_name",))


def links_of(ws: Workspace, contact_id: int) -> list[Link]:
    """Every link from or to a contact, with the other contact's name, by name."""
    rows = ws.conn.execute(
        f"SELECT {select_named(LINK_COLUMNS, 'l', {'kind': shown('kind', 'l')})}, "
        "c.name AS other_name "
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


def merged_links(links: Sequence[Link]) -> list[Link]:
    """One link per pair of contacts and kind (the rule of schema version 5), in order.

    Two of one pair and kind (A knows B, B knows A) become one, as migration 5 merges
    them: the first, with the larger weight and every note, undirected unless both point
    the same way. An undirected link names the smaller contact id first.
    """
    groups: dict[tuple[int, int, str, str], list[Link]] = {}
    for link in links:
        kind, label = stored_link_kind(link.kind)
        low, high = sorted((link.from_id, link.to_id))
        groups.setdefault((low, high, kind, label.casefold()), []).append(link)
    merged = []
    for (low, high, _, _), same in groups.items():
        first = same[0]
        directed = all(s.directed and (s.from_id, s.to_id) == (first.from_id, first.to_id)
                       for s in same)
        merged.append(replace(
            first, from_id=first.from_id if directed else low,
            to_id=first.to_id if directed else high, directed=directed,
            weight=max(s.weight for s in same),
            note="\n".join(dict.fromkeys(s.note.strip() for s in same if s.note.strip())),
        ))
    return merged


def set_links(ws: Workspace, contact_id: int, links: Sequence[Link]) -> int:
    """Make ``links`` the contact's links (ids ignored); return how many were written.

    Links to contacts that no longer exist are left out; repeats (the same two contacts
    and kind, either way round) are merged (:func:`merged_links`). A kind not in
    :data:`~socialdesk.store.vocabulary.LINK_KINDS` is stored as ``other`` with its name.
    """
    with ws.transaction():  # a link refused undoes the deletion
        ws.conn.execute(
            "DELETE FROM contact_links WHERE from_id = ? OR to_id = ?", (contact_id, contact_id)
        )
        return insert_links(ws, links)


def insert_links(ws: Workspace, links: Sequence[Link]) -> int:
    """Add ``links`` (ids ignored; merged, checked and stored as :func:`set_links` does).

    The caller removes first the links they replace. Returns how many were written.
    """
    for link in links:
        check_link(link)
    written = 0
    columns = (*LINK_COLUMNS[1:], "kind_label")  # all but the id
    with ws.transaction():
        for link in merged_links(links):
            kind, label = stored_link_kind(link.kind)
            clean = {"kind": kind, "kind_label": label, "directed": int(link.directed)}
            written += ws.conn.execute(
                f"INSERT INTO contact_links ({', '.join(columns)}) "
                f"SELECT {', '.join('?' * len(columns))} "
                "WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?) "
                "AND EXISTS (SELECT 1 FROM contacts WHERE id = ?)",
                (*(clean[name] if name in clean else getattr(link, name) for name in columns),
                 link.from_id, link.to_id),
            ).rowcount
    return written


def link_kinds(ws: Workspace) -> list[str]:
    """The usual link kinds and any others the workspace uses."""
    used = [r[0] for r in ws.conn.execute(
        f"SELECT DISTINCT {shown('kind')} FROM contact_links ORDER BY 1")]
    return list(dict.fromkeys([*(k for k in LINK_KINDS if k != "other"), *used]))
