"""Workspace settings: JSON values by key; defaults live with the code that uses them."""

from __future__ import annotations

import json
from typing import Any

from socialdesk.store import identity
from socialdesk.store.workspace import Workspace


def stored_settings(ws: Workspace) -> dict[str, Any]:
    """Every setting stored in the workspace (only those changed from the defaults).

    The workspace's identity, kept in the same table, is no setting (see store.identity).
    """
    rows = ws.conn.execute("SELECT key, value FROM settings WHERE key != ?", (identity.KEY,))
    return {row["key"]: json.loads(row["value"]) for row in rows}


def set_setting(ws: Workspace, key: str, value: Any) -> None:
    """Store one setting; ``None`` removes it so the default applies again."""
    with ws.transaction():
        if value is None:
            ws.conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            ws.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )
