"""Two workspaces on one machine sync every kind through a real Radicale and converge.

Laptop A is the small demo (contacts, campaigns, posts, asks, settings); laptop B joins
with an empty workspace. Items are compared through the kinds' own records, by UID.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.kind import Record
from socialdesk.core.sync.kinds import default_kinds
from socialdesk.core.sync.merge import resolve
from socialdesk.core.sync.summary import Summary
from socialdesk.store.workspace import Workspace

KINDS = default_kinds()


def everything(ws: Workspace) -> dict[str, dict[str, Record]]:
    return {kind.name: kind.records(ws) for kind in KINDS}


def sync(ws: Workspace) -> Summary:
    with client_for(ws) as client:
        return engine.sync(ws, client, KINDS)


def join(ws: Workspace, url: str) -> Workspace:
    setup(ws, url, "team", "secret", name="Corner Bakery")
    return ws


def cli(ws_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOCIALDESK_SYNC_PASSWORD": "secret"}
    return subprocess.run([sys.executable, "-m", "socialdesk", *args, "--workspace",
                           str(ws_path)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def thin_out(ws: Workspace, posts: int, contacts: int | None = None) -> None:
    """Keep ``posts`` posts with asks, their partners and ``contacts`` others (None: all)."""
    with ws.transaction():
        keep = [r[0] for r in ws.conn.execute(
            "SELECT id FROM posts WHERE id IN (SELECT post_id FROM asks) ORDER BY id LIMIT ?",
            (posts,))]
        marks = ", ".join("?" * len(keep))
        ws.conn.execute(f"DELETE FROM asks WHERE post_id IS NULL OR post_id NOT IN ({marks})",
                        keep)
        ws.conn.execute(f"DELETE FROM posts WHERE id NOT IN ({marks})", keep)
        if contacts is not None:
            ws.conn.execute(
                "DELETE FROM contacts WHERE id NOT IN (SELECT contact_id FROM asks) AND id NOT "
                "IN (SELECT id FROM contacts ORDER BY id LIMIT ?)", (contacts,))


def _converge(tmp_path: Path, demo_path: Path, dav: Any) -> dict[str, Any]:
    with Workspace.open(demo_path) as a, \
            Workspace.open(tmp_path / "b.socialdesk", create=True) as b:
        join(a, dav.url)
        sent = sync(a).sent
        join(b, dav.url)
        summary = sync(b)
        assert summary.conflicts == [] and summary.unreadable == []
        mine, theirs = everything(a), everything(b)
        assert {name: len(r) for name, r in mine.items()} == \
            {name: len(r) for name, r in theirs.items()}
        assert mine == theirs
        assert summary.received == sent
        assert sync(a).as_json() == sync(b).as_json() == {
            "sent": 0, "received": 0, "merged": 0, "deleted": 0, "conflicts": []}
        return mine


def test_an_empty_workspace_joining_gets_every_kind_of_a_small_team(
        tmp_path: Path, demo_path: Path, dav: Any) -> None:
    with Workspace.open(demo_path) as a:
        thin_out(a, 12)
    records = _converge(tmp_path, demo_path, dav)
    assert len(records["contact"]) == 150 and len(records["campaign"]) == 3
    assert len(records["post"]) == 12 and records["ask"] and records["settings"]


@pytest.mark.slow
def test_an_empty_workspace_joining_gets_the_whole_small_demo(
        tmp_path: Path, demo_path: Path, dav: Any) -> None:
    with Workspace.open_readonly(demo_path) as demo:
        counts = {kind: demo.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for kind, table in (("campaign", "campaigns"), ("contact", "contacts"),
                                      ("post", "posts"), ("ask", "asks"))}
    records = _converge(tmp_path, demo_path, dav)  # its speed: bench/bench_sync.py
    assert {name: len(r) for name, r in records.items()} == {"settings": 1, **counts}


@pytest.fixture
def pair(tmp_path: Path, demo_path: Path, dav: Any):  # type: ignore[no-untyped-def]
    """A (a thinned small demo) and B (joined from empty), synced once."""
    with Workspace.open(demo_path) as a:
        thin_out(a, 6, contacts=10)
    a = join(Workspace.open(demo_path), dav.url)
    b = join(Workspace.open(tmp_path / "b.socialdesk", create=True), dav.url)
    sync(a)
    sync(b)
    yield a, b
    a.close()
    b.close()


def _post(ws: Workspace, n: int) -> str:
    return ws.conn.execute("SELECT uid FROM posts ORDER BY uid LIMIT 1 OFFSET ?",
                           (n,)).fetchone()[0]


def _contact(ws: Workspace, n: int) -> str:
    return ws.conn.execute("SELECT uid FROM contacts ORDER BY uid LIMIT 1 OFFSET ?",
                           (n,)).fetchone()[0]


def _set(ws: Workspace, table: str, uid: str, **values: object) -> None:
    with ws.transaction():
        ws.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in values)} "
                        "WHERE uid = ?", [*values.values(), uid])


def _new_post(ws: Workspace, uid: str, title: str) -> None:
    with ws.transaction():
        ws.conn.execute("INSERT INTO posts (uid, title, scheduled_on) VALUES (?, ?, ?)",
                        (uid, title, "2027-05-01"))


def test_offline_edits_on_both_sides_merge_and_nothing_is_lost(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    post, contact, gone = _post(a, 0), _contact(a, 0), _post(a, 1)
    _set(a, "posts", post, title="Title from A")
    _set(b, "posts", post, notes="Notes from B")
    _set(a, "contacts", contact, notes="Met at the fair (A)")
    _set(b, "contacts", contact, organisation="Bakers Guild (B)")
    _new_post(a, "new-on-a", "Written on A")
    _new_post(b, "new-on-b", "Written on B")
    with b.transaction():
        b.conn.execute("DELETE FROM asks WHERE post_id = (SELECT id FROM posts WHERE uid = ?)",
                       (gone,))
        b.conn.execute("DELETE FROM posts WHERE uid = ?", (gone,))

    for ws in (a, b, a):
        conflicts = sync(ws).conflicts
        assert conflicts == [], [(c["kind"], c["field"], c["mine"], c["theirs"])
                                 for c in conflicts]
    assert everything(a) == everything(b)
    posts, contacts = everything(a)["post"], everything(a)["contact"]
    assert (posts[post]["title"], posts[post]["notes"]) == ("Title from A", "Notes from B")
    assert posts["new-on-a"]["title"] == "Written on A"
    assert posts["new-on-b"]["title"] == "Written on B"
    assert gone not in posts
    assert contacts[contact]["notes"] == "Met at the fair (A)"
    assert contacts[contact]["organisation"] == "Bakers Guild (B)"


def test_the_same_title_edited_on_both_is_one_conflict_resolved_by_the_user(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    post = _post(a, 2)
    _set(a, "posts", post, title="A's title")
    _set(b, "posts", post, title="B's title")
    assert sync(a).conflicts == []
    b_path = Path(b.path)
    b.close()
    done = cli(b_path, "sync", "--json")
    assert done.returncode == 0, done.stderr
    [conflict] = json.loads(done.stdout)["conflicts"]
    assert {k: conflict[k] for k in ("kind", "field", "mine", "theirs")} == {
        "kind": "post", "field": "title", "mine": "B's title", "theirs": "A's title"}
    again = cli(b_path, "sync", "--json")
    assert len(json.loads(again.stdout)["conflicts"]) == 1  # shown once, still pending
    done = cli(b_path, "sync", "resolve", str(conflict["id"]), "--keep", "theirs")
    assert done.returncode == 0, done.stderr
    assert json.loads(cli(b_path, "sync", "--json").stdout)["conflicts"] == []
    assert sync(a).conflicts == []
    with Workspace.open(b_path) as b2:
        assert everything(a) == everything(b2)
        assert everything(b2)["post"][post]["title"] == "A's title"


def test_a_phone_moving_a_posts_event_changes_its_date(pair, dav: Any) -> None:  # type: ignore[no-untyped-def]
    import caldav

    a, b = pair
    post = next(uid for uid, r in everything(a)["post"].items() if r["scheduled_on"])
    client = caldav.DAVClient(url=dav.url, username="team", password="secret")
    with client:
        [calendar] = [c for c in client.get_principal().get_calendars()
                      if c.get_display_name() == "Corner Bakery"]
        event = calendar.get_event_by_uid(post)
        component = event.icalendar_component
        start = component["dtstart"].dt
        # to another day at the time the phone shows (the post's zone is the phone's here),
        # written back in the event's own form (UTC for a post that does not repeat)
        zone = everything(a)["post"][post]["timezone"]
        timed = isinstance(start, datetime) and start.tzinfo is not None and bool(zone)
        moved = (start.astimezone(ZoneInfo(zone)) if timed else start).replace(
            year=2027, month=9, day=14)
        if timed:
            moved = moved.astimezone(start.tzinfo)
        if "dtend" in component:
            component["dtend"].dt = moved + (component["dtend"].dt - start)
        component["dtstart"].dt = moved
        event.save()
    before = everything(a)["post"][post]
    summary = sync(a)
    assert summary.received == 1 and summary.conflicts == []
    after = everything(a)["post"][post]
    assert after["scheduled_on"] == "2027-09-14"
    assert {k: v for k, v in after.items() if k != "scheduled_on"} == \
        {k: v for k, v in before.items() if k != "scheduled_on"}
    sync(b)
    assert everything(b)["post"][post]["scheduled_on"] == "2027-09-14"


def test_a_phones_own_to_do_and_journal_entry_are_left_alone(pair, dav: Any) -> None:  # type: ignore[no-untyped-def]
    import caldav

    a, _b = pair
    before = everything(a)
    client = caldav.DAVClient(url=dav.url, username="team", password="secret")
    with client:
        [calendar] = [c for c in client.get_principal().get_calendars()
                      if c.get_display_name() == "Corner Bakery"]
        calendar.save_todo(summary="Buy flour", uid="phone-todo")
        calendar.save_journal(dtstart=date(2027, 4, 3), summary="Diary", uid="phone-journal")
        summary = sync(a)
        assert summary.received == 0 and summary.conflicts == []
        assert everything(a) == before
        assert sync(a).sent == 0
        assert calendar.get_todo_by_uid("phone-todo").icalendar_component["summary"] == \
            "Buy flour"
        assert calendar.get_journal_by_uid("phone-journal") is not None


def test_an_ask_asked_again_under_a_new_uid_replaces_the_old_one(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    old = a.conn.execute("SELECT uid FROM asks ORDER BY uid LIMIT 1").fetchone()[0]
    with a.transaction():
        a.conn.execute("UPDATE asks SET uid = 'asked-again', message = 'Once more?' "
                       "WHERE uid = ?", (old,))
    sync(a)
    summary = sync(b)
    assert summary.conflicts == [] and summary.unreadable == []
    asks = everything(b)["ask"]
    assert old not in asks and asks["asked-again"]["message"] == "Once more?"
    assert everything(a) == everything(b)


def test_a_computer_that_never_synced_settings_takes_the_teams(
        tmp_path: Path, demo_path: Path, dav: Any) -> None:
    from socialdesk.core.settings import update_setting

    with Workspace.open(demo_path) as a:
        thin_out(a, 2, contacts=5)
        join(a, dav.url)
        sync(a)
        with Workspace.open(tmp_path / "b.socialdesk", create=True) as b:
            update_setting(b, "sender_business", "Bob's corner")
            update_setting(b, "reshare", 0.9)
            join(b, dav.url)
            summary = sync(b)
            assert summary.conflicts == []
            assert everything(b)["settings"] == everything(a)["settings"]
            assert sync(a).received == 0  # the team's settings stay as they were


def test_an_ask_whose_partner_has_not_arrived_waits_for_the_next_sync(
        pair, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    post = _post(a, 3)
    with a.transaction():
        a.conn.execute("INSERT INTO contacts (name, uid) VALUES ('New partner', 'partner-new')")
        a.conn.execute(
            "INSERT INTO asks (uid, post_id, contact_id, asked_on) VALUES ('ask-new', "
            "(SELECT id FROM posts WHERE uid = ?), "
            "(SELECT id FROM contacts WHERE uid = 'partner-new'), '2027-01-05')", (post,))
    sync(a)
    limit = engine.MAX_PULL_BYTES
    monkeypatch.setattr(engine, "MAX_PULL_BYTES", 0)  # the contact is left for next time
    summary = sync(b)
    assert summary.more and "ask-new" not in everything(b)["ask"]
    monkeypatch.setattr(engine, "MAX_PULL_BYTES", limit)
    summary = sync(b)
    assert summary.conflicts == [] and summary.unreadable == []
    assert everything(b)["ask"]["ask-new"]["partner"] == "partner-new"
    assert everything(a) == everything(b)
    assert sync(b).as_json()["sent"] == 0 and sync(a).as_json()["received"] == 0


def _ask(ws: Workspace, uid: str, post: str, partner: str, message: str) -> None:
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO asks (uid, post_id, contact_id, asked_on, message) VALUES (?, "
            "(SELECT id FROM posts WHERE uid = ?), (SELECT id FROM contacts WHERE uid = ?), "
            "'2027-01-05', ?)", (uid, post, partner, message))


def test_the_same_partner_asked_about_the_same_post_on_both_is_one_ask(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    post = _post(a, 4)
    partner = a.conn.execute(
        "SELECT uid FROM contacts WHERE id NOT IN (SELECT contact_id FROM asks WHERE post_id "
        "= (SELECT id FROM posts WHERE uid = ?)) ORDER BY uid LIMIT 1", (post,)).fetchone()[0]
    _ask(a, "ask-from-a", post, partner, "Would you share it?")
    _ask(b, "ask-from-b", post, partner, "Could you share this one?")
    assert sync(a).conflicts == []
    conflicts = sync(b).conflicts
    assert [(c["kind"], c["field"], c["mine"], c["theirs"]) for c in conflicts] == [
        ("ask", "message", "Could you share this one?", "Would you share it?")]
    assert "ask-from-b" not in everything(b)["ask"]
    with b.transaction():
        resolve(b, conflicts[0]["id"], "theirs", KINDS)
    for ws in (b, a, b):
        assert sync(ws).conflicts == []
    assert everything(a) == everything(b)
    assert everything(a)["ask"]["ask-from-a"]["message"] == "Would you share it?"
    assert "ask-from-b" not in everything(a)["ask"]


def test_a_contact_deleted_there_keeps_an_ask_made_here_for_it(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    partner, post = _contact(a, 0), _post(a, 5)
    with a.transaction():
        a.conn.execute("DELETE FROM contacts WHERE uid = ?", (partner,))
    with b.transaction():
        b.conn.execute("DELETE FROM asks WHERE post_id = (SELECT id FROM posts WHERE uid = ?) "
                       "AND contact_id = (SELECT id FROM contacts WHERE uid = ?)",
                       (post, partner))
    _ask(b, "ask-for-gone", post, partner, "Share it?")
    sync(a)
    summary = sync(b)
    assert [(c["kind"], c["field"]) for c in summary.conflicts] == [("contact", "*")]
    assert "ask-for-gone" in everything(b)["ask"] and partner in everything(b)["contact"]
    with b.transaction():
        resolve(b, summary.conflicts[0]["id"], "mine", KINDS)
    for ws in (b, a):
        assert sync(ws).conflicts == []
    assert everything(a) == everything(b)
    assert everything(a)["ask"]["ask-for-gone"]["partner"] == partner


def _token(ws: Workspace) -> str:
    from socialdesk.store import sync as state

    account = state.account(ws)
    assert account is not None
    return account.tasks_token  # the asks' collection


def test_an_ask_whose_partner_never_arrives_waits_without_holding_back_the_calendar(
        pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    stuck = "x" * 301  # a UID no card carries: this contact does not travel
    with a.transaction():
        a.conn.execute("INSERT INTO contacts (name, uid) VALUES ('Hand-made', ?)", (stuck,))
    _ask(a, "ask-stuck", _post(a, 3), stuck, "Share it?")
    sync(a)
    before = _token(b)
    summary = sync(b)
    assert "ask-stuck" not in everything(b)["ask"] and summary.unreadable == []
    assert _token(b) != before  # the rest of the task list goes on syncing
    assert [line.split(" waits since ")[0] for line in summary.waiting] == ["ask ask-stuck"]
    assert "its partner (contact xxx" in summary.waiting[0]
    _set(a, "posts", _post(a, 1), title="Changed meanwhile")
    sync(a)
    summary = sync(b)
    assert everything(b)["post"][_post(a, 1)]["title"] == "Changed meanwhile"
    assert len(summary.waiting) == 1 and "ask-stuck" not in everything(b)["ask"]
    b.close()
    status = cli(tmp_path / "b.socialdesk", "sync", "status")
    assert "1 item(s) of the server wait" in status.stdout and "ask ask-stuck" in status.stdout
    b = Workspace.open(tmp_path / "b.socialdesk")
    try:
        with a.transaction():  # the partner gets a UID a card carries, and travels
            a.conn.execute("UPDATE contacts SET uid = 'partner-late' WHERE uid = ?", (stuck,))
        sync(a)
        summary = sync(b)
        assert summary.waiting == [] and summary.conflicts == []
        assert everything(b)["ask"]["ask-stuck"]["partner"] == "partner-late"
        assert everything(a) == everything(b)
        assert sync(b).sent == 0 and sync(a).received == 0
    finally:
        b.close()


def test_a_waiting_ask_is_stored_once_its_partner_arrives_with_nothing_new_on_the_calendar(
        pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    with a.transaction():
        a.conn.execute("INSERT INTO contacts (name, uid) VALUES ('New partner', 'partner-new')")
    _ask(a, "ask-new", _post(a, 3), "partner-new", "Share it?")
    sync(a)
    without_contacts = [kind for kind in KINDS if kind.collection != "addressbook"]
    with client_for(b) as client:  # the address book is not read: the partner is missing
        summary = engine.sync(b, client, without_contacts)
    assert [line.split(" waits")[0] for line in summary.waiting] == ["ask ask-new"]
    waiting_token = _token(b)
    summary = sync(b)  # the task list has nothing new; the ask is tried again and stored
    assert _token(b) == waiting_token
    assert summary.waiting == [] and summary.unreadable == []
    assert everything(b)["ask"]["ask-new"]["partner"] == "partner-new"
    assert everything(a) == everything(b)
    assert sync(b).sent == 0 and sync(a).received == 0


NEWER_KIND = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//SocialDesk//Later//EN\r\n"
              "BEGIN:VEVENT\r\nUID:newer-1\r\nDTSTAMP:20270101T000000Z\r\n"
              "DTSTART;VALUE=DATE:20270405\r\nSUMMARY:A kind of a later SocialDesk\r\n"
              "X-SOCIALDESK-KIND:template\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_joining_counts_other_programs_items_in_one_line_and_skips_nothing_of_ours(
        tmp_path: Path, demo_path: Path, dav: Any) -> None:
    import caldav

    with Workspace.open(demo_path) as a:
        thin_out(a, 4, contacts=8)
        join(a, dav.url)
        sent = sync(a).sent
    client = caldav.DAVClient(url=dav.url, username="team", password="secret")
    with client:
        [calendar] = [c for c in client.get_principal().get_calendars()
                      if c.get_display_name() == "Corner Bakery"]
        for n in range(3):
            calendar.save_todo(summary=f"Buy flour {n}", uid=f"phone-todo-{n}")
        calendar.save_journal(dtstart=date(2027, 4, 3), summary="Diary", uid="phone-journal")
        calendar.save_event(NEWER_KIND)
    b_path = tmp_path / "b.socialdesk"
    Workspace.open(b_path, create=True).close()
    done = cli(b_path, "sync", "setup", dav.url, "--user", "team", "--name", "Corner Bakery")
    assert done.returncode == 0, done.stderr
    done = cli(b_path, "sync")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith(f"Sent 0, received {sent}, merged 0, deleted 0.\n")
    assert "Left alone 5 item(s) of other programs on the server" in done.stdout
    with Workspace.open(demo_path) as a, Workspace.open(b_path) as b:
        assert everything(a) == everything(b)
        assert "newer-1" not in everything(b)["post"]


def test_many_contacts_deleted_there_are_checked_for_asks_made_here_in_one_go(pair) -> None:  # type: ignore[no-untyped-def]
    """Deleting contacts is checked against asks not yet sent in a few reads, not one each."""
    a, b = pair
    with a.transaction():
        a.conn.executemany("INSERT INTO contacts (uid, name) VALUES (?, ?)",
                           [(f"gone-{n}", f"Gone {n}") for n in range(40)])
    sync(a)
    sync(b)
    with a.transaction():
        a.conn.execute("DELETE FROM contacts WHERE uid LIKE 'gone-%'")
    sync(a)
    partner = b.conn.execute("SELECT uid FROM contacts WHERE uid NOT LIKE 'gone-%' "
                             "ORDER BY uid LIMIT 1").fetchone()[0]
    _ask(b, "ask-made-here", _post(b, 5), partner, "Share it?")
    ask_kind = next(k for k in KINDS if k.name == "ask")
    reads = []

    class CountedAsks(type(ask_kind)):  # type: ignore[misc]
        def records(self, ws: Workspace) -> dict[str, Record]:
            reads.append(1)
            return super().records(ws)

    kinds = [CountedAsks() if k is ask_kind else k for k in KINDS]
    with client_for(b) as client:
        summary = engine.sync(b, client, kinds)
    assert summary.deleted == 40 and summary.conflicts == []
    assert not any(uid.startswith("gone-") for uid in everything(b)["contact"])
    assert len(reads) <= 6  # was one read per deleted contact
    sync(a)
    assert everything(a) == everything(b)
