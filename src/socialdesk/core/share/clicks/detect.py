"""Which tool wrote an export, and reading it with that tool's reader.

Recognised by content, not by the file's name: a zip is Plausible's export; ``#`` lines
first are Google Analytics 4; ``name,visitors`` is a Plausible table; ``label,nb_visits``
(on the first or second line) is Matomo; ``created_at`` with ``utm_source`` or
``url_query`` is Umami's events; any other table with a source column and a count is read
as plain CSV. Anything else is not an analytics export and is refused, naming its line.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.textio import decode_file
from socialdesk.core.share.clicks import columns, ga4, matomo, plausible, table, umami
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import FORMATS, ClicksData, Rows, VisitRow
from socialdesk.core.share.clicks.source import Table, read_source


def read_clicks(path: Path, fmt: str = "auto") -> ClicksData:
    """Read an analytics export (``fmt``: one of :data:`FORMATS`); raise ClicksImportError.

    Every row is read once, so that a file that cannot be imported fails now; the rows
    are not kept (the import reads them again).
    """
    data = open_clicks(path, fmt)
    dated = False
    for row in data.rows:
        dated = dated or row.day is not None
    return dataclasses.replace(data, dated=dated)


def open_clicks(path: Path, fmt: str = "auto") -> ClicksData:
    """An analytics export whose header is read, its rows read as they are gone through.

    Raises ClicksImportError for a file that is not an export (and, from its rows, for a
    row that cannot be read).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown clicks format {fmt!r}")
    tables = read_source(path)
    if len(tables) > 1 or tables[0].where != str(path):
        return _archive(tables, path, fmt)
    return read_table(tables[0], path, fmt)


def _archive(tables: list[Table], path: Path, fmt: str) -> ClicksData:
    names = {t.name.lower() for t in tables}
    if fmt in ("auto", "plausible") and names & {*plausible.SOURCE_TABLES, "visitors.csv"}:
        return plausible.read_archive(tables, path)
    if len(tables) == 1:
        return read_table(tables[0], path, fmt)
    if all(umami.is_dashboard_table(_header(t)) for t in tables):
        raise ClicksImportError(path, None, "this is Umami's dashboard export: its tables "
                                "(x,y) hold no UTM sources. Export the website's data (its "
                                "events) instead.")
    raise ClicksImportError(path, None, "this archive is not a Plausible export (it has no "
                            "utm_sources.csv or sources.csv); import its source table alone.")


def _header(source: Table) -> list[str]:
    first = next((line for line in source.head().splitlines() if line.strip()), "")
    return next((cells for _, cells in table.rows(first, table.delimiter_of(first),
                                                   source.where)), [])


def detect(source: Table) -> str:
    """The format of one table: plausible, matomo, ga4, umami or csv."""
    if ga4.is_ga4(source.head()):
        return "ga4"
    head = "\n".join(source.head().splitlines()[:3])
    records = list(table.rows(head, table.delimiter_of(head), source.where))
    header = next((cells for _, cells in records if cells), [])
    if plausible.is_plausible(header):
        return "plausible"
    if matomo.is_matomo([r for r in records if r[1]]):
        return "matomo"
    if umami.is_umami(header) or umami.is_dashboard_table(header):
        return "umami"
    return "csv"


def read_table(source: Table, path: Path, fmt: str = "auto") -> ClicksData:
    """Read one table as ``fmt`` (``auto``: as :func:`detect` says)."""
    fmt = detect(source) if fmt == "auto" else fmt
    if fmt == "plausible":
        return plausible.read_table(source, path)
    if fmt == "matomo":
        return matomo.read(source)
    if fmt == "ga4":
        return ga4.read(source)
    if fmt == "umami":
        return umami.read(source)
    return read_csv(source)


def read_csv(source: Table) -> ClicksData:
    """Any table whose header has a source column and a count column."""
    head = "\n".join(source.head().splitlines()[:3])
    delimiter = table.delimiter_of(head)

    def header() -> tuple[Iterator[tuple[int, list[str]]], columns.Columns]:
        records = table.rows(source.lines(), delimiter, source.where)
        line, cells = next(((n, c) for n, c in records if any(cell.strip() for cell in c)),
                           (1, []))
        found = columns.find(cells)
        if found is None:
            raise ClicksImportError(source.where, line, "not an analytics export: the first "
                                    "line should name a source column (utm_source, source, "
                                    "Session source / medium, …) and a count (visits, visitors, "
                                    "sessions, clicks, …).")
        return records, found

    def rows() -> Iterator[VisitRow]:
        records, found = header()
        return columns.visit_rows(records, found, source.where, until_blank=False)

    return ClicksData("csv", Rows(rows), dated=header()[1].date is not None)


def is_clicks_export(path: Path) -> bool:
    """Whether ``path`` looks like an analytics export, from its first 64 KB (quick).

    A zip is taken for one (Plausible's export is a zip); a text table is when it is
    laid out as one of the tools' exports or has a source column and a count.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError:
        return False
    if head.startswith(b"PK\x03\x04"):
        return True
    try:
        text = decode_file(head, path).text
        source = Table(path.name, str(path), lambda: io.BytesIO(head))
        fmt = detect(source)
        if fmt == "ga4":  # "#" lines first: a GA4 download when a source header follows
            body = "\n".join(line for line in text.splitlines()[:200]
                             if not line.lstrip().startswith("#"))
            return any(columns.find(cells) is not None for _, cells in
                       table.rows(body, table.delimiter_of(body), source.where))
        return fmt != "csv" or columns.find(_header(source)) is not None
    except (ContactImportError, ClicksImportError):
        return False
