"""Duplicate detection against the contacts already in a workspace.

* **exact**: the imported contact is an existing one by the first of its
  :func:`identity_keys` that an existing contact has: the card's UID, else an e-mail
  address (ignoring case), else a profile web address (LinkedIn, GitHub, …: scheme,
  ``www.`` and a trailing slash do not count), else, for a contact without an e-mail
  address, a phone number (digits only, with ``00`` read as ``+``); failing all of
  them, an existing contact of the same name and organisation that already has every
  detail and tag it brings (importing the same file again). The importer merges these.
* **likely**: no shared address, but name and organisation read nearly the same
  (``rapidfuzz.fuzz.token_sort_ratio`` ≥ :data:`LIKELY_SCORE` on a normalised
  "name organisation" key). These are only reported.

To stay fast with 100k existing contacts the fuzzy comparison is blocked: existing keys
are indexed by each of their words (and by their first four letters), and an imported
contact is compared (with ``process.extract`` and a score cut-off, in C) only with the
contacts that share one of its two rarest words, at most a few thousand, and among
those only with keys of nearly its length (see :class:`_Block`). A key that scores 92 or
more shares almost all its words, so this loses very little.
"""

from __future__ import annotations

import bisect
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from socialdesk.core.contacts.importing.errors import ImportCancelled
from socialdesk.core.contacts.importing.model import ParsedContact
from socialdesk.core.sharded_dict import ShardedDict
from socialdesk.store import contact_import as store
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

LIKELY_SCORE = 92.0
_MAX_CANDIDATES = 3000
# Sites whose addresses name one person or organisation (a path on them is a profile).
PROFILE_SITES = (
    "linkedin.com", "xing.com", "github.com", "gitlab.com", "facebook.com", "twitter.com",
    "x.com", "instagram.com", "tiktok.com", "youtube.com", "threads.net", "bsky.app",
    "pinterest.com", "behance.net", "dribbble.com", "medium.com", "about.me",
)
_MIN_PHONE_DIGITS = 7
IdentityKey = tuple[str, str]


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
    via: str = ""  # what made an exact match: "uid", "email", "url", "phone" or "same"


class _KeyChars(dict[int, str]):
    """What :func:`name_key` makes of a character: itself, a space, or nothing (an accent).

    For ``str.translate``; the answers for the first code points are kept.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = "" if unicodedata.combining(char) else char if char.isalnum() else " "
        if code < 0x3400:
            self[code] = kept
        return kept


_KEY_CHARS = _KeyChars()


def name_key(name: str, organisation: str = "") -> str:
    """Normalised "name organisation": case, accents and punctuation do not count."""
    text = unicodedata.normalize("NFKD", f"{name} {organisation}".casefold())
    return " ".join(text.translate(_KEY_CHARS).split())


def profile_key(url: str) -> str | None:
    """``host/path`` of a profile address (``None`` for any other web address).

    A profile is a path on one of :data:`PROFILE_SITES`, or a ``/@name`` path anywhere
    (Mastodon, Medium …).
    """
    text = url.strip()
    try:
        parts = urlsplit(text if "//" in text else f"//{text}")
    except ValueError:
        return None
    host = (parts.hostname or "").casefold().removeprefix("www.").removeprefix("m.")
    path = parts.path.rstrip("/").casefold()
    if not host or not path:
        return None
    if path.startswith("/@") or any(host == s or host.endswith("." + s)
                                    for s in PROFILE_SITES):
        return f"{host}{path}"
    return None


def phone_key(number: str) -> str | None:
    """A phone number's digits (``00`` at the start read as ``+``), or ``None`` if too short."""
    text = number.strip()
    digits = "".join(filter(str.isdigit, text))
    if text.startswith("+") or digits.startswith("00"):
        digits = "+" + digits.removeprefix("00")
    return digits if len(digits.lstrip("+")) >= _MIN_PHONE_DIGITS else None


def identity_keys(contact: Contact, uid: str = "") -> list[IdentityKey]:
    """What makes ``contact`` the same as another, strongest first.

    Its UID, its e-mail addresses, its profile addresses, then its phone numbers, but
    only when it has no e-mail address: people sharing a phone (a household, an office)
    are told apart by their addresses.
    """
    keys: list[IdentityKey] = [("uid", uid)] if uid else []
    keys += [("email", e.strip().casefold()) for e in contact.values("email") if e.strip()]
    has_email = len(keys) > (1 if uid else 0)
    keys += [("url", k) for u in contact.values("url") if (k := profile_key(u))]
    if not has_email:
        keys += [("phone", k) for p in contact.values("phone") if (k := phone_key(p))]
    return keys


