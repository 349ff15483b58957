"""One SocialDesk per workspace (a lock file, stale ones recovered) and the keyring."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from socialdesk.core.backup import create as backup
from socialdesk.core.backup import secrets
from socialdesk.core.backup.restore import restore
from socialdesk.core.lock import WorkspaceInUse, WorkspaceLock, host_name, lock_path

HOLD = """
import sys
from socialdesk.core.lock import WorkspaceLock
lock = WorkspaceLock.acquire(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
"""


def hold_in_other_process(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    return child


def test_a_second_process_is_refused_with_who_holds_it(demo_path: Path) -> None:
    child = hold_in_other_process(demo_path)
    try:
        with pytest.raises(WorkspaceInUse, match=f"process {child.pid} on {host_name()}"):
            WorkspaceLock.acquire(demo_path)
        gui = subprocess.run(
            [sys.executable, "-m", "socialdesk", "--workspace", str(demo_path),
             "--quit-after-startup"], capture_output=True, text=True, timeout=60)
        assert gui.returncode == 1
        assert "already open in another SocialDesk" in gui.stderr
    finally:
        child.communicate("\n", timeout=10)
    with WorkspaceLock.acquire(demo_path) as lock:
        assert lock.owned
    assert not lock_path(demo_path).exists(), "a released lock leaves no file behind"


def test_a_lock_left_by_a_killed_process_is_recovered(demo_path: Path) -> None:
    child = hold_in_other_process(demo_path)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert json.loads(lock_path(demo_path).read_text())["pid"] == child.pid
    with WorkspaceLock.acquire(demo_path) as lock:
        assert lock.owned
        assert json.loads(lock_path(demo_path).read_text())["pid"] == os.getpid()


def test_a_lock_file_naming_a_dead_process_here_is_stale(demo_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(10)
    lock_path(demo_path).write_text(json.dumps(
        {"pid": dead.pid, "host": host_name(), "started": "2026-01-01T00:00:00Z"}))
    with WorkspaceLock.acquire(demo_path) as lock:
        assert lock.owned


def test_a_lock_from_another_computer_is_not_taken_over(demo_path: Path) -> None:
    lock_path(demo_path).write_text(json.dumps(
        {"pid": 1234, "host": "the-other-laptop", "started": "2026-01-01T09:00:00Z"}))
    with pytest.raises(WorkspaceInUse, match=r"another computer.*the-other-laptop"):
        WorkspaceLock.acquire(demo_path)


def test_restore_is_refused_while_another_socialdesk_has_the_workspace(demo, tmp_path):
    made = backup.make_backup(demo, tmp_path / "b").path
    demo.close()
    before = demo.path.read_bytes()
    child = hold_in_other_process(demo.path)
    try:
        with pytest.raises(WorkspaceInUse):
            restore(made, demo.path)
    finally:
        child.communicate("\n", timeout=10)
    assert demo.path.read_bytes() == before


def test_the_same_process_may_ask_again(demo_path: Path) -> None:
    with WorkspaceLock.acquire(demo_path) as outer:
        inner = WorkspaceLock.acquire(demo_path)
        assert outer.owned and not inner.owned
        inner.release()
        assert lock_path(demo_path).exists()


@pytest.mark.usefixtures("fresh_keyring")
def test_passphrase_lives_in_the_keyring_never_in_the_workspace(
        demo, tmp_path, isolated_environment: Path) -> None:
    passphrase = "Tr0ub4dor&3 horse staple"
    secrets.remember(demo.path, passphrase)
    assert secrets.recall(demo.path) == passphrase
    assert secrets.known_passphrase(demo.path) == passphrase
    import keyring

    stored_in = Path(keyring.get_keyring().file_path)
    assert stored_in.is_file() and isolated_environment in stored_in.parents
    made = backup.make_backup(demo, tmp_path / "b", passphrase=secrets.recall(demo.path))
    demo.close()
    for path in (demo.path, *demo.path.parent.glob(demo.path.name + "*"), made.path):
        if path.is_file():
            data = path.read_bytes()
            assert passphrase.encode() not in data and passphrase.encode("utf-16-le") not in data
    secrets.forget(demo.path)
    assert secrets.recall(demo.path) is None
    secrets.forget(demo.path)  # forgetting twice is fine


@pytest.mark.usefixtures("fresh_keyring")
def test_the_environment_wins_over_the_keyring(demo_path, monkeypatch) -> None:
    secrets.remember(demo_path, "from the keyring")
    monkeypatch.setenv(secrets.ENV, "from the environment")
    assert secrets.known_passphrase(demo_path) == "from the environment"
