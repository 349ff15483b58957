"""The push half of a sync: send each local change, moving asks to the task list.

A write the server refuses with 412 is read again, merged and retried
(:data:`ATTEMPTS` times) before the sync gives up on the item.
"""

from __future__ import annotations

from socialdesk.core.sync.dav import PreconditionFailed, SyncError, item_href
from socialdesk.core.sync.kind import Kind
from socialdesk.core.sync.link_authority import LINKED, Mirrors
from socialdesk.core.sync.merge import WHOLE, held_back, title_of, undecided
from socialdesk.core.sync.task_list_move import TaskListMove
from socialdesk.store import sync as state

ATTEMPTS = 3  # writes refused with 412 before the sync gives up on the item


class Pushing(TaskListMove):
    """A sync run's push of what changed locally since the last synced record."""

    def push(self) -> None:
        """Send every local change, kind by kind in :data:`~.kind.KIND_ORDER`."""
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
