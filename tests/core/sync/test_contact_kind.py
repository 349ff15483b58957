"""The contact kind of team sharing, on real workspaces: records, cards, apply, delete.

No server: a card goes through ``to_text``/``from_text`` as the server would store it,
and a second workspace ("the second laptop") applies what the first one's records say.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.core.sync.kind import KIND_ORDER, Record
from socialdesk.core.sync.link_authority import MIRROR, Mirrors
from socialdesk.store import sync as state
from socialdesk.store.asks import asks_for_contact
from socialdesk.store.audiences import set_audiences
from socialdesk.store.contacts import get_contact, save_contact
from socialdesk.store.interactions import ask_count, interactions_of, set_interactions
from socialdesk.store.links import links_of, set_links
from socialdesk.store.models import Audience, Contact, Detail, Interaction, Link
from socialdesk.store.partners import audiences_of
from socialdesk.store.share import keep_slug
from socialdesk.store.sync_contacts import contact_ids
from socialdesk.store.workspace import Workspace


@pytest.fixture
def second(tmp_path: Path) -> Iterator[Workspace]:
    """An empty workspace: the second laptop joining the shared address book."""
    ws = Workspace.open(tmp_path / "second.sqlite", create=True)
    yield ws
    ws.close()


def _apply_all(ws: Workspace, records: dict[str, Record]) -> None:
    """Apply ``records`` as a sync does: the larger UIDs first (see link_authority)."""
    with ws.transaction():
        for uid in sorted(records, reverse=True):
            CONTACT_KIND.apply(ws, uid, records[uid])


def _cards(records: dict[str, Record]) -> dict[str, Record]:
    """The cards a server holds for ``records``, each with the links others decide."""
    mirrors = Mirrors({uid: state.Item("contact", uid, f"/{uid}.vcf", "", record)
                       for uid, record in records.items()})
    return {uid: mirrors.outgoing(uid, record) for uid, record in records.items()}


def _synced(ws: Workspace, cards: dict[str, Record], order: list[str]) -> None:
    """Take in ``cards`` in ``order`` as a sync does: apply each, then keep it as synced."""
    with ws.transaction():
        for uid in order:
            CONTACT_KIND.apply(ws, uid, cards[uid])
            state.save_item(ws, "contact", uid, f"/{uid}.vcf", "", cards[uid])


@contextmanager
def _counting(ws: Workspace) -> Iterator[list[str]]:
    statements: list[str] = []
    ws.conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        ws.conn.set_trace_callback(None)


def test_the_kind_is_the_address_books_contact() -> None:
    assert CONTACT_KIND.name == "contact" and CONTACT_KIND.name in KIND_ORDER
    assert (CONTACT_KIND.collection, CONTACT_KIND.component) == ("addressbook", "VCARD")


def test_every_demo_contact_comes_back_from_its_card(demo: Workspace) -> None:
    records = CONTACT_KIND.records(demo)
    assert len(records) == 150
    cards = _cards(records)
    for uid, record in [*records.items(), *cards.items()]:
        assert CONTACT_KIND.from_text(CONTACT_KIND.to_text(uid, record)) == (uid, record)
    # the demo holds every part of a contact, so the loop above checked them all
    for part in ("details", "tags", "audiences", "interactions", "links", MIRROR):
        assert sum(len(r.get(part) or ()) for r in cards.values()) > 20, part  # type: ignore[arg-type]
    assert {"in", "out", "both"} <= {link["direction"] for r in cards.values()
                                     for link in [*r["links"], *r.get(MIRROR, ())]}  # type: ignore[misc]


def test_a_second_laptop_joining_gets_every_contact_whole(
    demo: Workspace, second: Workspace
) -> None:
    records = CONTACT_KIND.records(demo)
    # as the server hands the cards out
    _apply_all(second, dict(CONTACT_KIND.from_text(CONTACT_KIND.to_text(uid, record))
                            for uid, record in records.items()))
    assert CONTACT_KIND.records(second) == records
    # what the app shows on the second laptop: a partner's audiences, links, history
    uid, _record = next((u, r) for u, r in records.items() if r["audiences"] and r["links"])
    here, there = contact_ids(demo, [uid])[uid], contact_ids(second, [uid])[uid]
    assert [a.size for a in audiences_of(second, there)] == \
        [a.size for a in audiences_of(demo, here)]
    assert {link.other_name for link in links_of(second, there)} == \
        {link.other_name for link in links_of(demo, here)}
    assert len(interactions_of(second, there)) == len(interactions_of(demo, here))


def test_the_second_laptop_gets_the_links_whatever_order_contacts_arrive_in(
    demo: Workspace, second: Workspace
) -> None:
    records = CONTACT_KIND.records(demo)
    cards = {uid: CONTACT_KIND.from_text(CONTACT_KIND.to_text(uid, card))[1]
             for uid, card in _cards(records).items()}
    _synced(second, cards, sorted(records))  # each card before the contacts it names
    assert CONTACT_KIND.records(second) == records


def test_records_read_every_contact_in_a_handful_of_queries(demo: Workspace) -> None:
    with _counting(demo) as statements:
        CONTACT_KIND.records(demo)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 8, selects
    contact = get_contact(demo, 1)
    assert contact is not None
    with demo.transaction():  # a hundred more contacts: not one query more
        for number in range(100):
            save_contact(demo, Contact(0, f"Extra {number}", details=(
                Detail("email", f"extra{number}@example.org"),)))
    with _counting(demo) as more:
        records = CONTACT_KIND.records(demo)
    assert len(records) == 250
    assert len([s for s in more if s.lstrip().upper().startswith("SELECT")]) == len(selects)


def test_records_are_the_same_for_the_same_data(demo: Workspace, second: Workspace) -> None:
    first = CONTACT_KIND.records(demo)
    assert CONTACT_KIND.records(demo) == first
    # applying a contact's own record changes nothing it holds
    with demo.transaction():
        for uid, record in list(first.items())[:40]:
            CONTACT_KIND.apply(demo, uid, record)
    assert CONTACT_KIND.records(demo) == first


def _uids(ws: Workspace) -> dict[int, str]:
    """Every contact's UID by its id."""
    return {i: u for u, i in contact_ids(ws, CONTACT_KIND.records(ws)).items()}


