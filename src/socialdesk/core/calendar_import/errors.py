"""Errors of the calendar importer; each one names the file and, where it can, the line."""

from __future__ import annotations

from pathlib import Path


class CalendarImportError(Exception):
    """A calendar file cannot be imported as a whole; nothing was written.

    ``str(error)`` is the user-facing message: ``"FILE, line N: message"`` (or
    ``"FILE: message"`` when no line applies).
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{path}, line {line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


class CalendarImportCancelled(Exception):
    """The user cancelled the import through the progress callback; nothing was written."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: import cancelled; nothing was imported.")
