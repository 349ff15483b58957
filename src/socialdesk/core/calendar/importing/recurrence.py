"""Recurring events: keep them as a SocialDesk repeat, or list their occurrences.

All computing happens in the wall-clock time of the event's own zone (RFC 5545 says
recurrences follow local time across daylight saving changes): ``date`` for all-day
events, naive ``datetime`` otherwise. Expansion is always bounded: by the rule's own
end, by the caller's window, by :data:`MAX_OCCURRENCES` per event and by
:data:`MAX_FILE_OCCURRENCES` per file; a rule followed up to the start of the window
(from a series' first date, years ago) passes at most :data:`MAX_PASSED` dates, and
the rules of one file :data:`MAX_FILE_PASSED` in all.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
from dateutil.rrule import rrule, rrulestr

Wall = date | datetime
MAX_OCCURRENCES = 1000
MAX_FILE_OCCURRENCES = 100_000  # occurrences of all the repeating events of one file
MAX_PASSED = 50_000  # dates a rule may pass before the window starts (~0.25 s)
MAX_FILE_PASSED = 400_000  # the same for all the repeating events of one file
ONE_DAY = timedelta(days=1)
_PLAIN_KEYS = frozenset({"FREQ", "INTERVAL", "UNTIL", "COUNT", "WKST", "BYDAY", "BYMONTHDAY"})
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class RuleError(ValueError):
    """A repeat rule that cannot be followed (the message says why)."""


@dataclass(frozen=True, slots=True)
class Repeat:
    """A recurrence SocialDesk stores as it is: ``weekly``/``monthly`` or evergreen.

    All three ``None``: the rule happens only once, so the post does not repeat.
    """

    rule: str | None
    until: date | None
    evergreen_weeks: int | None


def as_datetime(value: Wall) -> datetime:
    """A wall-clock value as a naive datetime (midnight for a date)."""
    return value if isinstance(value, datetime) else datetime.combine(value, time())


def _text(recur: Any, until: datetime | None) -> str:
    parts = {str(key).upper(): value for key, value in recur.items() if str(key).upper() != "UNTIL"}
    interval = parts.get("INTERVAL")
    if interval and int(interval[0] if isinstance(interval, list) else interval) < 1:
        raise RuleError("its INTERVAL is less than 1")
    if "FREQ" not in parts:
        raise RuleError("it has no FREQ")
    text: str = icalendar.vRecur(parts).to_ical().decode()
    if until is not None:
        text += f";UNTIL={until:%Y%m%dT%H%M%S}"
    return text


def _ints(recur: Any, key: str) -> set[int]:
    try:
        return {int(value) for value in _values(recur, key)}
    except (TypeError, ValueError) as error:
        raise RuleError(f"its {key} is not a list of numbers") from error


def _possible(recur: Any, start: Wall) -> bool:
    """Whether any day in the next eight years passes the rule's day filters.

    dateutil walks day by day (or second by second) up to the year 9999 looking for a
    rule such as "30 February" and takes seconds doing so; this cheap test (a
    superset of the real filters: BYDAY ordinals are ignored) catches such rules.
    """
    months, month_days = _ints(recur, "BYMONTH"), _ints(recur, "BYMONTHDAY")
    year_days, weeks = _ints(recur, "BYYEARDAY"), _ints(recur, "BYWEEKNO")
    if not (months or month_days or year_days or weeks):
        return True
    weekdays = {
        _WEEKDAYS.index(str(d).upper()[-2:]) for d in _values(recur, "BYDAY")
        if str(d).upper()[-2:] in _WEEKDAYS
    }
    day = start.date() if isinstance(start, datetime) else start
    try:
        for _ in range(8 * 366):
            if (
                (not months or day.month in months)
                and (not weekdays or day.weekday() in weekdays)
                and (not month_days or day.day in month_days
                     or day.day - _month_length(day) - 1 in month_days)
                and (not year_days or _year_day(day) in year_days
                     or _year_day(day) - _year_length(day) - 1 in year_days)
                and (not weeks or _week(day) in weeks
                     or _week(day) - _weeks(day) - 1 in weeks)
            ):
                return True
            day += ONE_DAY
    except (ValueError, OverflowError):  # the end of the calendar: let dateutil decide
        return True
    return False


def _month_length(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - date(day.year, day.month, 1)).days


def _year_day(day: date) -> int:
    return day.timetuple().tm_yday


def _week(day: date) -> int:
    return day.isocalendar()[1]


def _weeks(day: date) -> int:
    return date(day.year, 12, 28).isocalendar()[1]


def _year_length(day: date) -> int:
    return 366 if calendar.isleap(day.year) else 365


def build_rule(recur: Any, start: Wall, until: Wall | None) -> rrule:
    """A dateutil rule for an RRULE value; ``until`` is its UNTIL in wall-clock time."""
    if not _possible(recur, start):
        raise RuleError("no day matches it")
    end = None
    if until is not None:
        end = as_datetime(until)
        if isinstance(start, datetime) and not isinstance(until, datetime):
            end = datetime.combine(until, time(23, 59, 59))
    try:
        rule = rrulestr(_text(recur, end), dtstart=as_datetime(start))
    except RuleError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError, IndexError) as error:
        raise RuleError(str(error) or "it is not understood") from error
    if not isinstance(rule, rrule):
        raise RuleError("it is not a single rule")
    return rule


def occurrences(
    start: Wall, rules: list[rrule], end: Wall, cap: int = MAX_OCCURRENCES,
    first: Wall | None = None, may_pass: int = MAX_PASSED,
) -> tuple[list[Wall], bool, int]:
    """Occurrences of ``rules`` from ``start`` (always one) up to ``end`` (excluded).

    ``first``: only those from then on (``start`` too). Returns them sorted, whether
    the rules go on beyond ``end`` or ``cap``, and how many dates before ``first`` they
    passed. Raises :class:`RuleError` when they pass more than ``may_pass``.
    """
    all_day = not isinstance(start, datetime)
    limit = as_datetime(end)
    begin = as_datetime(first if first is not None else start)
    found = {as_datetime(start)} if as_datetime(start) >= begin else set()
    more = False
    passed = 0
    try:
        for rule in rules:
            count = 0
            for moment in rule:
                if moment < begin:
                    passed += 1
                    if passed > may_pass:
                        raise RuleError(f"it repeats too often to be followed from its first "
                                        f"date up to {begin.date().isoformat()}")
                    continue
                if moment >= limit or count >= cap:
                    more = True
                    break
                found.add(moment)
                count += 1
    except (ValueError, OverflowError) as error:  # dates beyond year 9999
        raise RuleError(str(error) or "it runs out of the calendar") from error
    ordered = sorted(found)[:cap]
    return [m.date() if all_day else m for m in ordered], more, passed


def last_occurrence(rule: rrule, cap: int = 5000) -> datetime | None:
    """The last occurrence of a rule that ends (``None``: it ends too far away)."""
    last = None
    for count, moment in enumerate(rule):
        if count >= cap:
            return None
        last = moment
    return last


def _values(recur: Any, key: str) -> list[Any]:
    value = recur.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _end_day(recur: Any, start: Wall, rule: rrule, until: Wall | None) -> date | None:
    """The last day a rule with an end may fall on (``None``: too far to tell)."""
    if until is not None and "UNTIL" in {str(key).upper() for key in recur}:
        if isinstance(until, datetime) and isinstance(start, datetime):
            # UNTIL is a moment: a last occurrence later that day does not count.
            return until.date() if until.time() >= start.time() else until.date() - ONE_DAY
        return until.date() if isinstance(until, datetime) else until
    last = last_occurrence(rule)
    return None if last is None else last.date()


def may_be_repeat(recur: Any) -> bool:
    """Whether :func:`as_repeat` may find an equivalent (a cheap first look at a rule)."""
    keys = {str(key).upper() for key in recur}
    freq = _values(recur, "FREQ")
    return keys <= _PLAIN_KEYS and bool(freq) and str(freq[0]).upper() in ("WEEKLY", "MONTHLY")


def as_repeat(recur: Any, start: Wall, rule: rrule, until: Wall | None = None) -> Repeat | None:
    """The SocialDesk repeat equivalent to ``recur`` from ``start``, if there is one.

    ``until`` is the rule's UNTIL in wall-clock time. Weekly or monthly every time
    with an end (UNTIL or COUNT) → ``weekly``/``monthly`` until the end's day (for
    COUNT, the last occurrence); weekly every N weeks without an end → evergreen every
    N weeks (with an end: evergreen until then). Anything else (other frequencies,
    several weekdays, "last Friday") has no SocialDesk equivalent.
    """
    if not may_be_repeat(recur):
        return None
    keys = {str(key).upper() for key in recur}
    freq = str(_values(recur, "FREQ")[0]).upper()
    interval = int(_values(recur, "INTERVAL")[0]) if _values(recur, "INTERVAL") else 1
    start_day = start.date() if isinstance(start, datetime) else start
    weekday = _WEEKDAYS[start_day.weekday()]
    days = [str(d).upper() for d in _values(recur, "BYDAY")]
    if days and (freq != "WEEKLY" or days != [weekday]):
        return None
    month_days = [int(d) for d in _values(recur, "BYMONTHDAY")]
    if month_days and (freq != "MONTHLY" or month_days != [start_day.day]):
        return None
    ends = "UNTIL" in keys or "COUNT" in keys
    end_day = None
    if ends:
        end_day = _end_day(recur, start, rule, until)
        if end_day is None:
            return None
        if end_day <= start_day or rule.after(as_datetime(start)) is None:
            return Repeat(None, None, None)  # a "repeat" that happens once
    if freq == "WEEKLY":
        if interval == 1 and ends:
            return Repeat("weekly", end_day, None)
        return Repeat(None, end_day, interval)
    if freq == "MONTHLY" and interval == 1 and ends:
        return Repeat("monthly", end_day, None)
    return None
