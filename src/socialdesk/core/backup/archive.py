"""The portable backup archive (``.sdbackup``): a zip with the database, media, manifest.

Members::

    workspace.sqlite     the database, a consistent snapshot made with the backup API
    media/...            the workspace's media folder (``NAME.media/``, see core.media)
    manifest.json        format version, app and schema version, counts, the workspace's
                         identity (see core.ownership), and for every other member its
                         size and SHA-256

Members are stored uncompressed: SQLite pages and media (already compressed images and
video) gain little, and a backup must be quick. Reading is defensive: every name, size,
link flag, compression method and hash is checked against the manifest and the limits
below before anything is written (a compressed member is refused: it could be a zip bomb),
and nothing is written outside the folder given to :func:`extract`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol

FORMAT = "socialdesk-backup"
FORMAT_VERSION = 1
SUFFIX = ".sdbackup"
MANIFEST = "manifest.json"
DATABASE = "workspace.sqlite"
MEDIA = "media"
_BLOCK = 1 << 20
_STEP = 4 << 20  # what the kernel copies between two calls of a restore's ``copied``
# A zip member's local header: its fixed part (name and extra field sizes last), and the
# signature it starts with (APPNOTE.TXT 4.3.7; zipfile keeps both private).
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"


class Writable(Protocol):
    """What an archive is written into: a file, or a writer that encrypts into one."""

    def write(self, data: bytes, /) -> int:
        """Write ``data``, returning how many bytes were taken."""

    def flush(self) -> None:
        """Hand what was written on to the file."""

    def close(self) -> None:
        """Finish writing."""


class ArchiveError(Exception):
    """A backup archive cannot be read or restored; ``str()`` is the user-facing message."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What an archive may hold; anything larger is refused as unsafe."""

    member_bytes: int = 64 << 30
    total_bytes: int = 256 << 30
    members: int = 200_000
    manifest_bytes: int = 32 << 20


@dataclass(frozen=True, slots=True)
class Member:
    """One file in the archive, as the manifest describes it."""

    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The archive's table of contents."""

    format_version: int
    app_version: str
    schema_version: int
    created: str
    workspace: str
    counts: dict[str, int]
    members: dict[str, Member] = field(default_factory=dict)
    workspace_id: str = ""  # empty in backups made before workspaces had an identity
    workspace_location: str = ""

    def to_json(self) -> bytes:
        """The manifest as written into the archive."""
        data = {
            "format": FORMAT, "format_version": self.format_version,
            "app_version": self.app_version, "schema_version": self.schema_version,
            "created": self.created, "workspace": self.workspace, "counts": self.counts,
            "workspace_id": self.workspace_id, "workspace_location": self.workspace_location,
            "members": {name: {"size": m.size, "sha256": m.sha256}
                        for name, m in self.members.items()},
        }
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def _media_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under ``folder`` (links are skipped) with their member names."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(folder).as_posix()
            yield path, f"{MEDIA}/{relative}"


def _copy_member(zf: zipfile.ZipFile, name: str, source: Path,
                 copied: Callable[[int], object] | None = None) -> Member:
    size = source.stat().st_size
    digest = hashlib.sha256()
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    with source.open("rb") as src, zf.open(info, "w", force_zip64=size > (1 << 30)) as out:
        while block := src.read(_BLOCK):
            digest.update(block)
            out.write(block)
            if copied is not None:
                copied(len(block))
    return Member(size, digest.hexdigest())


def write(out: Writable, database: Path, media: Path | None, manifest: Manifest,
          copied: Callable[[int], object] | None = None) -> Manifest:
    """Write an archive of ``database`` (a closed snapshot) and ``media`` into ``out``.

    ``out`` may be a plain file or a non-seekable writer (encryption). Returns the
    manifest with every member's size and hash filled in. ``copied(bytes)`` is told of
    every block written; an exception it raises stops the writing and comes out.
    """
    members: dict[str, Member] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        members[DATABASE] = _copy_member(zf, DATABASE, database, copied)
        for path, name in _media_files(media) if media else ():
            members[name] = _copy_member(zf, name, path, copied)
        complete = Manifest(**{**manifest_fields(manifest), "members": members})
        zf.writestr(MANIFEST, complete.to_json())
    return complete


def manifest_fields(manifest: Manifest) -> dict[str, Any]:
    """The manifest's fields as keyword arguments (to copy it with changes)."""
    return {name: getattr(manifest, name) for name in Manifest.__dataclass_fields__}


