"""What a reader makes of an analytics export: visits per source (and post, and day)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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


class Rows(Iterable[VisitRow]):
    """An export's rows, read again from its file each time they are gone through."""

    def __init__(self, read: Callable[[], Iterator[VisitRow]]) -> None:
        self.read = read

    def __iter__(self) -> Iterator[VisitRow]:
        return self.read()


@dataclass(frozen=True, slots=True)
class ClicksData:
    """An export's visits, with the period it states (when it states one).

    ``rows`` are read as they are gone through (:class:`Rows`), so a row that cannot be
    read raises then; ``dated`` says whether they carry their day.
    """

    format: str
    rows: Iterable[VisitRow]
    first_day: str | None = None
    last_day: str | None = None
    notes: tuple[Problem, ...] = ()
    dated: bool = False

    @property
    def name(self) -> str:
        """The tool's name, for messages."""
        return FORMAT_NAMES.get(self.format, self.format)
