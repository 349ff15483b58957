"""A repeating event of a calendar file, with its overrides → posts.

A series SocialDesk can keep as a repeat is one post; any other is expanded into a post
per occurrence (within the file's budget and the import's window), each changed
occurrence taken from its override. The mapping is described in the package docstring
(``core/calendar/importing``); one event's fields and dates are read in ``events.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from dateutil.relativedelta import relativedelta

from socialdesk.core.calendar.importing import recurrence
from socialdesk.core.calendar.importing.events import (
    Context,
    Fields,
    Source,
    When,
    all_values,
    at_start_time,
    fields,
    first_value,
    make_post,
    wall_in,
    walls_of,
    when,
)
from socialdesk.core.calendar.importing.model import ParsedPost
from socialdesk.core.calendar.importing.recurrence import RuleError, Wall
from socialdesk.store.post_series import SeriesValues


def _until(recur: Any, start: When, ctx: Context) -> Wall | None:
    """A rule's UNTIL in ``start``'s wall clock."""
    value = recur.get("UNTIL")
    if isinstance(value, list):
        value = value[0] if value else None
    return wall_in(value, None, start, ctx)


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
    recurs = all_values(master.comp, "RRULE")
    rdates = {at_start_time(w, start) for w in walls_of(master, "RDATE", start, ctx)}
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
    exdates = walls_of(master, "EXDATE", start, ctx)
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
        excluded.add(found if found is not None else at_start_time(exdate, start))
        if found is not None:
            occurring.discard(found)
    changed: dict[Wall, Source] = {}
    for override in sorted(overrides, key=lambda o: o.sequence):
        rid = first_value(override.comp, "RECURRENCE-ID")
        key = wall_in(rid.dt, rid.params, start, ctx)
        if key is None:
            continue
        key = _match(occurring, key) or at_start_time(key, start)
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

