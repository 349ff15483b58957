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
