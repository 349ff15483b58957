"""Umami's data export: one row per event (``website_event``), counted into visits.

Umami Cloud's "Export data" writes the events table as CSV: ``event_id, website_id,
session_id, visit_id, created_at, url_path, url_query, …`` and, in recent versions,
``utm_source, utm_medium, utm_campaign, utm_content, utm_term``. Visits are the distinct
``visit_id`` values (else ``session_id``, else rows) per source, post and day (the day of
``created_at``, which Umami stores in UTC); where the ``utm_*`` columns are absent or
empty they are read from ``url_query``. (Umami's dashboard export, a zip of ``x,y``
tables, holds no UTM values.)
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import parse_qs

from socialdesk.core.share.clicks import table
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import ClicksData, VisitRow
from socialdesk.core.share.clicks.source import Table


def is_umami(header: list[str]) -> bool:
    """Whether a header is Umami's events table."""
    folded = {cell.strip().lower() for cell in header}
    return "created_at" in folded and bool(folded & {"utm_source", "url_query"}) and bool(
        folded & {"visit_id", "session_id", "event_id"})


def is_dashboard_table(header: list[str]) -> bool:
    """Whether a header is one of Umami's dashboard tables (``x,y``)."""
    return [cell.strip().lower() for cell in header][:2] == ["x", "y"]


def read(source: Table) -> ClicksData:
    """Visits per source, post and day from Umami's events export."""
    first = next((line for line in source.head().splitlines() if line.strip()), "")
    records = table.rows(source.lines(), table.delimiter_of(first), source.where)
    header_line, header = next(((n, c) for n, c in records if c), (1, []))
    if not is_umami(header):
        if is_dashboard_table(header):
            raise ClicksImportError(source.where, header_line, "this is a table of Umami's "
                                    "dashboard export (x,y), which holds no UTM sources. "
                                    "Export the website's data (its events) instead.")
        raise ClicksImportError(source.where, header_line, "not Umami's events export (no "
                                "created_at, utm_source or url_query columns).")
    at = {name: table.find_column(header, (name,)) for name in (
        "created_at", "utm_source", "utm_medium", "utm_content", "url_query", "visit_id",
        "session_id")}
    visit = at["visit_id"] if at["visit_id"] is not None else at["session_id"]
    seen: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    lines: dict[tuple[str, str, str, str], int] = {}
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        utm = {name: table.cell(cells, at[f"utm_{name}"]) for name in
               ("source", "medium", "content")}
        if not utm["source"] and at["url_query"] is not None:
            query = parse_qs(table.cell(cells, at["url_query"]).lstrip("?"))
            utm = {name: query.get(f"utm_{name}", [""])[0] for name in utm}
        if not utm["source"]:
            continue
        day = table.day(table.cell(cells, at["created_at"]), source.where, line)
        key = (utm["source"], utm["medium"], utm["content"], day)
        seen[key].add(table.cell(cells, visit) if visit is not None else str(line))
        lines.setdefault(key, line)
    rows = tuple(VisitRow(lines[key], key[0], key[0], len(ids), key[1], key[2], key[3])
                 for key, ids in seen.items())
    return ClicksData("umami", rows, dated=bool(rows))
