"""Read a contacts file for review into a temporary file rather than memory.

:func:`stage_file` reads a file chunk by chunk (:func:`~socialdesk.core.contacts.importing.
importer.stream_file`) into a :class:`StagedContacts`: a read-only sequence of the parsed
contacts whose rows live in a :class:`~socialdesk.store.import_stage.BlobStage` and are
read back a page at a time. The preview reads its first rows, the duplicate search and
the import walk it in order; none of them holds the file.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import overload

from socialdesk.core.contacts.importing.errors import ImportCancelled
from socialdesk.core.contacts.importing.importer import stream_file
from socialdesk.core.contacts.importing.model import (
    ParsedContact,
    ParseResult,
    ParseStream,
    Problems,
)
from socialdesk.store.import_stage import BlobStage

PAGE = 5000


class StagedContacts(Sequence[ParsedContact]):
    """Parsed contacts kept in a temporary file; indexing and slicing read them back."""

    def __init__(self) -> None:
        self.stage = BlobStage()

    def extend(self, contacts: Sequence[ParsedContact]) -> None:
        """Add contacts after those already there (our own pickles, read back below)."""
        self.stage.extend(pickle.dumps(c, pickle.HIGHEST_PROTOCOL) for c in contacts)

    def __len__(self) -> int:
        return self.stage.count

    @overload
    def __getitem__(self, index: int) -> ParsedContact: ...

    @overload
    def __getitem__(self, index: slice) -> list[ParsedContact]: ...

    def __getitem__(self, index: int | slice) -> ParsedContact | list[ParsedContact]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            rows = self._read(start, stop) if step == 1 else [self[i] for i in range(
                start, stop, step)]
            return rows
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._read(index, index + 1)[0]

    def _read(self, start: int, stop: int) -> list[ParsedContact]:
        return [pickle.loads(blob) for blob in self.stage.read(start, stop)]

    def __iter__(self) -> Iterator[ParsedContact]:
        for page in self.stage.pages(PAGE):
            yield from (pickle.loads(blob) for blob in page)

    def close(self) -> None:
        """Delete the temporary file."""
        self.stage.close()


def stage_file(
    path: Path | str, fmt: str = "auto", progress: Callable[[int, int], bool] | None = None
) -> ParseResult:
    """Parse a contacts file into a :class:`StagedContacts` (memory does not grow with it).

    ``progress(bytes read, file size)`` may return False to cancel
    (:class:`ImportCancelled`). Raises
    :class:`~socialdesk.core.contacts.importing.ContactImportError` as ``parse_file`` does.
    """
    return stage_stream(stream_file(path, fmt), path, progress)


def stage_stream(
    stream: ParseStream, path: Path | str, progress: Callable[[int, int], bool] | None = None
) -> ParseResult:
    """Read the chunks of ``stream`` (of the file ``path``) into a :class:`StagedContacts`."""
    contacts = StagedContacts()
    problems = Problems()
    skipped = 0
    try:
        for chunk in stream.chunks:
            contacts.extend(chunk.contacts)
            problems.extend(chunk.problems)
            skipped += chunk.skipped
            if progress is not None and progress(chunk.done, stream.size) is False:
                raise ImportCancelled(path)
    except BaseException:
        contacts.close()
        raise
    return ParseResult(stream.format, stream.encoding, contacts, problems.listed(), skipped)
