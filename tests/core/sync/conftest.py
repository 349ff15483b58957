"""A real Radicale on 127.0.0.1 (its WSGI app under a threading server), basic auth."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Any]


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Dav:
    """A running server: its address, the users' passwords, and a hook on requests."""

    url: str
    users: dict[str, str]
    wrap: list[Callable[[Wsgi], Wsgi]]  # wrappers around Radicale, outermost last
    stop: Callable[[], None]  # the server goes away (its port is closed)


def radicale_app(folder: Path, users: dict[str, str]) -> Wsgi:
    import radicale
    from radicale import config

    folder.mkdir(parents=True, exist_ok=True)
    htpasswd = folder / "users"
    htpasswd.write_text(encoding="utf-8", data="".join(f"{u}:{p}\n" for u, p in users.items()))
    configuration = config.load()
    configuration.update({
        "storage": {"filesystem_folder": str(folder / "collections")},
        "auth": {"type": "htpasswd", "htpasswd_filename": str(htpasswd),
                 "htpasswd_encryption": "plain", "delay": "0"},
        "rights": {"type": "owner_only"},
        "logging": {"level": "warning"},
    }, "test", privileged=True)
    app: Wsgi = radicale.Application(configuration)
    return app


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[Dav]:
    """Radicale with the user ``team`` (both laptops sign in as it) and ``other``."""
    users = {"team": "secret", "other": "other-secret"}
    app = radicale_app(tmp_path / "radicale", users)
    wrappers: list[Callable[[Wsgi], Wsgi]] = []

    def dispatch(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
        handler = app
        for wrap in wrappers:
            handler = wrap(handler)
        return handler(environ, start)

    server = make_server("127.0.0.1", 0, dispatch, server_class=_Threading,
                         handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stopped = threading.Event()

    def stop() -> None:
        if not stopped.is_set():
            stopped.set()
            server.shutdown()
            server.server_close()
            thread.join(10)

    try:
        yield Dav(f"http://127.0.0.1:{server.server_port}/", users, wrappers, stop)
    finally:
        stop()
