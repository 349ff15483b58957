"""The text of an export: one file, or the tables of a zip archive, read within bounds.

A table is read line by line, decoded block by block (the contacts import's
:class:`~socialdesk.core.contacts.importing.textstream.TextSource`), as often as a reader
needs: no file is held whole (a zip's member only while it is read). An export is hostile
input: a zip may claim small sizes and expand to gigabytes, hold thousands of entries or
name paths outside any folder. Members are read through their
decompressor up to a limit, whatever the archive says about their size; an archive with
too many entries, an unsafe or encrypted member, or too much data is refused whole.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.textstream import BLOCK, Opener, TextSource
from socialdesk.core.share.clicks.errors import ClicksImportError

MAX_FILE_BYTES = 64 << 20    # an export of about two million rows
MAX_MEMBERS = 200             # Plausible's export holds about 20 tables
MAX_MEMBER_BYTES = 64 << 20
MAX_ARCHIVE_BYTES = 256 << 20  # all members together, as decompressed


class Table:
    """One text table of an export, read line by line, and the name messages give it.

    ``where`` is ``"FILE"`` or ``"FILE (member)"``, as messages name it; ``opener`` opens
    its bytes. Raises :class:`ClicksImportError` for a table that is empty or not text.
    """

    def __init__(self, name: str, where: str, opener: Opener) -> None:
        self.name = name
        self.where = where
        with _as_clicks_error(where):
            self._text = TextSource(opener, where)
            self._head = self._text.head()

    def head(self) -> str:
        """The first lines of the table (about a megabyte, whole lines)."""
        return self._head

    def lines(self) -> Iterator[str]:
        """Every line of the table with its end, from the first, decoded as they come."""
        with _as_clicks_error(self.where):
            yield from self._text.lines()


def read_source(path: Path) -> list[Table]:
    """The tables of ``path``: its text, or each CSV/TSV member of a zip archive."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ClicksImportError(path, None, f"the file is larger than an analytics export "
                                    f"may be ({MAX_FILE_BYTES >> 20} MB).")
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise ClicksImportError(path, None, f"cannot be read ({error.strerror or error}).") \
            from error
    if magic in (b"PK\x03\x04", b"PK\x05\x06"):
        return _archive(path)
    return [Table(path.name, str(path), lambda: path.open("rb"))]


@contextmanager
def _as_clicks_error(where: str) -> Iterator[None]:
    """A table's reading errors (not text, damaged bytes) as :class:`ClicksImportError`."""
    try:
        yield
    except ContactImportError as error:
        message = error.message
        if "not a text file" in message:
            message = ("this is not a text file (it holds binary data), so it is not an "
                       "analytics export. Choose the CSV or TSV file (or the zip) your "
                       "analytics tool exported.")
        raise ClicksImportError(where, error.line, message) from error
    except OSError as error:
        raise ClicksImportError(where, None, f"cannot be read ({error.strerror or error}).") \
            from error


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
                size = _member_size(archive, info, limit)
                if size > limit:
                    raise ClicksImportError(path, None, f"the archive is refused: {name!r} "
                                            "expands to more data than an export may hold.")
                total += size
                tables.append(Table(PurePosixPath(name).name, f"{path} ({name})",
                                    partial(_member, path, info)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error,
            ValueError) as error:
        raise ClicksImportError(path, None, f"the archive is damaged or cannot be read "
                                f"({error}).") from error
    if not tables:
        raise ClicksImportError(path, None, "the archive holds no CSV or TSV table.")
    return tables


def _member_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """How many bytes a member expands to, counted as it is read (up to ``limit`` + 1)."""
    size = 0
    with archive.open(info) as member:
        while size <= limit and (block := member.read(BLOCK)):
            size += len(block)
    return size


def _member(path: Path, info: zipfile.ZipInfo) -> BinaryIO:
    """The bytes of a member (its size checked before), held while a table reads them."""
    with zipfile.ZipFile(path) as archive, archive.open(info) as member:
        return io.BytesIO(member.read(MAX_MEMBER_BYTES + 1))
