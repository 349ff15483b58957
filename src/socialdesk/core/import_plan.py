"""Write reviewed contacts: each likely duplicate merged, kept as a new contact, or skipped.

The import dialog parses a file (:func:`socialdesk.core.importing.parse_file`, or a
column mapping), looks for duplicates (:func:`~socialdesk.core.importing.find_duplicates`)
and lets the user decide per match; :func:`apply_plan` then writes everything in one
transaction through the importer's bulk writes (:mod:`socialdesk.store.contact_import`).
As in :func:`~socialdesk.core.importing.import_contacts`, a merge only adds: missing
addresses and tags, an organisation or notes where the existing contact has none.
Contacts of the same file that share an e-mail address become one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from socialdesk.core.importing import (
    DuplicateMatch,
    ImportCancelled,
    ParsedContact,
    Problem,
)
from socialdesk.core.settings import default_effort
from socialdesk.store import contact_import as store
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

MERGE, KEEP, SKIP = "merge", "keep", "skip"
DECISIONS = (MERGE, KEEP, SKIP)
Progress = Callable[[int, int], bool]
_CHUNK = 5000


def default_decision(match: DuplicateMatch) -> str:
    """Same e-mail address: merge. Only a similar name: keep both (the user decides)."""
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
    """What an import did."""

    imported: int
    merged: int
    skipped_rows: int
    skipped_duplicates: int
    problems: tuple[Problem, ...]

    def as_json(self) -> dict[str, object]:
        """The CLI's ``--json`` shape (duplicates skipped on purpose count as skipped)."""
        return {
            "imported": self.imported, "merged": self.merged,
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
        notes=into.notes or other.notes, details=details, tags=tuple(tags.values()),
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
        ))
    return merges


def _tick(progress: Progress | None, done: int, total: int, path: Path) -> None:
    if progress is not None and progress(done, total) is False:
        raise ImportCancelled(path)


def apply_plan(ws: Workspace, plan: ImportPlan, progress: Progress | None = None) -> ImportSummary:
    """Write ``plan`` into ``ws`` in one transaction; a cancel or error leaves ``ws`` as it was.

    ``progress(done, total)`` is called now and then; returning False cancels
    (:class:`~socialdesk.core.importing.ImportCancelled`).
    """
    by_index = {m.index: m for m in plan.matches}
    total = len(plan.contacts)
    _tick(progress, 0, total, plan.path)
    new: list[Contact] = []
    new_by_email: dict[str, int] = {}
    incoming: dict[int, Contact] = {}
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
            merged += 1
            continue
        emails = [e.casefold() for e in contact.values("email")]
        same = next((new_by_email[e] for e in emails if e in new_by_email), None)
        if same is not None and match is None:
            new[same] = _absorb(new[same], contact)
            merged += 1
            continue
        for email in emails:
            new_by_email.setdefault(email, len(new))
        new.append(contact)
    with ws.transaction(), store.roomy_cache(ws):
        store.apply_merges(ws, _merges(ws, incoming))
        for start in range(0, len(new), _CHUNK):
            store.insert_contacts(ws, new[start : start + _CHUNK])
            _tick(progress, total // 2 + (start + _CHUNK) * total // (2 * max(len(new), 1)),
                  total, plan.path)
        _tick(progress, total, total, plan.path)
    return ImportSummary(len(new), merged, plan.skipped_rows, skipped, plan.problems)


def plan_for(path: Path, contacts: Sequence[ParsedContact], matches: Sequence[DuplicateMatch],
             problems: Sequence[Problem] = (), skipped_rows: int = 0) -> ImportPlan:
    """A plan with every match at its default decision."""
    return ImportPlan(Path(path), tuple(contacts), tuple(matches),
                      {m.index: default_decision(m) for m in matches}, tuple(problems),
                      skipped_rows)
