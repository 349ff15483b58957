"""Reading and writing the iCalendar objects of the calendar kinds, within bounds.

What SocialDesk needs beyond iCalendar travels in ``X-SOCIALDESK-*`` properties: plain
text, or JSON for nested data. A server's object is hostile input: its size, the size of
its JSON and its nesting are bounded, and every value is checked before it reaches the
store, so that a bad item raises :class:`SyncFormatError` and nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.core.calendar.ics import PRODID
from socialdesk.core.calendar.ics_lines import Prop, component_text, fold
from socialdesk.core.sync.kind import SyncFormatError, Value

if TYPE_CHECKING:
    import icalendar

MAX_TEXT = 1_000_000  # characters of one server object
MAX_JSON = 200_000  # characters of one X-SOCIALDESK-* JSON value
MAX_LIST = 10_000  # entries of one list in it
MAX_STRING = 100_000  # characters of one text field
MAX_COMPONENTS = 200  # one item, its time zones, alarms and changed dates
KIND_PROPERTY = "X-SOCIALDESK-KIND"
_UNESCAPE = re.compile(r"\\([\\;,nN])")


class Raw(str):
    """A property value already written as iCalendar wants it (a floating date-time)."""


def calendar_text(component: str, props: list[Prop], zones: tuple[str, ...] = (),
                  years: tuple[int, int] = (2000, 2040)) -> str:
    """A whole VCALENDAR object holding one component (and the VTIMEZONEs of ``zones``).

    The VTIMEZONEs cover ``years`` (first, last): the event's own span, since each year
    of rules costs every reader time.
    """
    head = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\n"
    timezones = "".join(_vtimezone(key, *years) for key in sorted(set(zones)))
    plain = [(name, value) for name, value in props if not isinstance(value, Raw)]
    body = component_text(component, plain)
    raw = "".join(fold(f"{name}:{value}") + "\r\n"
                  for name, value in props if isinstance(value, Raw))
    if raw:  # after BEGIN:component, before the rest: the order of properties is free
        first, _, rest = body.partition("\r\n")
        body = f"{first}\r\n{raw}{rest}"
    return head + timezones + body + "END:VCALENDAR\r\n"


@lru_cache(maxsize=256)
def _vtimezone(key: str, first: int, last: int) -> str:
    import icalendar

    zone = icalendar.Timezone.from_tzid(key, first_date=date(first, 1, 1),
                                        last_date=date(last + 1, 1, 1))
    return str(zone.to_ical().decode())


def parse_component(text: str, component: str, kind: str) -> icalendar.Component:
    """The one ``component`` of a server's VCALENDAR ``text``; :class:`SyncFormatError` else.

    A repeating event with changed dates (another program moved one) is read as its
    series: the components with a RECURRENCE-ID are left out.

    An ``X-SOCIALDESK-KIND`` naming another kind is refused too (the item is not ``kind``).
    """
    import icalendar

    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise SyncFormatError(f"a calendar object over {MAX_TEXT:,} characters")
    if text.upper().count("BEGIN:") > MAX_COMPONENTS:
        raise SyncFormatError(f"a calendar object of over {MAX_COMPONENTS} components")
    try:
        calendar = icalendar.Calendar.from_ical(_without_known_zones(text))
        found = [c for c in calendar.subcomponents if c.name == component]
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as error:
        raise SyncFormatError(f"not an iCalendar object: {error}") from None
    if len(found) > 1:  # a repeating event and its changed dates: the series is the item
        found = [c for c in found if c.get("RECURRENCE-ID") is None]
    if len(found) != 1:
        raise SyncFormatError(f"expected one {component}, found {len(found)}")
    comp = found[0]
    named = x_text(comp, KIND_PROPERTY)
    if named and named != kind:
        raise SyncFormatError(f"a {named}, not a {kind}")
    if not text_of(comp, "UID"):
        raise SyncFormatError(f"a {component} without a UID")
    return comp


_VTIMEZONE = re.compile(r"^BEGIN:VTIMEZONE\r?\n.*?^END:VTIMEZONE\r?\n", re.S | re.M)
_TZID = re.compile(r";TZID=\"?([^:;\"]*)")
_FOLD = re.compile(r"\r?\n[ \t]")


def _without_known_zones(text: str) -> str:
    """``text`` without its VTIMEZONEs when every TZID is a zone zoneinfo knows.

    ``icalendar`` takes such a zone from zoneinfo anyway, and parsing the VTIMEZONE
    would be half the work of reading a post. A zone of its own keeps its VTIMEZONE.
    """
    if "BEGIN:VTIMEZONE" not in text:
        return text
    for name in set(_TZID.findall(_FOLD.sub("", text))):
        if _zone(name) is None:
            return text
    return _VTIMEZONE.sub("", text)


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def kind_named(text: str) -> str | None:
    """The ``X-SOCIALDESK-KIND`` of a server's object, without parsing it all (or None)."""
    match = re.search(r"^X-SOCIALDESK-KIND:([a-z]+)\r?$", text[:MAX_TEXT], re.M)
    return match.group(1) if match else None


