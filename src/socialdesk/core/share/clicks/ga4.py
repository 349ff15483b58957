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

from socialdesk.core.share.clicks import columns, table
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import ClicksData
from socialdesk.core.share.clicks.source import Table

_STATED = re.compile(r"^#\s*(start|end) date:\s*(\S+)", re.IGNORECASE)


def is_ga4(text: str) -> bool:
    """Whether the file starts as a GA4 download does (a ``#`` line first)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.lstrip().startswith("#")


def read(source: Table) -> ClicksData:
    """Visits per source (and ad content, and day) from a GA4 CSV download."""
    lines = source.text.splitlines()
    stated: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        match = _STATED.match(line.strip())
        if match:
            stated[match.group(1).lower()] = table.day(match.group(2), source.where, number)
    # Blank out the # lines (keeping line numbers) and read the rest as CSV.
    body = "\n".join("" if line.lstrip().startswith("#") else line for line in lines)
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")),
                 "")
    records = table.rows(body, table.delimiter_of(first), source.where)
    for _, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        found = columns.find(cells)
        if found is not None:
            rows = columns.visit_rows(records, found, source.where)
            return ClicksData("ga4", tuple(rows), stated.get("start"), stated.get("end"))
        for _, other in records:  # another table (no source column): skip to its end
            if not any(cell.strip() for cell in other):
                break
    raise ClicksImportError(source.where, None, "this Google Analytics report has no source "
                            "column (such as \"Session source / medium\" or \"Session "
                            "source\"), so it cannot say which partner brought visits. "
                            "Download the Traffic acquisition report by session source.")
