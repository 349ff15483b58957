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
and tries again (:data:`ATTEMPTS` times). Every item's state is saved in its own
transaction, right after the server confirmed it, and a collection's sync token only after
all its changes were taken in: a sync killed at any point (kill -9, a lost connection)
repeats at most the work of one item, and a new item's href is made from its UID, so a
write repeated after a crash lands on the same item instead of a duplicate.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Literal

from socialdesk.core.sync.account import collection_name, note_device
from socialdesk.core.sync.dav import (
    DavClient,
    NoSyncCollection,
    PreconditionFailed,
    SyncError,
    item_href,
)
from socialdesk.core.sync.deletions import TakenAlong
from socialdesk.core.sync.fetching import Fetcher
from socialdesk.core.sync.kind import (
    FORMERLY,
    KIND_ORDER,
    ItemDeferred,
    Kind,
    Record,
    SyncFormatError,
)
from socialdesk.core.sync.link_authority import (
    LINKED,
    Mirrors,
    completed,
    merged_part,
    only_links_dropped,
    restored,
    synced,
)
from socialdesk.core.sync.merge import (
    WHOLE,
    changes_of,
    held_back,
    merge,
    merge_received,
    pending,
    title_of,
    unchanged_here,
    undecided,
)
from socialdesk.core.sync.summary import Summary
from socialdesk.core.sync.waiting import Deferred, Parking
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

ATTEMPTS = 3  # writes refused with 412 before the sync gives up on the item
EMPTIED = 5  # synced items that all vanishing from the server stops the sync
MAX_PULL_BYTES = 256 * 1024 * 1024  # of items read in one sync; the rest comes next time


def _component(text: str) -> str:
    for line in text.splitlines():
        name = line.strip().upper()
        if name in ("BEGIN:VEVENT", "BEGIN:VTODO", "BEGIN:VJOURNAL", "BEGIN:VCARD"):
            return name[6:]
    return ""


class SyncStopped(SyncError):
    """The sync was asked to stop; what it did is kept and the next one goes on."""


