"""Parse a contacts file and write it into a workspace in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from socialdesk.core.import_results import ImportSummary
from socialdesk.core.importing import textio
from socialdesk.core.importing.csv_reader import read_csv
from socialdesk.core.importing.duplicates import DuplicateIndex, DuplicateMatch
from socialdesk.core.importing.errors import ContactImportError, ImportCancelled
from socialdesk.core.importing.model import FORMATS, ParsedContact, ParseResult
from socialdesk.core.importing.vcard import read_vcards
from socialdesk.core.settings import default_effort
from socialdesk.store import contact_import as store
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

Progress = Callable[[int, int], bool]
_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class ImportReport(ImportSummary):
    """What a contact import did: new contacts, contacts merged by e-mail, rows skipped.

    ``likely_duplicates`` (not in the JSON) lists rows that look like existing contacts.
    """

    likely_duplicates: tuple[DuplicateMatch, ...] = ()


def detect_format(data: bytes) -> str:
    """``"vcard"`` if the file's first line is ``BEGIN:VCARD``, else ``"csv"``."""
    found = textio.unicode_encoding(data)
    head = data[:4096]
    if found:
        head = data[found[1] : found[1] + 4096].decode(found[0], errors="ignore").encode()
    lines = [line.strip().upper() for line in head.splitlines() if line.strip()]
    if not lines:
        return "csv"
    if lines[0].startswith(b"BEGIN:VCARD"):
        return "vcard"
    if b"BEGIN:VCARD" in lines and not any(d in lines[0] for d in (b",", b";", b"\t")):
        return "vcard"
    return "csv"


def parse_bytes(data: bytes, path: Path | str, fmt: str = "auto") -> ParseResult:
    """Parse the bytes of a contacts file; ``path`` names it in messages.

    Raises :class:`ContactImportError` when the file cannot be read as a whole.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown contact format {fmt!r}; expected one of {FORMATS}")
    if fmt == "auto":
        fmt = detect_format(data)
    if fmt == "vcard":
        return read_vcards(data, path)
    return read_csv(data, path, layout=fmt)


def parse_file(path: Path | str, fmt: str = "auto") -> ParseResult:
    """Read and parse a contacts file (vCard or CSV) without touching any workspace."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ContactImportError(
            path, None, f"cannot be read ({error.strerror or error})."
        ) from error
    return parse_bytes(data, path, fmt)


def _tick(progress: Progress | None, done: int, total: int, path: Path | str) -> None:
    if progress is not None and progress(done, total) is False:
        raise ImportCancelled(path)


def _absorb(into: Contact, other: Contact) -> Contact:
    """``into`` with what ``other`` adds: missing details and tags, empty fields filled."""
    have = {(d.kind, d.value.casefold()) for d in into.details}
    details = into.details + tuple(
        d for d in other.details if (d.kind, d.value.casefold()) not in have
    )
    tags = {t.casefold(): t for t in other.tags} | {t.casefold(): t for t in into.tags}
    return dataclasses.replace(
        into,
        organisation=into.organisation or other.organisation,
        notes=into.notes or other.notes,
        details=details,
        tags=tuple(tags.values()),
    )


def _merges(
    targets: dict[int, store.MergeTarget], incoming: dict[int, list[Contact]]
) -> list[store.Merge]:
    """What to add to each existing contact; what the user typed is never overwritten."""
    merges = []
    for contact_id, contacts in incoming.items():
        target = targets.get(contact_id)
        if target is None:
            continue
        details, positions, tags = [], [], []
        organisation = notes = ""
        for contact in contacts:
            for detail in contact.details:
                key = (detail.kind, detail.value.casefold())
                if key not in target.details:
                    target.details.add(key)
                    position = target.positions.get(detail.kind, 0)
                    target.positions[detail.kind] = position + 1
                    details.append(detail)
                    positions.append(position)
            for tag in contact.tags:
                if tag.casefold() not in target.tags:
                    target.tags.add(tag.casefold())
                    tags.append(tag)
            if not target.organisation and contact.organisation:
                target.organisation = organisation = contact.organisation
            if not target.notes and contact.notes:
                target.notes = notes = contact.notes
        merges.append(store.Merge(
            contact_id, tuple(details), tuple(positions), tuple(tags), organisation, notes
        ))
    return merges


def import_contacts(
    ws: Workspace,
    path: Path | str,
    fmt: str = "auto",
    *,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a vCard or CSV file into ``ws`` in one transaction.

    Contacts sharing an e-mail address with an existing contact (or with an earlier
    contact of the same file) are merged into it; the rest are inserted. ``progress``
    is called with ``(done, total)`` now and then; returning False cancels the import
    (:class:`ImportCancelled`). On any error or cancel the workspace is unchanged.
    """
    parsed = parse_file(path, fmt)
    total = 2 * len(parsed.contacts)
    _tick(progress, 0, total, path)
    with ws.transaction(), store.roomy_cache(ws):
        plan = _Plan(DuplicateIndex(ws), default_effort(ws))
        for position, item in enumerate(parsed.contacts):
            if position % 1000 == 999:
                _tick(progress, position, total, path)
            plan.add(position, item)
        store.apply_merges(ws, _merges(store.merge_targets(ws, plan.incoming), plan.incoming))
        _write(ws, plan.new, len(parsed.contacts), total, progress, path)
    return ImportReport(
        len(plan.new), plan.merged, parsed.skipped, parsed.problems, tuple(plan.likely)
    )


class _Plan:
    """Sorts parsed contacts into new ones and merges, before anything is written."""

    def __init__(self, index: DuplicateIndex, effort_minutes: int) -> None:
        self.index = index
        self.effort_minutes = effort_minutes  # the workspace's default ask effort
        self.new: list[Contact] = []
        self.incoming: dict[int, list[Contact]] = {}  # existing id -> contacts to merge
        self.likely: list[DuplicateMatch] = []
        self.merged = 0
        self._new_by_email: dict[str, int] = {}

    def add(self, position: int, item: ParsedContact) -> None:
        """Merge ``item`` into an existing or earlier new contact by e-mail, or keep it."""
        contact = item.in_workspace(self.effort_minutes)
        emails = [e.casefold() for e in contact.values("email")]
        existing = self.index.exact(contact)
        if existing is not None:
            self.incoming.setdefault(existing, []).append(contact)
            self.merged += 1
            return
        earlier = next((self._new_by_email[e] for e in emails if e in self._new_by_email), None)
        if earlier is not None:
            self.new[earlier] = _absorb(self.new[earlier], contact)
            self.merged += 1
        else:
            match = self.index.match(position, item.line, contact)
            if match is not None:
                self.likely.append(match)
            earlier = len(self.new)
            self.new.append(contact)
        for email in emails:
            self._new_by_email.setdefault(email, earlier)


def _write(
    ws: Workspace,
    new: Sequence[Contact],
    offset: int,
    total: int,
    progress: Progress | None,
    path: Path | str,
) -> None:
    for start in range(0, len(new), _CHUNK):
        store.insert_contacts(ws, new[start : start + _CHUNK])
        _tick(progress, offset + min(start + _CHUNK, len(new)), total, path)
    _tick(progress, total, total, path)
