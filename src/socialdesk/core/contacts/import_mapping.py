"""Any CSV through a column mapping: read the raw table, guess, apply the user's mapping.

Built on the contact importer (:mod:`socialdesk.core.contacts.importing`): its text decoding
(:func:`~socialdesk.core.contacts.importing.textio.decode_file`), its header vocabulary
(:func:`~socialdesk.core.contacts.importing.csv_layouts.column_for`) for the first guess, and its
:func:`~socialdesk.core.contacts.importing.build.make_contact` so that mapped rows are cleaned
exactly like rows of a recognised layout. Qt-free; the import dialog calls it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from socialdesk.core.contacts.importing import (
    ContactImportError,
    ParsedContact,
    ParseResult,
    Problem,
)
from socialdesk.core.contacts.importing import csv_layouts as layouts
from socialdesk.core.contacts.importing.build import make_contact
from socialdesk.core.contacts.importing.textio import decode_file
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


@dataclass(frozen=True, slots=True)
class RawTable:
    """A CSV file's header and rows as text, each row with the line it starts on."""

    path: Path
    encoding: str
    delimiter: str
    header_line: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def samples(self, column: int, count: int = 3) -> list[str]:
        """The first few non-empty values of a column."""
        found: list[str] = []
        for _, row in self.rows:
            if column < len(row) and row[column].strip():
                found.append(row[column].strip())
                if len(found) == count:
                    break
        return found


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 1
    for row in reader:
        records.append((start, row))
        start = reader.line_num + 1
    return records


def _delimiter(text: str) -> str:
    sample = text[:16384]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        first = next((line for line in sample.splitlines() if line.strip()), "")
        return max(DELIMITERS, key=first.count)


def read_table(path: Path | str) -> RawTable:
    """Read a CSV file as a header row and text rows (no meaning given to any column).

    The header is the first row, among the first lines, as wide as most rows are.
    Raises :class:`ContactImportError` naming the file and line when it cannot be read.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContactImportError(path, None, f"cannot be read ({error.strerror}).") from error
    decoded = decode_file(data, path)
    text = decoded.text.removeprefix("\ufeff")
    delimiter = _delimiter(text)
    try:
        records = [(line, row) for line, row in _records(text, delimiter)
                   if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise ContactImportError(path, None, f"is not a readable CSV file ({error}).") from error
    if not records:
        raise ContactImportError(path, 1, "the file holds no rows.")
    widths = [len(row) for _, row in records[:_SCAN_ROWS * 5]]
    usual = max(set(widths), key=widths.count)
    position = next((i for i, (_, row) in enumerate(records[:_SCAN_ROWS]) if len(row) == usual),
                    0)
    header_line, header = records[position]
    width = len(header)
    for line, row in records[position + 1 :]:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            shown = {"\t": "tab"}.get(delimiter, repr(delimiter))
            raise ContactImportError(
                path, line, f"this row has {len(row)} fields but the header on line "
                f"{header_line} has {width} (separated by {shown}); the file mixes delimiters "
                "or has a stray quote."
            )
    rows = tuple(
        (line, tuple((row + [""] * width)[:width])) for line, row in records[position + 1 :]
    )
    return RawTable(path, decoded.encoding, delimiter, header_line,
                    tuple(h.strip().lstrip("\ufeff") for h in header), rows)


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


def apply_mapping(table: RawTable, mapping: Sequence[str]) -> ParseResult:
    """Build contacts from the raw rows with ``mapping`` (one field per column)."""
    check_mapping(mapping)
    if len(mapping) != len(table.headers):
        raise ValueError("The mapping must name a field for every column.")
    columns: dict[str, list[int]] = {}
    for index, field in enumerate(mapping):
        columns.setdefault(field, []).append(index)
    labels = [_label(header, field) for header, field in zip(table.headers, mapping, strict=True)]
    contacts: list[ParsedContact] = []
    problems: list[Problem] = []
    skipped = 0
    for line, row in table.rows:
        def first(field: str, row: tuple[str, ...] = row) -> str:
            return next((row[i].strip() for i in columns.get(field, []) if row[i].strip()), "")

        name = first("name") or " ".join(
            part for part in (first("first"), first("middle"), first("last")) if part)
        details = [
            Detail(_DETAIL[field], value, labels[index])
            for index, field in enumerate(mapping) if field in _DETAIL
            for value in _split(row[index], (" ::: ",))
        ]
        tags = [t for i in columns.get("tags", []) for t in _split(row[i], (" ::: ", ";", ","))]
        notes = "\n\n".join(row[i].strip() for i in columns.get("notes", []) if row[i].strip())
        contact = make_contact(line, problems, name=name, organisation=first("organisation"),
                               notes=notes, details=details, tags=tags)
        if contact is None:
            skipped += 1
        else:
            contacts.append(ParsedContact(line, contact))
    return ParseResult("csv", table.encoding, tuple(contacts), tuple(problems), skipped)


def _label(header: str, field: str) -> str:
    """The label a header gives its values ("Work e-mail" → "work"), if it fits the field."""
    column = layouts.column_for(header)
    if column is None or _FROM_LAYOUT.get(column.field) != field:
        return ""
    return column.label
