"""Parse a contacts file and write it into a workspace in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from socialdesk.core.contacts.importing import textio
from socialdesk.core.contacts.importing.csv_reader import read_csv
from socialdesk.core.contacts.importing.duplicates import (
    DuplicateIndex,
    DuplicateMatch,
    IdentityKey,
    identity_keys,
)
from socialdesk.core.contacts.importing.errors import ContactImportError, ImportCancelled
from socialdesk.core.contacts.importing.model import FORMATS, ParsedContact, ParseResult
from socialdesk.core.contacts.importing.vcard import read_vcards
from socialdesk.core.import_results import ImportSummary
from socialdesk.core.settings import default_effort
from socialdesk.store import contact_import as store
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

Progress = Callable[[int, int], bool]
_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class ImportReport(ImportSummary):
    """What a contact import did: new contacts, rows merged, rows skipped.

    ``merged`` counts rows that added something to a contact (an existing one, or an
    earlier row of the file); ``unchanged`` rows that were existing contacts with nothing
    to add (importing a file again gives only those). ``likely_duplicates`` (not in the
    JSON) lists rows that look like existing contacts.
    """

    likely_duplicates: tuple[DuplicateMatch, ...] = ()
    unchanged: int = 0

    def as_json(self) -> dict[str, object]:
        """The shared shape, with ``unchanged`` after ``merged``."""
        shared = ImportSummary.as_json(self)
        return {"imported": shared.pop("imported"), "merged": shared.pop("merged"),
                "unchanged": self.unchanged, **shared}


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
        org_units=into.org_units if into.organisation else other.org_units,
        notes=into.notes or other.notes,
        structured_name=into.structured_name or other.structured_name,
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
        organisation = units = notes = structured_name = ""
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
                units = contact.org_units
            if not target.notes and contact.notes:
                target.notes = notes = contact.notes
            if not target.structured_name and contact.structured_name:
                target.structured_name = structured_name = contact.structured_name
        merges.append(store.Merge(contact_id, tuple(details), tuple(positions), tuple(tags),
                                  organisation, notes, structured_name, units))
    return merges


def import_contacts(
    ws: Workspace,
    path: Path | str,
    fmt: str = "auto",
    *,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a vCard or CSV file into ``ws`` in one transaction.

    Contacts that are an existing contact (or an earlier contact of the same file) by
    their UID, an e-mail address, a profile address or a phone number
    (:func:`~socialdesk.core.contacts.importing.duplicates.identity_keys`) are merged into it; the
    rest are inserted, with the UID of their card or a new random one. ``progress``
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
        merges = _merges(store.merge_targets(ws, plan.incoming), plan.incoming)
        store.apply_merges(ws, merges)
        _write(ws, plan.new, plan.uids, len(parsed.contacts), total, progress, path)
    unchanged = sum(len(plan.incoming[m.contact_id]) for m in merges if m.empty)
    return ImportReport(
        len(plan.new), plan.merged + sum(map(len, plan.incoming.values())) - unchanged,
        parsed.skipped, parsed.problems, tuple(plan.likely), unchanged,
    )


class _Plan:
    """Sorts parsed contacts into new ones and merges, before anything is written."""

    def __init__(self, index: DuplicateIndex, effort_minutes: int) -> None:
        self.index = index
        self.effort_minutes = effort_minutes  # the workspace's default ask effort
        self.new: list[Contact] = []
        self.uids: list[str] = []  # of the new contacts, from their files ('' for none)
        self.incoming: dict[int, list[Contact]] = {}  # existing id -> contacts to merge
        self.likely: list[DuplicateMatch] = []
        self.merged = 0  # rows merged into an earlier row of the file
        self._new_by_key: dict[IdentityKey, int] = {}

    def add(self, position: int, item: ParsedContact) -> None:
        """Merge ``item`` into the existing or earlier new contact it is, or keep it."""
        contact = item.in_workspace(self.effort_minutes)
        keys = identity_keys(contact, item.uid)
        existing = self.index.exact(contact, item.uid, keys)
        if existing is not None:
            self.incoming.setdefault(existing, []).append(contact)
            return
        earlier = next((self._new_by_key[k] for k in keys if k in self._new_by_key), None)
        if earlier is not None:
            self.new[earlier] = _absorb(self.new[earlier], contact)
            self.merged += 1
        else:
            match = self.index.match(position, item.line, contact, exact=False)
            if match is not None:
                self.likely.append(match)
            earlier = len(self.new)
            self.new.append(contact)
            self.uids.append(item.uid)
        for key in keys:
            self._new_by_key.setdefault(key, earlier)


def _write(
    ws: Workspace,
    new: Sequence[Contact],
    uids: Sequence[str],
    offset: int,
    total: int,
    progress: Progress | None,
    path: Path | str,
) -> None:
    for start in range(0, len(new), _CHUNK):
        store.insert_contacts(ws, new[start : start + _CHUNK], uids[start : start + _CHUNK])
        _tick(progress, offset + min(start + _CHUNK, len(new)), total, path)
    _tick(progress, total, total, path)
