"""What the readers hand back: parsed contacts with their line, and per-row problems."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.store.models import Contact

FORMATS = ("auto", "vcard", "google", "outlook", "linkedin", "csv")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one card or row: it was skipped, or part of it was left out."""

    line: int
    message: str

    def as_dict(self) -> dict[str, object]:
        """``{"line": N, "message": "..."}`` for JSON output."""
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True, slots=True)
class ParsedContact:
    """A contact read from a file (``contact.id`` is 0) and the line where it starts."""

    line: int
    contact: Contact


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything read from one file, before anything is written."""

    format: str
    encoding: str
    contacts: tuple[ParsedContact, ...]
    problems: tuple[Problem, ...]
    skipped: int
