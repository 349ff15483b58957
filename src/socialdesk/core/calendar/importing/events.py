"""One event (with its overrides) or to-do of a calendar file → posts.

The mapping is described in the package docstring (``core/calendar/importing``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from dateutil.relativedelta import relativedelta

from socialdesk.core.calendar.ics_series import post_status as status
from socialdesk.core.calendar.importing import recurrence
from socialdesk.core.calendar.importing.model import Channel, ParsedPost
from socialdesk.core.calendar.importing.reader import RawComponent
from socialdesk.core.calendar.importing.recurrence import Repeat, RuleError, Wall
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
        self.uid = str(_first(self.comp, "UID") or "").strip() or _made_up_uid(self.raw)
        self.sequence = _sequence(self.comp)
        self.modified = _stamp(_first(self.comp, "LAST-MODIFIED"))

    @property
    def is_override(self) -> bool:
        """Whether this is one changed occurrence of a recurring event."""
        return _first(self.comp, "RECURRENCE-ID") is not None

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


def _first(comp: icalendar.Component, name: str) -> Any:
    value = comp.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _all(comp: icalendar.Component, name: str) -> list[Any]:
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
        return max(0, min(int(_first(comp, "SEQUENCE") or 0), _MAX_SEQUENCE))
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
    value = _first(comp, name)
    if isinstance(value, bytes):  # icalendar keeps unknown X- properties as bytes
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _categories(comp: icalendar.Component) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for prop in _all(comp, "CATEGORIES"):
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
    return Fields(
        title=title,
        body=body,
        link=url or described.link or "",
        location=location,
        categories=_categories(comp),
        channels=described.channels,
        status=(_text(comp, "X-SOCIALDESK-STATUS") or _text(comp, "STATUS")).strip().upper(),
        created=_stamp(_first(comp, "CREATED")),
        modified=source.modified,
        sequence=source.sequence,
    )


def _zone_note(ctx: Context, line: int, zone: Zone) -> Zone:
    if zone.note:
        ctx.note(line, zone.note, once=True)  # at the first event that uses the zone
    return zone


def when(source: Source, name: str, ctx: Context) -> When | None:
    """Where property ``name`` (DTSTART, DUE) puts the event, as written."""
    prop = _first(source.comp, name)
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


def _wall_in(value: Any, params: Any, start: When, ctx: Context) -> Wall | None:
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


def _at_start_time(wall: Wall, start: When) -> Wall:
    """A bare date given for a timed event, at the event's time of day."""
    if isinstance(start.wall, datetime) and not isinstance(wall, datetime):
        return datetime.combine(wall, start.wall.time())
    return wall


def _walls(source: Source, name: str, start: When, ctx: Context) -> set[Wall]:
    found: set[Wall] = set()
    for prop in _all(source.comp, name):
        params = getattr(prop, "params", None)
        for item in getattr(prop, "dts", ()):
            wall = _wall_in(item.dt, getattr(item, "params", None) or params, start, ctx)
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
        recurrence_id=recurrence_id,
    )


def todo_post(source: Source, ctx: Context) -> ParsedPost:
    """An idea post for a to-do, on its DUE date (else its start, else undated)."""
    start = when(source, "DUE", ctx) or when(source, "DTSTART", ctx)
    return make_post(source, fields(source, ctx, "to-do"), start, ctx, source.uid, todo=True)


def _until(recur: Any, start: When, ctx: Context) -> Wall | None:
    """A rule's UNTIL in ``start``'s wall clock."""
    value = recur.get("UNTIL")
    if isinstance(value, list):
        value = value[0] if value else None
    return _wall_in(value, None, start, ctx)


def _match(walls: set[Wall], key: Wall) -> Wall | None:
    """``key`` among ``walls``, or the occurrence on the same day when only a date is given."""
    if key in walls:
        return key
    if not isinstance(key, datetime):
        return next((w for w in sorted(walls) if isinstance(w, datetime) and w.date() == key), None)
    return None


