"""The lock file on a full or read-only disk: a clear refusal, never an empty lock left behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disks import fill, make_read_only
from socialdesk.core.lock import WorkspaceLock, lock_path
from socialdesk.store.errors import WorkspaceFull, WorkspaceReadOnly


def test_no_room_for_the_lock_file_is_a_clear_error_and_leaves_no_lock(
        demo_path: Path, disk: Path) -> None:
    path = disk / "ws.sqlite"
    shutil.copyfile(demo_path, path)
    filler = fill(disk)
    with pytest.raises(WorkspaceFull) as raised:
        WorkspaceLock.acquire(path)
    assert str(raised.value).startswith(f"{path}: the disk it is on is full")
    assert not lock_path(path).exists()
    app = subprocess.run([sys.executable, "-m", "socialdesk", "--workspace", str(path),
                          "--quit-after-startup"], capture_output=True, text=True, timeout=120,
                         env=os.environ.copy())
    assert app.returncode == 1
    assert app.stderr.startswith(f"socialdesk: {path}: the disk it is on is full"), app.stderr
    assert "Traceback" not in app.stderr
    assert not lock_path(path).exists()
    filler.unlink()
    with WorkspaceLock.acquire(path) as lock:
        assert lock.owned
        assert json.loads(lock_path(path).read_text())["pid"] == os.getpid()


def test_an_empty_lock_file_left_by_a_crash_is_stale(demo_path: Path) -> None:
    lock_path(demo_path).touch()
    with WorkspaceLock.acquire(demo_path) as lock:
        assert lock.owned
        assert json.loads(lock_path(demo_path).read_text())["pid"] == os.getpid()


def test_a_read_only_disk_has_no_room_for_a_lock_and_says_why(
        demo_path: Path, disk: Path) -> None:
    path = disk / "ws.sqlite"
    shutil.copyfile(demo_path, path)
    make_read_only(disk)
    with pytest.raises(WorkspaceReadOnly, match="is read-only"):
        WorkspaceLock.acquire(path)
