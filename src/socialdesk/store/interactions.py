"""A relationship's history: interactions and reciprocity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from socialdesk.store.columns import field_names, from_row, select_list
from socialdesk.store.models import Interaction, Reciprocity
from socialdesk.store.vocabulary import INTERACTION_KINDS
from socialdesk.store.workspace import Workspace

INTERACTION_COLUMNS = field_names(Interaction)  # the interactions table's columns


def interactions_of(ws: Workspace, contact_id: int) -> list[Interaction]:
    """A contact's interactions, newest first."""
    rows = ws.conn.execute(
        f"SELECT {select_list(INTERACTION_COLUMNS)} FROM interactions "
        "WHERE contact_id = ? ORDER BY happened_on DESC, id DESC",
        (contact_id,),
    ).fetchall()
    return [from_row(Interaction, row, INTERACTION_COLUMNS) for row in rows]


def check_interaction(interaction: Interaction) -> None:
    """Raise ValueError (a message for the user) for an entry the workspace would refuse."""
    if interaction.kind not in INTERACTION_KINDS:
        raise ValueError(f"Unknown kind of interaction {interaction.kind!r}.")
    try:
        date.fromisoformat(interaction.happened_on)
    except ValueError as error:
        raise ValueError(f"{interaction.happened_on!r} is not a date like 2026-11-24.") from error


def set_interactions(
    ws: Workspace, contact_id: int, interactions: Sequence[Interaction]
) -> None:
    """Make ``interactions`` the contact's history (ids are ignored)."""
    for interaction in interactions:
        check_interaction(interaction)
    with ws.transaction():
        ws.conn.execute("DELETE FROM interactions WHERE contact_id = ?", (contact_id,))
        written = INTERACTION_COLUMNS[1:]  # all but the id
        ws.conn.executemany(
            f"INSERT INTO interactions ({select_list(written)}) "
            f"VALUES ({', '.join('?' * len(written))})",
            [tuple(contact_id if name == "contact_id" else getattr(i, name) for name in written)
             for i in interactions],
        )


def ask_count(ws: Workspace, contact_id: int) -> int:
    """How many asks were made to a contact (deleting it deletes them)."""
    return int(ws.conn.execute(
        "SELECT count(*) FROM asks WHERE contact_id = ?", (contact_id,)
    ).fetchone()[0])


def reciprocity(ws: Workspace, contact_id: int) -> Reciprocity:
    """What they shared for us (logged shares and shared asks) against what we gave."""
    row = ws.conn.execute(
        "SELECT coalesce(sum(kind = 'shared'), 0) AS shared, coalesce(sum(kind = 'gave'), 0) "
        "AS gave FROM interactions WHERE contact_id = ?",
        (contact_id,),
    ).fetchone()
    asks = ws.conn.execute(
        "SELECT count(*) FROM asks WHERE contact_id = ? AND status = 'shared'", (contact_id,)
    ).fetchone()[0]
    return Reciprocity(shared_interactions=row["shared"], shared_asks=asks, gave=row["gave"])
