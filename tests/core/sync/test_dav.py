"""The CalDAV/CardDAV client against a hostile or broken server: bounded, one-line errors."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from socialdesk.core.sync.dav import DavClient, SyncError, dav_url, item_href, norm_href

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Any]


def _answer(status: str, body: bytes | Iterator[bytes],
            headers: tuple[tuple[str, str], ...] = ()) -> Callable[[Wsgi], Wsgi]:
    def wrap(_app: Wsgi) -> Wsgi:
        def wrapped(_environ: dict[str, Any], start: Callable[..., Any]) -> Any:
            start(status, [("Content-Type", "application/xml"), *headers])
            return [body] if isinstance(body, bytes) else body
        return wrapped
    return wrap


def test_an_answer_too_large_is_refused_without_reading_it_all(dav) -> None:  # type: ignore[no-untyped-def]
    dav.wrap.append(_answer("207 Multi-Status", b"<a>" + b"x" * 3_000_000 + b"</a>"))
    with DavClient(dav.url, "team", "secret", max_answer=1_000_000) as client, \
            pytest.raises(SyncError, match=r"sent an answer too large to read"):
        client.homes()


def test_a_server_that_drips_its_answer_is_given_up_at_the_deadline(dav) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()

    def drip() -> Iterator[bytes]:
        yield b"<multistatus xmlns='DAV:'>"
        release.wait(20)
        yield b"</multistatus>"

    dav.wrap.append(_answer("207 Multi-Status", drip()))
    try:
        with DavClient(dav.url, "team", "secret", deadline=1.0) as client, \
                pytest.raises(SyncError, match=r"did not answer within 1 seconds; sync again"):
            client.homes()
    finally:
        release.set()


@pytest.mark.parametrize("body", [
    b"this is not XML",
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
    b'"&lol;&lol;&lol;&lol;">]><d:multistatus xmlns:d="DAV:">&lol2;</d:multistatus>',
])
def test_an_answer_that_is_not_webdav_xml_is_one_message(dav, body: bytes) -> None:  # type: ignore[no-untyped-def]
    dav.wrap.append(_answer("207 Multi-Status", body))
    with DavClient(dav.url, "team", "secret") as client, \
            pytest.raises(SyncError, match=r"sent an answer that is not valid WebDAV XML"):
        client.homes()


def test_a_server_error_and_a_non_dav_server_say_so(dav) -> None:  # type: ignore[no-untyped-def]
    dav.wrap.append(_answer("500 Internal Server Error", b"boom"))
    with DavClient(dav.url, "team", "secret") as client, \
            pytest.raises(SyncError, match=r"had a problem \(500\); sync again later"):
        client.homes()
    dav.wrap[:] = [_answer("207 Multi-Status", b'<d:multistatus xmlns:d="DAV:"/>')]
    with DavClient(dav.url, "team", "secret") as client, \
            pytest.raises(SyncError, match=r"is not a CalDAV and CardDAV server"):
        client.homes()


def test_addresses_and_hrefs() -> None:
    assert dav_url("cloud.example.com/remote.php/dav") == "https://cloud.example.com/remote.php/dav/"
    assert dav_url("http://localhost:5232") == "http://localhost:5232/"
    for bad in ("ftp://x.example/", "https://user:pw@x.example/", "http://192.0.2.1/"):
        with pytest.raises(SyncError):
            dav_url(bad)
    assert norm_href("/cal/a%40b.ics") == norm_href("/cal/a@b.ics")
    assert norm_href("https://elsewhere.example/cal/x.ics") == "/cal/x.ics"
    assert item_href("/team/cal/", "../../etc/pw x", "ics") == "/team/cal/_.._etc_pw_x.ics"
