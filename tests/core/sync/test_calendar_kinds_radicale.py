"""The calendar kinds' objects, PUT to a real Radicale (its WSGI app, in process)."""

from __future__ import annotations

from pathlib import Path

import pytest

from radicale_server import InProcessRadicale
from socialdesk.core.settings import update_setting
from socialdesk.core.sync.calendar_kinds import CALENDAR_KINDS
from socialdesk.core.sync.kind import Record
from socialdesk.store.workspace import Workspace

radicale = pytest.importorskip("radicale")


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
    server = InProcessRadicale(tmp_path / "radicale")
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