def series(master: Source, overrides: list[Source], ctx: Context) -> list[ParsedPost] | None:
    """The posts of an event and its overrides; ``None`` when it has no start.

    A series kept as a SocialDesk repeat is one post. Another is expanded for
    ``ctx.years`` from ``ctx.since`` (or from its start, when later): none of its dates
    before then is imported, so ``[]`` when it has none from then on.
    """
    start = when(master, "DTSTART", ctx)
    if start is None:
        return None
    data = fields(master, ctx, "event")
    recurs = _all(master.comp, "RRULE")
    rdates = {_at_start_time(w, start) for w in _walls(master, "RDATE", start, ctx)}
    if not recurs and not rdates and not overrides:
        return [make_post(master, data, start, ctx, master.uid)]
    written = list(recurs)
    if ctx.occurrences_left <= 0 and not (len(recurs) == 1 and recurrence.may_be_repeat(recurs[0])):
        if recurs:
            _budget_spent(master, ctx)
        recurs = []  # not worth reading: it would not be expanded
    rules = []
    try:
        rules = [recurrence.build_rule(r, start.wall, _until(r, start, ctx)) for r in recurs]
    except RuleError as error:
        ctx.note(master.line_of("RRULE"), f"the repeat rule cannot be followed ({error}); "
                 "only the first occurrence and the listed dates were imported.")
    if not rules and not rdates and not overrides:
        return [make_post(master, data, start, ctx, master.uid)]
    exdates = _walls(master, "EXDATE", start, ctx)
    keepable = start.zone is None or start.zone.key is not None or start.zone.tz is None
    if len(rules) == 1 and not rdates and not exdates and not overrides and keepable:
        until = _until(recurs[0], start, ctx)
        repeat = recurrence.as_repeat(recurs[0], start.wall, rules[0], until)
        if repeat is not None:
            return [make_post(master, data, start, ctx, master.uid, repeat)]
    begin = _window_start(start.wall, ctx.since)
    try:
        end: Wall = begin + relativedelta(years=ctx.years)
    except (ValueError, OverflowError):  # near the year 9999
        end = datetime.max if isinstance(start.wall, datetime) else date.max
    # The rule is kept (exported as it is) when it was followed and its zone is known.
    kept = len(rules) == len(written) and ctx.occurrences_left > 0 and (
        start.zone is None or start.zone.key is not None or start.zone.tz is UTC)
    try:
        walls, more = _expand(master, start, rules, begin, end, ctx)
    except RuleError as error:
        ctx.note(master.line_of("RRULE"), f"the repeat rule cannot be followed ({error}); "
                 f"only its first and listed dates from {as_day(begin)} on were imported.")
        walls, more = ([start.wall] if start.wall >= begin else []), False
        kept = False
    occurring = set(walls) | rdates
    excluded = set()
    for exdate in exdates:
        found = _match(occurring, exdate)
        excluded.add(found if found is not None else _at_start_time(exdate, start))
        if found is not None:
            occurring.discard(found)
    changed: dict[Wall, Source] = {}
    for override in sorted(overrides, key=lambda o: o.sequence):
        rid = _first(override.comp, "RECURRENCE-ID")
        key = _wall_in(rid.dt, rid.params, start, ctx)
        if key is None:
            continue
        key = _match(occurring, key) or _at_start_time(key, start)
        occurring.add(key)
        changed[key] = override
    floor = ctx.since if not isinstance(start.wall, datetime) else \
        datetime.combine(ctx.since, time())  # listed dates may come before the start
    occurring = {key for key in occurring if key >= floor}
    if not occurring:
        return []
    if more:
        ctx.note(master.raw.line, f"“{data.title}” repeats beyond {as_day(end)}: only the "
                 f"occurrences until then were imported, each as its own post.")
    keys = sorted(occurring)
    posts = _occurrence_posts(master, data, start, keys, changed, ctx, kept)
    if kept:
        ctx.masters.append(SeriesValues(
            uid=master.uid, starts=rid_value(start.wall, start),
            timezone=start.zone.key if start.zone else None,
            rrules=tuple(r.to_ical().decode() for r in written),
            rdates=tuple(rid_value(w, start) for w in sorted(rdates)),
            exdates=tuple(rid_value(w, start) for w in sorted(excluded)),
            occurrences=tuple(rid_value(key, start) for key in keys),
            sequence=data.sequence, modified=data.modified, title=data.title, body=data.body,
            status=data.status, link=data.link, location=data.location,
            categories=data.categories, channels=data.channels,
        ))
    return posts


