"""What the readers hand back: parsed contacts with their line, and per-row problems."""

from __future__ import annotations

from dataclasses import dataclass, replace

from socialdesk.core.import_results import Problem
from socialdesk.store.models import Contact

FORMATS = ("auto", "vcard", "google", "outlook", "linkedin", "csv")


@dataclass(frozen=True, slots=True)
class ParsedContact:
    """A contact read from a file (``contact.id`` is 0) and the line where it starts.

    ``uid`` is the contact's UID in the file ('' when it has none).
    ``given``: the own fields (:data:`~socialdesk.core.contacts.fields.OWN_FIELDS`) the
    file set; the others take the workspace's defaults when the contact is written.
    """

    line: int
    contact: Contact
    uid: str = ""
    given: frozenset[str] = frozenset()

    def in_workspace(self, default_effort_minutes: int) -> Contact:
        """The contact as it is written: the workspace's ask effort unless the file set one."""
        if "effort_minutes" in self.given or self.contact.effort_minutes == default_effort_minutes:
            return self.contact
        return replace(self.contact, effort_minutes=default_effort_minutes)


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything read from one file, before anything is written."""

    format: str
    encoding: str
    contacts: tuple[ParsedContact, ...]
    problems: tuple[Problem, ...]
    skipped: int
