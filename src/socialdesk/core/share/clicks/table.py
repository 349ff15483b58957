"""Reading the cells of an export: rows with their line numbers, counts, days, columns."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from socialdesk.core.csvsafe import FIELD_LIMIT  # noqa: F401 - sets the csv module's limit
from socialdesk.core.share.clicks.errors import ClicksImportError

_DAY = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])")
_THOUSANDS = re.compile(r"^\d{1,3}([,\u00a0\u202f' ]\d{3})+$")


def delimiter_of(line: str) -> str:
    """The separator a header line uses: tab, semicolon or comma."""
    counts = {sep: line.count(sep) for sep in ("\t", ";", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def rows(text: str | Iterable[str], delimiter: str, path: Path | str
         ) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each record of ``text``; a blank line gives no cells.

    ``text`` is a string, or the lines of a table with their ends (read as they come).
    """
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = 1 + reader.line_num
    except csv.Error as error:
        raise ClicksImportError(path, line, f"this line cannot be read ({error}).") from error


def find_column(header: Sequence[str], names: Sequence[str]) -> int | None:
    """The index of the first of ``names`` (in their order) that is in ``header``."""
    folded = [cell.strip().lower() for cell in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def count(cell: str, path: Path | str, line: int, column: str) -> int:
    """A visit count ("1,234", "12", "12.0"; empty = 0); else a whole-file error."""
    text = cell.strip()
    if not text:
        return 0
    if _THOUSANDS.match(text):
        text = re.sub(r"\D", "", text)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0 or value != int(value) or value > 1e12:
        raise ClicksImportError(path, line, f"the {column} column holds {cell.strip()[:40]!r}, "
                                "which is not a number of visits.")
    return int(value)


def day(cell: str, path: Path | str, line: int) -> str:
    """An ISO day from "2026-11-05", "20261105" or a timestamp; else a whole-file error."""
    match = _DAY.match(cell.strip())
    try:
        if match is None:
            raise ValueError
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        raise ClicksImportError(path, line, f"{cell.strip()[:40]!r} is not a date "
                                "(expected YYYY-MM-DD or YYYYMMDD).") from None


def cell(cells: Sequence[str], index: int | None) -> str:
    """The cell at ``index`` (empty when the row is short or there is no such column)."""
    return cells[index].strip() if index is not None and index < len(cells) else ""