def rid_value(wall: Wall, start: When) -> str:
    """A date of a series as its RECURRENCE-ID value, in the form of its DTSTART.

    ``YYYYMMDD`` all day, else ``YYYYMMDDTHHMMSS`` in the start's zone (``Z`` added in UTC).
    """
    if not isinstance(wall, datetime):
        return f"{wall:%Y%m%d}"
    utc = start.zone is not None and start.zone.key is None and start.zone.tz is UTC
    return f"{wall:%Y%m%dT%H%M%S}" + ("Z" if utc else "")


def _window_start(start: Wall, since: date) -> Wall:
    """Where expanding a series starting at ``start`` begins: ``since``, or ``start`` if later."""
    day = start.date() if isinstance(start, datetime) else start
    if day >= since:
        return start
    return datetime.combine(since, time()) if isinstance(start, datetime) else since


def _expand(
    master: Source, start: When, rules: list[Any], begin: Wall, end: Wall, ctx: Context
) -> tuple[list[Wall], bool]:
    """The occurrences of ``rules`` from ``begin`` within what is left of the file's budget."""
    budget = ctx.occurrences_left
    if budget <= 0 and rules:
        _budget_spent(master, ctx)
        rules = []  # only the first date (and the listed ones) from here on
    cap = max(1, min(recurrence.MAX_OCCURRENCES, budget))
    allowed = min(recurrence.MAX_PASSED, ctx.passed_left)
    try:
        walls, more, passed = recurrence.occurrences(start.wall, rules, end, cap, first=begin,
                                                     may_pass=allowed)
    except RuleError:
        ctx.passed_left -= allowed
        if allowed < recurrence.MAX_PASSED:
            raise RuleError(f"the file's repeating events are too many to follow from their "
                            f"first dates up to {as_day(begin)}") from None
        raise
    ctx.passed_left -= passed
    ctx.occurrences_left -= len(walls)
    if more and cap == budget < recurrence.MAX_OCCURRENCES and len(walls) >= cap:
        _budget_spent(master, ctx)
        more = False  # cut by the file's budget, not by the window
    return walls, more


def _budget_spent(master: Source, ctx: Context) -> None:
    ctx.note(master.raw.line, f"the file's repeating events make more than "
             f"{recurrence.MAX_FILE_OCCURRENCES:,} posts: from this one on, only the "
             "first date and the listed dates of each were imported.", once=True)


def as_day(value: Wall) -> str:
    """The ISO date of a wall-clock value."""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _occurrence_posts(
    master: Source, data: Fields, start: When, keys: list[Wall],
    changed: dict[Wall, Source], ctx: Context, kept: bool,
) -> list[ParsedPost]:
    """A post per date of a series; ``kept``: each names its series and date in it."""
    days = [as_day(key) for key in keys]
    with_time = len(set(days)) < len(days)
    posts = []
    for key, day in zip(keys, days, strict=True):
        suffix = f"{day}T{key:%H%M%S}" if with_time and isinstance(key, datetime) else day
        uid = f"{master.uid}/{suffix}"
        series_uid, rid = (master.uid, rid_value(key, start)) if kept else (None, None)
        override = changed.get(key)
        if override is None:
            posts.append(make_post(master, data, When(key, start.zone), ctx, uid,
                                   series_uid=series_uid, recurrence_id=rid))
            continue
        own = fields(override, ctx, "event")
        if own.status == "CANCELLED":
            continue
        moved = when(override, "DTSTART", ctx) or When(key, start.zone)
        posts.append(make_post(override, own, moved, ctx, uid, series_uid=series_uid,
                               recurrence_id=rid))
    return posts


def orphan(override: Source, ctx: Context) -> ParsedPost | None:
    """A changed occurrence whose recurring event is not in the file: a post of its own."""
    start = when(override, "DTSTART", ctx)
    rid = when(override, "RECURRENCE-ID", ctx)
    if start is None or rid is None:
        return None
    uid = f"{override.uid}/{as_day(rid.wall)}"
    return make_post(override, fields(override, ctx, "event"), start, ctx, uid)

