"""Backups and restores on real workspace files: verified, rotated, restorable."""

from __future__ import annotations

import random
import shutil
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bad_workspaces import CHANGES, damage_an_index, hostile_backup
from socialdesk.core.backup import archive, catalog, rotation
from socialdesk.core.backup import create as backup
from socialdesk.core.backup.restore import (
    PART,
    TELL_EVERY,
    RestoreCancelled,
    RestoreError,
    restore,
)
from socialdesk.store import backups, reports
from socialdesk.store.checks import check
from socialdesk.store.errors import WorkspaceCorrupt, WorkspaceError
from socialdesk.store.workspace import Workspace


def totals(path: Path) -> tuple[int, int]:
    with Workspace.open_readonly(path) as ws:
        counts = reports.counts(ws)
    return counts.contacts, counts.posts


def add_contact(ws: Workspace, name: str) -> None:
    with ws.transaction():
        ws.conn.execute("INSERT INTO contacts (name) VALUES (?)", (name,))


def test_backup_is_a_verified_archive_with_manifest_and_media(demo, isolated_environment):
    media = demo.path.with_name(demo.path.stem + ".media")
    (media / "2026").mkdir(parents=True)
    (media / "2026" / "loaf.jpg").write_bytes(b"\xff\xd8 a loaf")
    made = backup.make_backup(demo)
    assert made.path.parent == isolated_environment / "data" / "backups"
    assert made.path.name.endswith("-manual.sdbackup")
    with zipfile.ZipFile(made.path) as zf:
        manifest = archive.read_manifest(zf)
        assert set(zf.namelist()) == {"workspace.sqlite", "media/2026/loaf.jpg", "manifest.json"}
    assert manifest.format_version == archive.FORMAT_VERSION
    assert manifest.counts["contacts"] == reports.counts(demo).contacts
    assert len(manifest.members["workspace.sqlite"].sha256) == 64
    assert not list(made.path.parent.glob(".*")), "no temporary file is left behind"
    assert backups.last_backup(demo).path == str(made.path)


def test_backup_includes_uncheckpointed_changes(demo, tmp_path):
    add_contact(demo, "Only in the WAL")
    assert Path(str(demo.path) + "-wal").stat().st_size > 0
    made = backup.make_backup(demo, tmp_path / "out")
    target = tmp_path / "restored.sqlite"
    restore(made.path, target)
    with Workspace.open_readonly(target) as ws:
        assert ws.conn.execute("SELECT count(*) FROM contacts WHERE name = 'Only in the WAL'"
                               ).fetchone()[0] == 1


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from socialdesk.core.backup import create as backup
from socialdesk.store.workspace import Workspace
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
with Workspace.open(sys.argv[1]) as ws:
    try:
        backup.make_backup(ws, Path(sys.argv[2]))
    except backup.BackupError as error:
        print(error)
        sys.exit(3)
