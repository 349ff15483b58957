"""A relationship's history: interactions, the asks made to a contact, reciprocity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from socialdesk.store.models import AskRow, Interaction, Reciprocity
from socialdesk.store.vocabulary import INTERACTION_KINDS
from socialdesk.store.workspace import Workspace


def interactions_of(ws: Workspace, contact_id: int) -> list[Interaction]:
    """A contact's interactions, newest first."""
    rows = ws.conn.execute(
        "SELECT id, contact_id, happened_on, kind, note FROM interactions "
        "WHERE contact_id = ? ORDER BY happened_on DESC, id DESC",
        (contact_id,),
    ).fetchall()
    return [Interaction(*row) for row in rows]


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
        ws.conn.executemany(
            "INSERT INTO interactions (contact_id, happened_on, kind, note) VALUES (?, ?, ?, ?)",
            [(contact_id, i.happened_on, i.kind, i.note) for i in interactions],
        )


def asks_of(ws: Workspace, contact_id: int) -> list[AskRow]:
    """Every ask made to a contact, newest first."""
    rows = ws.conn.execute(
        "SELECT a.id, a.contact_id, c.name, a.post_id, p.title, a.status, a.asked_on, "
        "a.due_on, a.observed_reach FROM asks a JOIN contacts c ON c.id = a.contact_id "
        "LEFT JOIN posts p ON p.id = a.post_id WHERE a.contact_id = ? "
        "ORDER BY a.asked_on DESC, a.id DESC",
        (contact_id,),
    ).fetchall()
    return [AskRow(*row) for row in rows]


def ask_count(ws: Workspace, contact_id: int) -> int:
    """How many asks were made to a contact (deleting it deletes them)."""
    return int(ws.conn.execute(
        "SELECT count(*) FROM asks WHERE contact_id = ?", (contact_id,)
    ).fetchone()[0])


def reciprocity(ws: Workspace, contact_id: int) -> Reciprocity:
    """What they shared for us (logged shares and shared asks) against what we gave."""
    shared, gave = ws.conn.execute(
        "SELECT coalesce(sum(kind = 'shared'), 0), coalesce(sum(kind = 'gave'), 0) "
        "FROM interactions WHERE contact_id = ?",
        (contact_id,),
    ).fetchone()
    asks = ws.conn.execute(
        "SELECT count(*) FROM asks WHERE contact_id = ? AND status = 'shared'", (contact_id,)
    ).fetchone()[0]
    return Reciprocity(shared_interactions=shared, shared_asks=asks, gave=gave)
