"""Checking a workspace file for damage without changing it.

``socialdesk check`` and the background check the window runs use these.
Opening (:mod:`socialdesk.store.workspace`) refuses a foreign schema and quick-checks a
small file at once; these run SQLite's checks on a connection of their own, bounded in
time by :meth:`Workspace.time_limit`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from socialdesk.store import migrations
from socialdesk.store.errors import storage_problem
from socialdesk.store.workspace import (
    Workspace,
    problems_found,
    raise_if_damaged,
    unreadable,
)

MAP_AT_MOST = 1 << 40  # a private file is mapped whole (SQLite caps it at its own limit)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``socialdesk check`` reports about a workspace."""

    path: Path
    ok: bool
    schema_version: int
    latest_version: int
    problems: tuple[str, ...]
    empty: bool = False  # nothing set up in the file yet (see Workspace.open_readonly)


def verify_workspace(
    path: Path | str, stop: Callable[[], bool] | None = None, *, thorough: bool = False,
    private: bool = False,
) -> bool:
    """Check a workspace on a connection of its own (safe from a worker thread).

    Its schema must be SocialDesk's (:class:`ForeignSchema`), then SQLite's ``quick_check``
    runs — or with ``thorough`` the slower ``integrity_check``, which also finds index
    entries that do not match their rows. Raises :class:`WorkspaceCorrupt` naming what is
    wrong, :class:`CheckTooLong` past :func:`check_seconds`. ``stop`` is asked now and then
    while the check runs; once it answers True the check ends early with no verdict and
    this returns False (True: the file was checked and is sound).

    ``private``: no other program writes the file (a restore's staged copy), so it is read
    through a memory map, which halves the check's time. Never for a workspace in use: a
    file shortened while it is mapped would crash the reader instead of failing a read.
    """
    with Workspace.open_readonly(path) as workspace:
        if private:
            workspace.conn.execute(f"PRAGMA mmap_size = {MAP_AT_MOST}")
        try:
            with workspace.time_limit(stop=stop):
                problems = problems_found(workspace.conn, thorough=thorough)
        except sqlite3.DatabaseError as error:
            if stop is not None and stop():
                return False  # interrupted on request, not damage
            if problem := storage_problem(workspace.path, error):
                raise problem from error
            problems = [str(error)]
        raise_if_damaged(workspace.path, problems)
    return True


def check(path: Path | str) -> CheckResult:
    """Run SQLite's integrity and foreign-key checks without modifying the file.

    Raises :class:`WorkspaceError` for a missing file, a non-database, a newer schema,
    a file too damaged to read at all, or a disk too full to read it on. A file with no
    workspace set up in it yet (0 bytes, say) is a new, empty one (see
    :meth:`Workspace.open_readonly`): ``ok`` and ``empty``.
    """
    with Workspace.open_readonly(path) as workspace:
        problems: list[str] = []
        try:
            with workspace.time_limit():
                rows = workspace.conn.execute("PRAGMA integrity_check").fetchall()
                # One problem a line, after a heading line that names the database.
                problems += [line for row in rows for line in row[0].splitlines()
                             if line != "ok" and not line.startswith("*** in database")]
                fk = workspace.conn.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"row {row['rowid']} in {row['table']} points to a missing "
                         f"{row['parent']}" for row in fk]
            version = workspace.schema_version
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise unreadable(workspace.path, error, "is damaged") from error
        return CheckResult(
            path=workspace.path,
            ok=not problems,
            schema_version=version,
            latest_version=migrations.latest_version(),
            problems=tuple(problems),
            empty=workspace.blank,
        )
