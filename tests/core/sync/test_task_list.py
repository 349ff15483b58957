"""Asks in a task list of their own beside the posts' calendar, and the move of asks that
an earlier SocialDesk kept in the calendar."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pytest

from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.ask_kind import AskKind
from socialdesk.core.sync.kind import Kind, Record
from socialdesk.core.sync.kinds import default_kinds
from socialdesk.store import sync as state
from socialdesk.store.asks import NewAsk, create_asks, record_outcome
from socialdesk.store.contacts import save_contact
from socialdesk.store.models import Contact, PostDraft
from socialdesk.store.post_writes import create_post
from socialdesk.store.workspace import Workspace

KINDS = default_kinds()


class _AskInTheCalendar(AskKind):
    """Asks as SocialDesk before schema version 21 kept them: in the calendar."""

    collection: Literal["calendar"] = "calendar"  # type: ignore[assignment]


EARLIER: list[Kind] = [_AskInTheCalendar() if k.name == "ask" else k for k in KINDS]


def sync(ws: Workspace, kinds: Sequence[Kind] = KINDS) -> engine.Summary:
    with client_for(ws) as client:
        return engine.sync(ws, client, kinds)


def everything(ws: Workspace) -> dict[str, dict[str, Record]]:
    return {kind.name: kind.records(ws) for kind in KINDS}


def server_items(ws: Workspace) -> dict[str, list[str]]:
    """The UIDs of the asks in the calendar and in the task list, as the server has them."""
    account = state.account(ws)
    assert account is not None
    found: dict[str, list[str]] = {}
    with client_for(ws) as client:
        for name, url in (("calendar", account.calendar_url), ("tasks", account.tasks_url)):
            texts = [client.get(h) for h in client.etags(url)] if url else []
            found[name] = sorted(t[0].split("UID:", 1)[1].split("\r\n", 1)[0]
                                 for t in texts if t and "BEGIN:VTODO" in t[0])
    return found


def _phone_lists(dav: Any) -> dict[str, Any]:
    import caldav

    client = caldav.DAVClient(url=dav.url, username="team", password="secret")
    return {c.get_display_name(): c for c in client.get_principal().get_calendars()}


def test_asks_travel_in_a_task_list_of_their_own_that_a_phone_reads(tmp_path: Path,
                                                                     dav: Any) -> None:
    ann = Workspace.open(tmp_path / "ann.sqlite", create=True)
    setup(ann, dav.url, "team", "secret", name="Corner Bakery")
    partner = save_contact(ann, Contact(0, "Ann"))
    post = create_post(ann, PostDraft("Spring sale", scheduled_on="2027-03-01"))
    create_asks(ann, [NewAsk(partner, post, "2027-02-01", message="Could you share it?")])
    sync(ann)
    [ask_uid] = everything(ann)["ask"]
    assert server_items(ann) == {"calendar": [], "tasks": [ask_uid]}

    lists = _phone_lists(dav)
    assert set(lists) >= {"Corner Bakery", "Corner Bakery asks"}
    tasks = lists["Corner Bakery asks"]
    assert tasks.get_supported_components() == ["VTODO"]
    assert "VTODO" not in lists["Corner Bakery"].get_supported_components()
    [todo] = tasks.todos()
    assert todo.icalendar_component["uid"] == ask_uid
    post_uid = next(iter(everything(ann)["post"]))
    assert str(todo.icalendar_component["related-to"]) == post_uid
    todo.complete()  # the phone ticks it done: a share
    assert sync(ann).received == 1
    assert everything(ann)["ask"][ask_uid]["status"] == "shared"
    ann.close()


def _earlier_pair(tmp_path: Path, dav: Any) -> tuple[Workspace, Workspace]:
    """Two laptops whose earlier SocialDesk synced asks into the calendar (no task list)."""
    pair = []
    for name in ("a", "b"):
        ws = Workspace.open(tmp_path / f"{name}.sqlite", create=True)
        account = setup(ws, dav.url, "team", "secret", name="Team")
        state.set_task_list(ws, "")
        pair.append(ws)
    with client_for(pair[0]) as client:  # as an earlier setup left the server: no task list
        client._call("DELETE", account.tasks_url)
    return pair[0], pair[1]


@pytest.mark.parametrize("first", ["a", "b"])
def test_laptops_that_kept_asks_in_the_calendar_move_them_in_either_order(
        tmp_path: Path, dav: Any, first: str) -> None:
    a, b = _earlier_pair(tmp_path, dav)
    partners = [save_contact(a, Contact(0, name)) for name in ("Ann", "Bob", "Cem")]
    post = create_post(a, PostDraft("Spring sale", scheduled_on="2027-03-01"))
    create_asks(a, [NewAsk(p, post, "2027-02-01", message=f"Ask {p}") for p in partners])
    sync(a, EARLIER)
    sync(b, EARLIER)
    assert len(server_items(a)["calendar"]) == 3
    # offline, still on the earlier version: each edits an ask, b asks one more partner
    ask_a, ask_b, _ = (r[0] for r in a.conn.execute("SELECT id FROM asks ORDER BY id"))
    record_outcome(a, ask_a, "agreed", answered_on="2027-02-03")
    uid_b = a.conn.execute("SELECT uid FROM asks WHERE id = ?", (ask_b,)).fetchone()[0]
    b_ask = b.conn.execute("SELECT id FROM asks WHERE uid = ?", (uid_b,)).fetchone()[0]
    b.conn.execute("UPDATE asks SET note = 'called her' WHERE id = ?", (b_ask,))
    b.conn.commit()
    dana = save_contact(b, Contact(0, "Dana"))
    post_b = b.conn.execute("SELECT id FROM posts").fetchone()[0]
    create_asks(b, [NewAsk(dana, post_b, "2027-02-02", message="Dana?")])

    one, other = (a, b) if first == "a" else (b, a)
    for ws in (one, other, one, other):  # upgraded one after the other
        assert sync(ws).conflicts == []
    assert everything(a) == everything(b)
    asks = everything(a)["ask"]
    assert len(asks) == 4
    assert asks[uid_b]["note"] == "called her"
    assert sorted(r["status"] for r in asks.values()).count("agreed") == 1
    assert server_items(a) == {"calendar": [], "tasks": sorted(asks)}
    for ws in (a, b):
        assert sync(ws).sent == 0
    a.close()
    b.close()


def test_a_move_cut_short_is_finished_by_the_next_sync(tmp_path: Path, dav: Any) -> None:
    a, b = _earlier_pair(tmp_path, dav)
    partner = save_contact(a, Contact(0, "Ann"))
    post = create_post(a, PostDraft("Spring sale", scheduled_on="2027-03-01"))
    create_asks(a, [NewAsk(partner, post, "2027-02-01")])
    sync(a, EARLIER)
    sync(b, EARLIER)

    def no_deletes(app):  # type: ignore[no-untyped-def]
        def wrapped(environ, start):  # type: ignore[no-untyped-def]
            if environ["REQUEST_METHOD"] == "DELETE":
                start("503 Service Unavailable", [("Content-Length", "0")])
                return [b""]
            return app(environ, start)
        return wrapped

    dav.wrap.append(no_deletes)  # the ask is written to the task list, not deleted
    with pytest.raises(engine.SyncError):
        sync(a)
    dav.wrap.remove(no_deletes)
    assert len(server_items(a)["tasks"]) == 1 == len(server_items(a)["calendar"])
    for ws in (a, b, a, b):
        assert sync(ws).conflicts == []
    [uid] = everything(a)["ask"]
    assert server_items(a) == {"calendar": [], "tasks": [uid]}
    assert everything(a) == everything(b)
    a.close()
    b.close()
