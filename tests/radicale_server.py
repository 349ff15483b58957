"""A real Radicale on 127.0.0.1 (its WSGI app under a threading server), basic auth.

The sync tests' fixture (``tests/core/sync/conftest.py``) and the sync benchmark use it.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Any]


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def radicale_app(folder: Path, users: dict[str, str]) -> Wsgi:
    """Radicale storing in ``folder``, with ``users`` (name → plain password)."""
    import radicale
    from radicale import config

    folder.mkdir(parents=True, exist_ok=True)
    htpasswd = folder / "users"
    htpasswd.write_text("".join(f"{u}:{p}\n" for u, p in users.items()), encoding="utf-8")
    configuration = config.load()
    configuration.update({
        # mtime and size tell whether an item's cache is current, instead of a hash of the
        # file read again: Radicale's own speed-up, for collections of thousands of items
        "storage": {"filesystem_folder": str(folder / "collections"),
                    "use_mtime_and_size_for_item_cache": "True"},
        "auth": {"type": "htpasswd", "htpasswd_filename": str(htpasswd),
                 "htpasswd_encryption": "plain", "delay": "0"},
        "rights": {"type": "owner_only"},
        "logging": {"level": "warning"},
    }, "test", privileged=True)
    app: Wsgi = radicale.Application(configuration)
    return app


class RadicaleServer:
    """Radicale serving on a free port of 127.0.0.1 until :meth:`stop`.

    ``wrap``: functions that wrap the app (outermost last), changeable while it runs;
    ``busy_seconds``: the time spent inside Radicale, summed over requests.
    """

    def __init__(self, folder: Path, users: dict[str, str]) -> None:
        self.users = users
        self.wrap: list[Callable[[Wsgi], Wsgi]] = []
        self.busy_seconds = 0.0
        self._lock = threading.Lock()
        app = radicale_app(folder, users)

        def timed(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
            began = time.perf_counter()
            try:
                return list(app(environ, start))
            finally:
                with self._lock:
                    self.busy_seconds += time.perf_counter() - began

        def dispatch(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
            handler: Wsgi = timed
            for wrap in self.wrap:
                handler = wrap(handler)
            return handler(environ, start)

        self._server = make_server("127.0.0.1", 0, dispatch, server_class=_Threading,
                                   handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        """Stop serving and close the port (again: nothing)."""
        if not self._stopped:
            self._stopped = True
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(10)


class InProcessRadicale:
    """Radicale's WSGI app for one user, ``team``, called without sockets."""

    def __init__(self, folder: Path) -> None:
        import radicale.config

        config = radicale.config.load()
        config.update({"storage": {"filesystem_folder": str(folder), "_filesystem_fsync": False},
                       "auth": {"type": "remote_user"}, "rights": {"type": "owner_only"}},
                      "test", privileged=True)
        self.app = radicale.Application(config)

    def __call__(self, method: str, path: str, body: str = "",
                 headers: dict[str, str] | None = None) -> tuple[str, str]:
        data = body.encode()
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "",
            "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data)),
            "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http", "SERVER_NAME": "localhost",
            "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_USER": "team",
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()},
        }
        status: list[str] = []
        answer = b"".join(self.app(environ, lambda s, h, e=None: status.append(s)))
        return status[0], answer.decode()
