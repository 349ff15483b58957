"""Plausible's dashboard export: ``name,visitors,bounce_rate,visit_duration`` per table.

The dashboard's "Export" gives a zip of tables named for what they break visits down by:
``utm_sources.csv`` (the ``utm_source`` values), ``sources.csv`` (Plausible's sources,
where a ``utm_source`` shows as written, other sources capitalised: "Google"),
``visitors.csv`` (``date,visitors,…``, the period), ``utm_campaigns.csv`` and more. No
table has a date per source, so the period is the one ``visitors.csv`` spans (else the
dates in the zip's name, else the user's). Visitors are counted as visits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from socialdesk.core.import_results import Problem
from socialdesk.core.share.clicks import table
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import ClicksData, Rows, VisitRow
from socialdesk.core.share.clicks.source import Table

SOURCE_TABLES = ("utm_sources.csv", "sources.csv")
# Tables that break visits down by something other than the source.
OTHER_TABLES = {
    "utm_campaigns.csv": "campaign", "utm_mediums.csv": "medium", "utm_contents.csv":
    "content (post)", "utm_terms.csv": "term", "visitors.csv": "day", "pages.csv": "page",
    "entry_pages.csv": "page", "exit_pages.csv": "page", "countries.csv": "country",
    "regions.csv": "region", "cities.csv": "city", "browsers.csv": "browser",
    "operating_systems.csv": "operating system", "devices.csv": "device",
    "conversions.csv": "goal", "referrers.csv": "referrer",
}
_NAME_DAYS = re.compile(r"(\d{4}-?\d{2}-?\d{2})")


def is_plausible(header: list[str]) -> bool:
    """Whether a header is one of Plausible's breakdown tables."""
    folded = [cell.strip().lower() for cell in header]
    return folded[:2] == ["name", "visitors"]


def table_kind(name: str) -> str:
    """Which of the export's tables a file is, by its name ("" when it says nothing).

    A renamed copy counts too: "site_utm_sources_30d.csv" is "utm_sources.csv".
    """
    stem = name.lower().removesuffix(".csv")
    known = sorted((*SOURCE_TABLES, *OTHER_TABLES), key=len, reverse=True)
    return next((table for table in known if table.removesuffix(".csv") in stem), "")


def read_table(source: Table, path: Path) -> ClicksData:
    """One table of the export (alone, or as chosen from the zip)."""
    name = table_kind(source.name)
    kind = OTHER_TABLES.get(name)
    if kind is not None:
        raise ClicksImportError(source.where, None, f"this Plausible table ({source.name}) "
                                f"breaks visits down by {kind}, not by source, so it cannot "
                                "say which partner brought them. Import utm_sources.csv (or "
                                "the whole export's zip).")
    records = table.rows(source.lines(), ",", source.where)
    header_line, header = next(((n, c) for n, c in records if c), (1, []))
    if not is_plausible(header):
        raise ClicksImportError(source.where, header_line, "not a Plausible export table "
                                "(its first line should be name,visitors,…).")

    def rows() -> Iterator[VisitRow]:
        for line, cells in table.rows(source.lines(), ",", source.where):
            if line <= header_line or not cells:
                continue
            label = table.cell(cells, 0)
            visits = table.count(table.cell(cells, 1), source.where, line, "visitors")
            if label and visits:
                yield VisitRow(line, label, label, visits)

    notes: tuple[Problem, ...] = ()
    if name != "utm_sources.csv":
        notes = (Problem(header_line, f"{source.name} is read as Plausible's Sources table, "
                         "where a partner's utm_source may show with capitals."),)
    return ClicksData("plausible", Rows(rows), notes=notes)


def read_archive(tables: list[Table], path: Path) -> ClicksData:
    """The export's zip: its sources table, over the period its ``visitors.csv`` spans."""
    by_name = {t.name.lower(): t for t in tables}
    chosen = next((by_name[name] for name in SOURCE_TABLES if name in by_name), None)
    if chosen is None:
        raise ClicksImportError(path, None, "this archive holds no utm_sources.csv or "
                                "sources.csv, so nothing in it says which partner brought "
                                "visits.")
    data = read_table(chosen, path)
    first, last = _period(by_name.get("visitors.csv"), path)
    return ClicksData(data.format, data.rows, first, last, data.notes, data.dated)


def _period(visitors: Table | None, path: Path) -> tuple[str | None, str | None]:
    days: list[str] = []
    if visitors is not None:
        records = table.rows(visitors.lines(), ",", visitors.where)
        header = next((c for _, c in records if c), [])
        column = table.find_column(header, ("date",))
        for line, cells in records:  # the first and the last day, as they come
            if column is not None and len(cells) > column and cells[column].strip():
                day = table.day(cells[column], visitors.where, line)
                days = [min([day, *days[:1]]), max([day, *days[-1:]])]
    if not days:
        named = _NAME_DAYS.findall(path.name)
        try:
            days = sorted(table.day(text, path, 1) for text in named[:2])
        except ClicksImportError:  # digits in the name that are not dates
            days = []
        days = days if len(days) == 2 else []
    return (days[0], days[-1]) if days else (None, None)
