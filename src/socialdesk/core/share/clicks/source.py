"""The text of an export: one file, or the tables of a zip archive, read within bounds.

An export is hostile input: a zip may claim small sizes and expand to gigabytes, hold
thousands of entries or name paths outside any folder. Members are read through their
decompressor up to a limit, whatever the archive says about their size; an archive with
too many entries, an unsafe or encrypted member, or too much data is refused whole.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.textio import decode_file
from socialdesk.core.share.clicks.errors import ClicksImportError

MAX_FILE_BYTES = 64 << 20    # an export of about two million rows
MAX_MEMBERS = 200             # Plausible's export holds about 20 tables
MAX_MEMBER_BYTES = 64 << 20
MAX_ARCHIVE_BYTES = 256 << 20  # all members together, as decompressed


@dataclass(frozen=True, slots=True)
class Table:
    """One text table of an export, and the name messages give it."""

    name: str
    where: str  # "FILE" or "FILE (member)", as messages name it
    text: str


def read_source(path: Path) -> list[Table]:
    """The tables of ``path``: its text, or each CSV/TSV member of a zip archive."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ClicksImportError(path, None, f"the file is larger than an analytics export "
                                    f"may be ({MAX_FILE_BYTES >> 20} MB).")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ClicksImportError(path, None, f"cannot be read ({error.strerror or error}).") \
            from error
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _archive(path)
    return [Table(path.name, str(path), _text(data, str(path)))]


def _text(data: bytes, where: str) -> str:
    try:
        return decode_file(data, where).text
    except ContactImportError as error:
        message = error.message
        if "not a text file" in message:
            message = ("this is not a text file (it holds binary data), so it is not an "
                       "analytics export. Choose the CSV or TSV file (or the zip) your "
                       "analytics tool exported.")
        raise ClicksImportError(where, error.line, message) from error


def _safe(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or name[1:2] == ":":
        return False
    return all(part not in ("", ".", "..") for part in PurePosixPath(name).parts)


def _archive(path: Path) -> list[Table]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ClicksImportError(path, None, f"the archive is refused: it holds more "
                                        f"than {MAX_MEMBERS} entries.")
            tables: list[Table] = []
            total = 0
            for info in infos:
                name = info.filename
                if not _safe(name.removesuffix("/")):
                    raise ClicksImportError(path, None, f"the archive is refused: entry "
                                            f"{name!r} points outside its folder.")
                if info.flag_bits & 0x1:
                    raise ClicksImportError(path, None, f"the archive is refused: entry "
                                            f"{name!r} is encrypted.")
                if info.is_dir() or PurePosixPath(name).suffix.lower() not in (
                        ".csv", ".tsv", ".txt"):
                    continue
                limit = min(MAX_MEMBER_BYTES, MAX_ARCHIVE_BYTES - total)
                with archive.open(info) as member:
                    data = member.read(limit + 1)
                if len(data) > limit:
                    raise ClicksImportError(path, None, f"the archive is refused: {name!r} "
                                            "expands to more data than an export may hold.")
                total += len(data)
                where = f"{path} ({name})"
                tables.append(Table(PurePosixPath(name).name, where, _text(data, where)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error,
            ValueError) as error:
        raise ClicksImportError(path, None, f"the archive is damaged or cannot be read "
                                f"({error}).") from error
    if not tables:
        raise ClicksImportError(path, None, "the archive holds no CSV or TSV table.")
    return tables
