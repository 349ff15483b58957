"""A repeating event imported as one post per date, exported as one repeating event again.

The imported series (``post_series``) becomes its master VEVENT: its own UID, DTSTART in
its zone, RRULE and RDATE as imported, EXDATE as imported plus every imported date whose
post is gone (deleted, undated, or made a repeating post of its own), and what the
event said (title, text, status, link, location, categories). Each post of the series
that differs from what the master implies for its date — another date or time, title,
text, status, link, location, categories or channels — becomes a VEVENT of the same UID
with that date as RECURRENCE-ID; the others are the rule's. Dates the rule implies
outside the imported ones are simply the rule's, as the other calendar program expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from socialdesk.core.calendar.ics import (
    DEFAULT_DURATION,
    STATUS,
    description,
    one_line,
    stamp,
)
from socialdesk.core.calendar.ics_lines import Prop, Recur, Uri, uri_value
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


def _same_as_master(post: ExportPost, series: SeriesValues, today: date) -> bool:
    named = ([post.campaign] if post.campaign else []) + list(post.topics)
    categories = {c.casefold() for c in named}
    channels = sorted((c.platform, c.body) for c in post.channels)
    return (
        post.title == series.title and post.body == series.body
        and post.link == series.link and post.location == series.location
        and categories == {c.casefold() for c in series.categories}
        and channels == sorted(series.channels or ())
        and post.status == post_status(series.status, post.scheduled_on,
                                       bool(series.body.strip()), today)
    )


def _master(series: SeriesValues, posts: Sequence[ExportPost], start: Moment,
            zone: tzinfo | None, gone: list[Moment]) -> list[Prop]:
    end = start + (DEFAULT_DURATION if isinstance(start, datetime) else timedelta(days=1))
    modified = max(stamp(post.updated_at) for post in posts)
    props: list[Prop] = [
        ("UID", series.uid),
        ("DTSTAMP", modified),
        ("CREATED", min(stamp(post.created_at) for post in posts)),
        ("LAST-MODIFIED", modified),
        ("SEQUENCE", series.sequence),
        ("DTSTART", start),
        ("DTEND", end),
    ]
    props += [("RRULE", Recur(rule)) for rule in series.rrules]
    if series.rdates:
        props.append(("RDATE", [moment(value, zone) for value in series.rdates]))
    excluded = sorted({moment(value, zone) for value in series.exdates} | set(gone))
    if excluded:
        props.append(("EXDATE", excluded))
    props.append(("SUMMARY", one_line(series.title)))
    word = series.status
    if word.lower() in POST_STATUSES:
        props += [("STATUS", STATUS[word.lower()]), ("X-SOCIALDESK-STATUS", word.lower())]
    elif word in ("CONFIRMED", "TENTATIVE", "CANCELLED"):
        props.append(("STATUS", word))
    template = ExportPost(
        id=0, uid=series.uid, title=series.title, body=series.body, status="",
        scheduled_on=None, scheduled_time=None, timezone=None, link=series.link,
        location=series.location, repeat_rule=None, repeat_until=None, evergreen_weeks=None,
        sequence=series.sequence, created_at="", updated_at="",
        channels=tuple(ExportChannel(p, b) for p, b in series.channels or ()),
    )
    text = description(template)
    if text:
        props.append(("DESCRIPTION", text))
    if series.categories:
        props.append(("CATEGORIES", list(series.categories)))
    if series.link:
        props.append(("URL", Uri(uri_value(series.link))))
    if series.location:
        props.append(("LOCATION", series.location))
    props.append(("TRANSP", "TRANSPARENT"))
    return props


def series_events(
    kept: ExportSeries,
    posts: Sequence[ExportPost],
    zone_of: Callable[[str | None], tzinfo],
    event_of: Callable[[ExportPost], list[Prop] | None],
    today: date,
) -> Iterator[list[Prop]]:
    """The master VEVENT of a series and one per post that differs from it.

    ``posts`` are the series' dated posts in the export that do not repeat of their own
    (at least one); ``zone_of`` resolves a zone name (``None``: the workspace's),
    ``event_of`` gives a post's own VEVENT properties.
    """
    series = kept.values
    zone = zone_of(series.timezone) if series.timezone else None
    start = moment(series.starts, zone)
    by_date = {post.recurrence_id: post for post in posts if post.recurrence_id}
    gone = [moment(value, zone) for value in series.occurrences if value not in kept.dated]
    yield _master(series, posts, start, zone, gone)
    for value, post in by_date.items():
        key = moment(value, zone)
        if _placed_at(post, key, zone_of) and _same_as_master(post, series, today):
            continue
        props = event_of(post)
        if props is None:
            continue
        props = [("UID", series.uid) if name == "UID" else (name, v) for name, v in props]
        props.insert(5, ("RECURRENCE-ID", key))
        yield props
