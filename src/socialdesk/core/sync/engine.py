"""One sync of the workspace with its CalDAV/CardDAV server: pull, merge, push.

For each collection the engine asks what changed on the server since the last complete
pull (sync-collection, RFC 6578; without it, or when the server forgot the token, an ETag
listing compared with the ETags kept per item), reads those items and hands each to its
kind in :data:`~socialdesk.core.sync.kind.KIND_ORDER`. Then it pushes what changed
locally, found by comparing each kind's ``records(ws)`` with the last synced record —
never by timestamps, so an edit by any program that writes the workspace travels too.

Both sides changed an item: a three-way merge per field against the last synced record
(``merge.py``, which also keeps, lists and decides the conflicts it makes). A link between
two contacts is decided by one of their cards (``link_authority.py``): the other card's
copy is written from it and never merged. Nothing is
dropped silently: a deletion on the server that would take along an item here not synced
as it is (a contact deleted there, an ask for it made here) is a conflict too.

Writes are conditional (``If-None-Match: *`` for a new item, ``If-Match`` otherwise); a
412 means the server's item changed since it was read: the engine reads it again, merges,
and tries again (``pushing.py``). Every item's state is saved in its own
transaction, right after the server confirmed it, and a collection's sync token only after
all its changes were taken in: a sync killed at any point (kill -9, a lost connection)
repeats at most the work of one item, and a new item's href is made from its UID, so a
write repeated after a crash lands on the same item instead of a duplicate.

The pull and :func:`sync` are here; the run's state and the taking in of items are in
``receiving.py``, the moving of asks into the task list in ``task_list_move.py``, and
the push in ``pushing.py`` (each a base of the one after).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

from socialdesk.core.sync.account import note_device
from socialdesk.core.sync.dav import DavClient, NoSyncCollection, SyncError
from socialdesk.core.sync.deletions import TakenAlong
from socialdesk.core.sync.fetching import Fetcher
from socialdesk.core.sync.kind import FORMERLY, Kind, Record
from socialdesk.core.sync.merge import pending
from socialdesk.core.sync.pushing import Pushing
from socialdesk.core.sync.receiving import SyncStopped as SyncStopped  # raised by sync()
from socialdesk.core.sync.summary import Summary
from socialdesk.core.sync.task_list_move import ensure_task_list
from socialdesk.core.sync.waiting import Parking
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

EMPTIED = 5  # synced items that all vanishing from the server stops the sync
MAX_PULL_BYTES = 256 * 1024 * 1024  # of items read in one sync; the rest comes next time


class _Run(Pushing):
    """One sync: the pull here, the rest in its bases."""

    def pull(self) -> None:
        self.taking = TakenAlong(self.ws, self.kinds, self.records)
        self.parking = Parking(self.ws, self.kinds)
        incoming: dict[str, list[tuple[str, str, str, Record]]] = defaultdict(list)
        removals: dict[str, list[state.Item]] = defaultdict(list)
        tokens: dict[Literal["calendar", "tasks", "addressbook"], str] = {}
        for collection in ("calendar", "tasks", "addressbook"):
            kinds = [k for k in self.kinds if k.collection == collection
                     or (FORMERLY.get(k.name) == collection and self.urls[k.collection])]
            if not kinds or not self.urls[collection]:
                continue
            url = self.urls[collection]
            token = getattr(self.account, f"{collection}_token")
            self.progress(f"Asking the server what changed in the {collection}…")
            try:
                delta = self.client.changes(url, token)
                changed, removed, tokens[collection] = delta.changed, delta.removed, delta.token
            except NoSyncCollection:
                self.summary.listed_etags = True
                listing = self.client.etags(url)
                known = {**self.parking.etags_under(url), **state.hrefs_under(self.ws, url)}
                changed = {h: e for h, e in listing.items() if known.get(h) != e or not e}
                removed = [h for h in known if h not in listing]
                tokens[collection] = ""
                self._refuse_emptied(collection, known, removed)
            inside = [h for h in changed if h.startswith(url) and h != url]
            kept = state.items_at(self.ws, inside + removed)
            todo = [h for h in sorted(inside)  # not what this computer wrote or took in
                    if not (changed[h] and h in kept and kept[h].etag == changed[h])
                    and self.parking.read_again(h, changed[h])]  # nor what waits as is
            fetched = Fetcher(self.client, url, collection).fetch(todo)
            for count, (href, got) in enumerate(fetched, 1):
                self.check_stop()
                if self.read_bytes > MAX_PULL_BYTES:  # the rest at the next sync
                    self.summary.more = True
                    tokens.pop(collection, None)
                    break
                self.progress(f"Reading the {collection}: {count:,} of {len(todo):,}…")
                read = self.parse(href, got, kinds)
                if read is not None:
                    kind, uid, record, etag_read = read
                    incoming[kind.name].append((uid, href, etag_read, record))
            for href in removed:
                self.parking.gone(href)
                if href in kept:
                    removals[kept[href].kind].append(kept[href])
        self.leftovers, self.moves = [], []
        for kind in self.kinds:
            incoming[kind.name] = self.without_leftovers(kind, incoming[kind.name])
            total = len(incoming[kind.name])
            # in UID order (conflicts listed in it); contacts the larger UIDs first: a
            # card's links name contacts whose UIDs sort after its own
            # (link_authority.py), here by then when both are new
            arriving = sorted(incoming[kind.name], key=lambda item: item[0],
                              reverse=kind.name == "contact")
            for count, (uid, href, etag, record) in enumerate(arriving, 1):
                self.progress(f"Taking in {kind.name} changes: {count:,} of {total:,}…")
                self.receive(kind, uid, href, etag, record)
        for kind, uid, href, etag, record in self.leftovers:
            self.take_leftover(kind, uid, href, etag, record)
        gone = {h for items in removals.values() for h in (i.href for i in items)}
        for href, etag in self.moves:
            if href not in gone:
                self.drop_former(href, etag)
        for kind in reversed(self.kinds):  # an ask goes before its post and its partner
            removals[kind.name] = [i for i in removals[kind.name] if not self.moved(kind, i)]
            self.check_removals(kind, removals[kind.name])
            for item in removals[kind.name]:
                self.removed(kind, item)
        waiting, self.deferred = self.deferred + self.parking.retries(), []
        for kind, uid, href, etag, record, _why in waiting:  # what they need may be here now
            self.receive(kind, uid, href, etag, record)
        self.summary.waiting = self.parking.keep(self.ws, self.deferred)
        for collection, token in tokens.items():
            state.set_token(self.ws, collection, token)

    def _refuse_emptied(self, collection: str, known: dict[str, str],
                        removed: list[str]) -> None:
        """Refuse a listing without any of the items synced (a collection wiped, replaced).

        Only a listing: a server that reports deletions one by one since a token it knows
        (sync-collection) says that someone deleted them.
        """
        if not self.allow_emptied and len(known) >= EMPTIED and set(known) <= set(removed):
            raise SyncError(
                f"The {collection} on {self.client.host} no longer has any of the "
                f"{len(known):,} items synced with it (was it deleted or replaced?); nothing "
                "was deleted here. If your team deleted them all, run `socialdesk sync "
                "--allow-emptied`; to share this workspace again, set it up with a new name.")



def sync(ws: Workspace, client: DavClient, kinds: Sequence[Kind], *,
         progress: Callable[[str], None] | None = None,
         should_stop: Callable[[], bool] | None = None,
         allow_emptied: bool = False) -> Summary:
    """Sync the workspace with the server of its account, for ``kinds``; return a summary.

    ``progress`` hears what is being done; ``should_stop`` is asked between items (a
    worker's stop request) and makes the sync raise :class:`SyncStopped`;
    ``allow_emptied`` takes in a listing without any of the synced items (refused
    otherwise: a collection wiped or replaced on the server). Raises
    :class:`~socialdesk.core.sync.dav.SyncError` (one sentence for the user) when the
    server cannot be reached or refuses; what was done until then is kept.
    """
    ensure_task_list(ws, client, kinds)
    run = _Run(ws, client, kinds, progress, should_stop, allow_emptied)
    run.pull()
    run.push()
    if run.summary.sent:
        # Once more, so that the token kept is one of a state with this sync's writes: a
        # token from before them would also fit a collection wiped back to that state.
        run.account = state.account(ws) or run.account
        run.pull()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    state.set_last_sync(ws, now, note_device(ws, client, run.urls["calendar"], now))
    run.summary.conflicts = pending(ws, kinds)
    return run.summary