def _detail_key(kind: str, value: str) -> IdentityKey | None:
    if kind == "email":
        return ("email", value.strip().casefold()) if value.strip() else None
    found = profile_key(value) if kind == "url" else phone_key(value)
    return (kind, found) if found else None


SORT_IN_NUMPY_ABOVE = 1_000  # keys in a block; larger blocks are ordered and kept by numpy


class _Block:
    """The keys that share one word (or first letters), by length then id.

    Keys are stored with their words sorted (``fuzz.ratio`` on those is
    ``token_sort_ratio``). A key scores :data:`LIKELY_SCORE` only against keys of nearly
    its length (the ratio is at most ``2 * shorter / (both lengths)``), so only those are
    compared.
    """

    __slots__ = ("ids", "keys", "lengths")

    def __init__(self, entries: list[tuple[int, int, str]]) -> None:
        self.lengths: list[int] | NDArray[np.int64]
        self.ids: list[int] | NDArray[np.int64]
        self.keys: list[str] | NDArray[np.object_]
        if len(entries) > SORT_IN_NUMPY_ABOVE:
            # list.sort holds the interpreter lock throughout: sorting the 100,000s of
            # keys sharing a common word would keep the GUI thread waiting that long.
            # Kept in numpy arrays too: the garbage collector walks every item of a new
            # list at each young collection (the last blocks made on a million contacts:
            # most of a second at a time, the GUI thread waiting), never an array's.
            import numpy as np

            count = len(entries)
            lengths = np.fromiter((e[0] for e in entries), np.int64, count)
            ids = np.fromiter((e[1] for e in entries), np.int64, count)
            keys = np.fromiter((e[2] for e in entries), object, count)
            order = np.lexsort((ids, lengths))
            self.lengths, self.ids, self.keys = lengths[order], ids[order], keys[order]
            return
        entries.sort()
        self.lengths = [length for length, _, _ in entries]
        self.ids = [contact_id for _, contact_id, _ in entries]
        self.keys = [key for _, _, key in entries]

    def matches(self, query: str) -> list[tuple[float, int]]:
        """(score, id) of the keys that score at least :data:`LIKELY_SCORE` against ``query``."""
        share = LIKELY_SCORE / 100
        low = bisect.bisect_left(self.lengths, math.floor(len(query) * share / (2 - share)))
        high = bisect.bisect_right(self.lengths, math.ceil(len(query) * (2 - share) / share))
        found = process.extract(query, self.keys[low:high], scorer=fuzz.ratio,
                                score_cutoff=LIKELY_SCORE, limit=None)
        return [(float(score), int(self.ids[low + offset])) for _, score, offset in found]


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _blocks_of(key: str) -> set[str]:
    return {*key.split(), "^" + key[:4]}


