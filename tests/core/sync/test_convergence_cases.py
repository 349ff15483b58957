"""Cases the randomized convergence test (``test_convergence.py``) found, each on its own.

Two empty workspaces ("laptops") share a calendar and address book on a real Radicale.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.kind import Record
from socialdesk.core.sync.kinds import default_kinds
from socialdesk.core.sync.merge import resolve
from socialdesk.store import sync as state
from socialdesk.store.asks import NewAsk, create_asks, record_outcome
from socialdesk.store.campaigns import create_campaign, delete_campaign
from socialdesk.store.contacts import delete_contact, save_contact
from socialdesk.store.links import set_links
from socialdesk.store.models import Campaign, Contact, Link, PostDraft
from socialdesk.store.post_writes import create_post
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
