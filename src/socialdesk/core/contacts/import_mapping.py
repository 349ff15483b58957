"""Any CSV through a column mapping: read the raw table, guess, apply the user's mapping.

Built on the contact importer (:mod:`socialdesk.core.contacts.importing`): its text decoding
(:class:`~socialdesk.core.contacts.importing.textstream.TextSource`, block by block), its
header vocabulary (:func:`~socialdesk.core.contacts.importing.csv_layouts.column_for`) for
the first guess, and its :func:`~socialdesk.core.contacts.importing.build.make_contact` so
that mapped rows are cleaned exactly like rows of a recognised layout. Qt-free; the import
dialog calls it. Only the first rows are held in memory; the whole file is mapped a chunk
at a time (:func:`stream_mapping`).
"""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from socialdesk.core.contacts.importing import (
    ContactImportError,
    ParsedContact,
    ParseResult,
    Problem,
)
from socialdesk.core.contacts.importing import csv_layouts as layouts
from socialdesk.core.contacts.importing.build import make_contact
from socialdesk.core.contacts.importing.model import ParseChunk, ParseStream
from socialdesk.core.contacts.importing.textstream import TextSource
from socialdesk.store.models import Detail

# What a column can hold, in the order the mapping step offers them.
FIELDS = ("name", "first", "middle", "last", "email", "phone", "organisation", "url",
          "notes", "tags", "ignore")
FIELD_LABELS = {
    "name": "Full name", "first": "First name", "middle": "Middle name", "last": "Last name",
    "email": "E-mail", "phone": "Phone", "organisation": "Organisation", "url": "Web address",
    "notes": "Notes", "tags": "Tags", "ignore": "Leave out",
}
_FROM_LAYOUT = {
    layouts.NAME: "name", layouts.FIRST: "first", layouts.MIDDLE: "middle",
    layouts.LAST: "last", layouts.ORG: "organisation", layouts.NOTES: "notes",
    layouts.TAGS: "tags", layouts.EMAIL: "email", layouts.PHONE: "phone", layouts.URL: "url",
}
_DETAIL = {"email": "email", "phone": "phone", "url": "url"}
DELIMITERS = (",", ";", "\t")
_SCAN_ROWS = 20


PREVIEW_ROWS = 200  # rows a table keeps in memory: the samples and the mapping's preview
CHUNK = 5000  # contacts per chunk when the whole file is mapped


