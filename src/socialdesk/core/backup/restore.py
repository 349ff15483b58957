"""Restoring a backup: check everything first, secure the current state, then swap.

1. Under the workspace's lock, the archive is decrypted (if it is encrypted) and
   extracted into a private staging folder beside the workspace (one a killed restore
   left is removed first, see :mod:`socialdesk.core.backup.staging`); every member's name,
   size and storage method is checked (and the free disk space against the sizes the
   manifest declares) before it is copied, then each copy's SHA-256 and, meanwhile on
   another thread, the database itself (a SocialDesk workspace, not from a newer
   version, passing ``quick_check``, holding the counts its manifest says).
   Any refusal leaves the workspace and everything around it untouched, and so does a
   Cancel (``progress`` returning False), which is heard until the swap begins: within
   the decryption, the copies and the checks too, every few megabytes (and within the
   database's check every tenth of a second), not only between them.
2. The current workspace is secured: a sound one gets a safety backup (kind ``safety``,
   never pruned); a damaged, unreadable or foreign one — failing ``quick_check``, the
   schema check, or the safety backup's ``integrity_check`` — is renamed aside as it is
   (``NAME.damaged-YYYYMMDD-HHMMSS.sqlite``), never overwritten or deleted.
3. The staged database replaces the workspace with one atomic rename (same folder), and
   the backed-up media folder takes the place of the current one. The workspace keeps
   its identity, and with it its backups (:func:`ownership.carry_identity`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from socialdesk.core.backup import archive, catalog, crypto, ownership, secrets, staging
from socialdesk.core.backup.create import (
    BackupCancelled,
    BackupError,
    WorkspaceDamaged,
    backup_folder,
    folder_for,
    fsync_folder,
    write_backup,
)
from socialdesk.core.calendar.media import media_folder
from socialdesk.core.formatting import plural
from socialdesk.core.lock import WorkspaceLock
from socialdesk.core.settings import workspace_settings
from socialdesk.store import backups, reports
from socialdesk.store.checks import verify_workspace
from socialdesk.store.errors import CheckTooLong, ForeignSchema, WorkspaceError, WorkspaceTooNew
from socialdesk.store.workspace import Workspace

# What a restore leaves free on the disk of the workspace, beyond the files it writes.
SPACE_RESERVE = 64 << 20

Progress = Callable[[int, int], bool]  # (done, total): False cancels
# A restore's progress counts its parts: extracting, checking, the safety backup.
PARTS = 3
PART = 1000
TELL_EVERY = 4 << 20  # bytes copied or hashed between two calls of ``progress`` in a part


class RestoreError(Exception):
    """A backup cannot be restored; ``str()`` names the file and says why."""


class RestoreCancelled(RestoreError):
    """The user cancelled before the workspace was replaced: nothing was changed."""


class PassphraseRequired(RestoreError):
    """The archive is encrypted and no passphrase was given."""


class BadPassphrase(RestoreError):
    """The passphrase given does not open the archive."""


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore did."""

    workspace: Path
    source: Path
    counts: dict[str, int]
    created: str
    safety_backup: Path | None = None
    damaged_kept: Path | None = None


@dataclass(frozen=True, slots=True)
class Staged:
    """An archive extracted and checked in a staging folder."""

    manifest: archive.Manifest
    database: Path
    media: Path | None


def _fail(source: Path, error: Exception | str) -> RestoreError:
    return RestoreError(f"{source}: {error} Nothing was restored.")


def _cancelled(source: Path) -> RestoreCancelled:
    return RestoreCancelled(f"{source}: the restore was cancelled. Nothing was restored.")


def _check_space(needed: int, folder: Path) -> None:
    """Refuse to write ``needed`` bytes into ``folder`` unless :data:`SPACE_RESERVE` stays free."""
    free = shutil.disk_usage(folder).free
    if needed + SPACE_RESERVE > free:
        raise archive.ArchiveError(
            f"is refused: restoring it needs {catalog.human_size(needed + SPACE_RESERVE)} of "
            f"free space in {folder.parent}, and only {catalog.human_size(free)} is free."
        )


