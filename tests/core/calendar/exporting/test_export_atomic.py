from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from calendar_samples import add_post

from socialdesk.core.atomic import atomic_open
from socialdesk.core.calendar import csv_export, ics, ics_lines
from socialdesk.core.calendar.export import export_calendar
from socialdesk.store.calendar_export import ExportPost
from socialdesk.store.workspace import Workspace


class Boom(RuntimeError):
    pass


def many_posts(ws: Workspace, n: int = 50) -> None:
    with ws.transaction():
        for i in range(n):
            add_post(ws, uid=f"m{i}@test", title=f"Post {i}", scheduled_on="2024-02-01",
                     scheduled_time="10:00", channels=["x"])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize("fmt", ["ics", "csv"])
def test_failed_export_keeps_previous_file(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    many_posts(ws)
    out = tmp_path / f"cal.{fmt}"
    out.write_bytes(b"previous good export\n")

    if fmt == "csv":
        real_rows = csv_export.post_rows
        written = 0

        def failing_rows(post: ExportPost, zone: str) -> Iterator[list[str]]:
            nonlocal written
            written += 1
            if written > 20:  # some rows are already in the temporary file
                raise Boom("disk on fire")
            yield from real_rows(post, zone)

        monkeypatch.setattr(csv_export, "post_rows", failing_rows)
    else:
        real_write = ics_lines.component_text
        calls = 0

        def failing_component(kind: str, props: list[ics_lines.Prop]) -> str:
            nonlocal calls
            calls += 1
            if calls > 20:
                raise Boom("disk on fire")
            return real_write(kind, props)

        monkeypatch.setattr(ics_lines, "component_text", failing_component)

    with pytest.raises(Boom):
        export_calendar(ws, out, fmt, default_tz="UTC")  # type: ignore[arg-type]
    assert out.read_bytes() == b"previous good export\n"
    assert leftovers(tmp_path) == []


def test_failure_after_partial_write_in_the_stream(ws: Workspace, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The ICS writer fails after it has written the header and the time zones."""
    many_posts(ws)
    out = tmp_path / "cal.ics"
    export_calendar(ws, out, "ics", default_tz="Europe/Paris")
    good = out.read_bytes()

    def failing_tz(*args: object, **kwargs: object) -> list[object]:
        raise Boom("after the header")

    monkeypatch.setattr(ics, "timezone_components", failing_tz)
    with pytest.raises(Boom):
        export_calendar(ws, out, "ics", default_tz="Europe/Paris")
    assert out.read_bytes() == good
    assert leftovers(tmp_path) == []


def test_hootsuite_files_all_or_nothing(ws: Workspace, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with ws.transaction():
        for i in range(400):
            add_post(ws, uid=f"h{i}@test", title=f"Post {i}", scheduled_on="2024-02-01",
                     scheduled_time="10:00", channels=["a", "b"])
    out = tmp_path / "hs.csv"
    first = export_calendar(ws, out, "hootsuite", default_tz="UTC")
    before = {p: p.read_bytes() for p in first.files}
    assert len(before) == 4

    real = csv_export.write_hootsuite_rows
    files = 0

    def failing(rows: list[csv_export.HootsuiteRow], handle: object) -> int:
        nonlocal files
        files += 1
        if files == 3:  # two files are complete, the third fails
            raise Boom("quota exceeded")
        return real(rows, handle)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_export, "write_hootsuite_rows", failing)
    with ws.transaction():
        ws.conn.execute("UPDATE posts SET title = 'Changed'")
    with pytest.raises(Boom):
        export_calendar(ws, out, "hootsuite", default_tz="UTC")
    assert {p: p.read_bytes() for p in first.files} == before
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_atomic_open_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    with atomic_open(target) as handle:
        handle.write("one")
    assert target.read_text() == "one"
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    with atomic_open(target) as handle:
        handle.write("two")
    assert target.read_text() == "two"
    assert target.stat().st_mode & 0o777 == 0o600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["ics", "csv"])
@pytest.mark.parametrize("cancel_at", [1, 2, 7], ids=["before", "reading", "writing"])
def test_a_cancelled_export_reports_progress_and_keeps_the_previous_file(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, cancel_at: int
) -> None:
    from socialdesk.core.atomic import ExportCancelled

    monkeypatch.setattr(ics, "REPORT_EVERY", 10)
    monkeypatch.setattr(csv_export, "REPORT_EVERY", 10)
    many_posts(ws)
    out = tmp_path / f"cal.{fmt}"
    out.write_bytes(b"previous good export\n")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < cancel_at

    with pytest.raises(ExportCancelled, match="cancelled"):
        export_calendar(ws, out, fmt, progress=progress)  # type: ignore[arg-type]
    assert len(calls) == cancel_at and calls[-1][0] <= calls[-1][1]
    assert out.read_bytes() == b"previous good export\n"
    assert leftovers(tmp_path) == []
    export_calendar(ws, out, fmt, progress=lambda done, total: True)  # type: ignore[arg-type]
    assert b"Post 49" in out.read_bytes()
