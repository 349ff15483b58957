"""Google Analytics 4's report download (CSV): ``#`` lines, then the table.

The download starts with lines such as ``# Traffic acquisition: Session source /
medium``, ``# Start date: 20261101`` and ``# End date: 20261130``, then the report's
table (``Session source / medium,Users,Sessions,…``); a report with a time series adds
more ``#``-introduced tables after a blank line. The first table with a source column
is read; its period is the one the preamble states, its days (``Date``, YYYYMMDD) where
the report has that dimension.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socialdesk.core.share.clicks import columns, table
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import ClicksData, Rows, VisitRow
from socialdesk.core.share.clicks.source import Table

_STATED = re.compile(r"^#\s*(start|end) date:\s*(\S+)", re.IGNORECASE)


def is_ga4(text: str) -> bool:
    """Whether the file starts as a GA4 download does (a ``#`` line first)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.lstrip().startswith("#")


def read(source: Table) -> ClicksData:
    """Visits per source (and ad content, and day) from a GA4 CSV download."""
    stated: dict[str, str] = {}
    first = ""
    for number, line in enumerate(source.lines(), start=1):
        if line.lstrip().startswith("#"):
            match = _STATED.match(line.strip())
            if match:
                stated[match.group(1).lower()] = table.day(match.group(2), source.where, number)
        elif not first and line.strip():
            first = line
    delimiter = table.delimiter_of(first)

    def header() -> tuple[Iterator[tuple[int, list[str]]], columns.Columns]:
        # The # lines blanked out (keeping line numbers), the rest read as CSV.
        body = ("\n" if line.lstrip().startswith("#") else line for line in source.lines())
        records = table.rows(body, delimiter, source.where)
        for _, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            found = columns.find(cells)
            if found is not None:
                return records, found
            for _, other in records:  # another table (no source column): skip to its end
                if not any(cell.strip() for cell in other):
                    break
        raise ClicksImportError(source.where, None, "this Google Analytics report has no "
                                "source column (such as \"Session source / medium\" or "
                                "\"Session source\"), so it cannot say which partner brought "
                                "visits. Download the Traffic acquisition report by session "
                                "source.")

    def rows() -> Iterator[VisitRow]:
        records, found = header()
        return columns.visit_rows(records, found, source.where)

    return ClicksData("ga4", Rows(rows), stated.get("start"), stated.get("end"),
                      dated=header()[1].date is not None)
