"""Dates on which a repeating post appears, as calendar programs read its export.

The same precedence as the iCalendar export: a monthly repeat first, then an evergreen
interval (every N weeks), then a weekly repeat; ``repeat_until`` ends any of them.
A monthly repeat on the 31st skips months without one (RFC 5545).

Each later date shows the status and results the user marked on it
(:mod:`socialdesk.store.occurrences`); an unmarked one shows the series' status, except
that a date after today is never published yet (:func:`repeat_status`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from socialdesk.core import clock
from socialdesk.store import occurrences as marks
from socialdesk.store import posts
from socialdesk.store.models import OccurrenceDraft, PostRow
from socialdesk.store.workspace import Workspace


def _add_months(start: date, months: int) -> date | None:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    try:
        return date(year, month + 1, start.day)
    except ValueError:
        return None  # no such day in that month


def occurrences(start: date, first: date, last: date, *, repeat_rule: str | None = None,
                repeat_until: date | None = None, evergreen_weeks: int | None = None,
                limit: int = 400) -> list[date]:
    """The dates from ``first`` to ``last`` (inclusive) on which the post appears.

    Includes ``start`` itself when it is in range; at most ``limit`` dates.
    """
    end = min(last, repeat_until) if repeat_until else last
    if end < start:
        return [start] if first <= start <= last else []
    found: list[date] = []
    if repeat_rule == "monthly":
        months = max(0, (first.year - start.year) * 12 + first.month - start.month - 1)
        while len(found) < limit:
            day = _add_months(start, months)
            months += 1
            if day is None:
                continue
            if day > end:
                break
            if day >= first:
                found.append(day)
        return found
    weeks = evergreen_weeks if evergreen_weeks else 1 if repeat_rule == "weekly" else 0
    if not weeks:
        return [start] if first <= start <= last else []
    step = timedelta(weeks=weeks)
    skip = max(0, (first - start).days // step.days)
    day = start + skip * step
    while day <= end and len(found) < limit:
        if day >= first:
            found.append(day)
        day += step
    return found


def repeat_status(series_status: str, day: date, today: date) -> str:
    """The status a later date of a repeating post shows while the user has not marked it.

    The series' status, except that a date after ``today`` is not published yet: a
    published series shows its later dates as scheduled until they come.
    """
    return "scheduled" if series_status == "published" and day > today else series_status


def repeat_values(ws: Workspace, post_id: int, series_status: str, day: date,
                  today: date | None = None) -> OccurrenceDraft:
    """What a later date of a repeating post shows: what the user marked, else the default."""
    marked = marks.get_occurrence(ws, post_id, day.isoformat())
    return marked or OccurrenceDraft(repeat_status(series_status, day, today or clock.today()))


def posts_in_range(ws: Workspace, first: date, last: date,
                   repeating: Sequence[posts.Repeating] | None = None,
                   today: date | None = None) -> list[PostRow]:
    """Posts on each day from ``first`` to ``last``, repeats included, in time order.

    A repeat on a later date is the post's row with that date, ``occurrence`` set and
    its own status and reach (marked, else :func:`repeat_status` and none).
    ``repeating``: every repeating post (:func:`posts.repeating_records` without a range),
    read once for many ranges; by default the ones that can fall in this range are read.
    ``today`` defaults to :func:`socialdesk.core.clock.today`.
    """
    today = today or clock.today()
    start_iso, end_iso = first.isoformat(), last.isoformat()
    rows = posts.posts_between(ws, start_iso, end_iso)
    if repeating is None:
        repeating = posts.repeating_records(ws, start_iso, end_iso)
    marked = marks.marked_between(ws, start_iso, end_iso) if repeating else {}
    for record in repeating:
        post, until = record.row, record.repeat_until
        if (post.scheduled_on or start_iso) > end_iso or (until is not None and until < start_iso):
            continue
        start = date.fromisoformat(post.scheduled_on or start_iso)
        for day in occurrences(start, first, last, repeat_rule=record.repeat_rule,
                               repeat_until=date.fromisoformat(until) if until else None,
                               evergreen_weeks=record.evergreen_weeks):
            if day != start:
                iso = day.isoformat()
                mark = marked.get((post.id, iso))
                rows.append(posts.repeat_row(
                    post, iso, mark.status if mark else repeat_status(post.status, day, today),
                    mark.reach if mark else None))
    rows.sort(key=lambda r: (r.scheduled_on or "", r.scheduled_time or "", r.occurrence, r.id))
    return rows
