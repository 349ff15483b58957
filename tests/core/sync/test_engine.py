"""Two workspaces ("two laptops") sync through one real Radicale."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.merge import resolve
from socialdesk.core.sync.summary import Summary
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace
from sync_notes import KINDS


def laptop(tmp_path: Path, name: str, url: str) -> Workspace:
    ws = Workspace.open(tmp_path / f"{name}.socialdesk", create=True)
    setup(ws, url, "team", "secret", name="Corner Bakery")
    return ws


def sync(ws: Workspace) -> Summary:
    with client_for(ws) as client:
        return engine.sync(ws, client, KINDS)


def posts(ws: Workspace) -> dict[str, dict[str, object]]:
    return KINDS[0].records(ws)


def write(ws: Workspace, uid: str, **fields: str) -> None:
    record = {"title": "", "notes": "", "scheduled_on": "", **posts(ws).get(uid, {}), **fields}
    with ws.transaction():
        KINDS[0].apply(ws, uid, record)


def remove(ws: Workspace, uid: str) -> None:
    with ws.transaction():
        KINDS[0].delete(ws, uid)


@pytest.fixture
def pair(tmp_path: Path, dav):  # type: ignore[no-untyped-def]
    ann, bob = laptop(tmp_path, "ann", dav.url), laptop(tmp_path, "bob", dav.url)
    yield ann, bob
    ann.close()
    bob.close()


def test_both_laptops_find_one_calendar_named_after_the_workspace(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    a, b = state.account(ann), state.account(bob)
    assert a is not None and b is not None
    assert a.calendar_url == b.calendar_url and "corner-bakery" in a.calendar_url
    assert a.addressbook_url == b.addressbook_url != a.calendar_url


def test_create_edit_and_delete_travel_both_ways(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    write(ann, "p1", title="Bread day", scheduled_on="2027-03-01")
    assert sync(ann).sent == 1
    summary = sync(bob)
    assert summary.received == 1 and summary.changes
    assert posts(bob) == {"p1": {"title": "Bread day", "notes": "",
                                 "scheduled_on": "2027-03-01"}}

    write(bob, "p1", notes="bring flyers")
    write(bob, "p2", title="Cake day")
    assert sync(bob).sent == 2
    assert sync(ann).received == 2
    assert posts(ann) == posts(bob)

    remove(ann, "p2")
    assert sync(ann).sent == 1
    summary = sync(bob)
    assert summary.deleted == 1
    assert set(posts(bob)) == {"p1"}
    assert sync(ann).as_json() == {"sent": 0, "received": 0, "merged": 0, "deleted": 0,
                                   "conflicts": []}


def test_changes_to_different_fields_merge(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    write(ann, "p1", title="Bread day")
    sync(ann), sync(bob)
    write(ann, "p1", title="Bread and butter day")
    write(bob, "p1", notes="ask the mill")
    sync(ann)
    summary = sync(bob)
    assert summary.merged == 1 and summary.conflicts == []
    sync(ann)
    expected = {"title": "Bread and butter day", "notes": "ask the mill", "scheduled_on": ""}
    assert posts(ann)["p1"] == posts(bob)["p1"] == expected


def test_the_same_field_changed_on_both_sides_is_one_conflict_until_decided(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    write(ann, "p1", title="Bread day")
    sync(ann), sync(bob)
    write(ann, "p1", title="Ann's title")
    write(bob, "p1", title="Bob's title", notes="bob's note")
    sync(ann)
    summary = sync(bob)
    assert [(c["kind"], c["field"], c["mine"], c["theirs"]) for c in summary.conflicts] == [
        ("post", "title", "Bob's title", "Ann's title")]
    assert posts(bob)["p1"]["title"] == "Bob's title"  # mine stays until decided
    sync(bob)
    sync(ann)
    # bob's note travelled; his title did not, and the conflict is shown once
    assert posts(ann)["p1"] == {"title": "Ann's title", "notes": "bob's note",
                                "scheduled_on": ""}
    assert len(sync(bob).conflicts) == 1

    resolve(bob, summary.conflicts[0]["id"], "mine", KINDS)
    assert sync(bob).sent == 1 and sync(ann).received == 1
    assert posts(ann)["p1"]["title"] == posts(bob)["p1"]["title"] == "Bob's title"


def test_keeping_theirs_takes_the_servers_value(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    write(ann, "p1", title="Bread day")
    sync(ann), sync(bob)
    write(ann, "p1", title="Ann's title")
    write(bob, "p1", title="Bob's title")
    sync(ann)
    [conflict] = sync(bob).conflicts
    changes = resolve(bob, conflict["id"], "theirs", KINDS)
    assert changes and posts(bob)["p1"]["title"] == "Ann's title"
    assert sync(bob).as_json()["sent"] == 0 and sync(bob).conflicts == []


def test_an_edit_against_a_deletion_is_a_conflict(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    write(ann, "p1", title="Bread day")
    write(ann, "p2", title="Cake day")
    sync(ann), sync(bob)
    remove(ann, "p1")  # ann deletes p1, bob edits it
    write(bob, "p1", notes="still on")
    write(ann, "p2", notes="ann edits p2")  # and the other way round for p2
    remove(bob, "p2")
    sync(ann)
    summary = sync(bob)
    shown = {(c["title"], c["field"], c["mine"] is None, c["theirs"] is None)
             for c in summary.conflicts}
    assert shown == {("Bread day", "*", False, True), ("Cake day", "*", True, False)}
    assert "p1" in posts(bob) and "p2" not in posts(bob)  # nothing dropped meanwhile
    sync(ann)
    assert set(posts(ann)) == {"p2"}  # bob's side waits for the decision

    by_title = {c["title"]: c["id"] for c in summary.conflicts}
    resolve(bob, by_title["Bread day"], "mine", KINDS)  # keep the edited p1
    resolve(bob, by_title["Cake day"], "theirs", KINDS)  # take ann's edited p2
    sync(bob), sync(ann)
    assert posts(ann) == posts(bob)
    assert posts(ann)["p1"]["notes"] == "still on" and posts(ann)["p2"]["notes"] == "ann edits p2"


def test_offline_edits_on_both_sides_converge(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    for n in range(6):
        write(ann, f"p{n}", title=f"Post {n}")
    sync(ann), sync(bob)
    write(ann, "p0", title="Zero")
    write(ann, "a-new", title="Ann's new")
    remove(ann, "p1")
    write(bob, "p2", notes="two")
    write(bob, "b-new", title="Bob's new")
    remove(bob, "p3")
    write(bob, "p0", scheduled_on="2027-05-05")
    sync(ann), sync(bob), sync(ann)
    assert posts(ann) == posts(bob)
    assert set(posts(ann)) == {"p0", "p2", "p4", "p5", "a-new", "b-new"}
    assert posts(ann)["p0"] == {"title": "Zero", "notes": "", "scheduled_on": "2027-05-05"}


def test_deleting_an_item_with_an_undecided_conflict_settles_it(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    write(ann, "p1", title="Bread day")
    sync(ann), sync(bob)
    write(ann, "p1", title="Ann's title")
    write(bob, "p1", title="Bob's title")
    sync(ann)
    assert len(sync(bob).conflicts) == 1
    remove(bob, "p1")
    summary = sync(bob)
    assert summary.sent == 1 and summary.conflicts == []
    assert sync(ann).deleted == 1 and posts(ann) == {}


def test_an_edit_made_elsewhere_while_changes_come_in_is_kept(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The window (another connection) edits p2 while the sync takes in p1 and p2."""
    ann, bob = pair
    write(ann, "p1", title="Bread day")
    write(ann, "p2", title="Cake day")
    sync(ann), sync(bob)
    write(ann, "p1", title="Bread day!")
    write(ann, "p2", title="Cake day!")
    sync(ann)

    def window_edits(message: str) -> None:
        if message.startswith("Taking in post changes: 2 of 2"):
            with Workspace.open(bob.path) as window:
                write(window, "p2", notes="typed in the window meanwhile")

    with client_for(bob) as client:
        engine.sync(bob, client, KINDS, progress=window_edits)
    assert posts(bob)["p2"] == {"title": "Cake day!", "notes": "typed in the window meanwhile",
                                "scheduled_on": ""}
    sync(bob), sync(ann)
    assert posts(ann) == posts(bob)


def test_a_conflict_settled_by_typing_their_value_goes_away(pair) -> None:  # type: ignore[no-untyped-def]
    ann, bob = pair
    write(ann, "p1", title="Bread day")
    sync(ann), sync(bob)
    write(ann, "p1", title="Ann's title")
    write(bob, "p1", title="Bob's title")
    sync(ann)
    assert len(sync(bob).conflicts) == 1
    write(bob, "p1", title="Ann's title")
    assert sync(bob).conflicts == []


def test_each_laptop_sees_who_else_syncs(pair) -> None:  # type: ignore[no-untyped-def]
    import socket

    ann, bob = pair
    sync(ann), sync(bob)
    account = state.account(bob)
    assert account is not None
    seen = state.devices(account)
    assert len(seen) == 2 and {d["name"] for d in seen} == {socket.gethostname()}
    assert seen[0]["synced_at"] == account.last_sync_at  # newest first: bob himself
