"""A repeating event imported as one post per date, exported as one repeating event again.

The imported series (``post_series``) becomes its master VEVENT: its own UID, DTSTART in
its zone, RRULE and RDATE as imported, EXDATE as imported plus every imported date whose
post is gone (deleted, undated, or made a repeating post of its own), and what the
event said (title, text, status, link, location, categories). Each post of the series
that differs from what the master implies for its date — another date or time, title,
text, status, link, location, categories or channels, or that has media or a first
comment (the master has none) — becomes a VEVENT of the same UID
with that date as RECURRENCE-ID; the others are the rule's. Dates the rule implies
outside the imported ones are simply the rule's, as the other calendar program expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, tzinfo

from socialdesk.core.calendar.ics_lines import Prop, Recur
from socialdesk.store.calendar_export import ExportChannel, ExportPost, ExportSeries
from socialdesk.store.post_series import SeriesValues
from socialdesk.store.vocabulary import POST_STATUSES

Moment = date | datetime


def post_status(word: str, day: str | None, has_body: bool, today: date) -> str:
    """The post status an event's status word gives a date (see ``core/calendar/importing``).

    SocialDesk's own exports carry the exact status in X-SOCIALDESK-STATUS, which the
    import prefers; it comes here as the word itself (IDEA, DRAFT, …).
    """
    if word.lower() in POST_STATUSES:
        return word.lower()
    if word == "CANCELLED":
        return "skipped"
    if word == "TENTATIVE":
        return "draft"
    if word == "CONFIRMED" and day is not None:
        return "published" if day < today.isoformat() else "scheduled"
    return "draft" if has_body else "idea"


def moment(value: str, zone: tzinfo | None) -> Moment:
    """A stored series value (``YYYYMMDD``, ``YYYYMMDDTHHMMSS`` in ``zone``, or with ``Z``)."""
    if len(value) == 8:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    wall = datetime.strptime(value[:15], "%Y%m%dT%H%M%S")
    return wall.replace(tzinfo=UTC if value.endswith("Z") or zone is None else zone)


def _placed_at(post: ExportPost, key: Moment, zone_of: Callable[[str | None], tzinfo]) -> bool:
    """Whether ``post`` is where the master puts the date ``key`` (to the minute)."""
    if not post.scheduled_on:
        return False
    if not isinstance(key, datetime):
        return post.scheduled_time is None and post.scheduled_on == key.isoformat()
    if post.scheduled_time is None:
        return False
    at = datetime.combine(date.fromisoformat(post.scheduled_on),
                          time.fromisoformat(post.scheduled_time), zone_of(post.timezone))
    return at == key.replace(second=0, microsecond=0)


def _status_as_master(post: ExportPost, series: SeriesValues) -> bool:
    """Whether the post's status is the one the series' status word gives its date.

    CONFIRMED gives scheduled or published, depending on whether the date was past when
    it was imported: either is the master's.
    """
    if series.status == "CONFIRMED":
        return post.status in ("scheduled", "published")
    # Any other word gives one status whatever the date (so no date and no today here).
    return post.status == post_status(series.status, None, bool(series.body.strip()), date.min)


def _same_as_master(post: ExportPost, series: SeriesValues) -> bool:
    named = ([post.campaign] if post.campaign else []) + list(post.topics)
    categories = {c.casefold() for c in named}
    channels = sorted((c.platform, c.body) for c in post.channels)
    return (
        post.title == series.title and post.body == series.body
        and post.link == series.link and post.location == series.location
        and categories == {c.casefold() for c in series.categories}
        and channels == sorted(series.channels or ())
        and _status_as_master(post, series)
        and not post.media and not post.first_comment.strip()
    )


def _master(kept: ExportSeries, posts: Sequence[ExportPost], start: Moment,
            zone: tzinfo | None, gone: list[Moment],
            event_of: Callable[[ExportPost], list[Prop] | None]) -> list[Prop]:
    """The master VEVENT: what a post of the series' text would be, at the series' start.

    Its time stamps are those of the series' posts (the first created, the last changed).
    """
    series = kept.values
    word = series.status
    template = ExportPost(
        id=0, uid=series.uid, title=series.title, body=series.body,
        status=word.lower() if word.lower() in POST_STATUSES else "",
        scheduled_on=(start.date() if isinstance(start, datetime) else start).isoformat(),
        scheduled_time=f"{start:%H:%M}" if isinstance(start, datetime) else None,
        timezone=series.timezone or "UTC", link=series.link, location=series.location,
        repeat_rule=None, repeat_until=None, evergreen_weeks=None, sequence=series.sequence,
        created_at=min(post.created_at for post in posts),
        updated_at=max(post.updated_at for post in posts),
        channels=tuple(ExportChannel(p, b) for p, b in series.channels or ()),
        topics=series.categories,
    )
    described = event_of(template)
    assert described is not None  # the template has a date
    times = dict(described)
    end = start + (times["DTEND"] - times["DTSTART"])  # type: ignore[operator]
    excluded = sorted({moment(value, zone) for value in series.exdates} | set(gone))
    props: list[Prop] = []
    for name, value in described:
        if name == "DTSTART":
            props.append((name, start))
        elif name == "DTEND":
            props.append((name, end))
            props += [("RRULE", Recur(rule)) for rule in series.rrules]
            if series.rdates:
                props.append(("RDATE", [moment(v, zone) for v in series.rdates]))
            if excluded:
                props.append(("EXDATE", excluded))
        elif name == "STATUS" and not template.status:
            if word in ("CONFIRMED", "TENTATIVE", "CANCELLED"):
                props.append((name, word))
        elif name != "X-SOCIALDESK-STATUS" or template.status:
            props.append((name, value))
    return props


def series_events(
    kept: ExportSeries,
    posts: Sequence[ExportPost],
    zone_of: Callable[[str | None], tzinfo],
    event_of: Callable[[ExportPost], list[Prop] | None],
) -> Iterator[list[Prop]]:
    """The master VEVENT of a series and one per post that differs from it.

    ``posts`` are the series' dated posts in the export that do not repeat of their own
    (at least one); ``zone_of`` resolves a zone name (``None``: the workspace's),
    ``event_of`` gives a post's own VEVENT properties.
    """
    series = kept.values
    zone = zone_of(series.timezone) if series.timezone else None
    start = moment(series.starts, zone)
    gone = [moment(value, zone) for value in series.occurrences if value not in kept.dated]
    yield _master(kept, posts, start, zone, gone, event_of)
    seen: set[str] = set()
    for post in posts:
        value = post.recurrence_id
        if value is None or value in seen:  # a second post of one date: an event of its own
            own = event_of(post)
            if own is not None:
                yield own
            continue
        seen.add(value)
        key = moment(value, zone)
        if _placed_at(post, key, zone_of) and _same_as_master(post, series):
            continue
        props = event_of(post)
        if props is None:
            continue
        props = [("UID", series.uid) if name == "UID" else (name, v) for name, v in props]
        props.insert(5, ("RECURRENCE-ID", key))
        yield props
