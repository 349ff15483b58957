"""The server's items that cannot be stored yet: kept aside, tried again at every sync.

An ask whose partner's card has not arrived (or never will: a contact whose UID cannot
travel, a card the workspace refuses), or whose partner is already asked about the same
post by another ask, cannot be stored (:class:`~socialdesk.core.sync.kind.ItemDeferred`).
The engine tries it again after every other change of the sync; one that still cannot be
stored is kept in ``sync_waiting`` (its href, ETag and record as read, and why) and the
collection's sync token advances as usual, so one such item never holds back the rest.

At every later sync each waiting item is tried again from the table, unless the server
has a newer version (read instead) or deleted it (dropped: the team deleted it). It is
never dropped silently nor doubled: it leaves the table only once stored (then it is a
synced item like any other) or deleted on the server, and ``socialdesk sync`` and
``socialdesk sync status`` list what waits and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from socialdesk.core.sync.kind import Kind, Record
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

Deferred = tuple[Kind, str, str, str, Record, str]  # kind, uid, href, etag, record, why


class Parking:
    """The waiting items as one pull sees them: read once, kept again at its end."""

    def __init__(self, ws: Workspace, kinds: Sequence[Kind]) -> None:
        self.kinds = {kind.name: kind for kind in kinds}
        self.items = {href: w for href, w in state.waiting(ws).items() if w.kind in self.kinds}
        self.seen: set[str] = set()  # read again from the server, or deleted there

    def etags_under(self, url: str) -> dict[str, str]:
        """The waiting items of the collection at ``url``, with their ETags (for a listing)."""
        return {href: w.etag for href, w in self.items.items() if href.startswith(url)}

    def read_again(self, href: str, etag: str) -> bool:
        """Whether the server's ``href`` must be read: False when it waits as this version."""
        waiting = self.items.get(href)
        if waiting is not None and etag and waiting.etag == etag:
            return False
        self.seen.add(href)
        return True

    def gone(self, href: str) -> None:
        """The server deleted ``href``: if it waited, it waits no more."""
        self.seen.add(href)

    def retries(self) -> list[Deferred]:
        """The waiting items to try again, as read (those not read again nor deleted)."""
        return [(self.kinds[w.kind], w.uid, w.href, w.etag, w.record, w.reason)
                for href, w in self.items.items() if href not in self.seen]

    def keep(self, ws: Workspace, deferred: Sequence[Deferred]) -> list[str]:
        """Keep ``deferred`` as the waiting items; return a line for each, saying why."""
        if not deferred and not self.items:
            return []  # nothing waited, nothing waits: no write
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        items = {href: state.Waiting(href, kind.name, uid, etag, record, why)
                 for kind, uid, href, etag, record, why in deferred}
        state.set_waiting(ws, list(self.kinds), list(items.values()), now)
        return waiting_lines(ws)


def waiting_lines(ws: Workspace) -> list[str]:
    """What waits to be stored and why, one line each, oldest first."""
    return [f"{w.kind} {w.uid} waits since {w.since}: {w.reason}"
            for w in state.waiting(ws).values()]
