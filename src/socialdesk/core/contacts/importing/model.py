"""What the readers hand back: parsed contacts with their line, and per-row problems."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.core.import_results import Problem
from socialdesk.store.models import Contact

FORMATS = ("auto", "vcard", "google", "outlook", "linkedin", "csv")


@dataclass(frozen=True, slots=True)
class ParsedContact:
    """A contact read from a file (``contact.id`` is 0) and the line where it starts.

    ``uid`` is the contact's UID in the file ('' when it has none).
    """

    line: int
    contact: Contact
    uid: str = ""


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything read from one file, before anything is written."""

    format: str
    encoding: str
    contacts: tuple[ParsedContact, ...]
    problems: tuple[Problem, ...]
    skipped: int
