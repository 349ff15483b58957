"""Workspaces and backups changed behind SocialDesk's back.

Crafted to run SQL of their own: each entry of :data:`CHANGES` is a list of statements
run on a copy of a real workspace with plain ``sqlite3``, and the name of the first
object SocialDesk must refuse. Damaged: :func:`damage_an_index`. An encrypted backup
asking for a costly key derivation: :func:`with_kdf`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from socialdesk import __version__
from socialdesk.core.backup import archive, crypto
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


def damage_an_index(path: Path) -> bytes:
    """Flip the last byte of the contacts' name index (its root page); return the file.

    Damage that ``quick_check`` misses and ``integrity_check`` finds ("row 1 missing from
    index contacts_name"), like byte 30508 of the small demo.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    root, page = (conn.execute(sql).fetchone()[0] for sql in (
        "SELECT rootpage FROM sqlite_master WHERE name = 'contacts_name'", "PRAGMA page_size"))
    conn.close()
    data = bytearray(path.read_bytes())
    data[root * page - 1] ^= 0xFF
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert "contacts_name" in conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return bytes(data)


def with_kdf(sealed: Path, target: Path, **kdf: int) -> Path:
    """A copy of an encrypted backup whose header asks for other scrypt parameters."""
    data = sealed.read_bytes()
    size = int.from_bytes(data[8:12], "big")
    header = json.loads(data[12:12 + size])
    header["kdf"].update(kdf)
    raw = json.dumps(header, sort_keys=True).encode()
    target.write_bytes(crypto.MAGIC + len(raw).to_bytes(4, "big") + raw + data[12 + size:])
    return target