class _Run:
    """One sync's working state."""

    def __init__(self, ws: Workspace, client: DavClient, kinds: Sequence[Kind],
                 progress: Callable[[str], None] | None,
                 should_stop: Callable[[], bool] | None, allow_emptied: bool) -> None:
        order = {name: i for i, name in enumerate(KIND_ORDER)}
        self.ws = ws
        self.client = client
        self.kinds = sorted(kinds, key=lambda k: order.get(k.name, len(order)))
        self.progress = progress or (lambda _text: None)
        self.should_stop = should_stop or (lambda: False)
        self.allow_emptied = allow_emptied
        self.read_bytes = 0
        self.rereads = 0
        self.departed: set[str] = set()  # contacts the server's deletions took away here
        self.mirrors = Mirrors({})  # see link_authority.py; read at each push
        self.deferred: list[Deferred] = []  # see ItemDeferred and waiting.py
        self.parking = Parking(ws, self.kinds)
        self.taking = TakenAlong(ws, self.kinds, self.records)
        self.summary = Summary()
        self.local: dict[str, dict[str, Record]] = {}  # each kind's records, read once
        self.seen_version = ws.data_version()
        account = state.account(ws)
        if account is None:
            raise SyncError("Sync is not set up: run `socialdesk sync setup URL --user NAME`.")
        self.account = account
        self.urls = {"calendar": account.calendar_url, "tasks": account.tasks_url,
                     "addressbook": account.addressbook_url}
        # asks found in the calendar, where they lived before the task list, whose UID is
        # in the task list too: taken in as an edit, then deleted there (see :meth:`pull`)
        self.leftovers: list[tuple[Kind, str, str, str, Record]] = []
        self.moves: list[tuple[str, str]] = []  # (href, ETag) of copies moved from there
        self.dropped: set[str] = set()  # the hrefs of such copies deleted

    def home(self, kind: Kind, href: str) -> bool:
        """Whether ``href`` is in the collection where items of ``kind`` live now."""
        url = self.urls[kind.collection]
        return bool(url) and href.startswith(url)

    def touched(self, kind: Kind) -> None:
        self.summary.changes |= changes_of(kind)

    def catch_up(self) -> None:
        """Another connection (the window, a script) wrote: read the local records again."""
        version = self.ws.data_version()
        if version != self.seen_version:
            self.local.clear()
            self.seen_version = version

    def records(self, kind: Kind) -> dict[str, Record]:
        if kind.name not in self.local:
            self.local[kind.name] = kind.records(self.ws)
        return self.local[kind.name]

    def kept(self, kind: Kind, uid: str) -> state.Item | None:
        """The last synced version of ``uid``, its record as its card reads today."""
        found = state.item(self.ws, kind.name, uid)
        if found is None or kind.name != LINKED:
            return found
        return replace(found, record=synced(kind.name, uid, found.record))

    def mine(self, kind: Kind, uid: str, base: Record | None) -> Record | None:
        """The local record of ``uid`` as the merge and the push compare it.

        A contact's synced links to contacts not here stay as its card has them
        (:func:`~socialdesk.core.sync.link_authority.completed`), but for those whose
        deletion this sync took in: those go from its card now.
        """
        mine = self.records(kind).get(uid)
        if mine is None or kind.name != LINKED:
            return mine
        local = self.records(kind)
        return completed(mine, base, lambda other: other in local or other in self.departed
                         or state.item(self.ws, kind.name, other) is not None)

    # -- pull -------------------------------------------------------------------------

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

    def without_leftovers(self, kind: Kind, arriving: list[tuple[str, str, str, Record]]
                          ) -> list[tuple[str, str, str, Record]]:
        """``arriving`` without the leftovers, which go to :attr:`leftovers`.

        A leftover is an item still in the collection where ``kind`` lived before
        (:data:`FORMERLY`) whose UID is in its own collection too (arriving now, or synced
        there). One that is only there is taken in as usual, and moved by the push.
        """
        if kind.name not in FORMERLY:
            return arriving
        at_home = {uid for uid, href, _etag, _record in arriving if self.home(kind, href)}
        kept: list[tuple[str, str, str, Record]] = []
        for uid, href, etag, record in arriving:
            synced_at = state.item(self.ws, kind.name, uid)
            if not self.home(kind, href):
                if uid in at_home or (synced_at is not None and self.home(kind, synced_at.href)):
                    self.leftovers.append((kind, uid, href, etag, record))
                    continue
            elif synced_at is not None and synced_at.href and not self.home(kind,
                                                                           synced_at.href):
                # moved by another computer, or by this one in a sync cut short: the copy
                # where it was goes (unless the server said so already)
                self.moves.append((synced_at.href, synced_at.etag))
            kept.append((uid, href, etag, record))
        return kept

    def take_leftover(self, kind: Kind, uid: str, href: str, etag: str, theirs: Record) -> None:
        """An item left where its kind lived before, and in its own collection too.

        Left by a move that was cut short, or written there again by a computer that has
        not moved yet: what it changes since the version synced in its own collection is
        taken in as an edit there (merged, or a conflict; the push sends it to its own
        collection), then it is deleted.
        """
        synced_at = state.item(self.ws, kind.name, uid)
        if synced_at is None or not self.home(kind, synced_at.href):
            return  # what is in its own collection was deleted or refused meanwhile
        try:
            with self.ws.transaction():
                self.catch_up()
                self._receive(kind, uid, synced_at.href, synced_at.etag, theirs, keep=False)
        except (sqlite3.IntegrityError, ValueError) as error:
            self.local.pop(kind.name, None)
            self.summary.unreadable.append(f"{href}: {error}")
            return
        except ItemDeferred:  # kept aside: the copy in its own collection is what counts
            self.local.pop(kind.name, None)
        self.drop_former(href, etag)

    def drop_former(self, href: str, etag: str) -> None:
        """Delete an item's copy where its kind lived before (changed since: next time)."""
        if href in self.dropped:
            return
        self.dropped.add(href)
        with contextlib.suppress(PreconditionFailed):
            self.client.delete(href, etag)

    def moved(self, kind: Kind, item: state.Item) -> bool:
        """Whether ``item``, gone from its href on the server, lives on at another one.

        An ask moved from the calendar to the task list: no deletion.
        """
        now = state.item(self.ws, kind.name, item.uid)
        return now is not None and bool(now.href) and now.href != item.href

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

    def check_stop(self) -> None:
        if self.should_stop():
            raise SyncStopped("Sync stopped; the next one goes on from there.")

    def read(self, href: str, kinds: Iterable[Kind]) -> tuple[Kind, str, Record, str] | None:
        """The server's item at ``href`` read by the first kind that can; None when gone."""
        return self.parse(href, self.client.get(href), kinds)

    def parse(self, href: str, got: tuple[str, str] | None,
              kinds: Iterable[Kind]) -> tuple[Kind, str, Record, str] | None:
        """The item ``got`` from ``href`` read by the first kind that can; None when gone."""
        if got is None:
            return None
        text, etag = got
        self.read_bytes += len(text)
        component = _component(text)
        problems = []
        owners = [k for k in kinds if k.component == component and k.owns(text)]
        if not owners:
            self.summary.foreign += 1  # counted, not named: it is none of SocialDesk's
            return None
        for kind in owners:
            try:
                uid, record = kind.from_text(text)
            except SyncFormatError as error:
                problems.append(str(error))
                continue
            return kind, uid, record, etag
        self.summary.unreadable.append(f"{href}: {problems[0]}")
        return None

    def receive(self, kind: Kind, uid: str, href: str, etag: str, theirs: Record) -> None:
        """Take in the server's version of ``uid``: apply, merge, or keep a conflict.

        A version the workspace refuses (its kind or the store's rules) changes nothing
        and is named in :attr:`Summary.unreadable`.
        """
        try:
            with self.ws.transaction():  # the local record is read under the write lock
                self.catch_up()
                self._receive(kind, uid, href, etag, theirs)
        except (sqlite3.IntegrityError, ValueError) as error:
            self.local.pop(kind.name, None)  # read again: the transaction was undone
            self.summary.unreadable.append(f"{href}: {error}")
        except ItemDeferred as error:
            self.local.pop(kind.name, None)
            if not (error.same_as and self.take_place(kind, error.same_as, uid, href, etag,
                                                      theirs)):
                self.deferred.append((kind, uid, href, etag, theirs, str(error)))

    def take_place(self, kind: Kind, other: str, uid: str, href: str, etag: str,
                   theirs: Record) -> bool:
        """Let the server's ``uid`` replace the local ``other``, the same thing made offline.

        Only when ``other`` was never synced; the two merge as with no common version
        (every field that differs is a conflict). False when ``other`` was synced (two
        items on the server) or the workspace still refuses ``uid``.
        """
        try:
            with self.ws.transaction():
                self.catch_up()
                mine = self.records(kind).get(other)
                if mine is None or state.item(self.ws, kind.name, other) is not None:
                    return False
                kind.delete(self.ws, other)
                merged, clashes = merge({}, mine, merged_part(theirs))
                kind.apply(self.ws, uid, merged)
                for name, (m, t) in clashes.items():
                    state.keep_conflict(self.ws, kind.name, uid, name, m, t)
                state.save_item(self.ws, kind.name, uid, href, etag, theirs)
        except (ItemDeferred, sqlite3.IntegrityError, ValueError):
            self.local.pop(kind.name, None)
            return False
        self.local.pop(kind.name, None)
        self.touched(kind)
        self.summary.merged += 1
        return True

    def _receive(self, kind: Kind, uid: str, href: str, etag: str, theirs: Record, *,
                 keep: bool = True) -> None:
        """Take in ``theirs``; ``keep``: remember it as the version synced.

        Not for a leftover (:meth:`take_leftover`): merged here, then sent.
        """
        ws = self.ws
        local = self.records(kind)
        kept = self.kept(kind, uid)
        base = merged_part(kept.record) if kept else None
        mine = self.mine(kind, uid, base)
        card, theirs = theirs, merged_part(theirs)  # the card as read, and what is merged
        open_fields = {c.field: c for c in state.conflicts(ws, kind.name, uid)}
        with ws.transaction():
            if mine is None:
                if base is None or WHOLE in open_fields:
                    if WHOLE in open_fields:  # deleted here, edited there (again)
                        state.keep_conflict(ws, kind.name, uid, WHOLE, None, card)
                    else:
                        kind.apply(ws, uid, card)
                        local[uid] = theirs
                        if kind.name == LINKED:
                            restored(ws, uid, card, local)
                        self.summary.received += 1
                        self.touched(kind)
                elif base != theirs and not (kind.name == LINKED
                                             and only_links_dropped(base, theirs)):
                    state.keep_conflict(ws, kind.name, uid, WHOLE, None, card)
                if keep:
                    state.save_item(ws, kind.name, uid, href, etag, card)
                return
            merged = merge_received(ws, kind, uid, base, mine, theirs, open_fields)
            if merged != mine:
                kind.apply(ws, uid, merged)
                local[uid] = merged
                self.touched(kind)
                if base is not None and mine != base:
                    self.summary.merged += 1
                else:
                    self.summary.received += 1
            if keep:
                state.save_item(ws, kind.name, uid, href, etag, card)

    def removed(self, kind: Kind, item: state.Item) -> None:
        """The server deleted ``item``: delete it here too, unless it was edited here."""
        with self.ws.transaction():  # the local record is read under the write lock
            self.catch_up()
            self._removed(kind, item)

    def _removed(self, kind: Kind, item: state.Item) -> None:
        ws = self.ws
        local = self.records(kind)
        mine = local.get(item.uid)
        with ws.transaction():
            here = {k.name: self.records(k) for k in self.kinds}
            deletes = (mine is not None and unchanged_here(kind, mine, item.record, here)
                       and not self.taking.would(kind, item.uid))
            state.forget_item(ws, kind.name, item.uid)
            if kind.name == LINKED and (mine is None or deletes):
                self.departed.add(item.uid)
            if mine is None:
                state.drop_conflicts(ws, kind.name, item.uid)
            elif deletes:
                kind.delete(ws, item.uid)
                del local[item.uid]
                state.drop_conflicts(ws, kind.name, item.uid)
                self.summary.deleted += 1
                self.touched(kind)
            else:  # kept without an href: the base of a merge if it comes back (merge.py)
                state.save_item(ws, kind.name, item.uid, "", "", item.record)
                state.drop_conflicts(ws, kind.name, item.uid)
                state.keep_conflict(ws, kind.name, item.uid, WHOLE, mine, None)

    def check_removals(self, kind: Kind, items: list[state.Item]) -> None:
        """Which of the server's deletions of ``kind`` take an unsent item along, at once."""
        with self.ws.transaction():
            self.catch_up()
            self.taking.check(kind, items)

    # -- push -------------------------------------------------------------------------

    def push(self) -> None:
        for kind in self.kinds:
            local = self.records(kind)
            kept = state.items(self.ws, kind.name)
            todo = sorted(set(local) | set(kept))  # a contact after those its card mirrors
            if kind.name == LINKED:
                self.mirrors = Mirrors(kept)
            for count, uid in enumerate(todo, 1):
                self.check_stop()
                if count % 50 == 0:
                    self.progress(f"Sending {kind.name} changes: {count:,} of {len(todo):,}…")
                done = self.summary.sent + self.rereads
                self.push_one(kind, uid)
                if kind.name == LINKED and self.summary.sent + self.rereads != done:
                    self.mirrors.update(uid, state.item(self.ws, kind.name, uid))

    def push_one(self, kind: Kind, uid: str) -> None:
        """Send the local change to ``uid``, if any.

        An item synced where its kind lived before (an ask in the calendar) is moved: written
        to its own collection (``If-None-Match: *``), deleted where it was, and only then
        remembered at its new href, so that a sync cut short in between finds it again.
        """
        kept = state.item(self.ws, kind.name, uid)
        former = kept if kept is not None and kept.href and not self.home(kind, kept.href) \
            else None
        self._push_one(kind, uid, former)
        now = state.item(self.ws, kind.name, uid)
        if former is not None and now is not None and now.href != former.href:
            self.drop_former(former.href, former.etag)  # the new one was there already

    def _push_one(self, kind: Kind, uid: str, former: state.Item | None) -> None:
        ext = "vcf" if kind.collection == "addressbook" else "ics"
        content_type = "text/vcard" if kind.collection == "addressbook" else "text/calendar"
        for _attempt in range(ATTEMPTS):
            self.catch_up()
            kept = self.kept(kind, uid)
            mine = self.mine(kind, uid, kept.record if kept else None)
            fields = undecided(self.ws, kind, uid, mine)
            if WHOLE in fields:
                return
            if mine is None:
                if kept is None:
                    return
                if not kept.href:  # deleted there, and here since
                    with self.ws.transaction():
                        state.forget_item(self.ws, kind.name, uid)
                    return
                try:
                    self.client.delete(kept.href, kept.etag)
                except PreconditionFailed:
                    self.reread(kind, kept.href, uid)
                    continue
                with self.ws.transaction():
                    state.forget_item(self.ws, kind.name, uid)
                    state.drop_conflicts(self.ws, kind.name, uid)
                self.summary.sent += 1
                return
            outgoing = held_back(mine, kept.record if kept else None, fields)
            if kind.name == LINKED:  # with the links other cards decide, as they are
                outgoing = self.mirrors.outgoing(uid, outgoing)
            at_home = kept is not None and bool(kept.href) and self.home(kind, kept.href)
            if kept is not None and at_home and outgoing == kept.record:
                return
            href = kept.href if kept and at_home else item_href(self.urls[kind.collection],
                                                                uid, ext)
            try:
                etag = self.client.put(href, kind.to_text(uid, outgoing), content_type,
                                       kept.etag if kept and at_home else None)
            except PreconditionFailed:
                self.reread(kind, href, uid)
                continue
            if former is not None and kept is not None and kept.href == former.href:
                self.drop_former(former.href, former.etag)
            with self.ws.transaction():
                state.save_item(self.ws, kind.name, uid, href, etag, outgoing)
            self.summary.sent += 1
            return
        raise SyncError(f"{self.client.host} kept refusing the change to "
                        f"{title_of(uid, self.records(kind).get(uid))!r} (412, changed on the "
                        "server each time it was read); sync again later.", status=412)

    def reread(self, kind: Kind, href: str, uid: str) -> None:
        """A write was refused (412): take in the server's current version first."""
        self.rereads += 1
        read = self.read(href, [kind])
        if read is None:  # gone from the server since it was read
            kept = state.item(self.ws, kind.name, uid)
            if kept is not None:
                self.removed(kind, kept)
            return
        found_kind, found_uid, record, etag = read
        self.receive(found_kind, found_uid, href, etag, record)


def _ensure_task_list(ws: Workspace, client: DavClient, kinds: Sequence[Kind]) -> None:
    """Find or make the task list of a workspace set up before asks had one.

    Named after the calendar ("NAME asks"), so that every computer of the team finds the
    same one; the asks still in the calendar move there during the sync.
    """
    account = state.account(ws)
    if account is None or account.tasks_url or not any(
            k.collection == "tasks" for k in kinds):
        return
    name = client.display_name(account.calendar_url) or collection_name(ws)
    state.set_task_list(ws, client.ensure_task_list(name))


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
    _ensure_task_list(ws, client, kinds)
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
