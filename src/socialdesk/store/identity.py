"""The workspace's identity: a random id in its settings table that its backups carry.

Made when the workspace is created (see ``Workspace.open``) and, for a workspace from
before identities, on first need. It lives inside the file, so it follows the workspace
when the file is renamed or moved. Stored as a JSON string like every setting.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

KEY = "workspace_id"


def read_id(conn: sqlite3.Connection) -> str | None:
    """The workspace's id, or None when it has none yet."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEY,)).fetchone()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        return None
    return value if isinstance(value, str) and value else None


def set_id(conn: sqlite3.Connection, value: str) -> None:
    """Give the workspace the id ``value`` (one statement: atomic on its own)."""
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (KEY, json.dumps(value)))


def set_id_of_file(path: Path, value: str) -> None:
    """Give the workspace database file at ``path`` (not open elsewhere) the id ``value``."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        set_id(conn, value)
    finally:
        conn.close()


def assign_id(conn: sqlite3.Connection) -> str:
    """The workspace's id, made now (a random UUID) if it has none (only then it writes)."""
    found = read_id(conn)
    if found is not None:
        return found
    import uuid  # here: it loads platform, ~5 ms that opening a workspace with an id skips

    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                 (KEY, json.dumps(uuid.uuid4().hex)))
    found = read_id(conn)
    if found is None:  # a stored value that is not an id: replace it
        found = uuid.uuid4().hex
        set_id(conn, found)
    return found
