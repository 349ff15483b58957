"""Cases the randomized convergence test (``test_convergence.py``) found, each on its own.

Two (or three) empty workspaces ("laptops") share a calendar and address book on a real
Radicale.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.dav import SyncError
from socialdesk.core.sync.kind import Record
from socialdesk.core.sync.kinds import default_kinds
from socialdesk.core.sync.link_authority import MIRROR
from socialdesk.core.sync.merge import resolve
from socialdesk.store import sync as state
from socialdesk.store.asks import NewAsk, create_asks, record_outcome
from socialdesk.store.campaigns import create_campaign, delete_campaign
from socialdesk.store.contacts import delete_contact, save_contact
from socialdesk.store.links import links_of, set_links
from socialdesk.store.models import Campaign, Contact, Link, PostDraft
from socialdesk.store.post_writes import create_post, delete_post
from socialdesk.store.workspace import Workspace

KINDS = default_kinds()


def everything(ws: Workspace) -> dict[str, dict[str, Record]]:
    return {kind.name: kind.records(ws) for kind in KINDS}


def sync(ws: Workspace) -> engine.Summary:
    with client_for(ws) as client:
        return engine.sync(ws, client, KINDS)


@pytest.fixture
def laptops(tmp_path: Path, dav: Any) -> Iterator[tuple[Workspace, Workspace]]:
    pair = []
    for name in ("a", "b"):
        ws = Workspace.open(tmp_path / f"{name}.sqlite", create=True)
        setup(ws, dav.url, "team", "secret", name="Team")
        pair.append(ws)
    yield pair[0], pair[1]
    for ws in pair:
        ws.close()


def test_a_contact_linked_to_one_deleted_by_a_phone_is_deleted_without_a_conflict(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    ann = save_contact(a, Contact(0, "Ann"))
    bob = save_contact(a, Contact(0, "Bob"))
    set_links(a, ann, [Link(0, ann, bob, "knows")])
    sync(a)
    sync(b)
    bob_uid = a.conn.execute("SELECT uid FROM contacts WHERE id = ?", (bob,)).fetchone()[0]
    card = state.item(a, "contact", bob_uid)
    assert card is not None
    with client_for(a) as phone:  # Ann's card still names Bob (RELATED)
        phone.delete(card.href, card.etag)
    assert sync(b).conflicts == []
    delete_contact(a, ann)
    sync(a)
    summary = sync(b)
    assert summary.conflicts == []
    assert everything(b)["contact"] == {} == everything(a)["contact"]


def test_keeping_theirs_of_an_ask_whose_partner_is_gone_here_says_why_and_waits(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    partner = save_contact(a, Contact(0, "Ann"))
    post = create_post(a, PostDraft("Spring sale", scheduled_on="2027-03-01"))
    create_asks(a, [NewAsk(partner, post, "2027-02-01")])
    sync(a)
    sync(b)
    record_outcome(b, b.conn.execute("SELECT id FROM asks").fetchone()[0], "agreed",
                   answered_on="2027-02-03")
    sync(b)
    delete_contact(a, partner)  # takes the ask along
    [conflict] = sync(a).conflicts
    assert (conflict["kind"], conflict["field"], conflict["mine"]) == ("ask", "*", None)
    with pytest.raises(KeyError, match="partner"):
        resolve(a, conflict["id"], "theirs", KINDS)
    assert [c["id"] for c in sync(a).conflicts] == [conflict["id"]]
    resolve(a, conflict["id"], "mine", KINDS)
    for ws in (a, b, a):
        assert sync(ws).conflicts == []
    assert everything(a) == everything(b)
    assert everything(b)["ask"] == {} == everything(b)["contact"]


def test_a_campaign_deleted_there_with_such_a_contact_goes_here_without_a_conflict(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    create_campaign(a, Campaign(0, "Spring"))
    ann = save_contact(a, Contact(0, "Ann"))
    bob = save_contact(a, Contact(0, "Bob"))
    set_links(a, ann, [Link(0, ann, bob, "knows")])
    sync(a)
    sync(b)
    bob_uid = a.conn.execute("SELECT uid FROM contacts WHERE id = ?", (bob,)).fetchone()[0]
    card = state.item(a, "contact", bob_uid)
    assert card is not None
    with client_for(a) as phone:
        phone.delete(card.href, card.etag)
    sync(b)
    delete_contact(a, ann)
    delete_campaign(a, a.conn.execute("SELECT id FROM campaigns").fetchone()[0])
    sync(a)
    summary = sync(b)
    assert summary.conflicts == []
    assert everything(b)["campaign"] == {} == everything(a)["campaign"]


def test_a_post_deleted_there_whose_campaign_went_here_goes_without_a_conflict(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    spring = create_campaign(a, Campaign(0, "Spring"))
    create_post(a, PostDraft("Spring sale", campaign_id=spring, scheduled_on="2027-03-01"))
    sync(a)
    sync(b)
    delete_post(a, a.conn.execute("SELECT id FROM posts").fetchone()[0])
    sync(a)
    delete_campaign(b, b.conn.execute("SELECT id FROM campaigns").fetchone()[0])
    summary = sync(b)
    assert summary.conflicts == []
    sync(a)
    assert everything(a) == everything(b)
    assert everything(b)["post"] == {} == everything(b)["campaign"]


def test_a_post_deleted_there_whose_campaign_was_taken_off_here_is_a_conflict(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    spring = create_campaign(a, Campaign(0, "Spring"))
    create_post(a, PostDraft("Spring sale", campaign_id=spring, scheduled_on="2027-03-01"))
    sync(a)
    sync(b)
    delete_post(a, a.conn.execute("SELECT id FROM posts").fetchone()[0])
    sync(a)
    b.conn.execute("UPDATE posts SET campaign_id = NULL")  # an edit here, the campaign stays
    [conflict] = sync(b).conflicts
    assert (conflict["kind"], conflict["field"], conflict["theirs"]) == ("post", "*", None)


def test_an_item_kept_on_both_against_its_deletion_merges_their_edits(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    create_campaign(a, Campaign(0, "Spring"))
    sync(a)
    sync(b)
    a.conn.execute("UPDATE campaigns SET name = 'Spring sale'")
    b.conn.execute("UPDATE campaigns SET goal = 'More readers'")
    uid = a.conn.execute("SELECT uid FROM campaigns").fetchone()[0]
    card = state.item(a, "campaign", uid)
    assert card is not None
    with client_for(a) as phone:  # deleted elsewhere meanwhile
        phone.delete(card.href, card.etag)
    for ws in (a, b):
        [conflict] = sync(ws).conflicts
        assert conflict["field"] == "*"
        resolve(ws, conflict["id"], "mine", KINDS)
    sync(a)  # sends its version back
    assert sync(b).conflicts == []  # only a changed the name, only b the goal
    sync(a)
    [spring] = everything(b)["campaign"].values()
    assert (spring["name"], spring["goal"]) == ("Spring sale", "More readers")
    assert everything(a) == everything(b)


def uid_of(ws: Workspace, contact_id: int) -> str:
    return str(ws.conn.execute("SELECT uid FROM contacts WHERE id = ?",
                               (contact_id,)).fetchone()[0])


def test_a_links_conflict_is_shown_once_and_once_decided_the_laptops_settle(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    ann, bob = save_contact(a, Contact(0, "Ann")), save_contact(a, Contact(0, "Bob"))
    sync(a)
    sync(b)
    uids = uid_of(a, ann), uid_of(a, bob)
    ann_b, bob_b = (b.conn.execute("SELECT id FROM contacts WHERE uid = ?",
                                   (uid,)).fetchone()[0] for uid in uids)
    set_links(a, ann, [Link(0, ann, bob, "knows")])
    set_links(b, ann_b, [Link(0, ann_b, bob_b, "works_with")])
    sync(a)
    # one conflict, on the contact whose card decides the link: the smaller UID's
    [conflict] = sync(b).conflicts
    found = state.conflict(b, conflict["id"])
    assert found is not None and (found.uid, found.field) == (min(uids), "links")
    resolve(b, conflict["id"], "mine", KINDS)
    quiet = 0
    for _ in range(6):  # each laptop in turn, until neither has anything to send or take
        for ws in (a, b):
            summary = sync(ws)
            assert summary.conflicts == []
            busy = summary.sent or summary.received or summary.merged or summary.deleted
            quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            break
    assert quiet >= 2, "the laptops still send the two contacts back and forth"
    assert everything(a) == everything(b)
    assert [link.kind for link in links_of(a, ann)] == ["works_with"]  # as decided on b
    assert [link.kind for link in links_of(b, bob_b)] == ["works_with"]


def test_links_synced_before_cards_decided_them_travel_on_without_a_write(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    ann, bob = save_contact(a, Contact(0, "Ann")), save_contact(a, Contact(0, "Bob"))
    set_links(a, ann, [Link(0, ann, bob, "knows", 0.7, True, "Met at the fair")])
    sync(a)
    sync(b)
    for ws in (a, b):  # as a workspace kept them before: each contact's every link
        for item in state.items(ws, "contact").values():
            record = dict(item.record)
            record["links"] = sorted([*record.pop(MIRROR, []), *record["links"]],
                                     key=lambda link: link["uid"])
            state.save_item(ws, "contact", item.uid, item.href, item.etag, record)
    for ws in (a, b):
        summary = sync(ws)
        assert (summary.sent, summary.received, summary.conflicts) == (0, 0, [])
    set_links(b, b.conn.execute("SELECT id FROM contacts WHERE uid = ?",
                                (uid_of(a, ann),)).fetchone()[0], [])
    summary = sync(b)  # the deciding card, then the other one's copy
    assert (summary.sent, summary.conflicts) == (2, [])
    assert sync(a).received == 1  # the other card's copy is not taken in
    assert links_of(a, ann) == [] and everything(a) == everything(b)


def test_three_laptops_linking_the_same_contacts_offline_settle(laptops, dav, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    c = Workspace.open(tmp_path / "c.sqlite", create=True)
    setup(c, dav.url, "team", "secret", name="Team")
    try:
        for name in ("Ann", "Bob", "Cat"):
            save_contact(a, Contact(0, name))
        for ws in (a, b, c, a, b, c):
            sync(ws)

        def ids(ws: Workspace) -> list[int]:  # by UID: the first one's card decides most
            return [r[0] for r in ws.conn.execute("SELECT id FROM contacts ORDER BY uid")]

        def link(ws: Workspace, one: int, other: int) -> None:
            first, second = ids(ws)[one], ids(ws)[other]
            set_links(ws, first, [*links_of(ws, first), Link(0, first, second, "knows")])

        link(b, 0, 1)
        sync(b)
        link(a, 2, 0)
        link(b, 2, 1)
        quiet = 0
        for round_ in range(8):  # every laptop in turn, deciding conflicts as they come
            for ws in (a, b, c):
                summary = sync(ws)
                for i, conflict in enumerate(summary.conflicts):
                    resolve(ws, conflict["id"], ("mine", "theirs")[(round_ + i) % 2], KINDS)
                busy = summary.sent or summary.received or summary.merged or summary.conflicts
                quiet = 0 if busy else quiet + 1
            if quiet >= 3:
                break
        assert quiet >= 3, "the laptops still send contacts back and forth"
        assert everything(a) == everything(b) == everything(c)
        assert len(everything(a)["contact"]) == 3
    finally:
        c.close()


def test_a_link_a_phone_adds_to_the_card_that_does_not_decide_it_is_undone(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    ann, bob = save_contact(a, Contact(0, "Ann")), save_contact(a, Contact(0, "Bob"))
    sync(a)
    sync(b)
    first, later = sorted((uid_of(a, ann), uid_of(a, bob)))
    card = state.item(a, "contact", later)
    assert card is not None
    with client_for(a) as phone:
        got = phone.get(card.href)
        assert got is not None
        text = got[0].replace("END:VCARD", f"RELATED;TYPE=friend;VALUE=uri:{first}\r\nEND:VCARD")
        phone.put(card.href, text, "text/vcard", got[1])
    summary = sync(b)
    assert (summary.received, summary.sent, summary.conflicts) == (0, 1, [])  # rewritten
    assert b.conn.execute("SELECT COUNT(*) FROM contact_links").fetchone()[0] == 0
    with client_for(a) as phone:
        got = phone.get(card.href)
    assert got is not None and "RELATED" not in got[0]
    assert sync(a).received == 0
    assert everything(a) == everything(b)


def test_a_link_to_a_contact_not_on_the_server_yet_waits_for_it(laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops
    ann = save_contact(a, Contact(0, "Ann"))
    a.conn.execute("UPDATE contacts SET uid = 'urn:uuid:0a' WHERE id = ?", (ann,))  # decides
    sync(a)
    sync(b)
    new = save_contact(a, Contact(0, "New"))
    a.conn.execute("UPDATE contacts SET uid = 'urn:uuid:0b' WHERE id = ?", (new,))
    set_links(a, ann, [Link(0, ann, new, "knows")])
    with client_for(a) as client:
        put = client.put

        def cut(*args: Any) -> str:  # Ann's card is written, then the connection is lost
            put(*args)
            raise SyncError("The connection was lost.")

        client.put = cut  # type: ignore[method-assign]
        with pytest.raises(SyncError):
            engine.sync(a, client, KINDS)
    summary = sync(b)  # Ann's card names a contact b cannot have yet: no edit of b's
    assert (summary.received, summary.sent, summary.conflicts) == (1, 0, [])
    sync(a)  # sends New
    assert sync(b).received == 1
    ann_b = b.conn.execute("SELECT id FROM contacts WHERE uid = 'urn:uuid:0a'").fetchone()[0]
    assert [(link.other_name, link.kind) for link in links_of(b, ann_b)] == [("New", "knows")]
    for ws in (a, b):
        assert sync(ws).sent == 0
    assert everything(a) == everything(b)


@pytest.mark.parametrize("b_first", [True, False], ids=["rewritten-there-first",
                                                    "deleted-here-first"])
def test_a_contact_deleted_while_its_links_go_elsewhere_is_no_conflict(laptops, b_first: bool
                                                                   ) -> None:  # type: ignore[no-untyped-def]
    # a deletes the contact whose card decides a link; b deletes the other contact, which
    # rewrites that card without the link: in either order, no edit against a deletion
    a, b = laptops
    bob = save_contact(a, Contact(0, "Bob"))
    carol = save_contact(a, Contact(0, "Carol"))
    set_links(a, bob, [Link(0, bob, carol, "knows")])
    uids = dict(a.conn.execute("SELECT name, uid FROM contacts").fetchall())
    deciding, other = sorted([("Bob", bob), ("Carol", carol)], key=lambda c: uids[c[0]])
    sync(a)
    sync(b)
    b_ids = dict(b.conn.execute("SELECT name, id FROM contacts").fetchall())
    delete_contact(b, b_ids[other[0]])
    delete_contact(a, deciding[1])
    first, second = (b, a) if b_first else (a, b)
    assert sync(first).conflicts == []
    assert sync(second).conflicts == []
    sync(first)
    assert everything(a)["contact"] == {} == everything(b)["contact"]
