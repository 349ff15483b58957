"""What every importer shares: per-entry problems, whole-file errors, cancels, the report.

The contact importer (:mod:`socialdesk.core.contacts.importing`) and the calendar importer
(:mod:`socialdesk.core.calendar.importing`) subclass these, so the CLI and the GUI treat
both alike and ``--json`` prints the same shape for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """Something about one entry (card, row, event): left out, or partly read."""

    line: int
    message: str

    def as_dict(self) -> dict[str, object]:
        """``{"line": N, "message": "..."}`` for JSON output."""
        return {"line": self.line, "message": self.message}


class FileImportError(Exception):
    """A file cannot be imported as a whole; nothing was written.

    ``str(error)`` is the user-facing message: ``"FILE, line N: message"`` (or
    ``"FILE: message"`` when no line applies).
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{path}, line {line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


class ImportCancelledError(Exception):
    """The user cancelled through the progress callback; nothing was written."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: import cancelled; nothing was imported.")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: entries added, existing ones updated, entries left out."""

    imported: int
    merged: int
    skipped: int
    problems: tuple[Problem, ...]
    unchanged: int = 0  # entries already there, with nothing to add

    def as_json(self) -> dict[str, object]:
        """``{"imported", "merged", "unchanged", "skipped": N, "problems": [...]}``."""
        return {
            "imported": self.imported,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "problems": [problem.as_dict() for problem in self.problems],
        }
