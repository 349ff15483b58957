"""Backup and restore of the large demo workspace, against ``sqlite3 FILE ".backup OUT"``.

Goal: ≤ 1.3× the sqlite3 shell's online backup of the same file. Our backup also checks
the copy with ``PRAGMA integrity_check`` (the shell does not), so the table shows both
references: the bare ``.backup``, and ``.backup`` followed by ``integrity_check`` — the
like-for-like comparison. Needs the ``sqlite3`` shell (Debian: ``apt-get install sqlite3``).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from common import Result, best_of, large_workspace, print_table

from socialdesk.core.backup import archive, restore
from socialdesk.core.backup import create as backup
from socialdesk.store import backups


def _shell_backup(source: Path, target: Path, check: bool = False) -> None:
    target.unlink(missing_ok=True)
    subprocess.run(["sqlite3", str(source), f".backup '{target}'"], check=True)
    if check:
        out = subprocess.run(["sqlite3", str(target), "PRAGMA integrity_check"], check=True,
                             capture_output=True, text=True).stdout.strip()
        assert out == "ok", out


def run() -> list[Result]:
    """Measure and return the figures."""
    if shutil.which("sqlite3") is None:
        print("sqlite3 shell not found (Debian: apt-get install sqlite3); skipping")
        return []
    source = large_workspace()
    size_mb = source.stat().st_size / 1e6
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shell_out = work / "shell.sqlite"
        reference = best_of(lambda: _shell_backup(source, shell_out), 5)
        reference_checked = best_of(lambda: _shell_backup(source, shell_out, True), 3)

        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        folder = work / "backups"

        def ours(passphrase: str | None = None) -> Path:
            shutil.rmtree(folder, ignore_errors=True)
            return backup.write_backup(conn, source, folder, "manual",
                                       passphrase=passphrase).path

        def copy_only() -> None:
            snap = work / "snap.sqlite"
            snap.unlink(missing_ok=True)
            backups.snapshot(conn, snap)
            manifest = archive.Manifest(1, "", 1, "", "w", {})
            with (work / "copy.sdbackup").open("wb") as out:
                archive.write(out, snap, None, manifest)

        plain = best_of(ours, 3)
        copied = best_of(copy_only, 3)
        made = ours()
        kept = work / "kept.sdbackup"
        shutil.copyfile(made, kept)
        sealed_time = best_of(lambda: ours("bench passphrase"), 2)
        sealed = work / "sealed.sdbackup"
        shutil.copyfile(ours("bench passphrase"), sealed)
        conn.close()

        target = work / "restored" / "large.sqlite"

        def restore_new(path: Path = kept, passphrase: str | None = None) -> None:
            shutil.rmtree(target.parent, ignore_errors=True)
            restore.restore(path, target, passphrase=passphrase)

        restored = best_of(restore_new, 3)
        restored_sealed = best_of(lambda: restore_new(sealed, "bench passphrase"), 2)
        restore_new()

        def restore_over() -> None:
            restore.restore(kept, target, safety_folder=work / "safety")
            shutil.rmtree(work / "safety", ignore_errors=True)

        restored_over = best_of(restore_over, 2)

    goal = "≤ 1.3× .backup"
    name = f"large demo ({size_mb:.0f} MB)"
    return [
        Result(f"sqlite3 .backup, {name}", reference, "s"),
        Result("sqlite3 .backup + integrity_check", reference_checked, "s", reference),
        Result("snapshot + archive (no check)", copied, "s", reference, goal),
        Result("backup: snapshot, check, archive", plain, "s", reference, goal),
        Result("  same, vs .backup + integrity_check", plain, "s", reference_checked, "≤ 1.3×"),
        Result("backup, encrypted (scrypt + AES-GCM)", sealed_time, "s", reference_checked),
        Result("restore into a new workspace", restored, "s", reference, goal),
        Result("restore, encrypted", restored_sealed, "s", reference),
        Result("restore over a workspace (+ safety backup)", restored_over, "s", reference),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print_table(run())
