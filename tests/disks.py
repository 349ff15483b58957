"""Small real file systems for tests of full and read-only disks (tmpfs mounts).

Mounting needs root (the test machines and CI run as root); tests that need it skip
elsewhere. Each disk is the test's own and is unmounted when the test ends.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[Path]:
    """Mount a tmpfs of ``size`` on ``folder`` (made if absent); skip if not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        # Lazy: a connection a failing test left open must not keep the disk mounted.
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the disk ``folder`` is on, leaving about ``leave`` bytes free; the filler file."""
    filler = folder / "filler.bin"
    block = bytes(64 * 1024)
    with filler.open("wb", buffering=0) as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(block)
        for size in (4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    handle.write(block[:size])
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def make_read_only(folder: Path) -> None:
    """Remount the small disk at ``folder`` read-only."""
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, timeout=30)
    try:
        (folder / "probe").touch()
    except OSError as error:
        assert error.errno == errno.EROFS
    else:
        pytest.fail("the remount did not make the disk read-only")
