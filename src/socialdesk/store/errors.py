"""Errors a workspace can raise; each carries a message fit to show a user."""

from __future__ import annotations

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