def kind_of_text(text: str) -> str | None:
    """The name of the kind that reads a server's calendar object, or None: not ours.

    ``X-SOCIALDESK-KIND`` when SocialDesk wrote it (None for a kind a newer SocialDesk
    carries: left alone); else another program's event is a post (a phone's new event
    becomes an idea), and its to-dos and journal entries are the user's own business,
    left alone.
    """
    named = kind_named(text)
    if named is not None:
        return named if named in ("post", "ask", "campaign", "settings") else None
    return "post" if "BEGIN:VEVENT" in text[:MAX_TEXT].upper() else None


def text_of(comp: icalendar.Component, name: str) -> str:
    """A TEXT property's value ('' when absent); a list-valued one's first."""
    value = comp.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    text = "" if value is None else str(value)
    return checked_text(text, name)


def checked_text(text: str, name: str) -> str:
    """``text`` if it is a string within :data:`MAX_STRING`; :class:`SyncFormatError` else."""
    if not isinstance(text, str) or len(text) > MAX_STRING:
        raise SyncFormatError(f"{name} is not text of at most {MAX_STRING:,} characters")
    return text


def x_text(comp: icalendar.Component, name: str) -> str | None:
    """An ``X-`` property's text, unescaped (None when absent)."""
    value = comp.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0]
    raw = value.to_ical() if hasattr(value, "to_ical") else value
    raw = raw.decode() if isinstance(raw, bytes) else str(raw)
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def x_json(comp: icalendar.Component, name: str) -> Any:
    """An ``X-`` property's JSON value (None when absent), within bounds."""
    text = x_text(comp, name)
    if text is None:
        return None
    if len(text) > MAX_JSON:
        raise SyncFormatError(f"{name} holds over {MAX_JSON:,} characters")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise SyncFormatError(f"{name} is not JSON") from None


def as_json(value: Value) -> str:
    """A compact, stable JSON text for an ``X-`` property."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# --- checks of values read from a server --------------------------------------------------

def opt_text(value: Any, name: str) -> str | None:
    """``value`` if it is None or text within bounds."""
    return None if value is None else checked_text(value, name)


def iso_day(value: Any, name: str, *, optional: bool = True) -> str | None:
    """``value`` if it is an ISO date (``YYYY-MM-DD``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise SyncFormatError(f"{name} is not a date: {str(value)[:40]!r}")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise SyncFormatError(f"{name} is not a date: {value!r}") from None
    return value


def clock(value: Any, name: str) -> str | None:
    """``value`` if it is a time of day (``HH:MM`` or ``HH:MM:SS``)."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) not in (5, 8):
        raise SyncFormatError(f"{name} is not a time of day: {str(value)[:40]!r}")
    try:
        time.fromisoformat(value)
    except ValueError:
        raise SyncFormatError(f"{name} is not a time of day: {value!r}") from None
    return value


def count(value: Any, name: str, *, low: int = 0) -> int | None:
    """``value`` if it is None or a whole number ≥ ``low`` that SQLite can store."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < 2**62:
        raise SyncFormatError(f"{name} is not a whole number ≥ {low}: {str(value)[:40]!r}")
    return value


def number(value: Any, name: str, low: float = 0.0, high: float = 1e18) -> float | None:
    """``value`` if it is None or a finite number in [low, high] (kept as stored)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise SyncFormatError(f"{name} is not a number in {low}–{high}: {str(value)[:40]!r}")
    return value


def one_of(value: Any, choices: tuple[str, ...], name: str) -> str:
    """``value`` if it is one of ``choices``."""
    if value not in choices:
        raise SyncFormatError(f"{name} is not one of {', '.join(choices)}: {str(value)[:40]!r}")
    return str(value)


def items_of(value: Any, name: str, read: Callable[[dict[str, Any]], dict[str, Any]]
             ) -> list[dict[str, Any]]:
    """A JSON list of objects, each checked by ``read`` (None: an empty list)."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise SyncFormatError(f"{name} is not a list of at most {MAX_LIST:,} entries")
    if not all(isinstance(entry, dict) for entry in value):
        raise SyncFormatError(f"{name} holds something other than objects")
    try:
        return [read(entry) for entry in value]
    except KeyError as error:
        raise SyncFormatError(f"{name}: an entry lacks {error}") from None


def unique(entries: list[dict[str, Any]], key: tuple[str, ...], name: str) -> None:
    """Raise :class:`SyncFormatError` when two ``entries`` have the same ``key`` values."""
    seen = {tuple(entry[k] for k in key) for entry in entries}
    if len(seen) != len(entries):
        raise SyncFormatError(f"{name}: the same {' and '.join(key)} twice")


def day_of(value: object, name: str) -> date:
    """A decoded DATE or DATE-TIME property value as the day it is on (its own zone)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise SyncFormatError(f"{name} is not a date")
