"""Full and read-only disks, empty files: a clear message naming the file, never "damaged"."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from disks import fill, make_read_only
from socialdesk.core.contacts.importing import import_contacts
from socialdesk.store import reports
from socialdesk.store.checks import check
from socialdesk.store.contact_import import count_all
from socialdesk.store.contacts import save_contact
from socialdesk.store.errors import WorkspaceFull, WorkspaceReadOnly
from socialdesk.store.models import Contact
from socialdesk.store.workspace import Workspace

FULL = "the disk it is on is full"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def many_contacts(path: Path, rows: int = 20_000) -> Path:
    lines = ["Name,E-mail 1 - Value,Notes"]
    lines += [f"Person {n},p{n}@example.com,{'note ' * 20}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_an_import_that_runs_out_of_room_is_undone_and_says_so(demo, tmp_path: Path) -> None:
    # SQLite's page limit fails writes with the same error (SQLITE_FULL) as a full disk.
    before = count_all(demo)
    pages = demo.conn.execute("PRAGMA page_count").fetchone()[0]
    demo.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(WorkspaceFull) as raised:
        import_contacts(demo, many_contacts(tmp_path / "many.csv"))
    assert str(raised.value).startswith(f"{demo.path}: {FULL}")
    assert not demo.conn.in_transaction
    assert count_all(demo) == before
    demo.conn.execute("PRAGMA max_page_count = 1073741823")  # room again: it works on
    import_contacts(demo, many_contacts(tmp_path / "few.csv", rows=3))
    assert count_all(demo)["contacts"] == before["contacts"] + 3


def demo_on(disk: Path, demo_path: Path) -> Path:
    """A copy of the small demo on the small disk."""
    path = disk / "ws.sqlite"
    shutil.copyfile(demo_path, path)
    return path


@pytest.mark.parametrize("leave", [16 << 10, 64 << 10, 256 << 10, 1 << 20])
def test_an_import_on_a_full_disk_is_undone_and_says_so(
        demo_path: Path, disk: Path, tmp_path: Path, leave: int) -> None:
    path = demo_on(disk, demo_path)
    with Workspace.open(path) as ws:
        before = count_all(ws)
        filler = fill(disk, leave)
        with pytest.raises(WorkspaceFull, match=FULL):
            import_contacts(ws, many_contacts(tmp_path / "many.csv"))
        assert not ws.conn.in_transaction
        assert count_all(ws) == before
    filler.unlink()
    assert check(path).ok


def test_a_sound_workspace_on_a_disk_with_no_room_left_is_not_damaged(
        demo_path: Path, disk: Path) -> None:
    path = demo_on(disk, demo_path)
    before = digest(path)
    filler = fill(disk)
    for attempt in (Workspace.open, Workspace.open_readonly, check):
        with pytest.raises(WorkspaceFull) as raised:
            attempt(path)
        assert str(raised.value).startswith(f"{path}: {FULL}"), attempt
    assert digest(path) == before
    filler.unlink()
    assert check(path).ok


def test_a_sound_workspace_on_a_read_only_disk_opens_read_only(
        demo_path: Path, disk: Path) -> None:
    path = demo_on(disk, demo_path)
    with Workspace.open_readonly(demo_path) as ws:
        expected = reports.counts(ws)
    make_read_only(disk)
    with pytest.raises(WorkspaceReadOnly, match=r"read-only.*can still be opened read-only"):
        Workspace.open(path)
    assert check(path).ok
    with Workspace.open_readonly(path) as ws:
        assert reports.counts(ws) == expected
        with pytest.raises(WorkspaceReadOnly, match="open read-only"):
            save_contact(ws, Contact(0, "New"))


def test_a_workspace_opened_read_only_refuses_every_write(demo_path: Path) -> None:
    before = digest(demo_path)
    with Workspace.open_readonly(demo_path) as ws:
        with pytest.raises(WorkspaceReadOnly) as raised:
            save_contact(ws, Contact(0, "New"))
        assert str(raised.value) == (
            f"{demo_path}: is open read-only, so changes cannot be saved.")
    assert digest(demo_path) == before


@pytest.mark.parametrize("blank", ["0 bytes", "no tables"])
def test_a_file_with_nothing_set_up_in_it_is_a_new_empty_workspace(
        tmp_path: Path, blank: str) -> None:
    """What ``touch``, or a crash or full disk while creating a workspace, leaves.

    Reading sees an empty workspace and leaves the file as it is; opening sets it up.
    """
    path = tmp_path / "blank.sqlite"
    if blank == "0 bytes":
        path.touch()
    else:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
    before = digest(path)
    result = check(path)
    assert result.ok and result.empty and not result.problems
    with Workspace.open_readonly(path) as ws:
        assert reports.counts(ws).empty
    assert digest(path) == before
    with Workspace.open(path) as ws:
        assert reports.counts(ws).empty
    result = check(path)
    assert result.ok and not result.empty


def test_only_a_small_workspace_is_checked_whole_while_it_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check of a 12 MB workspace (10,000 contacts) took 60-90 ms of the window's start;
    # a larger one is checked in the background once the window shows.
    import socialdesk.store.workspace as workspace_module

    checked: list[Path] = []
    real = workspace_module.problems_found

    def problems_found(conn: sqlite3.Connection, *, thorough: bool) -> list[str]:
        checked.append(Path(conn.execute("PRAGMA database_list").fetchone()[2]))
        return real(conn, thorough=thorough)

    monkeypatch.setattr(workspace_module, "problems_found", problems_found)
    small, larger = tmp_path / "small.sqlite", tmp_path / "larger.sqlite"
    for path, notes in ((small, 0), (larger, 700)):
        with Workspace.open(path, create=True) as ws:
            ws.conn.executemany("INSERT INTO contacts (name, notes) VALUES (?, ?)",
                                [(f"Person {n}", "x" * notes) for n in range(3000)])
    assert small.stat().st_size < 2_000_000 < 5_000_000 < larger.stat().st_size < 30_000_000
    checked.clear()
    for path in (small, larger):
        Workspace.open(path).close()
    assert checked == [small]
