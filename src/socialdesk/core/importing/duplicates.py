"""Duplicate detection against the contacts already in a workspace.

* **exact**: the imported contact has an e-mail address an existing contact has
  (ignoring case). The importer merges these.
* **likely**: no shared address, but name and organisation read nearly the same
  (``rapidfuzz.fuzz.token_sort_ratio`` ≥ :data:`LIKELY_SCORE` on a normalised
  "name organisation" key). These are only reported.

To stay fast with 100k existing contacts the fuzzy comparison is blocked: existing keys
are indexed by each of their words (and by their first four letters), and an imported
contact is compared (with ``process.extractOne`` and a score cut-off) only with the
contacts that share one of its two rarest words, at most a few thousand. A key that
scores 92 or more shares almost all its words, so this loses very little.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from socialdesk.core.importing.model import ParsedContact
from socialdesk.store import contact_import as store
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

LIKELY_SCORE = 92.0
_MAX_CANDIDATES = 3000


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """An imported contact that is (``exact``) or may be (``likely``) an existing one."""

    index: int  # position in the list given to find_duplicates
    line: int  # line of the file it came from (0 when not known)
    name: str
    existing_id: int
    existing_name: str
    kind: str  # "exact" | "likely"
    score: float


def name_key(name: str, organisation: str = "") -> str:
    """Normalised "name organisation": case, accents and punctuation do not count."""
    text = unicodedata.normalize("NFKD", f"{name} {organisation}".casefold())
    kept = [c if c.isalnum() else " " for c in text if not unicodedata.combining(c)]
    return " ".join("".join(kept).split())


def _blocks_of(key: str) -> set[str]:
    return {*key.split(), "^" + key[:4]}


class DuplicateIndex:
    """The workspace's e-mail addresses and name keys, loaded once per import."""

    def __init__(self, ws: Workspace) -> None:
        self.emails: dict[str, int] = {}
        for owner in store.email_owners(ws):
            self.emails.setdefault(owner.email.strip().casefold(), owner.contact_id)
        self.names: dict[int, str] = {}
        self.keys: list[str] = []
        self.ids: list[int] = []
        self.blocks: dict[str, list[int]] = defaultdict(list)
        for contact in store.name_keys(ws):
            key, contact_id = name_key(contact.name, contact.organisation), contact.id
            self.names[contact_id] = contact.name
            if not key:
                continue
            position = len(self.keys)
            self.keys.append(key)
            self.ids.append(contact_id)
            for block in _blocks_of(key):
                self.blocks[block].append(position)

    def exact(self, contact: Contact) -> int | None:
        """The id of an existing contact sharing an e-mail address with ``contact``."""
        for value in contact.values("email"):
            found = self.emails.get(value.strip().casefold())
            if found is not None:
                return found
        return None

    def likely(self, contact: Contact) -> tuple[int, float] | None:
        """The existing contact whose name and organisation nearly match, with the score."""
        if not self.keys:
            return None
        key = name_key(contact.name, contact.organisation)
        if not key:
            return None
        sizes = sorted((len(self.blocks.get(b, ())), b) for b in _blocks_of(key))
        positions: set[int] = set()
        used = 0
        for size, block in sizes:
            if not size:
                continue
            if used == 2 or len(positions) + size > _MAX_CANDIDATES:
                break
            positions.update(self.blocks[block])
            used += 1
        if not positions:
            return None
        ordered = sorted(positions)
        found = process.extractOne(
            key, [self.keys[p] for p in ordered], scorer=fuzz.token_sort_ratio,
            score_cutoff=LIKELY_SCORE,
        )
        if found is None:
            return None
        _, score, offset = found
        return self.ids[ordered[offset]], float(score)

    def match(self, index: int, line: int, contact: Contact) -> DuplicateMatch | None:
        """The exact, else likely, duplicate of ``contact``, or None."""
        found = self.exact(contact)
        if found is not None:
            return DuplicateMatch(
                index, line, contact.name, found, self.names.get(found, ""), "exact", 100.0
            )
        likely = self.likely(contact)
        if likely is None:
            return None
        existing, score = likely
        return DuplicateMatch(
            index, line, contact.name, existing, self.names[existing], "likely", score
        )


def find_duplicates(
    ws: Workspace, contacts: Sequence[Contact | ParsedContact]
) -> list[DuplicateMatch]:
    """Every contact of ``contacts`` that is, or likely is, already in the workspace."""
    index = DuplicateIndex(ws)
    matches = []
    for position, item in enumerate(contacts):
        line, contact = (item.line, item.contact) if isinstance(item, ParsedContact) else (0, item)
        found = index.match(position, line, contact)
        if found is not None:
            matches.append(found)
    return matches
