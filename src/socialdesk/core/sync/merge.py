"""The field-by-field three-way merge of a sync, and its conflicts: kept, listed, decided.

Both sides changed an item: each field is merged against the last synced record.
Different fields merge; the same field changed to different values is a conflict kept in
the workspace (the local value stays and is not sent until the user decides). An edit
against a deletion is a conflict on the field :data:`WHOLE`. The settings
(:data:`ADOPTED`) have one fixed UID everywhere: a computer that never synced them takes
the server's as they are. :func:`pending` lists the conflicts for the user and
:func:`resolve` decides one; the engine (``engine.py``) calls the rest while it syncs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from socialdesk.core.changes import EVERYTHING, Changes
from socialdesk.core.sync.kind import ItemDeferred, Kind, Record
from socialdesk.core.sync.link_authority import MIRROR
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

WHOLE = "*"  # the conflict field of an edit against a deletion
# Kinds of one item with a fixed UID, on every computer from the start: one that never
# synced it takes the server's (joining the team), instead of a conflict per field.
ADOPTED = frozenset({"settings"})
_ROWS = {"settings": "settings", "campaign": "campaigns", "contact": "contacts",
         "post": "posts", "ask": "asks"}
_MISSING = object()
# Fields each holding a part of two items' records (see :func:`unchanged_here`).
SHARED_FIELDS = {"contact": ("links", MIRROR)}
# Fields naming another item, by the kind named, that deleting that item empties.
REFERENCES = {"post": {"campaign": "campaign"}, "ask": {"post": "post", "partner": "contact"}}


def changes_of(kind: Kind) -> Changes:
    """What a write of ``kind`` changes, for the views to read again."""
    rows = _ROWS.get(kind.name)
    return Changes.of(rows) if rows else EVERYTHING


def merge(base: Record, mine: Record, theirs: Record) -> tuple[Record, dict[str, tuple[Any, Any]]]:
    """Three-way merge per field: the merged record and the fields changed on both sides.

    A conflicting field keeps ``mine`` in the merged record.
    """
    merged: Record = {}
    clashes: dict[str, tuple[Any, Any]] = {}
    for name in sorted(set(mine) | set(theirs) | set(base)):
        b, m, t = (cast(Any, r.get(name, _MISSING)) for r in (base, mine, theirs))
        if m == t or t == b:
            value = m
        elif m == b:
            value = t
        else:
            value = m
            clashes[name] = (None if m is _MISSING else m, None if t is _MISSING else t)
        if value is not _MISSING:
            merged[name] = value
    return merged, clashes


def merge_received(ws: Workspace, kind: Kind, uid: str, base: Record | None, mine: Record,
                   theirs: Record, open_fields: dict[str, state.Conflict]) -> Record:
    """Merge the server's ``theirs`` into the local ``mine``; keep the conflicts it makes.

    ``base`` is the last synced record (None: never synced), ``open_fields`` the item's
    pending conflicts by field. An undecided field keeps mine and takes their new value
    as the conflict's; one where both sides now agree is settled. Runs in the caller's
    transaction.
    """
    if WHOLE in open_fields:  # edited here, deleted there, and now back there
        state.drop_conflicts(ws, kind.name, uid)
        open_fields = {}
    if base is None and kind.name in ADOPTED:
        base = mine  # never synced here: the team's wins
    merged, clashes = merge(base if base is not None else {}, mine, theirs)
    for name, old in open_fields.items():  # undecided: mine stays, theirs updates
        if name == WHOLE or name in clashes:
            continue
        m, t = mine.get(name), theirs.get(name)
        if m == t:
            state.drop_conflict(ws, old.id)
        else:
            merged[name] = m
            clashes[name] = (m, t)
    for name, (m, t) in clashes.items():
        state.keep_conflict(ws, kind.name, uid, name, m, t)
    return merged


def undecided(ws: Workspace, kind: Kind, uid: str, mine: Record | None) -> set[str]:
    """The fields of ``uid`` with a conflict still to decide.

    A conflict settled here by typing the server's value into ``mine`` is dropped.
    """
    fields = set()
    for c in state.conflicts(ws, kind.name, uid):
        if c.field != WHOLE and mine is not None and mine.get(c.field) == c.theirs:
            with ws.transaction():  # settled here by typing their value
                state.drop_conflict(ws, c.id)
        else:
            fields.add(c.field)
    return fields


def unchanged_here(kind: Kind, mine: Record, synced: Record,
                   here: Mapping[str, Mapping[str, Record]]) -> bool:
    """Whether ``mine`` is the last synced record but for what other items' changes made.

    A link is in both its contacts' cards: deleting one contact here changes the other's
    links without anyone editing it (and a link to a contact gone here is left out). So
    links alone are no edit here that a deletion there would lose;
    deleting a contact takes its links along, as deleting it here does. Likewise a
    reference (:data:`REFERENCES`: a post's campaign) emptied where the item it named is
    no longer here (``here``: the local records by kind name; a kind not synced counts
    as all there) was emptied by that deletion; emptied while that item is still here,
    it is an edit.
    """
    shared = SHARED_FIELDS.get(kind.name, ())
    emptied = {name for name, other in REFERENCES.get(kind.name, {}).items()
               if not mine.get(name) and synced.get(name)
               and other in here and synced[name] not in here[other]}
    return {k: v for k, v in mine.items() if k not in shared and k not in emptied} == \
        {k: v for k, v in synced.items() if k not in shared and k not in emptied}


def held_back(mine: Record, synced: Record | None, fields: set[str]) -> Record:
    """What to send of ``mine``: the server keeps its value of ``fields`` until decided."""
    outgoing = dict(mine)
    for name in fields:
        if synced is not None and name in synced:
            outgoing[name] = synced[name]
        else:
            outgoing.pop(name, None)
    return outgoing


def title_of(uid: str, record: Record | None) -> str:
    """What to call an item in a message: its title or name, else its UID."""
    for key in ("title", "name", "full_name", "summary", "label"):
        value = (record or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return uid


def pending(ws: Workspace, kinds: Sequence[Kind] | None = None) -> list[dict[str, Any]]:
    """The pending conflicts as ``socialdesk sync`` prints them."""
    records: dict[str, dict[str, Record]] = {}
    by_name = {k.name: k for k in kinds or ()}
    shown = []
    for c in state.conflicts(ws):
        if c.kind in by_name and c.kind not in records:
            records[c.kind] = by_name[c.kind].records(ws)
        record = records.get(c.kind, {}).get(c.uid)
        if record is None:
            base = state.item(ws, c.kind, c.uid)
            record = base.record if base else (c.theirs if isinstance(c.theirs, dict) else None)
        shown.append({"id": c.id, "kind": c.kind, "title": title_of(c.uid, record),
                      "field": c.field, "mine": c.mine, "theirs": c.theirs})
    return shown


def resolve(ws: Workspace, conflict_id: int, keep: Literal["mine", "theirs"],
            kinds: Sequence[Kind]) -> Changes:
    """Decide conflict ``conflict_id``: keep this computer's value or the server's.

    Keeping mine sends it at the next sync; keeping theirs changes the local item now.
    Raises ``KeyError`` when there is no such conflict, its kind is not synced here, or
    the server's item cannot come back (an ask whose partner was deleted here).
    """
    found = state.conflict(ws, conflict_id)
    if found is None:
        raise KeyError(f"There is no sync conflict {conflict_id}.")
    by_name = {k.name: k for k in kinds}
    if found.kind not in by_name:
        raise KeyError(f"Conflict {conflict_id} is about a {found.kind}, which this "
                       "SocialDesk does not sync.")
    kind = by_name[found.kind]
    changes = Changes()
    with ws.transaction():
        state.drop_conflict(ws, conflict_id)
        if keep == "theirs":
            changes = changes_of(kind)
            if found.field == WHOLE:
                if found.theirs is None:
                    kind.delete(ws, found.uid)
                    state.forget_item(ws, kind.name, found.uid)
                else:
                    try:
                        kind.apply(ws, found.uid, found.theirs)
                    except ItemDeferred as error:  # undone: the conflict stays
                        raise KeyError(f"Conflict {conflict_id}: the server's "
                                       f"{found.kind} cannot come back here ({error}); "
                                       "keep mine instead.") from error
            else:
                mine = kind.records(ws).get(found.uid)
                if mine is not None:
                    kind.apply(ws, found.uid, {**mine, found.field: found.theirs})
    return changes
