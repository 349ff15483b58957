"""Backing up a workspace: a verified ``.sdbackup`` archive, then rotation.

Every backup follows the same steps, so a failed or interrupted one never takes the
place of a good one:

1. snapshot the live database with SQLite's online backup API (never a file copy) into
   a private staging folder beside the workspace (:mod:`socialdesk.core.backup.staging`), so
   no plain copy ever sits in the backup folder;
2. check the snapshot with ``PRAGMA integrity_check`` while it is written into the
   archive (database, media folder, manifest with hashes and the workspace's identity),
   encrypted as it is written when a passphrase is given, under a hidden temporary name
   in the backup folder, flushed to disk;
3. only when both succeeded, rename it to its real name;
4. then, and only then, prune this workspace's old automatic backups by the rotation
   settings (see :mod:`socialdesk.core.backup.rotation` and
   :mod:`socialdesk.core.backup.ownership`).

The backup log in the workspace records every attempt; the status bar shows the last.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from socialdesk import __version__
from socialdesk.core import paths
from socialdesk.core.backup import archive, catalog, ownership, rotation, staging
from socialdesk.core.backup.crypto import EncryptingWriter
from socialdesk.core.calendar.media import media_folder
from socialdesk.core.lock import pid_alive
from socialdesk.core.settings import workspace_settings
from socialdesk.store import backups, reports
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

# Temporary files of a backup in progress (and, from earlier versions, the snapshot and
# its journal, which now stay in the staging folder beside the workspace).
_PARTIAL = re.compile(r"\.(\d+)\.partial(?:-journal|-wal|-shm)?$")
# The backups that count as the daily one (an automatic one is due a day after either).
DAILY_KINDS = ("auto", "manual")


class BackupError(Exception):
    """A backup could not be made; the message says why."""


class BackupCancelled(BackupError):
    """The user cancelled the backup: nothing was written in the backup folder."""


class WorkspaceDamaged(BackupError):
    """The workspace's snapshot failed ``integrity_check``: the workspace itself is damaged."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    """A backup that was made, and the old ones its rotation removed."""

    path: Path
    size: int
    encrypted: bool
    counts: dict[str, int]
    pruned: tuple[Path, ...] = ()


def default_folder() -> Path:
    """The user data folder's ``backups/``."""
    return paths.data_dir() / "backups"


def backup_folder(ws: Workspace | None = None) -> Path:
    """Where this workspace's backups go: its ``backup_folder`` setting, or the default."""
    if ws is not None:
        chosen = workspace_settings(ws).get("backup_folder")
        if chosen:
            return Path(str(chosen)).expanduser()
    return default_folder()


def folder_for(workspace: Path) -> Path:
    """The backup folder of the workspace file at ``workspace``, even if it is damaged.

    Reads the workspace's setting when it can; falls back to the default folder.
    """
    try:
        with Workspace.open_readonly(workspace) as ws:
            return backup_folder(ws)
    except (WorkspaceError, sqlite3.Error, OSError):
        return default_folder()


def policy(ws: Workspace) -> rotation.Policy:
    """The workspace's rotation settings."""
    values = workspace_settings(ws)
    return rotation.Policy(
        int(values["backup_daily"]), int(values["backup_weekly"]), int(values["backup_monthly"])
    )


def _unique_target(folder: Path, stem: str, when: datetime, kind: str) -> Path:
    for seq in range(1000):
        target = folder / catalog.backup_name(stem, when, kind, seq)
        if not target.exists():
            return target
    raise BackupError(f"{folder}: too many backups made in the same second.")


