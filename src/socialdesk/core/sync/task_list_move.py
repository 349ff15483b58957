"""Moving asks from the calendar, where they lived before, into the task list.

The leftovers in the calendar are set aside during the pull, taken in as edits and
deleted there; the push writes the others to the task list and then deletes them.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence

from socialdesk.core.sync.account import collection_name
from socialdesk.core.sync.dav import DavClient, PreconditionFailed
from socialdesk.core.sync.kind import FORMERLY, ItemDeferred, Kind, Record
from socialdesk.core.sync.receiving import Receiving
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace


def ensure_task_list(ws: Workspace, client: DavClient, kinds: Sequence[Kind]) -> None:
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


class TaskListMove(Receiving):
    """A sync run's moves of items from where their kind lived before."""

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