Meter = Callable[[int, int], None]  # (bytes done, of total): raises to stop the work


def stage(source: Path, folder: Path, passphrase: str | None = None,
          limits: archive.Limits = archive.Limits(),  # noqa: B008
          meter: Meter | None = None) -> Staged:
    """Decrypt and extract ``source`` into the empty ``folder`` (not yet to be trusted).

    Every member's name, size and kind is checked before it is copied; :func:`check_staged`
    checks the copies' hashes and the database. ``meter(done, total)`` is told as the
    bytes are decrypted and copied; an exception it raises stops the work and comes out
    (``folder`` may then hold part of the copies: the caller removes it).
    """
    done = 0

    def moved(size: int, total: int) -> None:
        nonlocal done
        done += size
        if meter is not None:
            meter(done, total)

    if not source.is_file():
        raise RestoreError(f"{source}: no backup file here.")
    zip_path = source
    try:
        if crypto.is_encrypted(source):
            if not passphrase:
                raise PassphraseRequired(
                    f"{source}: this backup is encrypted; its passphrase is needed.")
            zip_path = folder / "archive.zip"
            sealed = source.stat().st_size
            _check_space(sealed, folder)
            with source.open("rb") as src, zip_path.open("xb") as out:
                # then about as much to extract: the part's first half
                crypto.decrypt(src, out, passphrase, lambda size: moved(size, 2 * sealed))
        with archive.open_zip(zip_path) as zf:
            manifest = archive.read_manifest(zf, limits)
            members = archive.check_members(zf, manifest, limits)
            _check_space(members, folder)
            content = folder / "content"
            content.mkdir()
            whole = done + members
            archive.extract(zf, manifest, content, lambda size: moved(size, whole))
    except crypto.WrongPassphrase as error:
        raise BadPassphrase(
            f"{source}: wrong passphrase for this encrypted backup. Nothing was restored."
        ) from error
    except (crypto.DecryptionError, archive.ArchiveError) as error:
        raise _fail(source, error) from error
    except OSError as error:
        raise _fail(source, f"cannot be read ({error.strerror or error}).") from error
    finally:
        if zip_path != source:
            with contextlib.suppress(OSError):
                zip_path.unlink()
    media = content / archive.MEDIA
    return Staged(manifest, content / archive.DATABASE, media if media.is_dir() else None)


def check_staged(staged: Staged, source: Path, meter: Meter | None = None,
                 stop: Callable[[], bool] | None = None) -> None:
    """Check the members' hashes (on a thread) and the database (here) at once.

    Both must pass; the two take about as long, so on two cores this halves the wait. A
    member that fails its hash is reported first (the archive is damaged, whatever the
    database's check found). The database is checked before its hash is known, as a
    forged backup's would be whatever its manifest says: the check is bounded in time
    and reads the file only.

    ``meter(done, total)`` is told as the members are hashed (on the hashing thread); an
    exception it raises stops the hashing and comes out. Once ``stop()`` answers True
    (asked now and then during the database's check) the check ends and
    :class:`RestoreCancelled` is raised.
    """
    from concurrent.futures import ThreadPoolExecutor

    total = sum(member.size for member in staged.manifest.members.values())
    done = 0

    def hashed_now(size: int) -> None:
        nonlocal done
        done += size
        if meter is not None:
            meter(done, total)

    with ThreadPoolExecutor(1, thread_name_prefix="restore-hashes") as pool:
        hashed = pool.submit(archive.check_hashes, staged.manifest, staged.database.parent,
                             hashed_now)
        failed: RestoreError | None = None
        try:
            _check_database(staged, source, stop)
        except RestoreError as error:
            failed = error
        try:
            hashed.result()
        except archive.ArchiveError as error:
            raise _fail(source, error) from error
        except OSError as error:
            raise _fail(source, f"cannot be read ({error.strerror or error}).") from error
        if failed is not None:
            raise failed


