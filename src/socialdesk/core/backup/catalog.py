"""The backups in a folder: names, dates, sizes and counts, newest first.

A backup's file name says, for people, which workspace it was made of, when (local
time) and why: ``bakery-20261124-181500-auto.sdbackup``. Which workspace it belongs to is
judged by the identity its manifest (or an encrypted archive's cleartext header) carries,
never by the name: see :mod:`socialdesk.core.backup.ownership`. Reading the list opens only each
archive's manifest or header, so it is quick.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from socialdesk.core.backup import archive, crypto

KINDS = ("auto", "manual", "safety", "migration")
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<seq>\d+))?-(?P<kind>[a-z]+)"
    + re.escape(archive.SUFFIX) + "$"
)


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file as the restore list shows it."""

    path: Path
    created: datetime
    size: int
    kind: str
    workspace: str
    encrypted: bool
    counts: dict[str, int] | None
    problem: str = ""
    workspace_id: str = ""  # empty: made before workspaces had an identity (or unreadable)
    workspace_location: str = ""

    @property
    def usable(self) -> bool:
        """False when the archive could not even be read."""
        return not self.problem

    def as_json(self) -> dict[str, object]:
        """The backup as ``backups --json`` prints it.

        ``path``, ``created``, ``size``, ``kind``, ``encrypted``, ``counts``,
        ``workspace``, ``workspace_id``, and ``problem`` for an unreadable one.
        """
        return {
            "path": str(self.path), "created": iso_utc(self.created), "size": self.size,
            "kind": self.kind, "encrypted": self.encrypted, "counts": self.counts,
            "workspace": self.workspace, "workspace_id": self.workspace_id,
            **({"problem": self.problem} if self.problem else {}),
        }


def iso_utc(moment: datetime) -> str:
    """``2026-11-24T17:15:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def backup_name(stem: str, when: datetime, kind: str, seq: int = 0) -> str:
    """The file name of a backup of workspace ``stem`` made at ``when`` (local time)."""
    local = when.astimezone()
    extra = f"-{seq}" if seq else ""
    return f"{stem}-{local:%Y%m%d-%H%M%S}{extra}-{kind}{archive.SUFFIX}"


def parse_name(path: Path) -> tuple[str, datetime, str] | None:
    """``(workspace stem, when, kind)`` from a backup's file name, if it follows the pattern."""
    found = _NAME.match(path.name)
    if not found or found["kind"] not in KINDS:
        return None
    try:
        when = datetime.strptime(found["stamp"], "%Y%m%d-%H%M%S").astimezone()
    except ValueError:
        return None
    return found["stem"], when, found["kind"]


def inspect(path: Path) -> BackupInfo:
    """Describe one backup file without extracting it."""
    stat = path.stat()
    named = parse_name(path)
    stem, when, kind = named or (
        "", datetime.fromtimestamp(stat.st_mtime, UTC).astimezone(), "manual")
    try:
        encrypted = crypto.is_encrypted(path)
        counts = None
        if encrypted:
            with path.open("rb") as handle:
                owner = crypto.read_header(handle).label
        else:
            with zipfile.ZipFile(path) as zf:
                manifest = archive.read_manifest(zf)
            counts = manifest.counts
            owner = {"workspace_id": manifest.workspace_id,
                     "workspace_location": manifest.workspace_location}
            stem = stem or Path(manifest.workspace).stem
            if not named and manifest.created:
                when = datetime.fromisoformat(manifest.created.replace("Z", "+00:00"))
    except (OSError, zipfile.BadZipFile, archive.ArchiveError, crypto.DecryptionError,
            ValueError) as error:
        problem = str(error) if isinstance(
            error, archive.ArchiveError | crypto.DecryptionError) else (
            "is not a SocialDesk backup or is damaged.")
        return BackupInfo(path, when, stat.st_size, kind, stem, False, None, problem)
    return BackupInfo(path, when, stat.st_size, kind, stem, encrypted, counts,
                      workspace_id=owner.get("workspace_id", ""),
                      workspace_location=owner.get("workspace_location", ""))


def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup in ``folder``, whichever workspace it was made of, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*" + archive.SUFFIX):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            found.append(inspect(path))
        except OSError:  # removed while we looked
            continue
    return sorted(found, key=_age_order, reverse=True)


def _age_order(info: BackupInfo) -> tuple[datetime, int, str]:
    """Sort key, oldest first: time, then number in the second, then name.

    ``NAME-STAMP-1-KIND`` was made after ``NAME-STAMP-KIND`` in the same second.
    """
    found = _NAME.match(info.path.name)
    seq = int(found["seq"]) if found and found["seq"] else 0
    return info.created, seq, info.path.name


def human_size(size: int) -> str:
    """``412 KB``, ``98.3 MB``, ``1.2 GB`` (powers of 1000, as file managers show)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit in ("bytes", "KB") else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def local_time(moment: datetime) -> str:
    """``2026-11-24 18:15`` in this computer's time zone."""
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"
