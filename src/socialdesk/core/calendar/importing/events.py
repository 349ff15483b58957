"""One event or to-do of a calendar file → its fields, its dates and a post.

The mapping is described in the package docstring (``core/calendar/importing``). A
repeating event with its overrides becomes posts in ``series_posts.py``, with the
readers of fields and dates here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from socialdesk.core.calendar.ics_series import post_status as status
from socialdesk.core.calendar.importing import recurrence
from socialdesk.core.calendar.importing.media import Media
from socialdesk.core.calendar.importing.model import Channel, ParsedPost
from socialdesk.core.calendar.importing.reader import RawComponent
from socialdesk.core.calendar.importing.recurrence import Repeat, Wall
from socialdesk.core.calendar.importing.text import fallback_title, split_description
from socialdesk.core.calendar.importing.zones import Zone, ZoneResolver
from socialdesk.core.import_results import Problem
from socialdesk.store.post_series import SeriesValues

_FLOATING = Zone(None, None)
_UTC = Zone(UTC, None)
_MAX_SEQUENCE = 2**31 - 1


@dataclass(slots=True)
class Context:
    """What converting the events of one file needs to know, and what it noticed."""

    path: Path | str
    default: ZoneInfo
    today: date
    years: int
    zones: ZoneResolver
    since: date  # a series is expanded from this day (or its own start, if later) on
    ours: bool = False
    problems: list[Problem] = field(default_factory=list)
    occurrences_left: int = field(default_factory=lambda: recurrence.MAX_FILE_OCCURRENCES)
    passed_left: int = field(default_factory=lambda: recurrence.MAX_FILE_PASSED)
    masters: list[SeriesValues] = field(default_factory=list)  # the series kept whole
    _noted: set[tuple[int, str]] = field(default_factory=set)

    def note(self, line: int, message: str, *, once: bool = False) -> None:
        """Add a problem once per line and message (``once``: once per message)."""
        key = (0 if once else line, message)
        if key not in self._noted:
            self._noted.add(key)
            self.problems.append(Problem(line, message))


@dataclass(frozen=True, slots=True)
class When:
    """A start as written: wall-clock time in ``zone`` (``zone`` None: all day)."""

    wall: Wall
    zone: Zone | None


@dataclass(slots=True)
class Source:
    """One VEVENT or VTODO, parsed, with what grouping it needs."""

    raw: RawComponent
    comp: icalendar.Component
    uid: str = ""
    sequence: int = 0
    modified: str | None = None

    def __post_init__(self) -> None:
        self.uid = str(first_value(self.comp, "UID") or "").strip() or _made_up_uid(self.raw)
        self.sequence = _sequence(self.comp)
        self.modified = _stamp(first_value(self.comp, "LAST-MODIFIED"))

    @property
    def is_override(self) -> bool:
        """Whether this is one changed occurrence of a recurring event."""
        return first_value(self.comp, "RECURRENCE-ID") is not None

    def line_of(self, name: str) -> int:
        """The line of property ``name`` (the component's BEGIN line if absent)."""
        line = self.raw.first(name)
        return line.number if line else self.raw.line


@dataclass(frozen=True, slots=True)
class Fields:
    """The parts of a post that do not depend on its date."""

    title: str
    body: str
    link: str
    location: str
    categories: tuple[str, ...]
    channels: tuple[Channel, ...] | None
    status: str
    created: str | None
    modified: str | None
    sequence: int
    first_comment: str | None = None
    media: tuple[Media, ...] | None = None


def first_value(comp: icalendar.Component, name: str) -> Any:
    """The first value of property ``name`` of ``comp`` (None when absent)."""
    value = comp.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def all_values(comp: icalendar.Component, name: str) -> list[Any]:
    """Every value of property ``name`` of ``comp`` (its lines, in order)."""
    value = comp.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def group_key(raw: RawComponent) -> str:
    """The UID of an event as written (unparsed), to group a series before parsing it."""
    line = raw.first("UID")
    uid = line.text.partition(":")[2].strip() if line is not None else ""
    return uid or _made_up_uid(raw)


def _made_up_uid(raw: RawComponent) -> str:
    """A stable UID for an event without one, so that importing it again matches."""
    parts = [raw.value(name) for name in ("SUMMARY", "DTSTART", "RECURRENCE-ID", "DESCRIPTION")]
    digest = hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"import-{digest[:20]}@socialdesk"


def _sequence(comp: icalendar.Component) -> int:
    try:
        return max(0, min(int(first_value(comp, "SEQUENCE") or 0), _MAX_SEQUENCE))
    except (TypeError, ValueError):
        return 0


def _stamp(prop: Any) -> str | None:
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        value = value.astimezone(UTC) if value.tzinfo else value
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00Z"
    return None


def _text(comp: icalendar.Component, name: str) -> str:
    value = first_value(comp, name)
    if isinstance(value, bytes):  # icalendar keeps unknown X- properties as bytes
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _categories(comp: icalendar.Component) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for prop in all_values(comp, "CATEGORIES"):
        for item in getattr(prop, "cats", ()):
            name = str(item).strip()
            if name:
                seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


def fields(source: Source, ctx: Context, kind: str) -> Fields:
    """Title, body, link, categories, channels and status word of an event or to-do."""
    comp = source.comp
    summary = _text(comp, "SUMMARY")
    url = _text(comp, "URL").strip()
    described = split_description(_text(comp, "DESCRIPTION"), summary, url, ours=ctx.ours)
    body = described.body if ctx.ours else described.body.strip()
    title = described.title or (summary if summary.strip() else fallback_title(body, kind))
    if not ctx.ours:
        title = title.strip()
    location = _text(comp, "LOCATION").strip()
    for note in described.notes:
        ctx.note(source.line_of("DESCRIPTION"), note)
    return Fields(
        title=title,
        body=body,
        link=url or described.link or "",
        location=location,
        categories=_categories(comp),
        channels=described.channels,
        status=(_text(comp, "X-SOCIALDESK-STATUS") or _text(comp, "STATUS")).strip().upper(),
        created=_stamp(first_value(comp, "CREATED")),
        modified=source.modified,
        sequence=source.sequence,
        first_comment=described.first_comment,
        media=described.media,
    )


def _zone_note(ctx: Context, line: int, zone: Zone) -> Zone:
    if zone.note:
        ctx.note(line, zone.note, once=True)  # at the first event that uses the zone
    return zone


def when(source: Source, name: str, ctx: Context) -> When | None:
    """Where property ``name`` (DTSTART, DUE) puts the event, as written."""
    prop = first_value(source.comp, name)
    value = getattr(prop, "dt", None)
    if isinstance(value, tuple):  # a PERIOD
        value = value[0]
    if isinstance(value, datetime):
        tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
        wall = value.replace(tzinfo=None)
        if tzid:
            zone = ctx.zones.resolve(str(tzid), wall)
            return When(wall, _zone_note(ctx, source.line_of(name), zone))
        if value.tzinfo is not None:
            return When(value.astimezone(UTC).replace(tzinfo=None), _UTC)
        return When(wall, _FLOATING)
    if isinstance(value, date):
        return When(value, None)
    return None


def _convert(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` in ``zone``; unchanged when that falls off the calendar (year 1 or 9999)."""
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError):
        return moment


def wall_in(value: Any, params: Any, start: When, ctx: Context) -> Wall | None:
    """A date or date-time (EXDATE, RDATE, RECURRENCE-ID, UNTIL) in ``start``'s wall clock."""
    if isinstance(value, tuple):
        value = value[0]
    if isinstance(value, datetime):
        tzid = params.get("TZID") if params is not None else None
        moment = value
        if tzid:
            zone = ctx.zones.resolve(str(tzid), value.replace(tzinfo=None))
            moment = value.replace(tzinfo=zone.tz)
        target = start.zone.tz if start.zone is not None else None
        if moment.tzinfo is not None and target is not None:
            moment = _convert(moment, target)
        moment = moment.replace(tzinfo=None)
        return moment.date() if start.zone is None else moment
    if isinstance(value, date):
        return value
    return None


def at_start_time(wall: Wall, start: When) -> Wall:
    """A bare date given for a timed event, at the event's time of day."""
    if isinstance(start.wall, datetime) and not isinstance(wall, datetime):
        return datetime.combine(wall, start.wall.time())
    return wall


def walls_of(source: Source, name: str, start: When, ctx: Context) -> set[Wall]:
    """The dates of the list property ``name`` (RDATE, EXDATE) in ``start``'s wall clock."""
    found: set[Wall] = set()
    for prop in all_values(source.comp, name):
        params = getattr(prop, "params", None)
        for item in getattr(prop, "dts", ()):
            wall = wall_in(item.dt, getattr(item, "params", None) or params, start, ctx)
            if wall is not None:
                found.add(wall)
    return found


def place(start: When, ctx: Context) -> tuple[str, str | None, str | None]:
    """``(scheduled_on, scheduled_time, timezone)`` of a start."""
    wall = start.wall
    if not isinstance(wall, datetime) or start.zone is None:
        return wall.isoformat(), None, None
    zone = start.zone
    if zone.tz is not None and zone.key is None:
        try:
            moved = wall.replace(tzinfo=zone.tz).astimezone(ctx.default)
        except (OverflowError, ValueError):  # off the calendar: keep the time as written
            return wall.date().isoformat(), f"{wall:%H:%M}", None
        return moved.date().isoformat(), f"{moved:%H:%M}", ctx.default.key
    return wall.date().isoformat(), f"{wall:%H:%M}", zone.key


def make_post(
    source: Source, data: Fields, start: When | None, ctx: Context, uid: str,
    repeat: Repeat | None = None, *, todo: bool = False, series_uid: str | None = None,
    recurrence_id: str | None = None,
) -> ParsedPost:
    """A post from its fields and (optional) start (a date ``recurrence_id`` of a series)."""
    on, at, zone = place(start, ctx) if start is not None else (None, None, None)
    if todo:
        post_status = "skipped" if data.status == "CANCELLED" else "idea"
    else:
        post_status = status(data.status, on, bool(data.body.strip()), ctx.today)
    return ParsedPost(
        line=source.raw.line, uid=uid, title=data.title, body=data.body, status=post_status,
        scheduled_on=on, scheduled_time=at, timezone=zone, link=data.link, location=data.location,
        repeat_rule=repeat.rule if repeat else None,
        repeat_until=repeat.until.isoformat() if repeat and repeat.until else None,
        evergreen_weeks=repeat.evergreen_weeks if repeat else None,
        sequence=data.sequence, categories=data.categories, channels=data.channels,
        created=data.created, modified=data.modified, series_uid=series_uid,
        recurrence_id=recurrence_id, first_comment=data.first_comment, media=data.media,
    )


def todo_post(source: Source, ctx: Context) -> ParsedPost:
    """An idea post for a to-do, on its DUE date (else its start, else undated)."""
    start = when(source, "DUE", ctx) or when(source, "DTSTART", ctx)
    return make_post(source, fields(source, ctx, "to-do"), start, ctx, source.uid, todo=True)
