"""Read contacts from a CSV export: encoding, delimiter, header row, then one contact a row.

* The text is decoded by :mod:`textio` (BOMs, UTF-16, UTF-8, legacy code pages), block
  by block (:mod:`textstream`), and the contacts come in chunks: a file of any size is
  read in bounded memory.
* The delimiter is one of comma, semicolon and tab. The header row is the one, among the
  first rows, whose cells name the most known columns when split by a delimiter (this
  also skips LinkedIn's "Notes:" preamble); ties between delimiters go to
  :class:`csv.Sniffer`'s choice (restricted to those three), then to the one the header
  line holds most often.
* Every row must have the header's number of fields, give or take empty fields at the
  end; a row that does not (a mixed delimiter, a stray quote) makes the whole file fail
  with its line number rather than import shifted columns.
* First, middle and last name columns are kept as the contact's structured name too.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from socialdesk.core.contacts import names as contact_names
from socialdesk.core.contacts.importing import csv_layouts as layouts
from socialdesk.core.contacts.importing.build import make_contact
from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.model import (
    ParseChunk,
    ParsedContact,
    ParseResult,
    ParseStream,
)
from socialdesk.core.contacts.importing.textstream import TextSource
from socialdesk.core.csvsafe import FIELD_LIMIT, restore_cell
from socialdesk.core.import_results import Problem
from socialdesk.store.models import Contact, Detail

DELIMITERS = (",", ";", "\t")
_HEADER_ROWS = 20  # LinkedIn's preamble is 3 lines; leave room for others
_SEPARATORS = (" ::: ", ";", ",")  # Google, Outlook, generic multi-value separators
_PARTS = (layouts.FIRST, layouts.MIDDLE, layouts.LAST)
CHUNK = 5000  # contacts per chunk of a streamed read


@dataclass(slots=True)
class _Plan:
    """Which column feeds which field, worked out once from the header."""

    width: int
    names: list[int] = field(default_factory=list)
    parts: dict[str, list[int]] = field(default_factory=dict)
    orgs: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)
    details: list[tuple[int, str, str, int | None]] = field(default_factory=list)

    @property
    def useful(self) -> bool:
        return bool(self.names or self.parts or self.orgs or self.details)


def read_csv(data: bytes, path: Path | str, layout: str = "csv") -> ParseResult:
    """Read a CSV export; ``layout`` other than ``"csv"`` must match the file's header."""
    return stream_csv(TextSource(lambda: io.BytesIO(data), path), layout).collect()


def stream_csv(text: TextSource, layout: str = "csv", chunk: int = CHUNK) -> ParseStream:
    """Read a CSV export ``chunk`` contacts at a time (the header is read at once).

    Raises :class:`ContactImportError` for a file without a header now, and for a broken
    row when the chunks reach it.
    """
    path = text.path
    head = text.head()
    delimiter, header_line, header = _find_header(head, path)
    detected = layouts.detect_layout(header)
    if layout != "csv":
        if layouts.layout_scores(header)[layout] >= layouts.SIGNATURES[layout][1]:
            detected = layout
        else:
            raise ContactImportError(
                path, header_line, f"this is not a {layouts.LAYOUT_NAMES[layout]} CSV "
                "export (its header has too few of that export's columns); choose the right "
                "format or 'auto'."
            )
    plan = _plan(header)
    return ParseStream(detected, text.encoding, text.size,
                       _chunks(text, plan, delimiter, header_line, chunk))


def _chunks(
    text: TextSource, plan: _Plan, delimiter: str, header_line: int, size: int
) -> Iterator[ParseChunk]:
    contacts: list[ParsedContact] = []
    problems: list[Problem] = []
    skipped = 0
    path = text.path
    for line, row in _rows(text.lines(), delimiter, path, header_line):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != plan.width:
            _check_width(row, plan.width, line, header_line, delimiter, path)
            row += [""] * (plan.width - len(row))
        contact = _contact(row, plan, line, problems)
        if contact is None:
            skipped += 1
        else:
            contacts.append(ParsedContact(line, contact))
        if len(contacts) + skipped >= size:  # rows left out count too
            yield ParseChunk(tuple(contacts), tuple(problems), skipped, text.done)
            contacts, problems, skipped = [], [], 0
    yield ParseChunk(tuple(contacts), tuple(problems), skipped, text.size)


class _Broken(Exception):
    def __init__(self, line: int, error: csv.Error) -> None:
        super().__init__(str(error))
        self.line = line
        self.too_large = "field limit" in str(error)

    def as_import_error(self, path: Path | str) -> ContactImportError:
        """What to tell the user, at the line where the broken row starts."""
        if self.too_large:
            return ContactImportError(path, self.line, "a field is larger than the limit "
                                      f"({FIELD_LIMIT // 2**20} MB).")
        return ContactImportError(path, self.line, f"the CSV structure is broken here ({self});"
                                  " is a quote left open or a field quoted badly?")


