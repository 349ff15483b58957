"""What a reader makes of an analytics export: visits per source (and post, and day)."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.core.import_results import Problem

FORMATS = ("auto", "plausible", "matomo", "ga4", "umami", "csv")
FORMAT_NAMES = {"plausible": "Plausible", "matomo": "Matomo", "ga4": "Google Analytics 4",
                "umami": "Umami", "csv": "CSV"}


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One line of an export: visits from one source (``utm_source``), maybe one post and day.

    ``label`` is the source as the file wrote it (``"google - cpc"``), for the list of
    sources that matched no partner.
    """

    line: int
    label: str
    source: str
    visits: int
    medium: str = ""
    content: str = ""
    day: str | None = None


@dataclass(frozen=True, slots=True)
class ClicksData:
    """An export's visits, with the period it states (when it states one)."""

    format: str
    rows: tuple[VisitRow, ...]
    first_day: str | None = None
    last_day: str | None = None
    notes: tuple[Problem, ...] = ()

    @property
    def dated(self) -> bool:
        """Whether the rows carry their day."""
        return any(row.day for row in self.rows)

    @property
    def name(self) -> str:
        """The tool's name, for messages."""
        return FORMAT_NAMES.get(self.format, self.format)