"""


def test_a_failed_backup_never_replaces_a_good_one(demo, tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "backups"
    good = backup.make_backup(demo, folder)
    before = {p: p.read_bytes() for p in folder.iterdir()}
    add_contact(demo, "Typed later")
    pages, size = (demo.conn.execute(f"PRAGMA {name}").fetchone()[0]
                   for name in ("page_count", "page_size"))
    demo.close()
    limit = pages * size + 64  # the snapshot fits; the archive (with its headers) does not
    ran = subprocess.run([sys.executable, "-c", FULL_DISK, str(demo.path), str(folder),
                          str(limit)], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 3, ran.stderr
    assert "could not be written" in ran.stdout
    assert {p: p.read_bytes() for p in folder.iterdir()} == before, "nothing replaced or left"
    with Workspace.open(demo.path) as ws:
        last = ws.conn.execute("SELECT ok, message FROM backup_log ORDER BY id DESC").fetchone()
        assert last[0] == 0 and "could not be written" in last[1]
    assert good.path.exists()


def test_a_backup_of_a_damaged_workspace_is_refused_and_logged(demo, tmp_path):
    folder = tmp_path / "b"
    demo.conn.execute("PRAGMA writable_schema = ON")  # damage an index behind SQLite's back
    demo.conn.execute("UPDATE sqlite_master SET sql = sql WHERE 0")
    demo.conn.execute("PRAGMA writable_schema = OFF")
    # An index that fits one page: bytes 100-400 of it are its cell pointers.
    page = demo.conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' "
                             "AND name = 'contacts_kind'").fetchone()[0]
    demo.close()
    data = bytearray(demo.path.read_bytes())
    data[(page - 1) * 4096 + 100: (page - 1) * 4096 + 400] = b"\x00" * 300
    demo.path.write_bytes(bytes(data))
    with Workspace.open(demo.path, verify=False) as ws, pytest.raises(backup.BackupError):
        backup.make_backup(ws, folder)
    assert not [p for p in folder.iterdir() if not p.name.startswith(".")]


def info(day: datetime, kind: str = "auto") -> catalog.BackupInfo:
    return catalog.BackupInfo(Path(f"/b/w-{day:%Y%m%d-%H%M%S}-{kind}.sdbackup"), day, 1, kind,
                              "w", False, {})


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    now = datetime(2026, 11, 24, 18, 0).astimezone()
    made = [info(now - timedelta(hours=12 * n)) for n in range(2 * 400)]  # twice a day
    made.append(info(now - timedelta(days=3), "safety"))
    pruned = rotation.to_prune(made, rotation.Policy(7, 4, 12))
    kept = [b for b in made if b not in pruned]
    auto = [b for b in kept if b.kind == "auto"]
    assert any(b.kind == "safety" for b in kept), "safety backups are never pruned"
    days = {b.created.date() for b in auto}
    assert all((now - timedelta(days=d)).date() in days for d in range(7))
    assert len({b.created.isocalendar()[:2] for b in auto}) >= 4
    assert len({(b.created.year, b.created.month) for b in auto}) == 12
    assert len(auto) <= 7 + 4 + 12
    assert made[0] in kept


def test_rotation_prunes_after_a_good_backup_only(demo):
    folder = backup.backup_folder(demo)
    for days in range(1, 40):
        made = backup.make_backup(demo, kind="auto", rotate=False)
        when = datetime.now().astimezone() - timedelta(days=days)
        made.path.rename(folder / catalog.backup_name(demo.path.stem, when, "auto"))
    assert len(catalog.list_backups(folder)) == 39
    result = backup.make_backup(demo, kind="auto")
    remaining = catalog.list_backups(folder)
    assert result.pruned and remaining[0].path == result.path
    assert len(remaining) == 39 + 1 - len(result.pruned)
    assert len(remaining) <= 1 + 7 + 4 + 12
    assert all(not path.exists() for path in result.pruned)


def test_restore_brings_back_the_backed_up_state_and_keeps_a_safety_backup(demo, tmp_path):
    made = backup.make_backup(demo)
    expected = (reports.counts(demo).contacts, reports.counts(demo).posts)
    add_contact(demo, "Typed after the backup")
    demo.close()
    result = restore(made.path, demo.path)
    assert totals(demo.path) == expected
    assert result.safety_backup is not None and result.safety_backup.exists()
    assert result.safety_backup.name.endswith("-safety.sdbackup")
    # The safety backup holds what was typed after the backup: nothing is lost.
    again = tmp_path / "again.sqlite"
    restore(result.safety_backup, again)
    with Workspace.open_readonly(again) as ws:
        assert ws.conn.execute("SELECT count(*) FROM contacts WHERE name = ?",
                               ("Typed after the backup",)).fetchone()[0] == 1


def test_restore_creates_a_missing_workspace_and_its_media(demo, tmp_path):
    media = demo.path.with_name(demo.path.stem + ".media")
    media.mkdir()
    (media / "flyer.png").write_bytes(b"png")
    made = backup.make_backup(demo, tmp_path / "portable")
    target = tmp_path / "elsewhere" / "bakery.sqlite"
    result = restore(made.path, target)
    assert result.safety_backup is None and target.exists()
    assert (tmp_path / "elsewhere" / "bakery.media" / "flyer.png").read_bytes() == b"png"
    assert check(target).ok


def corrupt(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncate":
        data = data[: len(data) // 2]
    elif how == "zero header":
        data[:100] = bytes(100)
    elif how == "schema text":  # not UTF-8 any more: even SQLite's error message is not
        data[data.index(b"indexasks_contactasks") + len("indexasks_co")] ^= 0xFF  # its name
    else:
        rng = random.Random(4)
        pages = len(data) // 4096
        for number in rng.sample(range(1, pages), max(3, pages // 5)):
            data[number * 4096: number * 4096 + 4096] = rng.randbytes(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncate", "zero header", "random pages", "schema text"])
def test_a_corrupt_workspace_is_detected_and_restored(demo, how):
    made = backup.make_backup(demo)
    expected = (reports.counts(demo).contacts, reports.counts(demo).posts)
    path = demo.path
    demo.close()
    corrupt(path, how)
    damaged_bytes = path.read_bytes()
    with pytest.raises(WorkspaceError) as opened:
        Workspace.open(path)
    assert isinstance(opened.value, WorkspaceCorrupt)
    try:
        assert not check(path).ok
    except WorkspaceError as error:
        assert isinstance(error, WorkspaceCorrupt)
    result = restore(made.path, path)
    assert totals(path) == expected
    assert result.safety_backup is None
    assert result.damaged_kept is not None and ".damaged-" in result.damaged_kept.name
    assert result.damaged_kept.read_bytes() == damaged_bytes, "the damaged file is kept as is"


def test_restore_refuses_a_missing_or_foreign_file(tmp_path, demo):
    with pytest.raises(RestoreError, match="no backup file"):
        restore(tmp_path / "nope.sdbackup", demo.path)
    other = tmp_path / "notes.sdbackup"
    other.write_text("hello")
    demo.close()
    before = demo.path.read_bytes()
    with pytest.raises(RestoreError, match="Nothing was restored"):
        restore(other, demo.path)
    assert demo.path.read_bytes() == before


def test_list_is_newest_first_and_shows_counts(demo):
    first = backup.make_backup(demo, kind="auto")
    add_contact(demo, "One more")
    second = backup.make_backup(demo, rotate=False)  # rotation would keep one per day
    listed = catalog.list_backups(backup.backup_folder(demo))
    assert [b.path for b in listed] == [second.path, first.path]
    assert listed[0].counts["contacts"] == listed[1].counts["contacts"] + 1
    assert listed[0].as_json()["created"].endswith("Z")


def test_daily_backup_is_due_after_a_day(demo):
    assert backup.is_due(demo)
    backup.make_backup(demo, kind="auto")
    assert not backup.is_due(demo)
    tomorrow = datetime.now().astimezone() + timedelta(hours=25)
    assert backup.is_due(demo, now=tomorrow)


def test_of_two_backups_made_in_the_same_second_the_later_is_listed_first(demo):
    made = backup.make_backup(demo, rotate=False)
    stem, when, kind = catalog.parse_name(made.path)
    folder = made.path.parent
    # A third backup in the same second is named -2-; "-2-" sorts before "-manual" by name.
    later = folder / catalog.backup_name(stem, when, kind, 2)
    made.path.rename(later)
    earlier = backup.make_backup(demo, rotate=False).path.rename(
        folder / catalog.backup_name(stem, when, kind, 0))
    listed = [b.path for b in catalog.list_backups(folder)]
    assert listed == [later, earlier]


@pytest.mark.parametrize("kind", sorted(set(CHANGES) - {"view"}))  # view: test_cli_backup
def test_a_backup_that_would_run_sql_of_its_own_is_refused(demo_path, tmp_path, kind):
    source = tmp_path / "elsewhere" / "demo.sqlite"
    source.parent.mkdir()
    shutil.copyfile(demo_path, source)
    hostile = tmp_path / "hostile.sdbackup"
    name = hostile_backup(source, kind, hostile)
    before, counts = demo_path.read_bytes(), totals(demo_path)
    with pytest.raises(RestoreError) as raised:
        restore(hostile, demo_path)
    message = str(raised.value)
    assert str(hostile) in message and f"'{name}'" in message
    assert "Nothing was restored" in message
    assert demo_path.read_bytes() == before and totals(demo_path) == counts
    assert sorted(p.name for p in demo_path.parent.iterdir() if p.name.startswith(".")) == []
    assert not list(demo_path.parent.glob("*.lock"))


def test_a_workspace_with_a_damaged_index_is_kept_aside_and_restored(demo):
    """quick_check misses this damage; the safety backup's integrity check finds it."""
    made = backup.make_backup(demo)
    expected = (reports.counts(demo).contacts, reports.counts(demo).posts)
    path = demo.path
    demo.close()
    damaged = damage_an_index(path)
    result = restore(made.path, path)
    assert totals(path) == expected and check(path).ok
    assert result.safety_backup is None
    assert result.damaged_kept is not None and result.damaged_kept.read_bytes() == damaged
    assert not [p for p in backup.default_folder().iterdir() if "safety" in p.name]


