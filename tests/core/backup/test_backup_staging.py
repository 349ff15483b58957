"""Plain copies of a workspace never sit in a backup folder, and none outlives a kill.

A backup's snapshot and a restore's decrypted and extracted files live in a private
staging folder beside the workspace; what a killed process left there is removed by the
next backup, restore or start.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from socialdesk.cli import main
from socialdesk.core.backup import create as backup
from socialdesk.core.backup import staging
from socialdesk.core.backup.restore import restore
from socialdesk.store.workspace import SQLITE_HEADER

# Run the real command, stopping at the moment given (the point a kill would hit).
PAUSED = """
import sys, time
from socialdesk.core.backup import archive
from socialdesk.cli import main
where = sys.argv[1]
real = getattr(archive, where)
def pause(*args):
    if where == "extract":
        real(*args)
    print("paused", flush=True)
    time.sleep(120)
setattr(archive, where, pause)
main(sys.argv[2:])
"""


def kill_when_paused(where: str, *args: str) -> None:
    """Run ``socialdesk ARGS`` until it reaches ``archive.WHERE``, then kill it (-9)."""
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED, where, *args], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "SOCIALDESK_PASSPHRASE": "blue whale"}, stdin=subprocess.DEVNULL)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "paused"
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)


def plain_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that hold a readable database or zip archive."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                head = handle.read(len(SQLITE_HEADER))
            if head == SQLITE_HEADER or head.startswith(b"PK"):
                found.append(path)
    return found


def staging_left(workspace: Path) -> list[Path]:
    """Hidden folders beside the workspace that belong to it (staging of any kind)."""
    return [p for p in workspace.parent.iterdir()
            if p.is_dir() and p.name.startswith(f".{workspace.name}.")]


def encrypted_backup_to(folder: Path, workspace: Path, monkeypatch) -> None:
    """``socialdesk backup --to FOLDER --encrypt`` with the tests' passphrase."""
    monkeypatch.setenv("SOCIALDESK_PASSPHRASE", "blue whale")
    assert main(["backup", "--to", str(folder), "--encrypt", "--workspace", str(workspace)]) == 0


def test_a_killed_encrypted_backup_leaves_no_plain_copy_in_its_folder(
        demo_path, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    kill_when_paused("write", "backup", "--to", str(usb), "--encrypt",
                     "--workspace", str(demo_path))
    assert list(usb.iterdir()), "the kill came while the backup was being written"
    assert plain_files(usb) == [], "only the encrypted partial file was in the folder"
    assert staging_left(demo_path), "the snapshot was staged beside the workspace"
    encrypted_backup_to(usb, demo_path, monkeypatch)
    assert staging_left(demo_path) == [], "the next backup removed the dead one's snapshot"
    assert [p.suffix for p in usb.iterdir()] == [".sdbackup"]
    assert plain_files(usb) == []


def test_a_killed_restore_leaves_no_plain_copy_after_the_next_start(
        demo_path, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    encrypted_backup_to(usb, demo_path, monkeypatch)
    [archive] = usb.iterdir()
    kill_when_paused("extract", "restore", str(archive), "--yes", "--workspace", str(demo_path))
    left = staging_left(demo_path)
    assert left and any(plain_files(folder) for folder in left), "killed mid-restore"
    started = subprocess.run(
        [sys.executable, "-m", "socialdesk", "--workspace", str(demo_path),
         "--quit-after-startup"], capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL)
    assert started.returncode == 0, started.stderr
    assert staging_left(demo_path) == [], "starting SocialDesk removed the dead restore's files"


def test_staging_of_a_running_process_is_left_alone(demo_path, demo):
    mine = staging.make(demo_path)
    (mine / "snapshot.sqlite").write_bytes(SQLITE_HEADER)
    backup.make_backup(demo)  # removes stale staging folders: this one is alive
    assert (mine / "snapshot.sqlite").exists()
    assert mine.stat().st_mode & 0o077 == 0, "only the user may open it"
    assert staging_left(demo_path) == [mine]


def test_an_earlier_versions_restore_leftovers_go_with_the_next_restore(demo_path, demo):
    made = backup.make_backup(demo).path
    earlier = demo_path.parent / f".{demo_path.name}.restore-k3j4h5g6"
    earlier.mkdir()
    (earlier / "archive.zip").write_bytes(b"PK\x03\x04 a decrypted archive")
    backup.make_backup(demo)  # holds no lock: cannot tell whether a restore runs
    assert earlier.exists()
    demo.close()
    restore(made, demo_path)  # under the workspace's lock: no restore of it can run
    assert staging_left(demo_path) == []
