"""Workspaces (and backups of them) changed behind SocialDesk's back to run SQL of their own.

Each entry of :data:`CHANGES` is a list of statements run on a copy of a real workspace
with plain ``sqlite3``, and the name of the first object SocialDesk must refuse.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from socialdesk import __version__
from socialdesk.core import archive
from socialdesk.store import migrations

ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n AS id FROM r"

CHANGES: dict[str, tuple[list[str], str]] = {
    # Fires on the log entry of every later backup and empties the workspace.
    "trigger": (["CREATE TRIGGER wipe AFTER INSERT ON backup_log BEGIN DELETE FROM contacts; END"],
                "wipe"),
    # A table replaced by a view that never ends: counting it would hang.
    "view": (["DROP TABLE campaigns", f"CREATE VIEW campaigns AS {ENDLESS}"], "campaigns"),
    "table": (["CREATE TABLE notes (body TEXT)"], "notes"),
    # One of SocialDesk's own triggers, rewritten.
    "changed trigger": (["DROP TRIGGER contacts_fts_insert",
                         "CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts "
                         "BEGIN DELETE FROM posts; END"], "contacts_fts_insert"),
}


def make_hostile(path: Path, kind: str) -> str:
    """Apply the change ``kind`` to the workspace file ``path``; return the object to name."""
    statements, name = CHANGES[kind]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()
    return name


def hostile_backup(workspace: Path, kind: str, target: Path) -> str:
    """Write ``target``, a well-formed backup of ``workspace`` changed by ``kind``.

    The archive has right hashes and counts, as SocialDesk would write it; only the
    database's schema gives it away. Returns the name of the object to refuse.
    """
    conn = sqlite3.connect(workspace)
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("contacts", "posts")}
    conn.close()
    name = make_hostile(workspace, kind)
    manifest = archive.Manifest(
        format_version=archive.FORMAT_VERSION, app_version=__version__,
        schema_version=migrations.latest_version(), created="2026-11-24T18:00:00Z",
        workspace=workspace.name, counts=counts)
    with target.open("xb") as out:
        archive.write(out, workspace, None, manifest)
    return name