def _check_database(staged: Staged, source: Path,
                    stop: Callable[[], bool] | None = None) -> None:
    """Its schema first (nothing of the file's own may run), then its pages, then counts."""
    try:
        if not verify_workspace(staged.database, stop, private=True):
            raise _cancelled(source)
        with Workspace.open_readonly(staged.database) as ws, ws.time_limit():
            totals = reports.counts(ws)
    except WorkspaceTooNew as error:
        raise _fail(source, f"holds a workspace from a newer SocialDesk (schema version "
                    f"{error.found}); update SocialDesk to restore it.") from error
    except ForeignSchema as error:
        raise _fail(source, f"holds a workspace with {error.unexpected}, so it is refused: "
                    "SocialDesk restores only the schema it creates itself.") from error
    except CheckTooLong as error:
        raise _fail(source, "holds a workspace that takes far too long to check, so it is "
                    "refused.") from error
    except WorkspaceError as error:
        raise _fail(source, "holds a damaged workspace.") from error
    expected = staged.manifest.counts
    found = {"contacts": totals.contacts, "posts": totals.posts}
    if any(expected.get(key, value) != value for key, value in found.items()):
        raise _fail(source, "holds other data than its manifest says (damaged).")


def restore_hint(path: Path) -> str:
    """What to tell a user whose workspace is damaged: which backup, which command."""
    folder = folder_for(path)
    found = [info for info in ownership.backups_of(ownership.owner_at(path), folder)
             if info.usable]
    if not found:
        return (f"No backup of it was found in {folder}. If you have a .sdbackup file, "
                f"restore it with: socialdesk restore FILE --workspace '{path}'")
    newest = found[0]
    counts = "" if newest.counts is None else (
        f", {plural(newest.counts.get('contacts', 0), 'contact')}, "
        f"{plural(newest.counts.get('posts', 0), 'post')}")
    return (f"The newest backup is from {catalog.local_time(newest.created)}{counts}. "
            f"Restore it with: socialdesk restore latest --workspace '{path}' "
            "(the damaged file is kept aside, never deleted).")


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def keep_aside(workspace: Path) -> Path:
    """Rename a damaged workspace (and its WAL files) to ``NAME.damaged-STAMP.sqlite``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for seq in range(100):
        extra = f"-{seq}" if seq else ""
        kept = workspace.with_name(f"{workspace.stem}.damaged-{stamp}{extra}{workspace.suffix}")
        if not kept.exists():
            break
    os.replace(workspace, kept)
    for sidecar, moved in zip(_sidecars(workspace), _sidecars(kept), strict=True):
        if sidecar.exists():
            os.replace(sidecar, moved)
    return kept


def _secure_current(
    workspace: Path, safety_folder: Path | None, fallback_passphrase: str | None,
    progress: Progress | None = None,
) -> tuple[Path | None, Path | None]:
    """Safety-back-up a sound workspace, or keep a damaged one aside. Returns both paths.

    ``progress`` is the safety backup's (:func:`write_backup`: False cancels it).
    """
    if not workspace.exists():
        return None, None
    try:
        verify_workspace(workspace)
        with Workspace.open_readonly(workspace) as current:
            values = workspace_settings(current)
    except WorkspaceTooNew:
        raise
    except (WorkspaceError, sqlite3.DatabaseError):
        return None, keep_aside(workspace)
    folder = safety_folder or (
        Path(values["backup_folder"]).expanduser() if values.get("backup_folder")
        else backup_folder())
    passphrase = None
    if values.get("backup_encrypt"):
        passphrase = secrets.known_passphrase(workspace) or fallback_passphrase
    try:
        with backups.checkpointed(workspace) as conn:
            made = write_backup(conn, workspace, folder, "safety", passphrase=passphrase,
                                progress=progress)
    except WorkspaceDamaged:  # damage quick_check misses (an index): keep the file itself
        made = None
    return (made.path, None) if made else (None, keep_aside(workspace))


def _swap_in(staged: Staged, workspace: Path, scratch: Path) -> None:
    ownership.carry_identity(staged.database, workspace)
    for sidecar in _sidecars(workspace):  # empty after the checkpoint, or moved aside
        with contextlib.suppress(FileNotFoundError):
            sidecar.unlink()
    os.replace(staged.database, workspace)
    fsync_folder(workspace.parent)
    if staged.media is None:
        return
    media = media_folder(workspace)
    if media.exists():
        os.replace(media, scratch / "replaced-media")  # it is in the safety backup
    os.replace(staged.media, media)


def restore(
    source: Path | str,
    workspace: Path | str,
    *,
    passphrase: str | None = None,
    safety_folder: Path | None = None,
    progress: Progress | None = None,
) -> RestoreResult:
    """Replace ``workspace`` (created if missing) with the backup ``source``.

    ``progress(done, total)`` is told as the parts end, and within them as the archive
    is decrypted, copied and hashed (every :data:`TELL_EVERY` bytes), as the database is
    checked (every tenth of a second) and as the safety backup is written; once it
    returns False, the restore stops before the workspace is replaced and raises
    :class:`RestoreCancelled`. Raises :class:`RestoreError`
    (:class:`PassphraseRequired`, :class:`BadPassphrase`) or
    :class:`~socialdesk.store.errors.WorkspaceError` (the workspace is open in another
    SocialDesk, or from a newer one); the workspace is unchanged then.
    """
    source = Path(source).expanduser().absolute()
    workspace = Path(workspace).expanduser().absolute()
    try:
        workspace.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RestoreError(f"{workspace.parent}: cannot be created ({error.strerror}).") from error
    cancelled = _cancelled(source)
    stopped = threading.Event()  # progress returned False: heard by every thread
    asked = [time.monotonic()]  # when progress was last asked
    last = [0]  # and what it was told

    def tell(value: int) -> bool:
        asked[0], last[0] = time.monotonic(), value
        if progress is not None and progress(value, PARTS * PART) is False:
            stopped.set()
        return not stopped.is_set()

    def told(part: int, done: int = 0, total: int = 1) -> bool:
        return tell(part * PART + PART * min(done, total) // max(total, 1))

    def step(part: int) -> None:
        if not told(part):
            raise cancelled

    def meter(part: int) -> Meter:
        """Tells progress every :data:`TELL_EVERY` bytes of the part; raises on Cancel."""
        told_at = [0]

        def moved(done: int, total: int) -> None:
            if stopped.is_set():
                raise _cancelled(source)
            if done - told_at[0] >= TELL_EVERY or done >= total:
                told_at[0] = done
                if not told(part, done, total):
                    raise _cancelled(source)
        return moved

    def checking_stopped() -> bool:
        """Asked by the database's check: Cancel is heard within a tenth of a second."""
        if not stopped.is_set() and time.monotonic() - asked[0] > 0.1:
            tell(last[0])  # the same value again (the hashing tells more as it goes)
        return stopped.is_set()

    with WorkspaceLock.acquire(workspace):
        staging.remove_stale(workspace, locked=True)
        scratch = staging.make(workspace)
        try:
            step(0)
            staged = stage(source, scratch, passphrase, meter=meter(0))
            step(1)
            check_staged(staged, source, meter(1), checking_stopped)
            step(2)
            try:
                safety, damaged = _secure_current(
                    workspace, safety_folder, passphrase,
                    None if progress is None else lambda done, total: told(2, done, total))
            except BackupCancelled as error:
                raise cancelled from error
            except BackupError as error:
                raise RestoreError(
                    f"{workspace}: the safety backup of the current state failed, so "
                    f"nothing was restored. {error}"
                ) from error
            _swap_in(staged, workspace, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if safety is not None:
            with Workspace.open(workspace) as restored:
                backups.log_backup(restored, safety, "safety", safety.stat().st_size, True,
                                   f"made before restoring {source.name}",
                                   encrypted=crypto.is_encrypted(safety))
    return RestoreResult(workspace, source, staged.manifest.counts, staged.manifest.created,
                         safety, damaged)