def _safe_name(name: str) -> bool:
    """A relative POSIX path inside the archive: no ``..``, drive, root, backslash."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    if len(name) > 1 and name[1] == ":":
        return False
    parts = PurePosixPath(name).parts
    return all(part not in ("", ".", "..") for part in parts) and name == "/".join(parts)


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def read_manifest(zf: zipfile.ZipFile, limits: Limits = Limits()) -> Manifest:
    """Read and check the manifest of an open archive."""
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError as error:
        raise ArchiveError("is not a SocialDesk backup (it has no manifest).") from error
    if info.file_size > limits.manifest_bytes:
        raise ArchiveError("is refused: its manifest is too large.")
    try:
        data = json.loads(zf.read(MANIFEST))
        version = data["format_version"]
        if data.get("format") != FORMAT:
            raise ArchiveError("is not a SocialDesk backup.")
        if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
            raise ArchiveError(
                f"was made by a newer SocialDesk (backup format {version}; this version "
                f"reads format {FORMAT_VERSION}). Update SocialDesk to restore it."
            )
        members = {str(name): Member(int(m["size"]), str(m["sha256"]))
                   for name, m in data["members"].items()}
        return Manifest(
            format_version=version, app_version=str(data.get("app_version", "")),
            schema_version=int(data.get("schema_version", 0)),
            created=str(data.get("created", "")), workspace=str(data.get("workspace", "")),
            counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
            members=members, workspace_id=str(data.get("workspace_id", "")),
            workspace_location=str(data.get("workspace_location", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"has a damaged manifest ({error}).") from error


def check_members(
    zf: zipfile.ZipFile, manifest: Manifest, limits: Limits = Limits()
) -> int:
    """Refuse unsafe or unexpected members before anything is extracted.

    Returns the total size of the members to extract (what the manifest declares).
    """
    infos = zf.infolist()
    if len(infos) > limits.members:
        raise ArchiveError(f"is refused: it holds more than {limits.members:,} files.")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if not _safe_name(name.removesuffix("/")):
            raise ArchiveError(
                f"is refused: member {name!r} would be written outside the restore folder."
            )
        if _is_link(info):
            raise ArchiveError(f"is refused: member {name!r} is a link.")
        if name in seen:
            raise ArchiveError(f"is refused: member {name!r} appears twice.")
        seen.add(name)
        if info.compress_type != zipfile.ZIP_STORED:
            raise ArchiveError(
                f"is refused: member {name!r} is compressed, which a SocialDesk backup never "
                "is (a compressed member can expand to far more than the archive's size)."
            )
        if info.flag_bits & 0x1:
            raise ArchiveError(f"is refused: member {name!r} is encrypted with a zip password.")
        if name == MANIFEST:
            continue
        expected = manifest.members.get(name)
        if expected is None or info.is_dir():
            raise ArchiveError(f"is refused: member {name!r} is not in its manifest.")
        if name != DATABASE and not name.startswith(MEDIA + "/"):
            raise ArchiveError(f"is refused: member {name!r} is not a workspace file.")
        if info.file_size > limits.member_bytes or expected.size > limits.member_bytes:
            raise ArchiveError(
                f"is refused: member {name!r} is larger than a backup may hold "
                f"({limits.member_bytes:,} bytes)."
            )
        if info.file_size != expected.size or info.compress_size != info.file_size:
            raise ArchiveError(f"is damaged: member {name!r} has the wrong size.")
        total += info.file_size
    if total > limits.total_bytes:
        raise ArchiveError("is refused: its contents are larger than a backup may hold.")
    missing = sorted(set(manifest.members) - seen)
    if missing:
        raise ArchiveError(f"is damaged: {missing[0]!r} is missing.")
    if DATABASE not in seen:
        raise ArchiveError("is damaged: it holds no database.")
    return total


def _data_offset(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Where a stored member's bytes start in the archive file (after its local header)."""
    fp = zf.fp
    if fp is None:
        raise ArchiveError("is damaged: the archive is closed.")
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise ArchiveError(f"is damaged: member {info.filename!r} has no valid header.")
    name_size, extra_size = (int(n) for n in _LOCAL_HEADER.unpack(header)[-2:])
    if fp.read(name_size) != info.orig_filename.encode(
            "utf-8" if info.flag_bits & 0x800 else "cp437"):
        raise ArchiveError(f"is damaged: member {info.filename!r} has two different names.")
    return info.header_offset + _LOCAL_HEADER.size + name_size + extra_size


