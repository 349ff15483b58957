"""Write reviewed contacts: each likely duplicate merged, kept as a new contact, or skipped.

The import dialog parses a file (:func:`socialdesk.core.contacts.importing.parse_file`, or a
column mapping), looks for duplicates (:func:`~socialdesk.core.contacts.importing.find_duplicates`)
and lets the user decide per match; :func:`apply_plan` then writes everything in one
transaction through the importer's bulk writes (:mod:`socialdesk.store.contact_import`).
As in :func:`~socialdesk.core.contacts.importing.import_contacts`, a merge only adds: missing
addresses and tags, an organisation, notes or structured name where the existing contact
has none. Contacts of the same file that are one by their UID, an e-mail address, a
profile address or a phone number become one.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from socialdesk.core.contacts.importing import (
    DuplicateMatch,
    ImportCancelled,
    ParsedContact,
    Problem,
)
from socialdesk.core.contacts.importing.duplicates import IdentityKey, identity_keys
from socialdesk.core.settings import default_effort
from socialdesk.store import contact_import as store
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

MERGE, KEEP, SKIP = "merge", "keep", "skip"
DECISIONS = (MERGE, KEEP, SKIP)
Progress = Callable[[int, int], bool]
_CHUNK = 5000


def default_decision(match: DuplicateMatch) -> str:
    """The same contact (UID, e-mail, profile, phone): merge. A similar name: keep both."""
    return MERGE if match.kind == "exact" else KEEP


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What to write: the parsed contacts, and a decision per duplicate (by position)."""

    path: Path
    contacts: Sequence[ParsedContact]  # a tuple, or a file's contacts kept on disk
    matches: tuple[DuplicateMatch, ...] = ()
    decisions: Mapping[int, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    skipped_rows: int = 0

    def decision(self, match: DuplicateMatch) -> str:
        """The decision for one match (its default when the user made none)."""
        return self.decisions.get(match.index, default_decision(match))


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did (``unchanged``: rows already there, with nothing to add)."""

    imported: int
    merged: int
    skipped_rows: int
    skipped_duplicates: int
    problems: tuple[Problem, ...]
    unchanged: int = 0

    def as_json(self) -> dict[str, object]:
        """The CLI's ``--json`` shape (duplicates skipped on purpose count as skipped)."""
        return {
            "imported": self.imported, "merged": self.merged, "unchanged": self.unchanged,
            "skipped": self.skipped_rows + self.skipped_duplicates,
            "problems": [p.as_dict() for p in self.problems],
        }


def _absorb(into: Contact, other: Contact) -> Contact:
    have = {(d.kind, d.value.casefold()) for d in into.details}
    details = into.details + tuple(
        d for d in other.details if (d.kind, d.value.casefold()) not in have)
    tags = {t.casefold(): t for t in other.tags} | {t.casefold(): t for t in into.tags}
    return dataclasses.replace(
        into, organisation=into.organisation or other.organisation,
        org_units=into.org_units if into.organisation else other.org_units,
        notes=into.notes or other.notes, details=details, tags=tuple(tags.values()),
        structured_name=into.structured_name or other.structured_name,
    )


def _merges(ws: Workspace, incoming: dict[int, Contact]) -> list[store.Merge]:
    """What to add to each existing contact; nothing the user typed is overwritten."""
    targets = store.merge_targets(ws, incoming)
    merges = []
    for contact_id, contact in incoming.items():
        target = targets.get(contact_id)
        if target is None:
            continue
        details, positions = [], []
        for detail in contact.details:
            if (detail.kind, detail.value.casefold()) in target.details:
                continue
            target.details.add((detail.kind, detail.value.casefold()))
            position = target.positions.get(detail.kind, 0)
            target.positions[detail.kind] = position + 1
            details.append(detail)
            positions.append(position)
        tags = tuple(t for t in contact.tags if t.casefold() not in target.tags)
        merges.append(store.Merge(
            contact_id, tuple(details), tuple(positions), tags,
            contact.organisation if not target.organisation else "",
            contact.notes if not target.notes else "",
            contact.structured_name if not target.structured_name else "",
            contact.org_units if not target.organisation else "",
        ))
    return merges


def _tick(progress: Progress | None, done: int, total: int, path: Path) -> None:
    if progress is not None and progress(done, total) is False:
        raise ImportCancelled(path)


def apply_plan(ws: Workspace, plan: ImportPlan, progress: Progress | None = None) -> ImportSummary:
    """Write ``plan`` into ``ws`` in one transaction; a cancel or error leaves ``ws`` as it was.

    The contacts are written :data:`_CHUNK` at a time (those of a file read for review
    are read back from disk as they are written), so memory does not grow with the file.
    ``progress(done, total)`` is called now and then; returning False cancels
    (:class:`~socialdesk.core.contacts.importing.ImportCancelled`).
    """
    total = len(plan.contacts)
    _tick(progress, 0, total, plan.path)
    writer = _Writer(ws, plan)
    with ws.transaction(), store.roomy_cache(ws), store.file_owners(ws):
        chunk: list[ParsedContact] = []
        for item in plan.contacts:
            chunk.append(item)
            if len(chunk) == _CHUNK:
                writer.add_chunk(chunk)
                chunk = []
                _tick(progress, writer.position, total, plan.path)
        writer.add_chunk(chunk)
        _tick(progress, total, total, plan.path)
    return ImportSummary(writer.imported, writer.merged + writer.existing_rows - writer.unchanged,
                         plan.skipped_rows, writer.skipped, plan.problems, writer.unchanged)


class _Writer:
    """Writes a plan one chunk at a time, remembering who is who across chunks.

    Identity keys of contacts written by earlier chunks are in the store's
    :func:`~socialdesk.store.contact_import.file_owners` table.
    """

    def __init__(self, ws: Workspace, plan: ImportPlan) -> None:
        self.ws = ws
        self.plan = plan
        self.by_index = {m.index: m for m in plan.matches}
        self.effort = default_effort(ws)
        self.position = self.imported = self.merged = self.skipped = 0
        self.existing_rows = self.unchanged = 0

    def add_chunk(self, items: Sequence[ParsedContact]) -> None:
        """Sort one chunk into merges and new contacts, and write it."""
        decided: list[tuple[ParsedContact, Contact, DuplicateMatch | None,
                            list[IdentityKey] | None]] = []
        for item in items:
            match = self.by_index.get(self.position)
            self.position += 1
            decision = self.plan.decision(match) if match is not None else KEEP
            if decision == SKIP:
                self.skipped += 1
                continue
            contact = item.in_workspace(self.effort)
            if decision == MERGE and match is not None:
                decided.append((item, contact, match, None))
            else:
                decided.append((item, contact, match, identity_keys(contact, item.uid)))
        earlier = store.find_file_owners(
            self.ws, (k for *_, keys in decided if keys is not None for k in keys))
        new: list[Contact] = []
        uids: list[str] = []
        new_keys: list[list[IdentityKey]] = []
        new_by_key: dict[IdentityKey, int] = {}
        incoming: dict[int, Contact] = {}
        rows_into: Counter[int] = Counter()  # existing id -> rows merged into it
        for item, contact, match, keys in decided:
            if keys is None:
                assert match is not None
                earlier_row = incoming.get(match.existing_id)
                incoming[match.existing_id] = (_absorb(earlier_row, contact) if earlier_row
                                               else contact)
                rows_into[match.existing_id] += 1
                continue
            same = next((k for k in keys if k in earlier or k in new_by_key), None)
            if same is not None and match is None:
                if same in earlier:
                    owner = earlier[same]
                    written = incoming.get(owner)
                    incoming[owner] = _absorb(written, contact) if written else contact
                    for key in keys:
                        earlier.setdefault(key, owner)
                else:
                    slot = new_by_key[same]
                    new[slot] = _absorb(new[slot], contact)
                    new_keys[slot] += keys
                self.merged += 1
                continue
            uid_key = ("uid", item.uid)
            # A UID already taken (kept beside the contact that has it) makes way for a new one.
            taken = ((match is not None and match.kind == "exact") or uid_key in earlier
                     or uid_key in new_by_key)
            slot = len(new)
            for key in keys:
                if key not in earlier:
                    new_by_key.setdefault(key, slot)
            new.append(contact)
            uids.append("" if taken else item.uid)
            new_keys.append(list(keys))
        merges = _merges(self.ws, incoming)
        store.apply_merges(self.ws, merges)
        unchanged = sum(rows_into[m.contact_id] for m in merges if m.empty)
        self.existing_rows += sum(rows_into.values())
        self.unchanged += unchanged
        ids = store.insert_contacts(self.ws, new, uids)
        self.imported += len(ids)
        store.add_file_owners(self.ws, [
            *((kind, value, owner) for (kind, value), owner in earlier.items()),
            *((kind, value, i) for i, keys in zip(ids, new_keys, strict=True)
              for kind, value in keys),
        ])


def plan_for(path: Path, contacts: Sequence[ParsedContact], matches: Sequence[DuplicateMatch],
             problems: Sequence[Problem] = (), skipped_rows: int = 0) -> ImportPlan:
    """A plan with every match at its default decision."""
    return ImportPlan(Path(path), contacts, tuple(matches),
                      {m.index: default_decision(m) for m in matches}, tuple(problems),
                      skipped_rows)
