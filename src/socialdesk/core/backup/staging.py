"""Private working folders for the plain data of a backup or restore in progress.

A backup's snapshot, and a restore's decrypted archive and extracted files, are written
only into a staging folder beside the workspace — where its plain data already is —
never into the backup folder (a USB stick, a synced cloud folder) where an encrypted
backup is meant to be the only copy. The folder is ``.NAME.staging-HOST-PID-RANDOM``,
mode 0700 (only the user may open it), and the caller removes it when the work ends.
One left by a process that was killed is removed by the next backup, restore or start
of SocialDesk on that workspace (:func:`remove_stale`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from socialdesk.core.lock import host_name, pid_alive

_OWNER = re.compile(r"\.staging-(?P<host>.+)-(?P<pid>\d+)-[^-]+")


def make(workspace: Path) -> Path:
    """A new, empty staging folder for ``workspace``, only the user's (raises OSError)."""
    import tempfile

    prefix = f".{workspace.name}.staging-{host_name()}-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=workspace.parent))


def remove_stale(workspace: Path, *, locked: bool = False) -> None:
    """Remove the staging folders of ``workspace`` whose process is no longer running.

    With ``locked`` (the caller holds the workspace's lock), the ``.NAME.restore-*``
    folders of earlier SocialDesk versions go too: they restored only under that lock.
    """
    own = f".{workspace.name}."
    try:
        entries = list(os.scandir(workspace.parent))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(own):
            continue
        rest = entry.name[len(own) - 1:]
        found = _OWNER.fullmatch(rest)
        if found:
            stale = found["host"] == host_name() and not pid_alive(int(found["pid"]))
        else:
            stale = locked and rest.startswith(".restore-")
        with contextlib.suppress(OSError):
            if stale and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