def _partner(ws: Workspace, name: str, organisation: str = "") -> tuple[int, str]:
    contact_id = save_contact(ws, Contact(0, name, organisation))
    return contact_id, _uids(ws)[contact_id]


def test_an_edit_made_on_this_laptop_shows_in_the_record_and_travels(
    workspace: Workspace, second: Workspace
) -> None:
    ann_id, ann = _partner(workspace, "Ann Lee", organisation="Corner Café")
    bob_id, bob = _partner(workspace, "Bob Stone")
    _apply_all(second, CONTACT_KIND.records(workspace))
    set_audiences(workspace, ann_id, [
        Audience(0, 0, "Instagram", 1200, "@corner", 0.04, "2026-10-01", ("bread", "Cakes")),
        Audience(0, 0, "Substack", 300, "", None, None, (), "https://corner.substack.com")])
    set_interactions(workspace, ann_id, [Interaction(0, 0, "2026-11-02", "gave", "Samples")])
    set_links(workspace, ann_id, [Link(0, bob_id, ann_id, "mentor", 0.8, True, "Taught her")])
    contact = get_contact(workspace, ann_id)
    assert contact is not None
    save_contact(workspace, Contact(
        ann_id, "Ann Lee", "Corner Café", "partner", "ally", 0.7, 25, "Likes rye",
        "2026-12-01", details=(Detail("email", "ann@corner.example", "work"),
                               Detail("phone", "+44 20 7946 0000", "Mobile")),
        tags=("vip", "Bakers")))
    keep_slug(workspace, ann_id, "corner-cafe")

    records = CONTACT_KIND.records(workspace)
    record = records[ann]
    assert record["audiences"] == [
        {"platform": "instagram", "handle": "@corner", "url": "", "size": 1200,
         "engagement_rate": 0.04, "last_checked_on": "2026-10-01", "topics": ["bread", "Cakes"]},
        {"platform": "Substack", "handle": "", "url": "https://corner.substack.com",
         "size": 300, "engagement_rate": None, "last_checked_on": None, "topics": []}]
    # the card of the contact with the smaller UID decides the link
    held = {ann: {"uid": bob, "kind": "mentor", "weight": 0.8, "direction": "in",
                  "note": "Taught her"},
            bob: {"uid": ann, "kind": "mentor", "weight": 0.8, "direction": "out",
                  "note": "Taught her"}}
    first, later = sorted((ann, bob))
    assert (records[first]["links"], records[later]["links"]) == ([held[first]], [])
    assert record["tags"] == ["Bakers", "vip"]
    assert record["details"][1] == {  # type: ignore[index]
        "kind": "phone", "value": "+44 20 7946 0000", "label": "mobile"}
    assert (record["slug"], record["stage"], record["effort_minutes"]) == \
        ("corner-cafe", "ally", 25)

    for uid in (ann, bob):  # through the server and into the other laptop
        CONTACT_KIND.apply(second, *CONTACT_KIND.from_text(CONTACT_KIND.to_text(uid, records[uid])))
    assert CONTACT_KIND.records(second) == records


