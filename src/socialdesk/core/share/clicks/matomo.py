"""Matomo's reports as CSV or TSV: a scheduled report's sections, or one exported table.

A scheduled report holds many reports in one file: a title line, a header (``label,
nb_visits,…``) or "No data available", the rows, a blank line. Matomo's own Campaigns
report is broken down by campaign name and keyword, not by source; the source is in the
"Campaign Source - Medium" report (label ``source - medium``) or "Campaign Sources" of
the Marketing Campaigns Reporting plugin. A file without either is refused with a message
that says so. One table exported alone ("Export this dataset") has no title: its labels
are read as ``source - medium`` (or as the source when they hold no " - ").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from socialdesk.core.share.clicks import table
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import ClicksData, Rows, VisitRow
from socialdesk.core.share.clicks.source import Table

SOURCE_REPORTS = ("campaign source - medium", "campaign sources")
NO_DATA = "no data available"


@dataclass(slots=True)
class Section:
    """One report of the file: its title line, header and how many rows it has."""

    title: str
    line: int
    header: list[str] = field(default_factory=list)
    count: int = 0


def is_matomo(records: list[tuple[int, list[str]]]) -> bool:
    """Whether the file's first records are a Matomo report (titled or not)."""
    heads = [cells for _, cells in records[:2]]
    return any(_is_header(cells) for cells in heads)


def _is_header(cells: list[str]) -> bool:
    folded = [cell.strip().lower() for cell in cells]
    return bool(folded) and folded[0] == "label" and "nb_visits" in folded


def walk(records: Iterable[tuple[int, list[str]]]
         ) -> Iterator[tuple[Section, tuple[int, list[str]] | None]]:
    """Each report of the file as it starts (with no row), then each of its rows."""
    current: Section | None = None
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            current = None
            continue
        if current is None:
            if _is_header(cells):
                current = Section("", line, cells)
            else:
                current = Section(cells[0].strip(), line)
            yield current, None
        elif not current.header and not current.count:
            current.header = cells
        else:
            current.count += 1
            yield current, (line, cells)


def sections(records: Iterable[tuple[int, list[str]]]) -> list[Section]:
    """The file's reports, in order (a title-less table is one section without a title)."""
    return [section for section, row in walk(records) if row is None]


def read(source: Table) -> ClicksData:
    """Visits per ``utm_source`` (and medium) from a Matomo CSV/TSV."""
    head = "\n".join(source.head().splitlines()[:3])
    delimiter = table.delimiter_of(head)
    if not is_matomo(list(table.rows(head, delimiter, source.where))):
        raise ClicksImportError(source.where, 1, "not a Matomo report (no label,nb_visits "
                                "header on the first lines).")
    found = sections(table.rows(source.lines(), delimiter, source.where))
    by_title = {s.title.lower(): s for s in found}
    chosen = next((by_title[t] for t in SOURCE_REPORTS if t in by_title), None)
    if chosen is None and len(found) == 1 and not found[0].title:
        chosen = found[0]
    if chosen is None:
        campaigns = by_title.get("campaigns")
        detail = ""
        if campaigns is not None:
            empty = " and has no data here" if _empty(campaigns) else ""
            detail = (f" Its Campaigns report (line {campaigns.line}) is broken down by "
                      f"campaign name and keyword{empty}.")
        raise ClicksImportError(source.where, None, "this Matomo report holds no breakdown "
                                f"of visits by campaign source, so it cannot say which partner "
                                f"brought them.{detail} Add the \"Campaign Source - Medium\" "
                                "report (Marketing Campaigns Reporting) to the export.")
    if _empty(chosen):
        return ClicksData("matomo", ())
    label_at = table.find_column(chosen.header, ("label",))
    visits_at = table.find_column(chosen.header, ("nb_visits",))
    if label_at is None or visits_at is None:
        raise ClicksImportError(source.where, chosen.line + 1, f"the {chosen.title!r} report "
                                "has no label and nb_visits columns.")
    date_at = table.find_column(chosen.header, ("date",))

    def rows() -> Iterator[VisitRow]:
        for section, row in walk(table.rows(source.lines(), delimiter, source.where)):
            if row is None or section.line != chosen.line:
                continue
            line, cells = row
            label = table.cell(cells, label_at)
            visits = table.count(table.cell(cells, visits_at), source.where, line, "nb_visits")
            if not label or not visits:
                continue
            name, sep, medium = label.rpartition(" - ")
            if not sep:
                name, medium = label, ""
            day = (table.day(cells[date_at], source.where, line) if date_at is not None
                   else None)
            yield VisitRow(line, label, name.strip(), visits, medium.strip(), day=day)

    return ClicksData("matomo", Rows(rows), dated=date_at is not None and chosen.count > 0)


def _empty(section: Section) -> bool:
    return [c.strip().lower() for c in section.header] in ([NO_DATA], [])
