"""The SQL side of the contact importer: what is already there, and bulk writes.

The reads feed duplicate detection (one pass over the table each, fine for 100k
contacts). The writes run inside the caller's ``ws.transaction()`` and refuse to run
outside one, so an import is all or nothing. New contacts are numbered from
:func:`~socialdesk.store.bulk.next_id` so that their details and tags can be written
with ``executemany`` without reading back ``lastrowid`` row by row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from socialdesk.store.bulk import defer_foreign_keys, next_id
from socialdesk.store.columns import from_row, select_list
from socialdesk.store.contacts import EDITABLE_COLUMNS, editable_values, new_uid
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


@dataclass(slots=True)
class MergeTarget:
    """What an existing contact already has, so an import only adds what is missing."""

    id: int
    organisation: str
    notes: str
    structured_name: str
    details: set[tuple[str, str]] = field(default_factory=set)  # (kind, casefolded value)
    tags: set[str] = field(default_factory=set)  # casefolded
    positions: dict[str, int] = field(default_factory=dict)  # next position per kind


_TARGET_COLUMNS = ("id", "organisation", "notes", "structured_name")  # MergeTarget from its row


@dataclass(frozen=True, slots=True)
class Merge:
    """Additions to one existing contact; empty fields are filled, never replaced."""

    contact_id: int
    details: tuple[Detail, ...] = ()
    positions: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    organisation: str = ""
    notes: str = ""
    structured_name: str = ""
    org_units: str = ""  # go with the organisation they belong to

    @property
    def empty(self) -> bool:
        """True when the merge adds nothing: the contact already had all of it."""
        return not (self.details or self.tags or self.organisation or self.notes
                    or self.structured_name)


class DetailOwner(NamedTuple):
    """An e-mail address, phone number or web address and its contact.

    The value is as stored: callers normalise it (SQLite's ``lower()`` only folds ASCII).
    """

    contact_id: int
    kind: str
    value: str


class UidOwner(NamedTuple):
    """A contact's UID."""

    contact_id: int
    uid: str


class NameKey(NamedTuple):
    """What duplicate detection compares of a contact."""

    id: int
    name: str
    organisation: str


def _plain(ws: Workspace) -> sqlite3.Cursor:
    """A cursor giving plain tuples: a million rows read by name cost seconds of Python."""
    cursor = ws.conn.cursor()
    cursor.row_factory = None
    return cursor


def detail_owners(ws: Workspace) -> Iterator[DetailOwner]:
    """Every detail, lowest contact id first."""
    return map(DetailOwner._make, _plain(ws).execute(
        "SELECT contact_id, kind, value FROM contact_details ORDER BY contact_id, position, id"))


def uid_owners(ws: Workspace) -> Iterator[UidOwner]:
    """The UID of every contact that has one."""
    return map(UidOwner._make, _plain(ws).execute(
        "SELECT id, uid FROM contacts WHERE uid IS NOT NULL"))


def name_keys(ws: Workspace) -> Iterator[NameKey]:
    """The name and organisation of every contact."""
    return map(NameKey._make, _plain(ws).execute(
        "SELECT id, name, organisation FROM contacts ORDER BY id"))


def merge_targets(ws: Workspace, ids: Iterable[int]) -> dict[int, MergeTarget]:
    """The existing contacts ``ids`` with their details and tags, keyed by id."""
    wanted = sorted(set(ids))
    targets: dict[int, MergeTarget] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in ws.conn.execute(
            f"SELECT {select_list(_TARGET_COLUMNS)} FROM contacts WHERE id IN ({marks})", chunk
        ):
            targets[row["id"]] = from_row(MergeTarget, row, _TARGET_COLUMNS)
        for row in ws.conn.execute(
            f"SELECT contact_id, kind, value, position FROM contact_details "
            f"WHERE contact_id IN ({marks})",
            chunk,
        ):
            target, kind = targets[row["contact_id"]], row["kind"]
            target.details.add((kind, row["value"].casefold()))
            target.positions[kind] = max(target.positions.get(kind, 0), row["position"] + 1)
        for row in ws.conn.execute(
            f"SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
            f"WHERE ct.contact_id IN ({marks})",
            chunk,
        ):
            targets[row["contact_id"]].tags.add(row["name"].casefold())
    return targets


def _require_transaction(ws: Workspace) -> None:
    if not ws.conn.in_transaction:
        raise RuntimeError("import writes must run inside ws.transaction()")


def _tag_ids(ws: Workspace, names: Iterable[str]) -> dict[str, int]:
    """Make sure every tag exists; map casefolded name → id."""
    wanted = {name.casefold(): name for name in names}
    if not wanted:
        return {}
    ws.conn.executemany(
        "INSERT INTO tags (name) VALUES (?) ON CONFLICT DO NOTHING",
        [(name,) for name in wanted.values()],
    )
    ids: dict[str, int] = {}
    for row in ws.conn.execute("SELECT id, name FROM tags"):
        if (folded := row["name"].casefold()) in wanted:
            ids[folded] = row["id"]
    return ids


def insert_contacts(
    ws: Workspace, contacts: Sequence[Contact], uids: Sequence[str] = ()
) -> list[int]:
    """Insert new contacts (their ``id`` is ignored) with details and tags; return the ids.

    ``uids`` are the contacts' UIDs from the file, in the same order ('' or missing: a
    new random one); a UID must not be taken already.

    The full-text triggers would rewrite a contact's search row once per e-mail address
    and once per tag. So the details and tags are written first, with foreign keys
    checked at commit (their triggers find no search row yet and do nothing), then the
    contacts, whose insert trigger indexes each one once with its e-mails and tags.
    """
    _require_transaction(ws)
    if not contacts:
        return []
    first = next_id(ws, "contacts")
    ids = range(first, first + len(contacts))
    pairs = list(zip(ids, contacts, strict=True))
    defer_foreign_keys(ws)
    ws.conn.executemany(
        "INSERT INTO contact_details (contact_id, kind, value, label, position) "
        "VALUES (?, ?, ?, ?, ?)",
        [(i, d.kind, d.value, d.label, pos) for i, c in pairs for pos, d in enumerate(c.details)],
    )
    tag_ids = _tag_ids(ws, (t for c in contacts for t in c.tags))
    ws.conn.executemany(
        "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)",
        [(i, tag_ids[t.casefold()]) for i, c in pairs for t in c.tags],
    )
    given = list(uids) + [""] * (len(contacts) - len(uids))
    marks = ", ".join("?" * (2 + len(EDITABLE_COLUMNS)))
    ws.conn.executemany(
        f"INSERT INTO contacts (id, uid, {select_list(EDITABLE_COLUMNS)}) VALUES ({marks})",
        [(i, uid or new_uid(), *editable_values(c))
         for (i, c), uid in zip(pairs, given, strict=True)],
    )
    return list(ids)


@contextmanager
def roomy_cache(ws: Workspace, mebibytes: int = 64) -> Iterator[None]:
    """Give SQLite a bigger page cache for a bulk write, then restore the old size."""
    old = ws.conn.execute("PRAGMA cache_size").fetchone()[0]
    ws.conn.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:
        ws.conn.execute(f"PRAGMA cache_size = {int(old)}")


def apply_merges(ws: Workspace, merges: Sequence[Merge]) -> None:
    """Add details and tags to existing contacts; fill empty organisation (and units), notes, N."""
    _require_transaction(ws)
    ws.conn.executemany(
        "INSERT INTO contact_details (contact_id, kind, value, label, position) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (m.contact_id, d.kind, d.value, d.label, position)
            for m in merges
            for d, position in zip(m.details, m.positions, strict=True)
        ],
    )
    tag_ids = _tag_ids(ws, (t for m in merges for t in m.tags))
    ws.conn.executemany(
        "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)",
        [(m.contact_id, tag_ids[t.casefold()]) for m in merges for t in m.tags],
    )
    ws.conn.executemany(
        f"UPDATE contacts SET organisation = ?, org_units = ?, updated_at = {_NOW} "
        "WHERE id = ? AND organisation = ''",
        [(m.organisation, m.org_units, m.contact_id) for m in merges if m.organisation],
    )
    ws.conn.executemany(
        f"UPDATE contacts SET notes = ?, updated_at = {_NOW} WHERE id = ? AND notes = ''",
        [(m.notes, m.contact_id) for m in merges if m.notes],
    )
    ws.conn.executemany(
        f"UPDATE contacts SET structured_name = ?, updated_at = {_NOW} "
        "WHERE id = ? AND structured_name = ''",
        [(m.structured_name, m.contact_id) for m in merges if m.structured_name],
    )
    ws.conn.executemany(
        f"UPDATE contacts SET updated_at = {_NOW} WHERE id = ?",
        [(m.contact_id,) for m in merges if m.details or m.tags],
    )


