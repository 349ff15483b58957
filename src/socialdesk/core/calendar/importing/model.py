"""What reading a calendar file hands back: posts to write, problems, counts."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.core.calendar.importing.media import Media
from socialdesk.core.import_results import Problem
from socialdesk.store.post_series import SeriesValues

Channel = tuple[str, str | None]  # (platform, own text or None for the post's body)


@dataclass(frozen=True, slots=True)
class ParsedPost:
    """One post read from a calendar file, before it meets the workspace.

    ``line`` is where its event (or to-do) begins. ``categories`` become the campaign
    (the first that names an existing campaign) and topics when the post is written.
    ``channels`` is ``None`` when the file says nothing about channels (any calendar
    but SocialDesk's own), so that re-importing leaves the channels a user chose alone.
    ``modified`` is LAST-MODIFIED as a UTC timestamp (``YYYY-MM-DDTHH:MM:SSZ``).
    ``campaign`` is the campaign a CSV row names (made when missing; ``""``: none), and
    then ``categories`` are all topics; ``None`` (an .ics file): see ``categories``.
    ``first_comment`` and ``media`` (``(path, alt text)`` in order) are ``None`` when the
    file says nothing of them (another program's, or an older SocialDesk's), so that
    importing it again keeps the post's.
    """

    line: int
    uid: str
    title: str
    body: str = ""
    status: str = "idea"
    scheduled_on: str | None = None
    scheduled_time: str | None = None
    timezone: str | None = None
    link: str = ""
    location: str = ""
    repeat_rule: str | None = None
    repeat_until: str | None = None
    evergreen_weeks: int | None = None
    sequence: int = 0
    categories: tuple[str, ...] = ()
    channels: tuple[Channel, ...] | None = None
    created: str | None = None
    modified: str | None = None
    series_uid: str | None = None
    recurrence_id: str | None = None
    campaign: str | None = None
    first_comment: str | None = None
    media: tuple[Media, ...] | None = None


@dataclass(frozen=True, slots=True)
class CalendarPreview:
    """Everything read from one calendar file, before anything is written.

    ``events`` and ``todos`` count the file's VEVENT and VTODO components (a
    recurring event is one event, however many posts it becomes); ``skipped`` counts
    the events and to-dos left out, each with a problem saying why. ``series`` counts
    the repeating events expanded into one post per date (from the ``since`` date
    chosen), so that asking for that date can be left out when there are none;
    ``masters`` are those of them whose rule is kept (``post_series``). ``layout`` is
    ``"ics"``, or for a CSV file ``"csv"`` (SocialDesk's own) or ``"hootsuite"``; a CSV
    file's ``events`` counts its posts.
    """

    name: str
    posts: tuple[ParsedPost, ...]
    problems: tuple[Problem, ...]
    skipped: int
    events: int
    todos: int
    series: int = 0
    masters: tuple[SeriesValues, ...] = ()
    layout: str = "ics"
