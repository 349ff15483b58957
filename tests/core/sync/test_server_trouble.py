"""What a sync does when the server refuses, goes away, races or lacks sync-collection."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_engine import laptop, posts, remove, sync, write

from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.dav import DavClient, SyncError, WrongPassword
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace
from sync_notes import KINDS

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Any]


def test_a_wrong_password_says_so_and_sets_nothing_up(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    with Workspace.open(tmp_path / "w.socialdesk", create=True) as ws:
        with pytest.raises(WrongPassword, match=r"refused the user name 'team' or its "
                                                r"password \(401\)"):
            setup(ws, dav.url, "team", "not the password")
        assert state.account(ws) is None


def test_a_server_that_went_away_is_one_message_and_changes_wait(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ws = laptop(tmp_path, "ann", dav.url)
    write(ws, "p1", title="Bread day")
    dav.stop()
    with pytest.raises(SyncError, match=r"^Cannot reach 127\.0\.0\.1:\d+ .*check the address"):
        sync(ws)
    assert state.items(ws, "post") == {}  # nothing counted as sent
    ws.close()


def test_http_is_refused_for_a_server_elsewhere() -> None:
    with pytest.raises(SyncError, match="must start with https://"):
        DavClient("http://dav.example.com/", "team", "secret")


def _without_sync_collection(app: Wsgi) -> Wsgi:
    def wrapped(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
        if environ["REQUEST_METHOD"] == "REPORT":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(size)
            environ["wsgi.input"] = io.BytesIO(body)
            if b"sync-collection" in body:
                start("501 Not Implemented", [("Content-Type", "text/plain")])
                return [b"no sync-collection here"]
        return app(environ, start)
    return wrapped


def test_a_server_without_sync_collection_is_synced_by_etags(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    dav.wrap.append(_without_sync_collection)
    ann, bob = laptop(tmp_path, "ann", dav.url), laptop(tmp_path, "bob", dav.url)
    write(ann, "p1", title="Bread day")
    write(ann, "p2", title="Cake day")
    sync(ann)
    summary = sync(bob)
    assert summary.listed_etags and summary.received == 2
    write(bob, "p1", notes="flyers")
    remove(bob, "p2")
    sync(bob)
    summary = sync(ann)
    assert (summary.received, summary.deleted) == (1, 1)
    assert posts(ann) == posts(bob) == {"p1": {"title": "Bread day", "notes": "flyers",
                                               "scheduled_on": ""}}
    assert sync(ann).as_json()["received"] == 0  # unchanged ETags are not read again
    ann.close()
    bob.close()


def _racing_phone(url: str, times: int) -> Callable[[Wsgi], Wsgi]:
    """Before each of the first ``times`` conditional PUTs, another client edits the item."""
    left = [times]
    busy = threading.Lock()  # the phone's own PUT passes through

    def wrap(app: Wsgi) -> Wsgi:
        def wrapped(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
            if (environ["REQUEST_METHOD"] == "PUT" and environ.get("HTTP_IF_MATCH")
                    and left[0] and busy.acquire(blocking=False)):
                left[0] -= 1
                path = environ["PATH_INFO"]
                with DavClient(url, "team", "secret") as phone:
                    got = phone.get(path)
                    assert got is not None
                    uid, record = KINDS[0].from_text(got[0])
                    record["notes"] = f"the phone's note {left[0]}"
                    phone.put(path, KINDS[0].to_text(uid, record), "text/calendar", got[1])
                busy.release()
            return app(environ, start)
        return wrapped
    return wrap


def test_a_412_is_read_again_merged_and_written_again(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann = laptop(tmp_path, "ann", dav.url)
    write(ann, "p1", title="Bread day")
    sync(ann)
    dav.wrap.append(_racing_phone(dav.url, 1))
    write(ann, "p1", title="Bread and butter day")
    summary = sync(ann)
    assert summary.sent == 1 and summary.conflicts == []
    assert posts(ann)["p1"] == {"title": "Bread and butter day", "notes": "the phone's note 0",
                                "scheduled_on": ""}
    bob = laptop(tmp_path, "bob", dav.url)
    sync(bob)
    assert posts(bob) == posts(ann)
    ann.close()
    bob.close()


def test_a_412_that_persists_stops_with_a_message(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann = laptop(tmp_path, "ann", dav.url)
    write(ann, "p1", title="Bread day")
    sync(ann)
    dav.wrap.append(_racing_phone(dav.url, 100))
    write(ann, "p1", title="Bread and butter day")
    with pytest.raises(SyncError, match=r"kept refusing the change to 'Bread and butter day' "
                                        r"\(412"):
        sync(ann)
    ann.close()


def test_a_sync_cut_off_mid_way_resumes_without_duplicates(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    """The server stores the third new item but its answer never arrives."""
    release = threading.Event()
    seen = [0]

    def wrap(app: Wsgi) -> Wsgi:
        def wrapped(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
            answer = app(environ, start)
            if environ["REQUEST_METHOD"] == "PUT":
                seen[0] += 1
                if seen[0] == 3:
                    release.wait(20)  # the client gives up first
            return answer
        return wrapped

    ann = laptop(tmp_path, "ann", dav.url)
    for n in range(6):
        write(ann, f"p{n}", title=f"Post {n}")
    dav.wrap.append(wrap)
    try:
        with client_for(ann, deadline=5.0) as client, pytest.raises(
                SyncError, match="did not answer within 5 seconds"):
            engine.sync(ann, client, KINDS)
    finally:
        release.set()
    assert len(state.items(ann, "post")) == 2  # the two answered writes
    dav.wrap.clear()
    summary = sync(ann)
    assert summary.sent == 3 and summary.conflicts == []  # the third needed no write
    with DavClient(dav.url, "team", "secret") as look:
        account = state.account(ann)
        assert account is not None
        assert len(look.etags(account.calendar_url)) == 6
    bob = laptop(tmp_path, "bob", dav.url)
    assert sync(bob).received == 6 and posts(bob) == posts(ann)
    ann.close()
    bob.close()


def test_a_stopped_sync_keeps_what_it_did_and_the_next_goes_on(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann = laptop(tmp_path, "ann", dav.url)
    for n in range(5):
        write(ann, f"p{n}", title=f"Post {n}")
    asked = [0]

    def after_two() -> bool:
        asked[0] += 1
        return asked[0] > 2

    with client_for(ann) as client, pytest.raises(engine.SyncStopped):
        engine.sync(ann, client, KINDS, should_stop=after_two)
    assert len(state.items(ann, "post")) == 2
    assert sync(ann).sent == 3
    ann.close()


def test_a_calendar_wiped_on_the_server_deletes_nothing_here(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    import caldav

    ann = laptop(tmp_path, "ann", dav.url)
    for n in range(6):
        write(ann, f"p{n}", title=f"Post {n}")
    sync(ann)
    with caldav.DAVClient(url=dav.url, username="team", password="secret") as admin:
        principal = admin.get_principal()
        [calendar] = [c for c in principal.get_calendars()
                      if c.get_display_name() == "Corner Bakery"]
        calendar.delete()  # and made anew, empty, where it was
        principal.make_calendar(name="Corner Bakery", cal_id="corner-bakery-calendar")
    with pytest.raises(SyncError, match=r"no longer has any of the 6 items synced with it "
                                        r"\(was it deleted or replaced\?\); nothing was "
                                        r"deleted here"):
        sync(ann)
    assert len(posts(ann)) == 6
    with client_for(ann) as client:
        summary = engine.sync(ann, client, KINDS, allow_emptied=True)
    assert summary.deleted == 6 and posts(ann) == {}
    ann.close()


def test_every_item_deleted_by_the_team_is_deleted_here_too(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann, bob = laptop(tmp_path, "ann", dav.url), laptop(tmp_path, "bob", dav.url)
    for n in range(6):
        write(ann, f"p{n}", title=f"Post {n}")
    sync(ann), sync(bob)
    for n in range(6):
        remove(ann, f"p{n}")
    assert sync(ann).sent == 6
    assert sync(bob).deleted == 6 and posts(bob) == {}
    ann.close()
    bob.close()
