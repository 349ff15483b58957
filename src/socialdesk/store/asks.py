"""Asks: requests to partners to share a post, and their outcomes."""

from __future__ import annotations

from socialdesk.store.models import AskRow
from socialdesk.store.workspace import Workspace

_ASK_SQL = """
SELECT a.id, a.contact_id, c.name, a.post_id, p.title, a.status, a.asked_on, a.due_on,
       a.observed_reach
FROM asks a JOIN contacts c ON c.id = a.contact_id LEFT JOIN posts p ON p.id = a.post_id
"""


def open_asks(ws: Workspace, due_until: str | None = None, limit: int = 50) -> list[AskRow]:
    """Asks still waiting for an outcome (asked or agreed), the most urgent first.

    With ``due_until`` (ISO date), only those due by then.
    """
    where = "WHERE a.status IN ('asked', 'agreed')"
    params: list[object] = []
    if due_until:
        where += " AND a.due_on <= ?"
        params.append(due_until)
    rows = ws.conn.execute(
        f"{_ASK_SQL} {where} ORDER BY coalesce(a.due_on, a.asked_on), a.id LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [AskRow(*row) for row in rows]


def asks_for_post(ws: Workspace, post_id: int) -> list[AskRow]:
    """Every ask made for one post, newest first."""
    rows = ws.conn.execute(
        f"{_ASK_SQL} WHERE a.post_id = ? ORDER BY a.asked_on DESC, a.id DESC", (post_id,)
    ).fetchall()
    return [AskRow(*row) for row in rows]
