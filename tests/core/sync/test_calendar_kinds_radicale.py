"""The calendar kinds' objects, PUT to a real Radicale (its WSGI app, in process)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from socialdesk.core.settings import update_setting
from socialdesk.core.sync.calendar_kinds import CALENDAR_KINDS
from socialdesk.core.sync.kind import Record
from socialdesk.store.workspace import Workspace

radicale = pytest.importorskip("radicale")


class _Server:
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


def _one_of_each_shape(records: dict[str, Record]) -> dict[str, Record]:
    """An item per combination of which fields are set and the status (PUTs are slow)."""
    shapes: dict[tuple[object, ...], tuple[str, Record]] = {}
    for uid, record in records.items():
        shape = (record.get("status"), *(bool(v) for v in record.values()))
        shapes.setdefault(shape, (uid, record))
    return dict(shapes.values())


def test_radicale_stores_every_item_and_gives_it_back_unchanged(
        demo: Workspace, tmp_path: Path) -> None:
    update_setting(demo, "reshare", 0.3)
    server = _Server(tmp_path / "radicale")
    server("PROPFIND", "/", headers={"Depth": "0"})  # makes the user's home
    assert server("MKCALENDAR", "/team/plan/")[0].startswith("201")
    stored = 0
    for kind in CALENDAR_KINDS:
        for uid, record in _one_of_each_shape(kind.records(demo)).items():
            status, answer = server("PUT", f"/team/plan/{uid}.ics", kind.to_text(uid, record),
                                    {"Content-Type": "text/calendar"})
            assert status.startswith("201"), (kind.name, uid, status, answer)
            status, text = server("GET", f"/team/plan/{uid}.ics")
            assert kind.from_text(text) == (uid, record), (kind.name, uid)
            stored += 1
    assert stored > 20