@contextmanager
def file_owners(ws: Workspace) -> Iterator[None]:
    """A temporary table of the identity keys of contacts written by the running import.

    It lives in the connection's temp schema for one import (inside its transaction), so
    an import remembers who is who in a file of any size without holding it in memory.
    A key ``(kind, value)`` is stored as ``kind:value`` (kinds have no colon), one
    indexed column that ``IN (…)`` looks up by its index.
    """
    _require_transaction(ws)
    ws.conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_owners "
                    "(key TEXT PRIMARY KEY, contact_id INTEGER NOT NULL) WITHOUT ROWID")
    ws.conn.execute("DELETE FROM temp.import_owners")
    try:
        yield
    finally:
        ws.conn.execute("DROP TABLE IF EXISTS temp.import_owners")


def find_file_owners(
    ws: Workspace, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """The contacts of :func:`file_owners` that have any of ``keys`` (kind, value)."""
    wanted = sorted({f"{kind}:{value}" for kind, value in keys})
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in ws.conn.execute(
            f"SELECT key, contact_id FROM temp.import_owners WHERE key IN ({marks})", chunk
        ):
            kind, _, value = row["key"].partition(":")
            found[(kind, value)] = row["contact_id"]
    return found


def add_file_owners(ws: Workspace, owners: Iterable[tuple[str, str, int]]) -> None:
    """Remember ``(kind, value, contact_id)`` in :func:`file_owners` (a known key stays)."""
    ws.conn.executemany(
        "INSERT OR IGNORE INTO temp.import_owners (key, contact_id) VALUES (?, ?)",
        ((f"{kind}:{value}", contact_id) for kind, value, contact_id in owners))


def count_all(ws: Workspace) -> dict[str, int]:
    """Row counts of the tables an import writes (for checks that nothing changed)."""
    return {
        table: ws.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("contacts", "contact_details", "tags", "contact_tags")
    }
