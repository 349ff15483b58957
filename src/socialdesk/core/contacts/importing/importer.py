"""Parse a contacts file and write it into a workspace in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from socialdesk.core.contacts.importing import textio
from socialdesk.core.contacts.importing.csv_reader import read_csv, stream_csv
from socialdesk.core.contacts.importing.duplicates import (
    DuplicateIndex,
    DuplicateMatch,
    IdentityKey,
    identity_keys,
)
from socialdesk.core.contacts.importing.errors import ContactImportError, ImportCancelled
from socialdesk.core.contacts.importing.model import (
    FORMATS,
    ParsedContact,
    ParseResult,
    ParseStream,
    Problems,
)
from socialdesk.core.contacts.importing.textstream import TextSource
from socialdesk.core.contacts.importing.vcard import read_vcards, stream_vcards
from socialdesk.core.import_results import ImportSummary
from socialdesk.core.settings import default_effort
from socialdesk.store import contact_import as store
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

Progress = Callable[[int, int], bool]
_HEAD = 8192  # bytes that tell the format


@dataclass(frozen=True, slots=True)
class ImportReport(ImportSummary):
    """What a contact import did: new contacts, rows merged, rows skipped.

    ``merged`` counts rows that added something to a contact (an existing one, or an
    earlier row of the file); ``unchanged`` rows that were existing contacts with nothing
    to add (importing a file again gives only those). ``likely_duplicates`` (not in the
    JSON) lists rows that look like existing contacts.
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
    return stream_file(path, fmt).collect()


def stream_file(path: Path | str, fmt: str = "auto") -> ParseStream:
    """Start reading a contacts file in chunks; the file is never held whole.

    Raises :class:`ContactImportError` at once when the file cannot be opened or has no
    usable header, and from the chunks for a broken row.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown contact format {fmt!r}; expected one of {FORMATS}")
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as error:
        raise ContactImportError(
            path, None, f"cannot be read ({error.strerror or error})."
        ) from error
    if fmt == "auto":
        fmt = detect_format(head)
    if fmt == "vcard":
        return stream_vcards(lambda: Path(path).open("rb"), path)
    return stream_csv(TextSource(lambda: Path(path).open("rb"), path), fmt)


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
    rest are inserted, with the UID of their card or a new random one. The file is read
    and written a chunk at a time, so memory does not grow with its size. ``progress``
    is called with ``(bytes read, file size)`` now and then; returning False cancels the
    import (:class:`ImportCancelled`). On any error or cancel the workspace is unchanged.
    """
    stream = stream_file(path, fmt)
    _tick(progress, 0, stream.size, path)
    problems = Problems()
    skipped = 0
    with ws.transaction(), store.roomy_cache(ws), store.file_owners(ws):
        plan = _Plan(ws, DuplicateIndex(ws), default_effort(ws))
        try:
            for chunk in stream.chunks:
                plan.add_chunk(chunk.contacts)
                problems.extend(chunk.problems)
                skipped += chunk.skipped
                _tick(progress, chunk.done, stream.size, path)
        finally:
            plan.index.release()
        _tick(progress, stream.size, stream.size, path)
    return ImportReport(plan.imported, plan.merged + plan.existing_rows - plan.unchanged,
                        skipped, problems.listed(), unchanged=plan.unchanged,
                        likely_duplicates=tuple(plan.likely))


class _Plan:
    """Sorts each chunk of a file into new contacts and merges, and writes it.

    Keys of contacts written by earlier chunks are looked up in the store's
    :func:`~socialdesk.store.contact_import.file_owners` table, those of the chunk at
    hand in memory.
    """

    def __init__(self, ws: Workspace, index: DuplicateIndex, effort_minutes: int) -> None:
        self.ws = ws
        self.index = index
        self.effort_minutes = effort_minutes  # the workspace's default ask effort
        self.likely: list[DuplicateMatch] = []
        self.imported = 0
        self.merged = 0  # rows merged into an earlier row of the file
        self.existing_rows = 0  # rows merged into a contact the workspace had
        self.unchanged = 0  # of those, rows whose contact had everything already
        self.position = 0

    def add_chunk(self, items: Sequence[ParsedContact]) -> None:
        """Merge or insert one chunk of parsed contacts (inside the import's transaction)."""
        keyed = []
        for item in items:
            contact = item.in_workspace(self.effort_minutes)
            keyed.append((item, contact, identity_keys(contact, item.uid)))
        earlier = store.find_file_owners(self.ws, (k for *_, keys in keyed for k in keys))
        new: list[Contact] = []
        uids: list[str] = []
        new_keys: list[list[IdentityKey]] = []
        new_by_key: dict[IdentityKey, int] = {}
        existing: dict[int, list[Contact]] = {}
        written: dict[int, list[Contact]] = {}  # contacts of earlier chunks -> rows
        for item, contact, keys in keyed:
            position = self.position
            self.position += 1
            found = self.index.exact(contact, item.uid, keys)
            if found is not None:
                existing.setdefault(found, []).append(contact)
                continue
            same = next((k for k in keys if k in earlier or k in new_by_key), None)
            if same is not None and same in earlier:
                owner = earlier[same]
                written.setdefault(owner, []).append(contact)
                for key in keys:
                    earlier.setdefault(key, owner)
                self.merged += 1
                continue
            if same is not None:
                slot = new_by_key[same]
                new[slot] = _absorb(new[slot], contact)
                new_keys[slot] += keys
                self.merged += 1
            else:
                match = self.index.match(position, item.line, contact, exact=False)
                if match is not None:
                    self.likely.append(match)
                slot = len(new)
                new.append(contact)
                uids.append(item.uid)
                new_keys.append(list(keys))
            for key in keys:
                if key not in earlier:
                    new_by_key.setdefault(key, slot)
        merges = _merges(store.merge_targets(self.ws, [*existing, *written]),
                         existing | written)
        store.apply_merges(self.ws, merges)
        self.existing_rows += sum(map(len, existing.values()))
        self.unchanged += sum(len(existing[m.contact_id]) for m in merges
                              if m.empty and m.contact_id in existing)
        ids = store.insert_contacts(self.ws, new, uids)
        self.imported += len(ids)
        store.add_file_owners(self.ws, [
            *((kind, value, owner) for (kind, value), owner in earlier.items()),
            *((kind, value, i) for i, keys in zip(ids, new_keys, strict=True)
              for kind, value in keys),
        ])
