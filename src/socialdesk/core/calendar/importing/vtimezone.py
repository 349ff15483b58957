"""A time zone described only by the file's VTIMEZONE, followed within bounds.

A VTIMEZONE says when the UTC offset changes: each STANDARD or DAYLIGHT part has a
first change (DTSTART), the offsets before and after it, and a rule (RRULE) or a list
of dates (RDATE) for the later ones. Libraries follow such rules again at every lookup,
from the first change on: a part that repeats every second since 1601 then walks
through billions of changes, holding them in memory. Here the changes are worked out
once, into a sorted list searched by bisection, and only what time zones really do is
followed: rules that repeat yearly (without BYHOUR, BYMINUTE or BYSECOND), up to the
year :data:`LAST_YEAR`, at most :data:`MAX_CHANGES` changes per zone. A description
outside these bounds raises :class:`ZoneError`, whose message says why.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import icalendar

from socialdesk.core.calendar.importing import recurrence
from socialdesk.core.calendar.importing.reader import RawComponent, full_text

LAST_YEAR = 2100  # changes after this year are not worked out (the last one holds)
MAX_CHANGES = 5_000  # a real zone changes twice a year: this covers 2,500 years
_ZERO = timedelta(0)
_SUB_YEARLY = ("BYHOUR", "BYMINUTE", "BYSECOND")
_TOO_OFTEN = {
    "SECONDLY": "every second", "MINUTELY": "every minute", "HOURLY": "every hour",
    "DAILY": "every day", "WEEKLY": "every week", "MONTHLY": "every month",
}


class ZoneError(ValueError):
    """A VTIMEZONE that cannot be followed (the message says why)."""


class _TooMany(ZoneError):
    """More changes than the zone may have."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change of offset: when (local time before it, and UTC), and to what."""

    wall: datetime
    utc: datetime
    offset: timedelta
    dst: timedelta
    name: str | None


class FileZone(tzinfo):
    """A ``tzinfo`` from a list of changes (see :func:`file_zone`).

    A wall-clock time takes the offset of the last change at or before it, read in the
    offset in force before that change: a time repeated when the clocks go back is
    read in the earlier offset, a time skipped when they go forward in the later one.
    Before the first change the zone has that change's offset "from".
    """

    def __init__(self, name: str, changes: list[Change], first: Change) -> None:
        super().__init__()
        self.name = name
        self.changes = changes
        self.first = first
        self._walls = [change.wall for change in changes]
        self._utcs = [change.utc for change in changes]

    def __repr__(self) -> str:
        return f"FileZone({self.name!r}, {len(self.changes)} changes)"

    def _at_wall(self, dt: datetime | None) -> Change:
        if dt is None or not self.changes:
            return self.first
        index = bisect_right(self._walls, dt.replace(tzinfo=None)) - 1
        return self.changes[index] if index >= 0 else self.first

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """The offset in force at the wall-clock time ``dt``."""
        return self._at_wall(dt).offset

    def dst(self, dt: datetime | None) -> timedelta:
        """How much of the offset is daylight saving time."""
        return self._at_wall(dt).dst

    def tzname(self, dt: datetime | None) -> str | None:
        """The TZNAME of the part in force (or the zone's TZID)."""
        return self._at_wall(dt).name or self.name

    def fromutc(self, dt: datetime) -> datetime:
        """The wall-clock time of the UTC time ``dt`` (whose tzinfo is this zone)."""
        index = bisect_right(self._utcs, dt.replace(tzinfo=None)) - 1
        change = self.changes[index] if index >= 0 else self.first
        return dt + change.offset


def _one(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _all(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _wall(value: Any, offset_from: timedelta) -> datetime:
    """A DTSTART, RDATE or UNTIL value as local time before the change."""
    if isinstance(value, tuple):  # a PERIOD
        value = value[0]
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # in UTC (or another zone): the local time
            return value.astimezone(UTC).replace(tzinfo=None) + offset_from
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raise ZoneError("a date in it cannot be read")


def _offset(part: icalendar.Component, name: str) -> timedelta:
    value = getattr(part.get(name), "td", None)
    if not isinstance(value, timedelta):
        raise ZoneError(f"its {part.name} part has no {name}")
    return value


def _rule_walls(recur: Any, start: datetime, offset_from: timedelta, part: str,
                left: int) -> list[datetime]:
    """The changes a yearly rule makes after ``start``, up to :data:`LAST_YEAR`."""
    freq = str(_one(recur.get("FREQ")) or "").upper()
    often = _TOO_OFTEN.get(freq)
    if often is None and any(key in recur for key in _SUB_YEARLY):
        often = "several times a day"
    if often is not None:
        raise ZoneError(f"its {part} part repeats {often}, where a time zone changes "
                        "a few times a year at most")
    until = recur.get("UNTIL")
    until = _wall(_one(until), offset_from) if until else None
    try:
        rule = recurrence.build_rule(recur, start, until)
        walls: list[datetime] = []
        for moment in rule:
            if moment.year > LAST_YEAR:
                break
            if len(walls) >= left:
                raise _TooMany
            walls.append(moment)
    except ZoneError:
        raise
    except recurrence.RuleError as error:
        raise ZoneError(f"the rule of its {part} part cannot be followed ({error})") from error
    except (ValueError, OverflowError) as error:  # the end of the calendar
        raise ZoneError(f"the rule of its {part} part runs out of the calendar") from error
    return walls


def _changes(part: icalendar.Component, left: int) -> list[Change]:
    """Every change one STANDARD or DAYLIGHT part makes (at most ``left``)."""
    offset_from, offset_to = _offset(part, "TZOFFSETFROM"), _offset(part, "TZOFFSETTO")
    start_prop = part.get("DTSTART")
    if start_prop is None:
        raise ZoneError(f"its {part.name} part has no DTSTART")
    start = _wall(getattr(start_prop, "dt", None), offset_from)
    walls = {start}
    for recur in _all(part.get("RRULE")):
        walls.update(_rule_walls(recur, start, offset_from, str(part.name), left - len(walls)))
    for listed in _all(part.get("RDATE")):
        for item in getattr(listed, "dts", ()):
            walls.add(_wall(item.dt, offset_from))
    if len(walls) > left:
        raise _TooMany
    dst = offset_to - offset_from if part.name == "DAYLIGHT" else _ZERO
    name = str(part.get("TZNAME") or "") or None
    return [Change(wall, wall - offset_from, offset_to, dst, name) for wall in walls]


def file_zone(raw: RawComponent) -> FileZone:
    """The zone a VTIMEZONE describes.

    Raises :class:`ZoneError` when it cannot be read or followed within bounds.
    """
    tzid = raw.value("TZID") or "custom"
    left = MAX_CHANGES
    changes: list[Change] = []
    for child in raw.children:
        if child.name not in ("STANDARD", "DAYLIGHT"):
            continue
        try:
            part = icalendar.Component.from_ical(full_text(child))
            changes += _changes(part, left - len(changes))
        except _TooMany as error:
            raise ZoneError(f"it changes the time more than {left:,} times by {LAST_YEAR}"
                            ) from error
        except ZoneError:
            raise
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
            raise ZoneError(f"its {child.name} part cannot be read") from error
    if not changes:
        raise ZoneError("it describes no offset")
    changes.sort(key=lambda change: change.utc)
    first = changes[0]
    before = Change(first.wall, first.utc, first.wall - first.utc, _ZERO, first.name)
    return FileZone(tzid, changes, before)
