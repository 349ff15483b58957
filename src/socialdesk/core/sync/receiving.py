"""One sync's working state, and how it takes in what the server sent.

The base of the sync run in ``engine.py``: the local records read once, the items the
server sent parsed, received (applied, merged, or kept as a conflict) and deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from socialdesk.core.sync.dav import DavClient, SyncError
from socialdesk.core.sync.deletions import TakenAlong
from socialdesk.core.sync.kind import KIND_ORDER, ItemDeferred, Kind, Record, SyncFormatError
from socialdesk.core.sync.link_authority import (
    LINKED,
    Mirrors,
    completed,
    merged_part,
    only_links_dropped,
    restored,
    synced,
)
from socialdesk.core.sync.merge import WHOLE, changes_of, merge, merge_received, unchanged_here
from socialdesk.core.sync.summary import Summary
from socialdesk.core.sync.waiting import Deferred, Parking
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace


def _component(text: str) -> str:
    for line in text.splitlines():
        name = line.strip().upper()
        if name in ("BEGIN:VEVENT", "BEGIN:VTODO", "BEGIN:VJOURNAL", "BEGIN:VCARD"):
            return name[6:]
    return ""


class SyncStopped(SyncError):
    """The sync was asked to stop; what it did is kept and the next one goes on."""


class Receiving:
    """One sync's working state: what it read, and taking in the server's items."""

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
        # in the task list too: taken in as an edit, then deleted there (the pull, engine.py)
        self.leftovers: list[tuple[Kind, str, str, str, Record]] = []
        self.moves: list[tuple[str, str]] = []  # (href, ETag) of copies moved from there
        self.dropped: set[str] = set()  # the hrefs of such copies deleted

    def home(self, kind: Kind, href: str) -> bool:
        """Whether ``href`` is in the collection where items of ``kind`` live now."""
        url = self.urls[kind.collection]
        return bool(url) and href.startswith(url)

    def touched(self, kind: Kind) -> None:
        """Note in the summary that items of ``kind`` changed here."""
        self.summary.changes |= changes_of(kind)

    def catch_up(self) -> None:
        """Another connection (the window, a script) wrote: read the local records again."""
        version = self.ws.data_version()
        if version != self.seen_version:
            self.local.clear()
            self.seen_version = version

    def records(self, kind: Kind) -> dict[str, Record]:
        """The local records of ``kind``, read once (again after :meth:`catch_up`)."""
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

    def check_stop(self) -> None:
        """Raise :class:`SyncStopped` when the sync was asked to stop."""
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

        Not for a leftover (``task_list_move.py``): merged here, then sent.
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
