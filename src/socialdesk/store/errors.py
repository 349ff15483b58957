"""Errors a workspace can raise; each carries a message fit to show a user."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path


class WorkspaceError(Exception):
    """A workspace cannot be opened or used; ``str(error)`` is the user-facing message."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path}: {message}")


class WorkspaceNotFound(WorkspaceError):
    """The workspace file does not exist."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path,
            "no workspace here. Create one with 'socialdesk demo PATH' or by opening "
            "SocialDesk with this path.",
        )


class NotAWorkspace(WorkspaceError):
    """The file exists but is not a SQLite database (or not a SocialDesk one)."""


class ForeignSchema(NotAWorkspace):
    """The database holds tables, views, triggers or indexes SocialDesk does not create.

    Such a file could run SQL of its own (a trigger) or hang any query (a view), so it
    is refused before anything but ``sqlite_master`` is read. ``unexpected`` says what
    differs first (``"a trigger 'wipe' (on backup_log) that SocialDesk does not create"``).
    """

    def __init__(self, path: Path | str, unexpected: str) -> None:
        self.unexpected = unexpected
        super().__init__(
            path, f"holds {unexpected}, so it is refused: SocialDesk opens only the schema "
            "it creates itself (another program may have changed this file, perhaps to run "
            "commands of its own). The file has not been changed."
        )


class CheckTooLong(WorkspaceError):
    """Checking the file took far longer than a workspace of its size ever needs."""


class WorkspaceCorrupt(WorkspaceError):
    """The file is a SQLite database but it is damaged."""


class WorkspaceTooNew(WorkspaceError):
    """The workspace was written by a newer SocialDesk; it is left untouched."""

    def __init__(self, path: Path | str, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            path,
            f"this workspace was written by a newer SocialDesk (schema version {found}; "
            f"this version understands up to {known}). Update SocialDesk to open it. "
            "The file has not been changed.",
        )


class WorkspaceNotWritable(WorkspaceError):
    """The workspace or its folder cannot be written."""


class WorkspaceReadOnly(WorkspaceNotWritable):
    """The workspace is on a read-only disk, or its file or folder is read-only.

    Nothing is wrong with the file: it can still be opened read-only (to look at it,
    export from it), only not changed. Also raised by a write to a workspace opened
    read-only.
    """

    def __init__(self, path: Path | str, message: str = "") -> None:
        super().__init__(path, message or (
            "is read-only (on a read-only disk, or its file or folder cannot be written), "
            "so it cannot be changed. It can still be opened read-only to look at it and "
            "export from it; to change it, copy it to a folder you can write to."))


class WorkspaceFull(WorkspaceError):
    """The disk the workspace is on is full: what was being written was undone."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path, "the disk it is on is full, so nothing could be written. Nothing was "
            "changed; free some space on that disk and try again.")


# Below this much free space an I/O error while opening means the disk is full: SQLite
# cannot create the shared-memory index (32 KiB) it needs beside a workspace, even to read.
_NEARLY_FULL_BYTES = 1 << 20
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CANTOPEN = 13, 8, 10, 14


def storage_problem(path: Path, error: BaseException) -> WorkspaceError | None:
    """The error to report when ``error`` came from the disk, not from the file's content.

    A full disk (SQLite's ``SQLITE_FULL``, ``ENOSPC``, a quota, or an I/O error while the
    disk has almost no room left) is :class:`WorkspaceFull`; a read-only disk, file or
    folder is :class:`WorkspaceReadOnly`. None for anything else (the caller decides:
    usually the file is damaged).
    """
    if isinstance(error, WorkspaceError):
        return error
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return WorkspaceFull(path)
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return WorkspaceReadOnly(path)
        return None
    if not isinstance(error, sqlite3.Error):
        return None
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code == _SQLITE_FULL:
        return WorkspaceFull(path)
    if code == _SQLITE_READONLY:
        return WorkspaceReadOnly(path)
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        folder = path.parent
        try:
            if shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES:
                return WorkspaceFull(path)
        except OSError:
            return None
        if not os.access(folder, os.W_OK):
            return WorkspaceReadOnly(path)
    return None
