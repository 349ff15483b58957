"""Reading many of the server's items: multiget batches, GET when the server lacks it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_engine import laptop, posts, sync, write

from socialdesk.core.sync import fetching
from socialdesk.core.sync.account import client_for
from socialdesk.core.sync.dav import DavClient
from socialdesk.store import sync as state

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Any]


def _counting(seen: list[str]) -> Callable[[Wsgi], Wsgi]:
    def wrap(app: Wsgi) -> Wsgi:
        def wrapped(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
            seen.append(environ["REQUEST_METHOD"])
            return app(environ, start)
        return wrapped
    return wrap


def _without_multiget(app: Wsgi) -> Wsgi:
    def wrapped(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
        if environ["REQUEST_METHOD"] == "REPORT":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            if b"multiget" in body:
                start("501 Not Implemented", [("Content-Type", "text/plain")])
                return [b"no multiget here"]
        return app(environ, start)
    return wrapped


def _ann_with_posts(tmp_path: Path, url: str, count: int) -> None:
    ann = laptop(tmp_path, "ann", url)
    for n in range(count):
        write(ann, f"p{n}", title=f"Post {n}", notes="a line\nanother & <more>")
    sync(ann)
    ann.close()


def test_a_joining_laptop_reads_the_items_in_a_few_requests(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    _ann_with_posts(tmp_path, dav.url, 2 * fetching.BATCH + 5)
    seen: list[str] = []
    dav.wrap.append(_counting(seen))
    bob = laptop(tmp_path, "bob", dav.url)
    assert sync(bob).received == 2 * fetching.BATCH + 5
    assert seen.count("GET") == 0 and seen.count("REPORT") <= 6  # 3 multigets, 2 listings
    assert posts(bob)["p7"] == {"title": "Post 7", "notes": "a line\nanother & <more>",
                                "scheduled_on": ""}
    ann = laptop(tmp_path, "ann", dav.url)
    assert sync(ann).as_json()["received"] == 0
    assert posts(ann) == posts(bob)
    ann.close()
    bob.close()


def test_a_server_without_multiget_is_read_one_item_at_a_time(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    _ann_with_posts(tmp_path, dav.url, 12)
    seen: list[str] = []
    dav.wrap += [_without_multiget, _counting(seen)]
    bob = laptop(tmp_path, "bob", dav.url)
    assert sync(bob).received == 12
    assert seen.count("GET") == 12
    assert posts(bob)["p3"]["notes"] == "a line\nanother & <more>"
    bob.close()


def test_the_etags_read_in_a_batch_are_those_a_get_gives(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    _ann_with_posts(tmp_path, dav.url, 3)
    bob = laptop(tmp_path, "bob", dav.url)
    sync(bob)
    account = state.account(bob)
    assert account is not None
    with client_for(bob) as client, DavClient(dav.url, "team", "secret") as other:
        hrefs = [*sorted(state.hrefs_under(bob, account.calendar_url)),
                 account.calendar_url + "gone.ics"]
        got = dict(fetching.Fetcher(client, account.calendar_url, "calendar").fetch(hrefs))
        for href, etag in state.hrefs_under(bob, account.calendar_url).items():
            assert got[href] == other.get(href)
            assert got[href] is not None and got[href][1] == etag
        assert got[account.calendar_url + "gone.ics"] is None
    bob.close()


def test_an_answer_over_the_size_limit_is_asked_for_again_in_halves(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    from socialdesk.core.sync import engine
    from sync_notes import KINDS

    _ann_with_posts(tmp_path, dav.url, 40)
    seen: list[str] = []
    dav.wrap.append(_counting(seen))
    bob = laptop(tmp_path, "bob", dav.url)
    with DavClient(dav.url, "team", "secret", max_answer=15_000) as small:  # ~25 posts
        assert engine.sync(bob, small, KINDS).received == 40
    assert posts(bob)["p39"]["title"] == "Post 39"
    assert seen.count("GET") < 40 and seen.count("REPORT") > 3
    bob.close()
