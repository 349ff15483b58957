"""What the readers hand back: parsed contacts with their line, and per-row problems."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from socialdesk.core.import_results import Problem
from socialdesk.store.models import Contact

FORMATS = ("auto", "vcard", "google", "outlook", "linkedin", "csv")
MAX_PROBLEMS = 10_000  # problems listed per file; one more says how many were not


class Problems:
    """The problems of a file's chunks: the first :data:`MAX_PROBLEMS` of them.

    A file of a million rows left out would otherwise hold a million problems (700 MB).
    """

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.more = 0
        self.first_more = 0  # the line of the first problem not kept

    def extend(self, problems: Sequence[Problem]) -> None:
        """Add a chunk's problems (in line order)."""
        room = MAX_PROBLEMS - len(self.kept)
        self.kept += problems[:room]
        if len(problems) > room:
            self.first_more = self.first_more or problems[max(room, 0)].line
            self.more += len(problems) - max(room, 0)

    def listed(self) -> tuple[Problem, ...]:
        """The problems kept, and one naming how many more there are."""
        if not self.more:
            return tuple(self.kept)
        return (*self.kept, Problem(self.first_more, f"… and {self.more:,} more problems from "
                                    "this line on, not listed."))


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
    """Everything read from one file, before anything is written.

    ``contacts`` is a tuple, or for a file read for review a sequence kept on disk
    (:class:`~socialdesk.core.contacts.importing.stage.StagedContacts`).
    """

    format: str
    encoding: str
    contacts: Sequence[ParsedContact]
    problems: tuple[Problem, ...]
    skipped: int


@dataclass(frozen=True, slots=True)
class ParseChunk:
    """The next contacts of a file read in chunks, the problems of their rows, and how far.

    ``done`` is the number of bytes of the file read so far.
    """

    contacts: tuple[ParsedContact, ...]
    problems: tuple[Problem, ...]
    skipped: int
    done: int


@dataclass(slots=True)
class ParseStream:
    """A file being read: its format and encoding, its size in bytes, and its chunks.

    The chunks can be read once; a broken row raises
    :class:`~socialdesk.core.contacts.importing.ContactImportError` when they reach it.
    ``encoding`` is final once the chunks are read (a vCard file's legacy encoding is
    guessed from all its cards).
    """

    format: str
    encoding: str
    size: int
    chunks: Iterator[ParseChunk]

    def collect(self) -> ParseResult:
        """Every chunk read into one result (memory grows with the file)."""
        contacts: list[ParsedContact] = []
        problems = Problems()
        skipped = 0
        for chunk in self.chunks:
            contacts += chunk.contacts
            problems.extend(chunk.problems)
            skipped += chunk.skipped
        return ParseResult(self.format, self.encoding, tuple(contacts), problems.listed(),
                           skipped)
