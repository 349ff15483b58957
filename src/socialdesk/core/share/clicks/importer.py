"""Import an analytics export: read it, match it to asks, replace its period's visits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from socialdesk.core.import_results import Problem
from socialdesk.core.share.clicks.detect import open_clicks
from socialdesk.core.share.clicks.errors import ClicksImportCancelled, ClicksImportError
from socialdesk.core.share.clicks.matching import match
from socialdesk.core.share.clicks.model import ClicksData
from socialdesk.store import clicks as store
from socialdesk.store.workspace import Workspace

Progress = Callable[[int, int], bool]  # (rows written, rows): False cancels


@dataclass(frozen=True, slots=True)
class ClicksReport:
    """What an import recorded, for the CLI, the GUI and ``--json``."""

    matched: int
    visits: int
    unmatched: tuple[tuple[str, int], ...]  # (source, visits), most visits first
    asks: tuple[tuple[int, str, int], ...]  # (ask id, partner, visits)
    problems: tuple[Problem, ...]
    first_day: str
    last_day: str
    format: str
    replaced: int

    def as_json(self) -> dict[str, object]:
        """The ``--json`` shape: matched, visits, unmatched, asks, problems."""
        return {
            "matched": self.matched,
            "visits": self.visits,
            "unmatched": [{"source": s, "visits": n} for s, n in self.unmatched],
            "asks": [{"ask": a, "partner": p, "visits": n} for a, p, n in self.asks],
            "problems": [problem.as_dict() for problem in self.problems],
        }


def covered_period(data: ClicksData, path: Path | str, first_day: str | None = None,
                   last_day: str | None = None,
                   days: tuple[str, str] | None = None) -> tuple[str, str]:
    """The days an import replaces (first, last); an error when nothing says.

    The rows' first and last ``days`` (widened by the period the file states), else the
    period the user gives, else the one the file states.
    """
    for given in (first_day, last_day):
        if given is not None:
            date.fromisoformat(given)
    if days is not None:
        found = [*days, *(d for d in (data.first_day, data.last_day) if d)]
        return min(found), max(found)
    first = first_day or data.first_day
    last = last_day or data.last_day
    if first is None or last is None:
        raise ClicksImportError(path, None, f"this {data.name} export holds no dates; say "
                                "which period it covers.")
    if last < first:
        raise ClicksImportError(path, None, f"the period ends ({last}) before it starts "
                                f"({first}).")
    return first, last


def import_clicks(ws: Workspace, path: Path, fmt: str = "auto", *,
                  first_day: str | None = None, last_day: str | None = None,
                  data: ClicksData | None = None,
                  progress: Progress | None = None) -> ClicksReport:
    """Record the visits of ``path`` per ask, replacing what its period held before.

    ``first_day``/``last_day`` (ISO) give the period of an export without dates (they
    override the period the file states). ``data`` is the file already read
    (:func:`read_clicks`). The rows are summed per ask and day as they are read, so the
    file is never held. ``progress(written, total)`` is told as the rows are written;
    when it returns False the import stops with :class:`ClicksImportCancelled`. Raises
    :class:`ClicksImportError`; writes nothing then, nor when cancelled.
    """
    if data is None:
        data = open_clicks(path, fmt)
    asks = store.tracked_asks(ws)
    if data.dated:  # the period is the rows' days, known once they are read
        found = match(data, asks, None)
        first, last = covered_period(data, path, first_day, last_day, found.days)
    else:
        first, last = covered_period(data, path, first_day, last_day)
        found = match(data, asks, (first, last))
    rows = [(ask, f, t, n) for (ask, f, t), n in sorted(found.visits.items())]

    def written(done: int) -> None:
        if progress is not None and progress(done, len(rows)) is False:
            raise ClicksImportCancelled(path)

    replaced = store.replace_visits(ws, first, last, rows, path.name, written)
    names = {ask.ask_id: ask.partner for ask in asks}
    per_ask: dict[int, int] = {}
    for ask, _, _, n in rows:
        per_ask[ask] = per_ask.get(ask, 0) + n
    return ClicksReport(
        matched=found.rows, visits=sum(per_ask.values()),
        unmatched=tuple(sorted(found.unmatched.items(), key=lambda i: (-i[1], i[0]))),
        asks=tuple((ask, names[ask], n) for ask, n in sorted(per_ask.items())),
        problems=tuple(sorted((*data.notes, *found.problems), key=lambda p: p.line)),
        first_day=first, last_day=last, format=data.format, replaced=replaced)
