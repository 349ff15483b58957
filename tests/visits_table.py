"""Imported visits for tests: the ``ask_visits`` table as ``socialdesk import clicks`` fills it.

Made here when the workspace's schema does not have it yet (its migration lives with the
clicks importer); with that migration in place the table is already there.
"""

from __future__ import annotations

from socialdesk.store.workspace import Workspace

ASK_VISITS = """
CREATE TABLE IF NOT EXISTS ask_visits (
    id INTEGER PRIMARY KEY,
    ask_id INTEGER NOT NULL REFERENCES asks(id) ON DELETE CASCADE,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL CHECK (last_day >= first_day),
    visits INTEGER NOT NULL CHECK (visits >= 0),
    source_file TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL DEFAULT '',
    UNIQUE (ask_id, first_day, last_day)
)"""


def has_visits_table(ws: Workspace) -> bool:
    """True when the workspace has the ``ask_visits`` table."""
    return ws.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                           "name = 'ask_visits'").fetchone() is not None


def add_visits(ws: Workspace, ask_id: int, *per_day: int, first: str = "2026-03-01") -> None:
    """Record visits of ask ``ask_id``, one figure per day from ``first``."""
    from datetime import date, timedelta

    ws.conn.execute(ASK_VISITS)
    start = date.fromisoformat(first)
    for offset, visits in enumerate(per_day):
        day = (start + timedelta(days=offset)).isoformat()
        ws.conn.execute("INSERT INTO ask_visits (ask_id, first_day, last_day, visits) "
                        "VALUES (?, ?, ?, ?)", (ask_id, day, day, visits))
