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

from dataclasses import dataclass, field

from socialdesk.core.share.clicks import table
from socialdesk.core.share.clicks.errors import ClicksImportError
from socialdesk.core.share.clicks.model import ClicksData, VisitRow
from socialdesk.core.share.clicks.source import Table

SOURCE_REPORTS = ("campaign source - medium", "campaign sources")
NO_DATA = "no data available"


@dataclass(slots=True)
class Section:
    """One report of the file: its title line, header and rows."""

    title: str
    line: int
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def is_matomo(records: list[tuple[int, list[str]]]) -> bool:
    """Whether the file's first records are a Matomo report (titled or not)."""
    heads = [cells for _, cells in records[:2]]
    return any(_is_header(cells) for cells in heads)


def _is_header(cells: list[str]) -> bool:
    folded = [cell.strip().lower() for cell in cells]
    return bool(folded) and folded[0] == "label" and "nb_visits" in folded


def sections(records: list[tuple[int, list[str]]]) -> list[Section]:
    """The file's reports, in order (a title-less table is one section without a title)."""
    found: list[Section] = []
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
            found.append(current)
        elif not current.header and not current.rows:
            current.header = cells
        else:
            current.rows.append((line, cells))
    return found


def read(source: Table) -> ClicksData:
    """Visits per ``utm_source`` (and medium) from a Matomo CSV/TSV."""
    head = "\n".join(source.text.splitlines()[:3])
    records = list(table.rows(source.text, table.delimiter_of(head), source.where))
    if not is_matomo(records):
        raise ClicksImportError(source.where, 1, "not a Matomo report (no label,nb_visits "
                                "header on the first lines).")
    found = sections(records)
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
    rows = []
    for line, cells in chosen.rows:
        label = table.cell(cells, label_at)
        visits = table.count(table.cell(cells, visits_at), source.where, line, "nb_visits")
        if not label or not visits:
            continue
        name, sep, medium = label.rpartition(" - ")
        if not sep:
            name, medium = label, ""
        day = table.day(cells[date_at], source.where, line) if date_at is not None else None
        rows.append(VisitRow(line, label, name.strip(), visits, medium.strip(), day=day))
    return ClicksData("matomo", tuple(rows))


def _empty(section: Section) -> bool:
    return [c.strip().lower() for c in section.header] in ([NO_DATA], [])