@dataclass(frozen=True, slots=True)
class RawTable:
    """A CSV file's header and first rows as text, each row with the line it starts on.

    ``rows`` holds the first :data:`PREVIEW_ROWS` rows (padded to the header's width) and
    ``count`` says how many there are in all; :meth:`all_rows` reads every row again from
    the file, so a table takes the same memory whatever the file's size.
    """

    path: Path
    encoding: str
    delimiter: str
    header_line: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    count: int = 0
    text: TextSource | None = field(default=None, repr=False, compare=False)

    def samples(self, column: int, count: int = 3) -> list[str]:
        """The first few non-empty values of a column."""
        found: list[str] = []
        for _, row in self.rows:
            if column < len(row) and row[column].strip():
                found.append(row[column].strip())
                if len(found) == count:
                    break
        return found

    def all_rows(self) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Every row after the header, read from the file (those of ``rows`` without one)."""
        if self.text is None:
            yield from self.rows
            return
        width = len(self.headers)
        for line, row in _records(self.text, self.delimiter):
            if line > self.header_line:
                yield line, tuple((row + [""] * width)[:width])


def _records(text: TextSource, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The rows that are not empty, with the line each starts on."""
    reader = csv.reader(text.lines(), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, row
            start = reader.line_num + 1
    except csv.Error as error:
        raise ContactImportError(text.path, start, f"is not a readable CSV file ({error}).") \
            from error


def _delimiter(text: str) -> str:
    sample = text[:16384]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        first = next((line for line in sample.splitlines() if line.strip()), "")
        return max(DELIMITERS, key=first.count)


def read_table(path: Path | str) -> RawTable:
    """Read a CSV file as a header row and text rows (no meaning given to any column).

    The header is the first row, among the first lines, as wide as most rows are. The
    file is read through once, a block at a time, to check every row's width; only its
    first rows are kept. Raises :class:`ContactImportError` naming the file and line when
    it cannot be read.
    """
    path = Path(path)
    try:
        text = TextSource(lambda: path.open("rb"), path)
    except OSError as error:
        raise ContactImportError(path, None, f"cannot be read ({error.strerror}).") from error
    delimiter = _delimiter(text.head())
    records = _records(text, delimiter)
    first = list(itertools.islice(records, _SCAN_ROWS * 5))
    if not first:
        raise ContactImportError(path, 1, "the file holds no rows.")
    widths = [len(row) for _, row in first]
    usual = max(set(widths), key=widths.count)
    position = next((i for i, (_, row) in enumerate(first[:_SCAN_ROWS]) if len(row) == usual),
                    0)
    header_line, header = first[position]
    width = len(header)
    kept: list[tuple[int, tuple[str, ...]]] = []
    count = 0
    for line, row in itertools.chain(first[position + 1 :], records):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            shown = {"\t": "tab"}.get(delimiter, repr(delimiter))
            raise ContactImportError(
                path, line, f"this row has {len(row)} fields but the header on line "
                f"{header_line} has {width} (separated by {shown}); the file mixes delimiters "
                "or has a stray quote."
            )
        if len(kept) < PREVIEW_ROWS:
            kept.append((line, tuple((row + [""] * width)[:width])))
        count += 1
    return RawTable(path, text.encoding, delimiter, header_line,
                    tuple(h.strip().lstrip("\ufeff") for h in header), tuple(kept), count, text)


def guess_mapping(headers: Sequence[str]) -> list[str]:
    """What each column probably holds, from the header names SocialDesk knows."""
    guesses = []
    for header in headers:
        column = layouts.column_for(header)
        guesses.append(_FROM_LAYOUT.get(column.field, "ignore") if column else "ignore")
    return guesses


def header_signature(headers: Sequence[str]) -> str:
    """A short key for a header row, to remember the mapping chosen for files like it."""
    key = "\x1f".join(layouts.normalise(h) for h in headers)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def check_mapping(mapping: Sequence[str]) -> None:
    """Raise ValueError (a message for the user) when no column can name a contact."""
    unknown = [m for m in mapping if m not in FIELDS]
    if unknown:
        raise ValueError(f"Unknown field {unknown[0]!r}.")
    if not set(mapping) & {"name", "first", "last", "organisation", "email"}:
        raise ValueError("Choose at least one column holding a name, an organisation or an "
                         "e-mail address, so each contact can be named.")


def _split(value: str, separators: tuple[str, ...]) -> list[str]:
    for separator in separators:
        if separator in value:
            return [part.strip() for part in value.split(separator) if part.strip()]
    return [value.strip()] if value.strip() else []


class _Mapper:
    """Turns rows into contacts with a mapping (one field per column)."""

    def __init__(self, table: RawTable, mapping: Sequence[str]) -> None:
        check_mapping(mapping)
        if len(mapping) != len(table.headers):
            raise ValueError("The mapping must name a field for every column.")
        self.mapping = list(mapping)
        self.columns: dict[str, list[int]] = {}
        for index, chosen in enumerate(mapping):
            self.columns.setdefault(chosen, []).append(index)
        self.labels = [_label(header, chosen)
                       for header, chosen in zip(table.headers, mapping, strict=True)]

    def contact(self, line: int, row: tuple[str, ...], problems: list[Problem]
                ) -> ParsedContact | None:
        """One row as a contact, or None (with a problem noted) when it names nobody."""
        columns = self.columns

        def first(chosen: str) -> str:
            return next((row[i].strip() for i in columns.get(chosen, []) if row[i].strip()), "")

        name = first("name") or " ".join(
            part for part in (first("first"), first("middle"), first("last")) if part)
        details = [
            Detail(_DETAIL[chosen], value, self.labels[index])
            for index, chosen in enumerate(self.mapping) if chosen in _DETAIL
            for value in _split(row[index], (" ::: ",))
        ]
        tags = [t for i in columns.get("tags", []) for t in _split(row[i], (" ::: ", ";", ","))]
        notes = "\n\n".join(row[i].strip() for i in columns.get("notes", []) if row[i].strip())
        contact = make_contact(line, problems, name=name, organisation=first("organisation"),
                               notes=notes, details=details, tags=tags)
        return None if contact is None else ParsedContact(line, contact)


def preview_mapping(table: RawTable, mapping: Sequence[str]) -> ParseResult:
    """The contacts of the table's first rows (``table.rows``) with ``mapping``.

    Raises ValueError (a message for the user) for a mapping that names nobody.
    """
    mapper = _Mapper(table, mapping)
    problems: list[Problem] = []
    found = [mapper.contact(line, row, problems) for line, row in table.rows]
    contacts = tuple(parsed for parsed in found if parsed is not None)
    return ParseResult("csv", table.encoding, contacts, tuple(problems),
                       len(found) - len(contacts))


def stream_mapping(table: RawTable, mapping: Sequence[str], chunk: int = CHUNK) -> ParseStream:
    """The contacts of every row of the file with ``mapping``, ``chunk`` at a time.

    Raises ValueError at once for a mapping that names nobody, and
    :class:`ContactImportError` from the chunks when the file changed into one that
    cannot be read.
    """
    mapper = _Mapper(table, mapping)
    size = table.text.size if table.text is not None else 0

    def chunks() -> Iterator[ParseChunk]:
        contacts: list[ParsedContact] = []
        problems: list[Problem] = []
        skipped = 0
        for line, row in table.all_rows():
            parsed = mapper.contact(line, row, problems)
            if parsed is None:
                skipped += 1
            else:
                contacts.append(parsed)
            if len(contacts) + skipped >= chunk:
                done = table.text.done if table.text is not None else size
                yield ParseChunk(tuple(contacts), tuple(problems), skipped, done)
                contacts, problems, skipped = [], [], 0
        yield ParseChunk(tuple(contacts), tuple(problems), skipped, size)

    return ParseStream("csv", table.encoding, size, chunks())


def apply_mapping(table: RawTable, mapping: Sequence[str]) -> ParseResult:
    """Every row's contact with ``mapping``, held in memory.

    The import dialog keeps them on disk instead (:func:`stream_mapping`, staged).
    """
    return stream_mapping(table, mapping).collect()


def _label(header: str, chosen: str) -> str:
    """The label a header gives its values ("Work e-mail" → "work"), if it fits the field."""
    column = layouts.column_for(header)
    if column is None or _FROM_LAYOUT.get(column.field) != chosen:
        return ""
    return column.label