def _records(
    lines: Iterable[str], delimiter: str, strict: bool
) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on; :class:`_Broken` names the line of a bad row."""
    reader = csv.reader(lines, delimiter=delimiter, strict=strict)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _Broken(start, error) from error
        yield start, row
        start = reader.line_num + 1


def _find_header(text: str, path: Path | str) -> tuple[str, int, list[str]]:
    """The delimiter, the header's line number and its cells."""
    preferred = _sniffed(text)
    best: tuple[int, int, int, list[str], str] | None = None
    too_large: _Broken | None = None
    for rank, delimiter in enumerate(sorted(DELIMITERS, key=lambda d: d != preferred)):
        rows: list[tuple[int, list[str]]] = []
        try:
            head = io.StringIO(text, newline="")
            rows.extend(itertools.islice(_records(head, delimiter, False), _HEADER_ROWS))
        except _Broken as broken:
            if not broken.too_large:
                continue
            too_large = too_large or broken  # the rows before it may hold the header
        for line, row in rows:
            known = sum(1 for cell in row if len(cell) <= 80 and layouts.column_for(cell))
            score = (known, -rank, -line)
            if known and (best is None or score > best[:3]):
                best = (*score, row, delimiter)
    if best is None and too_large is not None:
        raise too_large.as_import_error(path)
    if best is None:
        lines = re.split(r"\r\n|\r|\n", text[:65536])
        first = next((n for n, line in enumerate(lines, 1) if line.strip()), 1)
        raise ContactImportError(
            path, first, "no contact columns found. A CSV file needs a header row naming "
            "its columns, such as Name, First Name, Last Name, E-mail, Phone or Company."
        )
    return best[4], -best[2], best[3]


def _sniffed(text: str) -> str:
    """The delimiter :class:`csv.Sniffer` sees, else the one the first lines hold most."""
    sample = text[:16384]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        head = "\n".join(sample.splitlines()[:_HEADER_ROWS])
        return max(DELIMITERS, key=head.count)


def _rows(
    lines: Iterable[str], delimiter: str, path: Path | str, header_line: int
) -> Iterator[tuple[int, list[str]]]:
    try:
        for line, row in _records(lines, delimiter, True):
            if line > header_line:
                yield line, row
    except _Broken as error:
        raise error.as_import_error(path) from error


def _check_width(
    row: list[str], width: int, line: int, header_line: int, delimiter: str, path: Path | str
) -> None:
    others = [d for d in DELIMITERS if d != delimiter]
    too_long = len(row) > width and any(cell.strip() for cell in row[width:])
    too_short = len(row) < width and any(d in cell for cell in row for d in others)
    if too_long or too_short:
        shown = {"\t": "tab"}.get(delimiter, repr(delimiter))
        raise ContactImportError(
            path, line, f"this row has {len(row)} fields but the header on line "
            f"{header_line} has {width} (separated by {shown}); the file mixes delimiters "
            "or has a stray quote."
        )


def _plan(header: list[str]) -> _Plan:
    plan = _Plan(width=len(header))
    while plan.width and not header[plan.width - 1].strip():
        plan.width -= 1
    label_of: dict[str, int] = {}
    grouped: list[tuple[int, layouts.Column]] = []
    for index, cell in enumerate(header):
        column = layouts.column_for(cell)
        if column is None:
            continue
        if column.field == "label":
            label_of[column.group] = index
        elif column.group:
            grouped.append((index, column))
        elif column.field == layouts.NAME:
            plan.names.append(index)
        elif column.field in (layouts.FIRST, layouts.MIDDLE, layouts.LAST):
            plan.parts.setdefault(column.field, []).append(index)
        elif column.field == layouts.ORG:
            plan.orgs.append(index)
        elif column.field == layouts.NOTES:
            plan.notes.append(index)
        elif column.field == layouts.TAGS:
            plan.tags.append(index)
        else:
            plan.details.append((index, column.field, column.label, None))
    for index, column in grouped:
        plan.details.append((index, column.field, "", label_of.get(column.group)))
    plan.details.sort()
    return plan


def _first(row: list[str], indexes: list[int]) -> str:
    for index in indexes:
        value = row[index].strip()
        if value:
            return value
    return ""


def _split(value: str, separators: tuple[str, ...] = (" ::: ",)) -> list[str]:
    for separator in separators:
        if separator in value:
            return [part.strip() for part in value.split(separator) if part.strip()]
    return [value] if value else []


def _contact(row: list[str], plan: _Plan, line: int, problems: list[Problem]) -> Contact | None:
    """One row (padded to the header's width) as a contact."""
    row = [restore_cell(cell) for cell in row]  # the ' of spreadsheet-safe exports
    name = _first(row, plan.names)
    if not name:
        name = " ".join(_first(row, plan.parts.get(part, [])) for part in _PARTS)
    details: list[Detail] = []
    for index, kind, label, label_index in plan.details:
        value = row[index].strip()
        if not value:
            continue
        if label_index is not None:
            label = layouts.google_label(row[label_index])
        for one in _split(value):
            if kind == "url" and not label and "linkedin.com" in one.lower():
                label = "LinkedIn"
            details.append(Detail(kind, one, label))
    tags = [tag for i in plan.tags for tag in _split(row[i].strip(), _SEPARATORS)]
    notes = "\n\n".join(note for i in plan.notes if (note := row[i].strip()))
    contact = make_contact(
        line, problems, name=name, organisation=_first(row, plan.orgs), notes=notes,
        details=details, tags=tags,
    )
    first, middle, last = (_first(row, plan.parts.get(part, [])) for part in _PARTS)
    if contact is None or not (first or last):
        return contact
    return replace(contact, structured_name=contact_names.stored([[last], [first], [middle]]))