def extract(zf: zipfile.ZipFile, manifest: Manifest, folder: Path,
            copied: Callable[[int], object] | None = None) -> None:
    """Copy every member into ``folder`` (new, empty); :func:`check_hashes` checks them.

    Call :func:`check_members` first (members are then stored, never compressed). Each
    member's bytes are copied straight from the archive (by the kernel where it can);
    zip's own CRC-32 of them (a weaker check than the SHA-256 of the manifest, a third
    of a restore's copy time) is not computed. Nothing extracted may be used before
    :func:`check_hashes` passed; the caller removes ``folder`` when either raises.
    ``copied(bytes)`` is told as the copy goes, every few megabytes; an exception it
    raises stops the copy and comes out.
    """
    root = folder.resolve()
    for name, expected in manifest.members.items():
        target = (root / name).resolve()
        if root not in target.parents:
            raise ArchiveError(f"is refused: member {name!r} would be written outside.")
        target.parent.mkdir(parents=True, exist_ok=True)
        info = zf.getinfo(name)
        if info.compress_type != zipfile.ZIP_STORED or info.file_size != expected.size:
            raise ArchiveError(f"is refused: member {name!r} is not as its manifest says.")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | \
            getattr(os, "O_BINARY", 0)
        try:
            offset = _data_offset(zf, info)
            src = zf.fp
            assert src is not None  # checked by _data_offset
            with os.fdopen(os.open(target, flags, 0o666), "wb") as out:
                _copy(src, out, offset, expected.size, copied)
        except (struct.error, EOFError) as error:
            raise ArchiveError(f"is damaged: member {name!r} cannot be read ({error}).") from error


def check_hashes(manifest: Manifest, folder: Path,
                 hashed: Callable[[int], object] | None = None) -> None:
    """Check every member :func:`extract` wrote against the size and SHA-256 it declares.

    Raises :class:`ArchiveError` naming the first that does not match. Safe on a worker
    thread (the hashing lets other threads run). ``hashed(bytes)`` is told of every block
    read; an exception it raises stops the check and comes out.
    """
    root = folder.resolve()
    for name, expected in manifest.members.items():
        written, digest = _sha256(root / name, hashed)
        if written != expected.size or digest != expected.sha256:
            raise ArchiveError(
                f"is damaged: member {name!r} does not match its recorded SHA-256."
            )


def _copy(src: IO[bytes], out: IO[bytes], offset: int, size: int,
          copied_now: Callable[[int], object] | None = None) -> None:
    """Copy ``size`` bytes of ``src`` from ``offset`` to the empty ``out`` (fewer at its end).

    The kernel copies them where it can (``copy_file_range``: no pass through Python,
    :data:`_STEP` bytes a call); elsewhere, and where the file system refuses, they are
    read and written in blocks. ``copied_now(bytes)`` is told after each step.
    """
    copy_range = getattr(os, "copy_file_range", None)
    copied = 0
    if copy_range is not None:
        with contextlib.suppress(OSError):  # not on this file system: copy below
            while copied < size:
                done = copy_range(src.fileno(), out.fileno(), min(size - copied, _STEP),
                                  offset + copied)
                if not done:
                    return  # the archive ends early: the hash check says so
                copied += done
                if copied_now is not None:
                    copied_now(done)
            return
    out.seek(copied)
    src.seek(offset + copied)
    while copied < size:
        block = src.read(min(_BLOCK, size - copied))
        if not block:
            return
        out.write(block)
        copied += len(block)
        if copied_now is not None:
            copied_now(len(block))


def _sha256(path: Path, hashed: Callable[[int], object] | None = None) -> tuple[int, str]:
    """The size and SHA-256 of the file at ``path`` (as written: what will be restored).

    ``hashed(bytes)`` is told of every block read.
    """
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as written:
        while block := written.read(_BLOCK):
            size += len(block)
            digest.update(block)
            if hashed is not None:
                hashed(len(block))
    return size, digest.hexdigest()


@contextlib.contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open a (decrypted) archive as a zip, turning zip errors into :class:`ArchiveError`."""
    try:
        with zipfile.ZipFile(path) as zf:
            yield zf
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"is not a SocialDesk backup or is damaged ({error}).") from error
