"""Copies of a workspace made with SQLite's online backup API, and the backup log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from socialdesk.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class BackupEntry:
    """One line of the backup log."""

    created_at: str
    path: str
    kind: str
    size: int | None
    ok: bool
    message: str


def copy_to(ws: Workspace, target: Path) -> str:
    """Copy the live workspace (WAL included) to ``target``; return its integrity check.

    Uses ``Connection.backup``, never a file copy, so a consistent snapshot is taken even
    while the workspace is in use.
    """
    dest = sqlite3.connect(str(target))
    try:
        ws.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        return dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()


def log_backup(
    ws: Workspace, path: Path, kind: str, size: int | None, ok: bool, message: str = ""
) -> None:
    """Record a backup attempt in the workspace."""
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO backup_log (path, kind, size, ok, message) VALUES (?, ?, ?, ?, ?)",
            (str(path), kind, size, int(ok), message),
        )


def last_backup(ws: Workspace) -> BackupEntry | None:
    """The newest successful backup, if any."""
    row = ws.conn.execute(
        "SELECT created_at, path, kind, size, ok, message FROM backup_log WHERE ok = 1 "
        "ORDER BY created_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return BackupEntry(*row[:4], bool(row[4]), row[5]) if row else None