class DuplicateIndex:
    """The workspace's identity keys and name keys, loaded once per import.

    Its tables are :class:`~socialdesk.core.sharded_dict.ShardedDict`: on a million
    contacts they hold millions of keys, and a plain dict that large grows (or is freed)
    in one C call that keeps the GUI thread waiting for the interpreter lock.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.owners: ShardedDict[IdentityKey, int] = ShardedDict()
        shard = self.owners.shard
        for contact_id, uid in store.uid_owners(ws):
            uid_key = ("uid", uid)
            shard(uid_key)[uid_key] = contact_id
        for contact_id, kind, value in store.detail_owners(ws):
            identity = _detail_key(kind, value)
            if identity is not None:
                shard(identity).setdefault(identity, contact_id)
        self.names: ShardedDict[int, str] = ShardedDict()
        self.same_name: ShardedDict[str, int] = ShardedDict()
        blocks: ShardedDict[str, list[tuple[int, int, str]]] = ShardedDict()
        name_shard, same_shard, block_shard = (
            self.names.shard, self.same_name.shard, blocks.shard)
        for contact_id, name, organisation in store.name_keys(ws):
            key = name_key(name, organisation)
            name_shard(contact_id)[contact_id] = name
            if not key:
                continue
            same_shard(key).setdefault(key, contact_id)
            sorted_key = _sorted_words(key)
            entry = (len(sorted_key), contact_id, sorted_key)
            for block in _blocks_of(key):
                block_shard(block).setdefault(block, []).append(entry)
        self.blocks: ShardedDict[str, _Block] = ShardedDict()
        for name, entries in blocks.drain():  # each block's entries freed once indexed
            self.blocks[name] = _Block(entries)

    def release(self) -> None:
        """Free the index a shard at a time.

        Dropping it whole frees millions of keys in one go, holding the interpreter
        lock for most of a second on a million contacts (the GUI thread waits that long).
        """
        for table in (self.owners, self.names, self.same_name, self.blocks):
            table.clear()

    def exact(
        self, contact: Contact, uid: str = "", keys: Sequence[IdentityKey] | None = None
    ) -> int | None:
        """The id of the existing contact that ``contact`` is (see :func:`identity_keys`).

        ``keys`` are ``contact``'s identity keys when the caller has them already.
        """
        found = self._exact(contact, identity_keys(contact, uid) if keys is None else keys)
        return None if found is None else found[0]

    def _exact(self, contact: Contact, keys: Sequence[IdentityKey]) -> tuple[int, str] | None:
        """The existing contact that ``contact`` is, and what told (``DuplicateMatch.via``)."""
        for key in keys:
            found = self.owners.get(key)
            if found is not None:
                return found, key[0]
        same = self.identical(contact)
        return None if same is None else (same, "same")

    def identical(self, contact: Contact) -> int | None:
        """The existing contact that ``contact`` adds nothing to, if there is one.

        It has the same name and organisation, and every detail and tag of ``contact``.
        """
        found = self.same_name.get(name_key(contact.name, contact.organisation))
        if found is None:
            return None
        target = store.merge_targets(self.ws, [found]).get(found)
        if target is None:
            return None
        details = {(d.kind, d.value.casefold()) for d in contact.details}
        tags = {t.casefold() for t in contact.tags}
        if details <= target.details and tags <= target.tags:
            return found
        return None

    def likely(self, contact: Contact) -> tuple[int, float] | None:
        """The existing contact whose name and organisation nearly match, with the score.

        The best score wins, the lowest id among equals.
        """
        key = name_key(contact.name, contact.organisation)
        if not key:
            return None
        sizes = sorted((len(self.blocks[b].ids) if b in self.blocks else 0, b)
                       for b in _blocks_of(key))
        query = _sorted_words(key)
        best: tuple[float, int] | None = None
        used = total = 0
        for size, block in sizes:
            if not size:
                continue
            if used == 2 or total + size > _MAX_CANDIDATES:
                break
            used += 1
            total += size
            for score, found_id in self.blocks[block].matches(query):
                if best is None or (score, -found_id) > (best[0], -best[1]):
                    best = (score, found_id)
        return None if best is None else (best[1], best[0])

    def match(
        self, index: int, line: int, contact: Contact, uid: str = "", *, exact: bool = True
    ) -> DuplicateMatch | None:
        """The exact, else likely, duplicate of ``contact``, or None.

        ``exact=False`` skips the exact match (the caller looked for it already).
        """
        found = self._exact(contact, identity_keys(contact, uid)) if exact else None
        if found is not None:
            existing, via = found
            return DuplicateMatch(index, line, contact.name, existing,
                                  self.names.get(existing, ""), "exact", 100.0, via)
        likely = self.likely(contact)
        if likely is None:
            return None
        existing, score = likely
        return DuplicateMatch(
            index, line, contact.name, existing, self.names[existing], "likely", score
        )


def find_duplicates(
    ws: Workspace,
    contacts: Sequence[Contact | ParsedContact],
    *,
    progress: Callable[[int, int], bool] | None = None,
) -> list[DuplicateMatch]:
    """Every contact of ``contacts`` that is, or likely is, already in the workspace.

    ``progress(done, total)`` is called now and then; returning False cancels
    (:class:`~socialdesk.core.contacts.importing.ImportCancelled`).
    """
    index = DuplicateIndex(ws)
    matches = []
    total = len(contacts)
    try:
        for position, item in enumerate(contacts):
            if (progress is not None and position % 1000 == 0
                    and progress(position, total) is False):
                raise ImportCancelled("the duplicate search")
            parsed = item if isinstance(item, ParsedContact) else ParsedContact(0, item)
            found = index.match(position, parsed.line, parsed.contact, parsed.uid)
            if found is not None:
                matches.append(found)
    finally:
        index.release()
    return matches
