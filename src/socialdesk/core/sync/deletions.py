"""Which of many deletions from the server would take along an item here not yet sent.

Deleting a contact deletes its asks (the store's rules); an ask made or edited here and
not yet sent must not vanish with it, so such a deletion becomes a conflict instead. To
find out, the deletions are tried in a transaction that is undone, and the later kinds'
records read again. One deletion at a time costs a full read of those records each (a
team deleting 2,000 contacts: 2,000 reads of every ask); here the deletions are tried
together, and only a group that does take something along is split in halves, so the
cost is a few reads whatever their number. A deletion only ever takes along what hangs
off the deleted item, so what a group takes along is what its members each would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from socialdesk.core.sync.kind import Kind, Record
from socialdesk.core.sync.link_authority import merged_part, synced
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace


def _compared(kind: Kind, item: state.Item) -> Record:
    """The synced record as the local one is compared with it (``link_authority``)."""
    return merged_part(synced(kind.name, item.uid, item.record))


class _Undo(Exception):
    """Undoes the transaction that only tried the deletions."""


def taking_along(ws: Workspace, kind: Kind, uids: list[str],
                 unsent: dict[Kind, set[str]]) -> set[str]:
    """Those of ``uids`` (of ``kind``) whose deletion would delete an item in ``unsent``.

    ``unsent``: for each later kind, the UIDs of its items not synced as they are. Nothing
    is changed in the workspace.
    """
    if not uids or not any(unsent.values()):
        return set()
    if not _takes_along(ws, kind, uids, unsent):
        return set()
    if len(uids) == 1:
        return set(uids)
    half = len(uids) // 2
    return (taking_along(ws, kind, uids[:half], unsent)
            | taking_along(ws, kind, uids[half:], unsent))


def _takes_along(ws: Workspace, kind: Kind, uids: list[str],
                 unsent: dict[Kind, set[str]]) -> bool:
    gone = False
    try:
        with ws.transaction():
            for uid in uids:
                kind.delete(ws, uid)
            gone = any(not uids_left <= set(other.records(ws))
                       for other, uids_left in unsent.items() if uids_left)
            raise _Undo
    except _Undo:
        return gone


class TakenAlong:
    """One pull's answers to "would deleting this take along an item not yet sent?".

    ``records``: each kind's records here as the sync reads them (less what it deleted).
    """

    def __init__(self, ws: Workspace, kinds: Sequence[Kind],
                 records: Callable[[Kind], dict[str, Record]]) -> None:
        self.ws = ws
        self.kinds = list(kinds)
        self.records = records
        self.unsent: dict[str, set[str]] | None = None  # per kind, read once a pull
        self.checked: tuple[str, int, set[str]] | None = None  # see check

    def unsent_later(self, kind: Kind) -> dict[Kind, set[str]]:
        """The items of kinds after ``kind`` not synced as they are (made or edited here)."""
        later = self.kinds[self.kinds.index(kind) + 1:]
        if not later:
            return {}
        if self.unsent is None:
            self.unsent = {}
            for other in self.kinds:
                kept = state.items(self.ws, other.name)
                self.unsent[other.name] = {u for u, r in self.records(other).items()
                                           if u not in kept or not kept[u].href
                                           or _compared(other, kept[u]) != r}
        # less what went since (deleted earlier in this sync): it is taken along by nothing
        unsent = {other: self.unsent[other.name] & set(self.records(other)) for other in later}
        return {other: uids for other, uids in unsent.items() if uids}

    def check(self, kind: Kind, items: list[state.Item]) -> None:
        """Work out at once which of the server's deletions of ``kind`` take something along.

        Called in a transaction, with the records current.
        """
        self.checked = None
        if len(items) < 2:
            return
        local = self.records(kind)
        unchanged = [i.uid for i in items if local.get(i.uid) == _compared(kind, i)]
        unsent = self.unsent_later(kind) if unchanged else {}
        found = taking_along(self.ws, kind, unchanged, unsent)
        self.checked = (kind.name, self.ws.data_version(), found)

    def would(self, kind: Kind, uid: str) -> bool:
        """Whether deleting ``uid`` would delete an item here not synced as it is.

        That is an item of a later kind (an ask made or edited here for a contact deleted
        there). Tried in a nested transaction that is undone, when there are such items at
        all, or found by :meth:`check` when nobody wrote here since. Deletions come in the
        reverse order of the kinds, so the later kinds' are done.
        """
        checked = self.checked
        if checked is not None and checked[:2] == (kind.name, self.ws.data_version()):
            return uid in checked[2]
        return uid in taking_along(self.ws, kind, [uid], self.unsent_later(kind))