@pytest.mark.parametrize("cancel_at", [1, 2], ids=["while copying", "while archiving"])
def test_a_cancelled_backup_leaves_nothing_behind_and_logs_nothing(demo, tmp_path, cancel_at):
    """Progress is reported as the copy and the archive are written; Cancel stops it
    with no backup, no temporary file and no line in the backup log."""
    folder = tmp_path / "backups"
    logged = demo.conn.execute("SELECT count(*) FROM backup_log").fetchone()[0]
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < cancel_at

    with pytest.raises(backup.BackupCancelled, match="cancelled"):
        backup.make_backup(demo, folder, progress=progress)
    assert len(calls) == cancel_at and all(0 < done <= total for done, total in calls)
    assert list(folder.iterdir()) == []
    assert not list(demo.path.parent.glob(f".{demo.path.name}.staging-*"))  # no plain copy
    assert demo.conn.execute("SELECT count(*) FROM backup_log").fetchone()[0] == logged
    made = backup.make_backup(demo, folder, progress=lambda done, total: True)
    assert made.path.exists() and catalog.list_backups(folder)[0].path == made.path


def test_cancel_is_heard_while_the_copy_is_checked(demo, tmp_path, monkeypatch):
    """The archive is written and the copy's integrity check still runs (most of a minute
    on a million contacts): Cancel stops the check instead of waiting for its end."""
    import sqlite3
    import time

    ran_out: list[bool] = []

    def slow_check(path, opened):  # as integrity_check on a very big file: runs until stopped
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        opened(conn)
        deadline = time.monotonic() + 5
        conn.set_progress_handler(
            lambda: bool(time.monotonic() > deadline and not ran_out.append(True)), 10_000)
        try:
            conn.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                         "SELECT count(*) FROM n").fetchone()
        except sqlite3.OperationalError as error:
            return [str(error)]
        finally:
            conn.close()
        return []

    monkeypatch.setattr(backups, "integrity_problems", slow_check)
    ends = 0

    def progress(done: int, total: int) -> bool:
        nonlocal ends
        ends += done >= total
        return ends < 3  # the archive is whole; the check goes on

    folder = tmp_path / "backups"
    with pytest.raises(backup.BackupCancelled, match="cancelled"):
        backup.make_backup(demo, folder, progress=progress)
    assert ran_out == []  # stopped by Cancel, not by running out of time
    assert list(folder.iterdir()) == []


