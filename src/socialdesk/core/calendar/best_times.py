"""Best time to post: the business's own reach by weekday × hour, and the next open slot.

Each published post with a reach (:func:`socialdesk.store.best_times.reach_samples`) falls
in the cell of the weekday and hour it went out, in the workspace's time zone: when
SocialDesk sent it, its sent time; else its date and time in the calendar (a post without
a time has no hour and is left out). A cell's figure is its posts' average reach.

Few posts make noisy averages, so cells are ranked by their average pulled towards the
overall one (as if each cell also held :data:`PRIOR_POSTS` posts of average reach): one
lucky post does not outrank a cell where five did well. Best times are shown only from
:data:`MIN_POSTS` posts on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.core.settings import workspace_settings, workspace_zone
from socialdesk.store import best_times as store
from socialdesk.store import columns
from socialdesk.store.best_times import ReachSample
from socialdesk.store.report_models import ReachGrid
from socialdesk.store.workspace import Workspace

MIN_POSTS = 20  # published posts with a reach and a time before best times are shown
PRIOR_POSTS = 5.0  # how strongly a cell's average is pulled towards the overall one
WEEKS_AHEAD = 8  # how far the next open slot is looked for
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def enough(grid: ReachGrid) -> bool:
    """True once there are :data:`MIN_POSTS` posts to go by."""
    return grid.total >= MIN_POSTS


def not_enough_text(grid: ReachGrid) -> str:
    """What to say while there are too few posts."""
    return (f"Best times appear after {MIN_POSTS} published posts with results "
            f"(you have {grid.total}).")


def ranked(grid: ReachGrid) -> list[tuple[int, int]]:
    """(weekday, hour) of the cells with posts, best first (see the module notes)."""
    total = grid.total
    if not total:
        return []
    overall = sum(map(sum, grid.reach)) / total

    def score(cell: tuple[int, int]) -> float:
        day, hour = cell
        return (grid.reach[day][hour] + PRIOR_POSTS * overall) / (
            grid.posts[day][hour] + PRIOR_POSTS)

    cells = [(d, h) for d in range(7) for h in range(24) if grid.posts[d][h]]
    return sorted(cells, key=lambda c: (-score(c), c))


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


def went_out(sample: ReachSample, zone: ZoneInfo) -> datetime | None:
    """When a post went out, in ``zone``; None when its hour is not known."""
    try:
        if sample.sent_at:
            sent = datetime.fromisoformat(sample.sent_at.replace("Z", "+00:00"))
            return (sent if sent.tzinfo else sent.replace(tzinfo=UTC)).astimezone(zone)
        if not sample.time:
            return None
        local = datetime.combine(date.fromisoformat(sample.day),
                                 time.fromisoformat(sample.time), _zone(sample.timezone, zone))
        return local.astimezone(zone)
    except (TypeError, ValueError):
        return None


def grid_of(samples: Iterable[ReachSample], zone: ZoneInfo) -> ReachGrid:
    """The weekday × hour grid of ``samples``, in ``zone``."""
    posts = [[0] * 24 for _ in range(7)]
    reach = [[0] * 24 for _ in range(7)]
    for sample in samples:
        when = went_out(sample, zone)
        if when is None:
            continue
        posts[when.weekday()][when.hour] += 1
        reach[when.weekday()][when.hour] += sample.reach
    return ReachGrid(tuple(map(tuple, posts)), tuple(map(tuple, reach)))


def read_best_times(ws: Workspace, between: Callable[[], object] | None = None
                    ) -> ReachGrid:
    """The workspace's grid, in its time zone (one query; run on a worker when big).

    ``between`` is called after every ``columns.ROWS_PART`` samples read and placed (a read on
    a worker stops there when its view was left).
    """
    zone = ZoneInfo(workspace_zone(workspace_settings(ws)))
    samples = store.reach_samples(ws, between)
    if between is None:
        return grid_of(samples, zone)
    return grid_of(_paced(samples, between), zone)


def _paced(samples: list[ReachSample], between: Callable[[], object]
           ) -> Iterator[ReachSample]:
    for start in range(0, len(samples), part := columns.ROWS_PART):
        yield from samples[start:start + part]
        between()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The next open slot in the best cell, or why there is none."""

    when: datetime | None  # wall time in the workspace's zone (naive)
    message: str
    zone: str = ""  # the workspace's zone (an IANA name)


def next_open_slot(best: ReachGrid, taken: set[tuple[str, int]], after: datetime,
                   weeks: int = WEEKS_AHEAD) -> datetime | None:
    """The first hour after ``after`` in the best cell that has no post (``taken``).

    Tries the cells from the best down, each over the next ``weeks`` weeks; None when
    every one is taken. ``after`` and the result are wall times (naive).
    """
    for weekday, hour in ranked(best):
        ahead = (weekday - after.weekday()) % 7
        first = datetime.combine(after.date() + timedelta(days=ahead), time(hour))
        if first <= after:
            first += timedelta(days=7)
        for week in range(weeks):
            slot = first + timedelta(days=7 * week)
            if (slot.date().isoformat(), hour) not in taken:
                return slot
    return None


def describe_cell(best: ReachGrid, weekday: int, hour: int) -> str:
    """E.g. "Tuesdays 18:00–18:59: average reach 1,240 over 5 posts"."""
    count = best.posts[weekday][hour]
    average = best.average(weekday, hour) or 0.0
    plural = "s" if count != 1 else ""
    return (f"{WEEKDAYS[weekday]}s {hour:02d}:00–{hour:02d}:59: average reach "
            f"{average:,.0f} over {count} post{plural}")


def suggest_slot(ws: Workspace, now: datetime) -> Suggestion:
    """The next open slot in the best weekday and hour after ``now`` (wall time, naive)."""
    zone = workspace_zone(workspace_settings(ws))
    best = grid_of(store.reach_samples(ws), ZoneInfo(zone))
    if not enough(best):
        return Suggestion(None, not_enough_text(best))
    last = now.date() + timedelta(weeks=WEEKS_AHEAD + 1)
    taken = store.taken_hours(ws, now.date().isoformat(), last.isoformat())
    slot = next_open_slot(best, taken, now)
    if slot is None:
        return Suggestion(None, f"Every best hour of the next {WEEKS_AHEAD} weeks already "
                                "has a post.")
    return Suggestion(slot, "Best time: " + describe_cell(best, slot.weekday(), slot.hour),
                      zone)