def test_a_link_to_a_contact_not_here_is_left_out_until_it_arrives(
    workspace: Workspace, second: Workspace
) -> None:
    ann_id, ann = _partner(workspace, "Ann Lee")
    bob_id, bob = _partner(workspace, "Bob Stone")
    set_links(workspace, ann_id, [Link(0, ann_id, bob_id, "knows", 0.6)])
    records = CONTACT_KIND.records(workspace)
    cards = _cards(records)
    first, later = sorted((ann, bob))  # the first one's card decides the link

    _synced(second, cards, [first])
    assert CONTACT_KIND.records(second)[first]["links"] == []  # the other is not invented
    assert len(CONTACT_KIND.records(second)) == 1
    _synced(second, cards, [later])  # its card names the first, whose card has the link
    assert CONTACT_KIND.records(second) == records


def test_a_link_only_the_other_card_names_is_not_taken_in(
    workspace: Workspace, second: Workspace
) -> None:
    ann_id, ann = _partner(workspace, "Ann Lee")
    bob_id, bob = _partner(workspace, "Bob Stone")
    records = CONTACT_KIND.records(workspace)
    _apply_all(second, records)
    set_links(workspace, ann_id, [Link(0, ann_id, bob_id, "knows", 0.6)])
    later = max(ann, bob)
    card = _cards(CONTACT_KIND.records(workspace))[later]
    assert card[MIRROR]  # the link, as the other card has it: not this card's to decide
    CONTACT_KIND.apply(second, later, card)
    assert CONTACT_KIND.records(second) == records


def test_delete_removes_the_contact_and_what_hangs_off_it(demo: Workspace) -> None:
    records = CONTACT_KIND.records(demo)
    uid, record = next((u, r) for u, r in records.items() if r["links"] and r["interactions"])
    contact_id = contact_ids(demo, [uid])[uid]
    others = [link["uid"] for link in record["links"]]  # type: ignore[union-attr,index]
    with demo.transaction():
        CONTACT_KIND.delete(demo, uid)
        CONTACT_KIND.delete(demo, "urn:uuid:no-such-contact")  # nothing to do
    after = CONTACT_KIND.records(demo)
    assert uid not in after and len(after) == len(records) - 1
    assert get_contact(demo, contact_id) is None
    assert interactions_of(demo, contact_id) == [] and audiences_of(demo, contact_id) == []
    for other in others:  # the other ends lose the link too
        assert uid not in [link["uid"] for link in after[other]["links"]]  # type: ignore[index,union-attr]


def test_delete_takes_the_contacts_asks_along(demo: Workspace) -> None:
    asked = next(i for i in _uids(demo) if asks_for_contact(demo, i))
    CONTACT_KIND.delete(demo, _uids(demo)[asked])
    assert ask_count(demo, asked) == 0


def test_apply_updates_a_contact_in_place(demo: Workspace) -> None:
    records = CONTACT_KIND.records(demo)
    uid, record = next((u, r) for u, r in records.items() if r["audiences"])
    contact_id = contact_ids(demo, [uid])[uid]
    changed = {**record, "name": "Renamed Partner", "tags": ["new tag"], "audiences": [],
               "interactions": [{"happened_on": "2026-01-05", "kind": "call", "note": "Hi"}]}
    CONTACT_KIND.apply(demo, uid, changed)
    assert contact_ids(demo, [uid])[uid] == contact_id  # the same contact: asks stay its own
    assert CONTACT_KIND.records(demo)[uid] == changed


def test_a_slug_is_never_taken_away(workspace: Workspace) -> None:
    ann_id, ann = _partner(workspace, "Ann Lee")
    keep_slug(workspace, ann_id, "ann-lee")
    record = CONTACT_KIND.records(workspace)[ann]
    CONTACT_KIND.apply(workspace, ann, {**record, "slug": None})
    assert CONTACT_KIND.records(workspace)[ann]["slug"] == "ann-lee"


def test_the_slug_on_the_server_wins_and_the_other_contact_gets_a_new_one(
    workspace: Workspace
) -> None:
    _ann_id, ann = _partner(workspace, "Ann Lee")
    other_id, other = _partner(workspace, "Ann Lee")  # made here, offline, same name
    keep_slug(workspace, other_id, "ann-lee")
    record = CONTACT_KIND.records(workspace)[ann]
    CONTACT_KIND.apply(workspace, ann, {**record, "slug": "ann-lee"})
    records = CONTACT_KIND.records(workspace)
    assert records[ann]["slug"] == "ann-lee"
    assert records[other]["slug"] == "ann-lee-2"
