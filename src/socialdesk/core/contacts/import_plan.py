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
    contacts: tuple[ParsedContact, ...]
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

    ``progress(done, total)`` is called now and then; returning False cancels
    (:class:`~socialdesk.core.contacts.importing.ImportCancelled`).
    """
    by_index = {m.index: m for m in plan.matches}
    total = len(plan.contacts)
    _tick(progress, 0, total, plan.path)
    new: list[Contact] = []
    uids: list[str] = []
    used_uids: set[str] = set()
    new_by_key: dict[IdentityKey, int] = {}
    incoming: dict[int, Contact] = {}
    rows_into: Counter[int] = Counter()  # existing id -> rows merged into it
    merged = skipped = 0
    effort = default_effort(ws)
    for position, item in enumerate(plan.contacts):
        if position % 1000 == 999:
            _tick(progress, position // 2, total, plan.path)
        contact = item.in_workspace(effort)
        match = by_index.get(position)
        decision = plan.decision(match) if match is not None else KEEP
        if decision == SKIP:
            skipped += 1
            continue
        if decision == MERGE and match is not None:
            earlier = incoming.get(match.existing_id)
            incoming[match.existing_id] = _absorb(earlier, contact) if earlier else contact
            rows_into[match.existing_id] += 1
            continue
        keys = identity_keys(contact, item.uid)
        same = next((new_by_key[k] for k in keys if k in new_by_key), None)
        if same is not None and match is None:
            new[same] = _absorb(new[same], contact)
            merged += 1
            continue
        for key in keys:
            new_by_key.setdefault(key, len(new))
        new.append(contact)
        # A UID already taken (kept beside the contact that has it) makes way for a new one.
        taken = (match is not None and match.kind == "exact") or item.uid in used_uids
        uids.append("" if taken else item.uid)
        used_uids.add(item.uid)
    with ws.transaction(), store.roomy_cache(ws):
        merges = _merges(ws, incoming)
        store.apply_merges(ws, merges)
        for start in range(0, len(new), _CHUNK):
            store.insert_contacts(ws, new[start : start + _CHUNK], uids[start : start + _CHUNK])
            _tick(progress, total // 2 + (start + _CHUNK) * total // (2 * max(len(new), 1)),
                  total, plan.path)
        _tick(progress, total, total, plan.path)
    unchanged = sum(rows_into[m.contact_id] for m in merges if m.empty)
    merged += sum(rows_into.values()) - unchanged
    return ImportSummary(len(new), merged, plan.skipped_rows, skipped, plan.problems, unchanged)


def plan_for(path: Path, contacts: Sequence[ParsedContact], matches: Sequence[DuplicateMatch],
             problems: Sequence[Problem] = (), skipped_rows: int = 0) -> ImportPlan:
    """A plan with every match at its default decision."""
    return ImportPlan(Path(path), tuple(contacts), tuple(matches),
                      {m.index: default_decision(m) for m in matches}, tuple(problems),
                      skipped_rows)
