"""Which card decides a link: the card of the contact whose UID sorts first.

A link between two contacts is in both their cards (a ``RELATED`` on each, so that other
programs see it on both), but only one card decides it: the card of the contact with the
smaller UID, the link's *authoritative* card. A contact's record holds, as ``links``, the
links to contacts whose UIDs sort after its own. The links other cards decide are in the
card too, as :data:`MIRROR`: the sync writes them from those cards as last synced
(:class:`Mirrors`) and never merges, applies nor compares them with the workspace. So two
cards that disagree about a link cannot make the computers send them back and forth: one
of them decides, the other is rewritten to match, and a conflict about a link names its
authoritative contact.

A link on the server to a contact this workspace does not have (not yet arrived, or a UID
it never saw) cannot be stored here; it stays in its card as it is (:func:`completed`),
and is stored when that contact arrives (``ContactKind.apply``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any, cast

from socialdesk.core.sync.kind import Record, Value
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

MIRROR = "linked_by"  # a contact record's links that the other contacts' cards decide
LINKED = "contact"  # the kind whose records hold links
_TURNED = {"out": "in", "in": "out", "both": "both"}


def decides(own_uid: str, other_uid: str) -> bool:
    """Whether the card of ``own_uid`` decides its links to ``other_uid``."""
    return own_uid < other_uid


def links_in(record: Mapping[str, Any], name: str = "links") -> list[dict[str, Any]]:
    """The links a record holds in ``name`` (``links`` or :data:`MIRROR`)."""
    value = record.get(name)
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _key(link: Mapping[str, Any]) -> tuple[str, str, str]:
    return str(link["uid"]), str(link["kind"]).casefold(), str(link["kind"])


def _values(links: list[dict[str, Any]]) -> Value:
    return cast("Value", sorted(links, key=_key))


def split_links(uid: str, record: Record) -> Record:
    """``record`` with ``links`` those its card decides and :data:`MIRROR` the others.

    Idempotent; :data:`MIRROR` is left out when there are none. A record synced before
    cards decided links (``links`` naming contacts on both sides) reads as its card does.
    """
    found = links_in(record) + links_in(record, MIRROR)
    split_record = {k: v for k, v in record.items() if k != MIRROR}
    split_record["links"] = _values([x for x in found if decides(uid, str(x["uid"]))])
    others = [x for x in found if not decides(uid, str(x["uid"]))]
    if others:
        split_record[MIRROR] = _values(others)
    return split_record


def synced(kind: str, uid: str, record: Record) -> Record:
    """A last synced record of ``kind`` as its card reads today (contacts: :func:`split_links`)."""
    return split_links(uid, record) if kind == LINKED else record


def merged_part(record: Record) -> Record:
    """What of a record a merge compares: all but :data:`MIRROR`."""
    return {k: v for k, v in record.items() if k != MIRROR} if MIRROR in record else record


def only_links_dropped(base: Record, theirs: Record) -> bool:
    """Whether ``theirs`` is ``base`` with some of its links left out and nothing else.

    So another computer rewrote the card because contacts it linked to were deleted
    there: no edit to weigh against this workspace's deletion of the contact.
    """
    rest = {k: v for k, v in theirs.items() if k != "links"}
    if rest != {k: v for k, v in base.items() if k != "links"}:
        return False
    kept = links_in(base)
    return all(link in kept for link in links_in(theirs))


def completed(mine: Record, base: Record | None, known: Callable[[str], bool]) -> Record:
    """``mine`` with the links of ``base`` (last synced) to contacts not here.

    ``known`` tells the contacts that are (or were, until this workspace deleted them).
    Such a link cannot be stored here, so it is no edit here: it stays as the card has it.
    """
    if not base:
        return mine
    here = {str(x["uid"]) for x in links_in(mine)}
    kept = [x for x in links_in(base) if str(x["uid"]) not in here and not known(str(x["uid"]))]
    if not kept:
        return mine
    return {**mine, "links": _values(links_in(mine) + kept)}


def turned(owner: str, link: Mapping[str, Any]) -> dict[str, Any]:
    """``owner``'s link as the other contact's card carries it (naming ``owner``)."""
    return {**link, "uid": owner, "direction": _TURNED.get(str(link["direction"]), "both")}


def kept_links_to(ws: Workspace, uid: str, owners: list[str]) -> list[dict[str, Any]]:
    """The links to ``uid`` the synced cards of ``owners`` decide, as ``uid``'s card has them."""
    found = []
    for owner in owners:
        item = state.item(ws, LINKED, owner)
        if item is None or not item.href or not decides(owner, uid):
            continue
        found += [turned(owner, x) for x in links_in(split_links(owner, item.record))
                  if x["uid"] == uid]
    return found


def restored(ws: Workspace, uid: str, record: Record, local: dict[str, Record]) -> None:
    """The contact ``uid``, new here, was applied: note its links in the others' ``local``.

    ``ContactKind.apply`` stored the links to it that the synced cards of the contacts
    its card names decide (:func:`kept_links_to`); those contacts' records now hold them.
    """
    named = [str(x["uid"]) for x in links_in(record, MIRROR)]
    for link in kept_links_to(ws, uid, named):
        owner = str(link["uid"])
        if owner in local:
            mine = local[owner]
            links = [x for x in links_in(mine) if _key(x)[:2] != (uid, _key(link)[1])]
            local[owner] = {**mine, "links": _values([*links, turned(uid, link)])}


class Mirrors:
    """Each contact's :data:`MIRROR`: the links the synced cards of other contacts decide.

    Read from the last synced records (those on the server, as this workspace last saw
    them), so that every workspace up to date writes the same; kept current by
    :meth:`update` as the push writes cards (in the order of their UIDs, so a card's
    mirror is written after the cards it mirrors).
    """

    def __init__(self, kept: Mapping[str, state.Item]) -> None:
        self.named: dict[str, set[str]] = {}  # owner → the UIDs its links name
        self.to: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
        for uid, item in kept.items():
            self.update(uid, item)

    def update(self, uid: str, item: state.Item | None) -> None:
        """The synced card of ``uid`` is now ``item`` (None: no longer on the server)."""
        for other in self.named.pop(uid, ()):
            self.to[other].pop(uid, None)
        if item is None or not item.href:
            return
        links = links_in(split_links(uid, item.record))
        if not links:
            return
        self.named[uid] = {str(x["uid"]) for x in links}
        for x in links:
            self.to[str(x["uid"])].setdefault(uid, []).append(turned(uid, x))

    def outgoing(self, uid: str, record: Record) -> Record:
        """``record`` as its card is written: with its :data:`MIRROR` (left out when none)."""
        found = [x for links in self.to.get(uid, {}).values() for x in links]
        sent = merged_part(record)
        return {**sent, MIRROR: _values(found)} if found else sent
