"""Copies of a workspace made with SQLite's online backup API, and the backup log."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from socialdesk.store.columns import field_names, from_row, insert_sql, select_list
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
    encrypted: bool = False


LOG_COLUMNS = field_names(BackupEntry)  # the columns of backup_log, besides its id
_LOGGED = field_names(BackupEntry, leave_out=("created_at",))  # the database dates each line


SNAPSHOT_PAGES = 4096  # pages copied between two progress reports (16 MB at 4 KB a page)


def snapshot(conn: sqlite3.Connection, target: Path,
             progress: Callable[[int, int], object] | None = None) -> None:
    """Copy the live database behind ``conn`` (WAL included) into a new file ``target``.

    Uses ``Connection.backup``, never a file copy, so the copy is one consistent moment
    even while the workspace is in use. The copy uses a rollback journal, so it is one
    self-contained file. ``progress(pages copied, pages)`` is called every
    :data:`SNAPSHOT_PAGES` pages; an exception it raises stops the copy and comes out.
    """
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        if progress is None:
            conn.backup(dest)
        else:
            conn.backup(dest, pages=SNAPSHOT_PAGES,
                        progress=lambda _status, left, total: progress(total - left, total))
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


@contextlib.contextmanager
def checkpointed(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the database file at ``path``, its write-ahead log moved into the file."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield conn
    finally:
        conn.close()


def integrity_problems(path: Path,
                       opened: Callable[[sqlite3.Connection], object] | None = None) -> list[str]:
    """Run ``PRAGMA integrity_check`` on a closed database file; [] when it is sound.

    ``opened(connection)`` is told the check's connection first: another thread may stop
    the check with its ``interrupt()`` (the answer is then "interrupted").
    """
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                           check_same_thread=False)
    if opened is not None:
        opened(conn)
    try:
        conn.execute("PRAGMA cache_size = -65536")
        rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        conn.close()
    return [row[0] for row in rows if row[0] != "ok"]


def copy_to(ws: Workspace, target: Path) -> str:
    """Copy the live workspace to ``target``; return its integrity check ("ok" if sound)."""
    snapshot(ws.conn, target)
    problems = integrity_problems(target)
    return "; ".join(problems) if problems else "ok"


def log_backup(
    ws: Workspace, path: Path, kind: str, size: int | None, ok: bool, message: str = "",
    *, encrypted: bool = False,
) -> None:
    """Record a backup attempt in the workspace."""
    with ws.transaction():
        entry = {"path": str(path), "kind": kind, "size": size, "ok": int(ok),
                 "message": message, "encrypted": int(encrypted)}
        ws.conn.execute(insert_sql("backup_log", _LOGGED), [entry[name] for name in _LOGGED])


def last_backup(ws: Workspace, kinds: tuple[str, ...] | None = None) -> BackupEntry | None:
    """The newest successful backup (of one of ``kinds``, when given), if any."""
    where = "ok = 1"
    params: tuple[str, ...] = ()
    if kinds:
        where += f" AND kind IN ({', '.join('?' for _ in kinds)})"
        params = kinds
    row = ws.conn.execute(
        f"SELECT {select_list(LOG_COLUMNS)} FROM backup_log "
        f"WHERE {where} ORDER BY created_at DESC, id DESC LIMIT 1",
        params,
    ).fetchone()
    if row is None:
        return None
    flags = {name: bool(row[name]) for name in ("ok", "encrypted")}
    return from_row(BackupEntry, row, [n for n in LOG_COLUMNS if n not in flags], **flags)


def logged_paths(ws: Workspace) -> list[str]:
    """The paths of every successful backup the log records, as they were written."""
    return [row[0] for row in ws.conn.execute("SELECT path FROM backup_log WHERE ok = 1")]