# Where a restore's progress (0 … 3000: extract, check, safety backup) answers Cancel.
CANCEL_POINTS = {
    "before extracting": lambda done: done == 0,
    "while extracting": lambda done: 0 < done < PART,
    "after extracting": lambda done: done == PART,
    "while checking": lambda done: PART < done < 2 * PART,
    "after checking": lambda done: done == 2 * PART,
    "during the safety backup": lambda done: done > 2 * PART,
}


@pytest.mark.parametrize("point", CANCEL_POINTS)
@pytest.mark.parametrize("passphrase", [None, "pass phrase"], ids=["plain", "encrypted"])
def test_a_cancelled_restore_leaves_the_workspace_and_no_files_behind(demo, point, passphrase):
    """Cancel is heard within the extract and the check too (every few megabytes), not only
    between them: the part stops there, and nothing is changed or left behind."""
    media = demo.path.with_name(demo.path.stem + ".media")
    media.mkdir()
    (media / "film.mp4").write_bytes(random.Random(1).randbytes(3 * TELL_EVERY))
    made = backup.make_backup(demo, passphrase=passphrase)
    add_contact(demo, "Typed after the backup")
    demo.close()
    before = demo.path.read_bytes()
    folder = made.path.parent
    backups_before = sorted(folder.iterdir())
    calls: list[tuple[int, int]] = []
    cancel_here = CANCEL_POINTS[point]

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return not any(cancel_here(done) for done, _total in calls)

    with pytest.raises(RestoreCancelled, match=r"cancelled\. Nothing was restored"):
        restore(made.path, demo.path, passphrase=passphrase, progress=progress)
    assert all(0 <= done <= total for done, total in calls)
    cancelled_at = next(i for i, (done, _total) in enumerate(calls) if cancel_here(done))
    heard = [done for done, _total in calls[cancelled_at + 1:]]
    assert all(done <= (calls[cancelled_at][0] // PART + 1) * PART for done in heard), \
        "the part the Cancel came in is the last one to go on"
    if point.startswith("while"):  # the copy or the hashing stopped within the film
        assert len([d for d in heard if d != calls[cancelled_at][0]]) <= 1
    assert demo.path.read_bytes() == before
    assert sorted(folder.iterdir()) == backups_before  # no safety backup, no partial file
    assert [p.name for p in demo.path.parent.iterdir() if p.name.startswith(".")] == []
    assert media.is_dir() and (media / "film.mp4").stat().st_size == 3 * TELL_EVERY
    restore(made.path, demo.path, passphrase=passphrase, progress=lambda done, total: True)
    assert totals(demo.path) != (0, 0)
    with Workspace.open_readonly(demo.path) as ws:
        assert ws.conn.execute("SELECT count(*) FROM contacts WHERE name = ?",
                               ("Typed after the backup",)).fetchone()[0] == 0