def remove_stale_partials(folder: Path) -> None:
    """Delete temporary files left in ``folder`` by backups whose process has died."""
    for partial in folder.glob(".*.partial*"):
        found = _PARTIAL.search(partial.name)
        if found and not pid_alive(int(found[1])):
            with contextlib.suppress(OSError):
                partial.unlink()


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (a no-op on Windows)."""
    if os.name == "nt":  # pragma: no cover - Windows cannot open folders
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_backup(
    conn: sqlite3.Connection,
    workspace: Path,
    folder: Path,
    kind: str,
    *,
    passphrase: str | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> BackupResult:
    """Archive the database behind ``conn`` (workspace file ``workspace``) into ``folder``.

    Steps 1–3 of the module docstring; nothing is logged or pruned here. Raises
    :class:`BackupError` with a user-facing message. ``progress(done, total)`` is called
    as the snapshot and the archive are written (in pages, then bytes); once it returns
    False the backup stops, leaves nothing behind and raises :class:`BackupCancelled`.
    """
    checking: list[sqlite3.Connection] = []  # the snapshot's check, to interrupt on Cancel

    def step(done: int, total: int) -> None:
        if progress is not None and progress(done, total) is False:
            for conn_checking in checking:
                with contextlib.suppress(sqlite3.ProgrammingError):  # the check has ended
                    conn_checking.interrupt()
            raise BackupCancelled("The backup was cancelled; no backup was written.")

    when = datetime.now(UTC)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_partials(folder)
        final = _unique_target(folder, workspace.stem, when, kind)
    except OSError as error:
        raise BackupError(
            f"{folder}: cannot write a backup here ({error.strerror or error})."
        ) from error
    try:
        staging.remove_stale(workspace)
        scratch = staging.make(workspace)
    except OSError as error:
        raise BackupError(f"{workspace.parent}: cannot prepare the backup beside the "
                          f"workspace ({error.strerror or error}).") from error
    snapshot = scratch / "snapshot.sqlite"
    partial = folder / f".{final.name}.{os.getpid()}.partial"
    try:
        owner = ownership.label(conn, workspace)
        backups.snapshot(conn, snapshot, step if progress is not None else None)
        with Workspace.open_readonly(snapshot) as copy:
            totals = reports.counts(copy)
            schema = copy.schema_version
        counts = {"contacts": totals.contacts, "partners": totals.partners,
                  "posts": totals.posts, "campaigns": totals.campaigns, "asks": totals.asks}
        manifest = archive.Manifest(
            format_version=archive.FORMAT_VERSION, app_version=__version__,
            schema_version=schema, created=catalog.iso_utc(when), workspace=workspace.name,
            counts=counts, workspace_id=owner["workspace_id"],
            workspace_location=owner["workspace_location"],
        )
        size, written = snapshot.stat().st_size, [0]

        def copied(block: int) -> None:
            written[0] += block
            step(written[0], size)

        with ThreadPoolExecutor(1) as pool:
            check = pool.submit(backups.integrity_problems, snapshot, checking.append)
            with partial.open("xb") as raw:
                out = EncryptingWriter(raw, passphrase, owner) if passphrase else raw
                archive.write(out, snapshot, media_folder(workspace), manifest,
                              copied if progress is not None else None)
                out.close()  # seals the last encrypted chunk; closes a plain file
                if passphrase:
                    raw.flush()
                    os.fsync(raw.fileno())
            while True:  # the check may outlast the archive: Cancel is heard meanwhile
                try:
                    problems = check.result(timeout=0.1)
                    break
                except FuturesTimeout:
                    step(size, size)
            step(size, size)
        if problems:
            raise WorkspaceDamaged(
                f"{final}: the copy failed its integrity check ({'; '.join(problems[:3])}); "
                "the workspace may be damaged. No backup was replaced."
            )
        if not passphrase:
            with partial.open("rb") as sealed:
                os.fsync(sealed.fileno())
        os.replace(partial, final)
        fsync_folder(folder)
    except (OSError, sqlite3.Error) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise BackupError(f"{folder}: the backup could not be written ({detail}).") from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            partial.unlink()
    return BackupResult(final, final.stat().st_size, bool(passphrase), counts)


def make_backup(
    ws: Workspace,
    folder: Path | None = None,
    kind: str = "manual",
    *,
    passphrase: str | None = None,
    rotate: bool | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> BackupResult:
    """Back up ``ws``, log the attempt, and prune old backups when it succeeded.

    ``folder`` defaults to :func:`backup_folder`; rotation runs by default after
    automatic and manual backups into that folder, and removes only automatic backups
    that carry this workspace's identity. ``progress`` as in :func:`write_backup`.
    """
    target = folder or backup_folder(ws)
    try:
        result = write_backup(ws.conn, ws.path, target, kind, passphrase=passphrase,
                              progress=progress)
    except BackupCancelled:
        raise  # the user's choice, not a failed backup: nothing to log
    except BackupError as error:
        with contextlib.suppress(sqlite3.Error):
            backups.log_backup(ws, target, kind, None, False, str(error),
                               encrypted=bool(passphrase))
        raise
    backups.log_backup(ws, result.path, kind, result.size, True, encrypted=result.encrypted)
    if rotate is None:
        rotate = folder is None and kind in DAILY_KINDS
    if not rotate:
        return result
    owner = ownership.owner_of(ws)
    mine = [info for info in catalog.list_backups(target) if owner.stamped(info)]
    pruned = []
    for old in rotation.to_prune(mine, policy(ws)):
        if old.path == result.path:
            continue
        with contextlib.suppress(OSError):
            old.path.unlink()
            pruned.append(old.path)
    return BackupResult(result.path, result.size, result.encrypted, result.counts,
                        tuple(pruned))


def backup_now(
    ws: Workspace, folder: Path | None = None, kind: str = "manual",
    *, passphrase: str | None = None,
) -> Path:
    """Back up the workspace (see :func:`make_backup`); return the new backup's path."""
    return make_backup(ws, folder, kind, passphrase=passphrase).path


def is_due(ws: Workspace, now: datetime | None = None, hours: float = 24) -> bool:
    """Whether the daily automatic backup is due: no good backup in the last ``hours``."""
    last = backups.last_backup(ws, DAILY_KINDS)
    if last is None:
        return True
    made = datetime.fromisoformat(last.created_at.replace("Z", "+00:00"))
    return ((now or datetime.now(UTC)) - made).total_seconds() >= hours * 3600
