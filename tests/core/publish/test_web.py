"""Hostile servers: an answer is bounded in time and size, and each failure is one message."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from socialdesk.core.publish.web import PublishError, Server, next_page, retry_after

Behaviour = Callable[[socket.socket, threading.Event], None]


@pytest.fixture
def hostile() -> Iterator[Callable[[Behaviour], str]]:
    """Start a raw server on 127.0.0.1 that treats each connection with ``behaviour``."""
    stop = threading.Event()
    listeners: list[socket.socket] = []
    threads: list[threading.Thread] = []

    def start(behaviour: Behaviour) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.05)
        listeners.append(listener)

        def serve() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with conn:
                    conn.recv(65536)  # the request
                    with contextlib.suppress(OSError):  # the client hung up, as it should
                        behaviour(conn, stop)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    for thread in threads:
        thread.join(5)
    for listener in listeners:
        listener.close()


def endless_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 b"Connection: close\r\n\r\n[")
    chunk = b"1," * 32768
    while not stop.is_set():
        conn.sendall(chunk)


def dripping_headers(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    while not stop.wait(0.05):
        conn.sendall(b"X")


def answer(head: bytes, body: bytes = b"{}") -> Behaviour:
    def behaviour(conn: socket.socket, stop: threading.Event) -> None:
        length = b"" if b"Content-Length" in head else (
            b"\r\nContent-Length: " + str(len(body)).encode())
        conn.sendall(b"HTTP/1.1 " + head + length + b"\r\nConnection: close\r\n\r\n" + body)
    return behaviour


def test_an_endless_answer_is_cut_at_the_size_limit(hostile: Callable[[Behaviour], str]
                                                    ) -> None:
    server = Server(hostile(endless_body), secret="access token")
    started = time.monotonic()
    with pytest.raises(PublishError, match=r"sent an answer too large to read \(over "
                       r"4,194,304 bytes\)") as caught:
        server.call("POST", "/api/v1/statuses")
    assert caught.value.maybe_done  # a post may have been made: look before resending
    assert time.monotonic() - started < 10


def test_a_server_dripping_its_headers_is_given_up_at_the_deadline(
        hostile: Callable[[Behaviour], str]) -> None:
    server = Server(hostile(dripping_headers), secret="access token", deadline=1.0)
    started = time.monotonic()
    with pytest.raises(PublishError, match=r"did not answer within 1 seconds; try again later"):
        server.call("GET", "/api/v1/accounts/verify_credentials")
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(("head", "body", "message"), [
    (b"200 OK\r\nContent-Length: 999999999999", b"", "too large to read"),
    (b"200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2", b"{}", "compressed answer"),
    (b"200 OK", b"<html>hi", "not JSON"),
    (b"200 OK", b"[" * 200_000 + b"]" * 200_000, "not JSON"),
    (b"429 Too Many Requests", b"[" * 200_000 + b"]" * 200_000, r"limiting requests \(429\)"),
    (b"302 Found\r\nLocation: http://evil.example/\r\nContent-Length: 0", b"",
     "sent the request elsewhere"),
    (b"503 Service Unavailable", b'{"error": "\\u001b[31mdown\\u0007"}',
     r"had a problem \(503: \[31mdown\); try again later"),
])
def test_odd_answers_give_one_message(hostile: Callable[[Behaviour], str], head: bytes,
                                      body: bytes, message: str) -> None:
    server = Server(hostile(answer(head, body)), secret="access token")
    with pytest.raises(PublishError, match=message):
        server.call("GET", "/")


def test_retry_after_reads_seconds_dates_and_reset_times() -> None:
    assert retry_after({"retry-after": "42"}) == 42
    assert retry_after({"retry-after": "Thu, 01 Jan 1970 00:01:40 GMT"}, now=40) == 60
    assert retry_after({"ratelimit-reset": "1100"}, now=1000) == 100
    assert retry_after({"x-ratelimit-reset": "1970-01-01T00:05:00.000Z"}, now=200) == 100
    assert retry_after({}) is None


def test_the_next_page_is_only_the_query_of_the_link_headers_next_address() -> None:
    link = ('<https://elsewhere.example/api/v1/statuses/1/reblogged_by?limit=80&max_id=42>; '
            'rel="next", <https://a.example/api/v1/statuses/1/reblogged_by?since_id=99>; '
            'rel="prev"')
    assert next_page(link) == {"limit": "80", "max_id": "42"}
    assert next_page('<https://a.example/x?since_id=9>; rel="prev"') == {}
    assert next_page("") == {}
