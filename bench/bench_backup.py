"""Backup and restore of the demo workspace, against ``sqlite3 FILE ".backup OUT"``.

Goal: ≤ 1.3× the sqlite3 shell's online backup of the same file. Our backup also checks
the copy with ``PRAGMA integrity_check`` (the shell does not), so the table shows both
references: the bare ``.backup``, and ``.backup`` followed by ``integrity_check`` — the
like-for-like comparison. Needs the ``sqlite3`` shell (Debian: ``apt-get install sqlite3``).

The restore into a new workspace is also measured in pairs with ``.backup`` (one right
after the other, which goes first alternating; the median of the ratios), in wall time
and in CPU time (the restore's process, all its threads; the shell as a child): on a
loaded machine the CPU time is the steadier figure, while the wall time shows the
restore's two threads (the hashes and the database's check) working at once.
"""

from __future__ import annotations

import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import Result, bench_size, best_of, in_turn, large_workspace, print_table

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


PAIRS = 5


def _timed(fn: Callable[[], object], who: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``fn()`` (CPU of this process or of its children)."""
    before, start = resource.getrusage(who), time.perf_counter()
    fn()
    wall, after = time.perf_counter() - start, resource.getrusage(who)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _paired(ours: Callable[[], object], shell: Callable[[], object]
            ) -> list[tuple[float, float, float, float]]:
    """(our wall, shell wall, our CPU, shell CPU) of each pair, which goes first alternating."""
    pairs = []
    for i in range(PAIRS):
        mine, theirs = in_turn(i, lambda: _timed(ours, resource.RUSAGE_SELF),
                               lambda: _timed(shell, resource.RUSAGE_CHILDREN))
        pairs.append((mine[0], theirs[0], mine[1], theirs[1]))
    return pairs


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
        pairs = _paired(restore_new, lambda: _shell_backup(source, shell_out))
        restored_sealed = best_of(lambda: restore_new(sealed, "bench passphrase"), 2)
        restore_new()

        def restore_over() -> None:
            restore.restore(kept, target, safety_folder=work / "safety")
            shutil.rmtree(work / "safety", ignore_errors=True)

        restored_over = best_of(restore_over, 2)

    goal = "≤ 1.3× .backup"
    name = f"{bench_size()} demo ({size_mb:.0f} MB)"
    median = statistics.median
    return [
        Result(f"sqlite3 .backup, {name}", reference, "s"),
        Result("sqlite3 .backup + integrity_check", reference_checked, "s", reference),
        Result("snapshot + archive (no check)", copied, "s", reference, goal),
        Result("backup: snapshot, check, archive", plain, "s", reference, goal),
        Result("  same, vs .backup + integrity_check", plain, "s", reference_checked, "≤ 1.3×"),
        Result("backup, encrypted (scrypt + AES-GCM)", sealed_time, "s", reference_checked),
        Result("restore into a new workspace", restored, "s", reference, goal),
        Result(f"  same, wall, median of {PAIRS} pairs with .backup",
               median(p[0] for p in pairs), "s", median(p[1] for p in pairs), goal,
               paired_ratio=median(p[0] / p[1] for p in pairs)),
        Result(f"  same, CPU time, median of {PAIRS} pairs",
               median(p[2] for p in pairs), "s", median(p[3] for p in pairs), goal,
               paired_ratio=median(p[2] / p[3] for p in pairs)),
        Result("restore, encrypted", restored_sealed, "s", reference),
        Result("restore over a workspace (+ safety backup)", restored_over, "s", reference),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print_table(run())
