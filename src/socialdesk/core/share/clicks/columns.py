"""Any table with a source column and a count: which columns hold what, and its rows.

Column names are matched ignoring case, in the order listed: the first name found wins.
A source column may hold ``source / medium`` (Google Analytics) or ``source - medium``;
a content column holds the ``utm_content`` (``post-12``); a date column a day per row.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from socialdesk.core.share.clicks import table
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import VisitRow

SOURCE_MEDIUM = ("session source / medium", "session manual source / medium",
                 "first user source / medium", "first user manual source / medium",
                 "source / medium", "source/medium", "source - medium")
SOURCE = ("utm_source", "utm source", "session source", "session manual source",
          "first user source", "first user manual source", "campaign source", "source")
MEDIUM = ("utm_medium", "utm medium", "session medium", "session manual medium",
          "first user medium", "campaign medium", "medium")
CONTENT = ("utm_content", "utm content", "session manual ad content", "manual ad content",
           "first user manual ad content", "ad content", "campaign content", "content")
COUNT = ("visits", "sessions", "nb_visits", "visitors", "clicks", "users", "total users",
         "active users", "unique visitors", "count", "pageviews", "views", "hits")
DATE = ("date", "day")
TOTALS = frozenset({"total", "totals", "grand total"})


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the cells are, by column index."""

    source: int
    count: int
    combined: bool  # the source column holds "source / medium"
    medium: int | None
    content: int | None
    date: int | None
    count_name: str


def find(header: Sequence[str]) -> Columns | None:
    """The columns of a header with a source and a count, else None."""
    combined = table.find_column(header, SOURCE_MEDIUM)
    source = combined if combined is not None else table.find_column(header, SOURCE)
    counted = table.find_column(header, COUNT)
    if source is None or counted is None:
        return None
    return Columns(source, counted, combined is not None, table.find_column(header, MEDIUM),
                   table.find_column(header, CONTENT), table.find_column(header, DATE),
                   header[counted].strip())


def visit_rows(records: Iterable[tuple[int, list[str]]], columns: Columns, where: str,
               *, until_blank: bool = True) -> Iterator[VisitRow]:
    """The rows after the header (up to a blank line when ``until_blank``), totals left out."""
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            if until_blank:
                break
            continue
        label = table.cell(cells, columns.source)
        if label.lower() in TOTALS:
            continue
        visits = table.count(table.cell(cells, columns.count), where, line, columns.count_name)
        day = None
        if columns.date is not None:
            text = table.cell(cells, columns.date)
            if not text:
                raise ClicksImportError(where, line, "this row has no date, as the other "
                                        "rows do.")
            day = table.day(text, where, line)
        if not label or not visits:
            continue
        source, medium = label, table.cell(cells, columns.medium)
        if columns.combined:
            for separator in (" / ", " - ", "/"):
                if separator in label:
                    source, _, medium = label.partition(separator)
                    break
        # Exports repeat the same few sources, posts and days: keep each string once.
        yield VisitRow(line, sys.intern(label), sys.intern(source.strip()), visits,
                       sys.intern(medium.strip()), sys.intern(table.cell(cells, columns.content)),
                       sys.intern(day) if day else None)
