"""Calendar import: the events of an iCalendar (.ics) file become posts.

A ``.csv``, ``.tsv`` or ``.txt`` file is read as a calendar spreadsheet instead:
SocialDesk's own calendar CSV or a Hootsuite bulk upload (:mod:`csv_posts`, and
``docs/calendar-csv.md``), through the same preview, merge and single transaction.

Qt-free. The CLI (``socialdesk import calendar FILE``) and the GUI call
:func:`import_calendar` (from a worker with its own workspace connection, passing a
``progress`` callback that returns False to cancel), or :func:`parse_calendar` to
preview a file without writing anything.

Public API::

    parse_calendar(path, *, include_todos=False, default_tz=None, expand_years=1,
                   since=None) -> CalendarPreview
    parse_bytes(data, path, **same options) -> CalendarPreview
    import_calendar(ws, path, *, include_todos=False, default_tz=None, expand_years=1,
                    since=None, progress=None) -> CalendarImportReport   (.as_json() for --json)

Whole-file failures raise :class:`CalendarImportError` (``str()`` is
``"FILE, line N: message"``): not iCalendar, BEGIN/END that do not match, a line of the
calendar itself that cannot be read (see ``reader``). An event or to-do with a line
that cannot be read or an unreadable date or repeat rule (an empty ``EXDATE``,
``DTSTART;;VALUE=…``) is left out alone and listed with its line; only when no event or
to-do of the file can be read does the file fail, with the first such error. A cancel
raises :class:`CalendarImportCancelled`. Either way nothing is written: an import is
one transaction.

How an event becomes a post
---------------------------

- UID → the post's ``uid``, so importing again updates instead of duplicating. An
  event without a UID gets a stable one made from its summary, start and description.
- SUMMARY → title. When the DESCRIPTION starts with the title with its line breaks
  (SocialDesk's export keeps SUMMARY on one line and puts the exact title there), the
  exact title is restored. No SUMMARY: the first line of the description, or
  "Untitled event".
- DESCRIPTION → body; SocialDesk's own ``Channels: …`` / ``Link: …`` trailer and the
  per-channel texts after it become the post's channels and their own texts, its
  ``Media:`` and ``First comment:`` paragraphs the post's media (with alt texts) and
  first comment (an event without them keeps the post's). HTML (Google Calendar)
  becomes plain text. LOCATION → location.
- URL (or a ``Link:`` trailer) → link.
- CATEGORIES → the first category that names an existing campaign (case-insensitive)
  becomes the campaign, every other category a topic. Campaigns are never created.
- DTSTART → scheduled_on / scheduled_time (HH:MM) / timezone. A DATE value is an
  all-day post (no time, no zone). A floating time keeps no zone (the workspace's).
  A TZID is turned into an IANA name (``zones``: IANA, Windows names such as
  "W. Europe Standard Time", Outlook's "(UTC+01:00) Amsterdam, Berlin, …"). Times in
  UTC (``…Z``) or in a zone known only from the file's VTIMEZONE are converted,
  instant for instant, to the workspace's zone (``default_tz``). A VTIMEZONE is
  followed only as far as real zones go (``vtimezone``: yearly rules, up to 2100, at
  most 5,000 changes, 20 VTIMEZONEs per file); one beyond that is noted and its zone
  is known by its name alone. DTEND/DURATION are
  not kept (a post has no length).
- STATUS → status: CANCELLED → skipped; TENTATIVE → draft; CONFIRMED → published
  when the post's day is before today, else scheduled; no status → draft when the
  event has a description, else idea. SocialDesk's own export also writes the exact
  status as X-SOCIALDESK-STATUS, which wins, so ideas and drafts survive a round trip.
- SEQUENCE → sequence; CREATED → created_at.

Recurring events (RRULE, RDATE, EXDATE, RECURRENCE-ID):

- Kept as a SocialDesk repeat when it can say the same thing and nothing is
  excepted (no RDATE, EXDATE or changed occurrences): FREQ=WEEKLY or MONTHLY, every
  time, with UNTIL or COUNT → ``repeat_rule`` weekly/monthly, ``repeat_until`` = the
  date of the last occurrence; FREQ=WEEKLY;INTERVAL=N without an end → evergreen
  every N weeks (with an end: evergreen until the last occurrence). BYDAY or
  BYMONTHDAY naming the start's own weekday or day are allowed.
- Otherwise each occurrence becomes its own post, UID ``<uid>/<YYYY-MM-DD>`` (with
  ``T<HHMMSS>`` added when a series has several occurrences on one day), for
  ``expand_years`` (default 1) years from ``since`` (default today; DTSTART when that
  is later) and at most 1,000 per event; a problem notes a series that goes on
  beyond. No occurrence (listed dates included) before ``since`` is imported: a series
  with none from then on is left out and listed. A rule is followed from DTSTART up to
  ``since`` over at most 50,000 dates (an hourly series of 2019 is not), and the
  series of one file over 400,000 in all; one that cannot be is listed. A file's
  series make at most 100,000 such posts in all: after that, each repeating event keeps
  its first date and listed dates (noted once). RDATEs and changed occurrences are
  listed dates and included from ``since`` on; EXDATEs are left out; a changed occurrence
  (RECURRENCE-ID) replaces its date with its own start, title, text and status, and
  a cancelled one is left out. A changed occurrence whose recurring event is not in
  the file becomes a post of its own (UID ``<uid>/<date>``).
- Such a series is also kept whole (``post_series``: UID, DTSTART and zone, RRULE,
  RDATE, EXDATE, SEQUENCE, its text, the dates it made posts for), each of its posts
  linked to it with its date (RECURRENCE-ID), so that the calendar export writes it as
  one repeating event again (``core/calendar/ics_series``) — unless its rule could not
  be followed, or its zone is floating or known only from the file's VTIMEZONE.

To-dos (VTODO) are left out and listed as problems, unless ``include_todos``: then
each becomes an idea on its DUE date (else its start, else undated; CANCELLED →
skipped). Journal entries and free/busy components are left out and listed.

Events without DTSTART are left out and listed with their line. Two events with the
same UID (and no RECURRENCE-ID): the higher SEQUENCE (then the later LAST-MODIFIED)
is used and the other listed.

Importing again (``merge``): a post whose UID is already in the workspace is updated
only when the file's event is newer — higher SEQUENCE, or LAST-MODIFIED after the
post's last change — and something differs; it then counts as ``merged``. An
unchanged event counts as neither imported nor merged (nor as a problem). Posts are
never deleted: an occurrence that disappeared from the file stays in the workspace.

``skipped`` counts the events, to-dos and other entries left out; ``problems`` lists
each with its line, plus remarks about entries that were imported with a guess (an
unknown time zone, a series cut after a year).
"""

from socialdesk.core.calendar.importing.errors import CalendarImportCancelled, CalendarImportError
from socialdesk.core.calendar.importing.importer import (
    CalendarImportReport,
    Progress,
    import_calendar,
    parse_bytes,
    parse_calendar,
)
from socialdesk.core.calendar.importing.model import CalendarPreview, ParsedPost
from socialdesk.core.import_results import Problem

__all__ = [
    "CalendarImportCancelled",
    "CalendarImportError",
    "CalendarImportReport",
    "CalendarPreview",
    "ParsedPost",
    "Problem",
    "Progress",
    "import_calendar",
    "parse_bytes",
    "parse_calendar",
]
