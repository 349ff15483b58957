"""Backups of a workspace into the user data folder's ``backups/``.

A backup is written under a temporary name, checked with ``integrity_check``, and only
then renamed into place, so a failed backup never takes the place of a good one.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path

from socialdesk.core import paths
from socialdesk.store import backups
from socialdesk.store.workspace import Workspace


class BackupError(Exception):
    """A backup could not be made; the message says why."""


def backup_folder() -> Path:
    """Where automatic and manual backups go by default."""
    return paths.data_dir() / "backups"


def backup_now(ws: Workspace, folder: Path | None = None, kind: str = "manual") -> Path:
    """Back up the workspace; return the new backup's path."""
    folder = folder or backup_folder()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    final = folder / f"{ws.path.stem}-{stamp}.sqlite"
    partial = final.with_name(final.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result = backups.copy_to(ws, partial)
        if result != "ok":
            raise BackupError(f"{final}: the copy failed its integrity check ({result}).")
        os.replace(partial, final)
    except (OSError, BackupError) as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        message = str(error) if isinstance(error, BackupError) else (
            f"{folder}: cannot write a backup here ({error.strerror or error})."
        )
        backups.log_backup(ws, final, kind, None, False, message)
        raise BackupError(message) from error
    backups.log_backup(ws, final, kind, final.stat().st_size, True)
    return final
