"""The days each calendar mode shows, and stepping between periods (plain date arithmetic)."""

from __future__ import annotations

from datetime import date, timedelta

from socialdesk.qt.calendar.month import month_days
from socialdesk.qt.calendar.week import week_days

Range = tuple[date, date]


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def step(mode: str, anchor: date, steps: int) -> date:
    """``steps`` weeks (week mode) or months (month grid, agenda) from ``anchor``."""
    if mode == "week":
        return anchor + timedelta(weeks=steps)
    return add_months(anchor, steps)


def days_shown(mode: str, anchor: date) -> Range:
    """The first and last day ``mode`` shows around ``anchor``.

    The month grid shows six whole weeks; the agenda the calendar month.
    """
    if mode == "week":
        days = week_days(anchor)
    elif mode == "month":
        days = month_days(anchor.year, anchor.month)
    else:
        return anchor.replace(day=1), add_months(anchor, 1) - timedelta(days=1)
    return days[0], days[-1]


def neighbours(mode: str, anchor: date) -> list[Range]:
    """What ``mode`` shows one step back and one step forward."""
    return [days_shown(mode, step(mode, anchor, s)) for s in (-1, 1)]
