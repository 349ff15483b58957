"""Dates on which a repeating post appears, as calendar programs read its export.

The same precedence as the iCalendar export: a monthly repeat first, then an evergreen
interval (every N weeks), then a weekly repeat; ``repeat_until`` ends any of them.
A monthly repeat on the 31st skips months without one (RFC 5545).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from socialdesk.store import posts
from socialdesk.store.models import PostRow
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


def posts_in_range(ws: Workspace, first: date, last: date,
                   repeating: Sequence[tuple] | None = None) -> list[PostRow]:
    """Posts on each day from ``first`` to ``last``, repeats included, in time order.

    A repeat on a later date is the post's row with that date and ``occurrence`` set.
    ``repeating``: every repeating post (:func:`posts.repeating_records` without a range),
    read once for many ranges; by default the ones that can fall in this range are read.
    """
    start_iso, end_iso = first.isoformat(), last.isoformat()
    rows = posts.posts_between(ws, start_iso, end_iso)
    if repeating is None:
        repeating = posts.repeating_records(ws, start_iso, end_iso)
    for record in repeating:
        rule, until, weeks = record[-3:]
        if (record[3] or start_iso) > end_iso or (until is not None and until < start_iso):
            continue
        start = date.fromisoformat(record[3] or start_iso)
        for day in occurrences(start, first, last, repeat_rule=rule,
                               repeat_until=date.fromisoformat(until) if until else None,
                               evergreen_weeks=weeks):
            if day != start:
                rows.append(posts.post_row(record, scheduled_on=day.isoformat(),
                                           occurrence=True))
    rows.sort(key=lambda r: (r.scheduled_on or "", r.scheduled_time or "", r.occurrence, r.id))
    return rows
