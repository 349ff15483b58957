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

from socialdesk.core.sync.kind import Kind
from socialdesk.store.workspace import Workspace


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
