"""Dates and times as the GUI shows them, in the one format of the user's locale.

A day reads like the locale's long date with short names and without the current year
("Fri 4 Dec", "Fri Dec 4", "Fr. 4. Dez."); a moment is that day and the locale's short
time, in the computer's time zone ("Fri 4 Dec 15:46"). The CLI and files keep ISO
(core/formatting.py); numbers stay there too.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, QLocale, QTime

from socialdesk.core.clock import today

# the year with the separators (and a quoted word such as Spanish 'de') that lead to it,
# or, when it opens the format, with those that follow it
_YEAR = re.compile(r"^y+[年년]?[^\w']*|[\s,.]*(?:'[^']*'\s*)?y+[.]?")
# the weekday with the separators around it
_WEEKDAY = re.compile(r"[\s,]*d{3,4}[\s,.]*")


def _day_format(locale: QLocale, with_year: bool, weekday: bool = True,
                full: bool = False) -> str:
    return _shortened(locale.dateFormat(QLocale.FormatType.LongFormat), with_year, weekday,
                      full)


@functools.cache  # every day cell painted asks; a few locales' patterns at most
def _shortened(long_format: str, with_year: bool, weekday: bool, full: bool) -> str:
    pattern = long_format.replace("dddd, ", "dddd ")
    if not full:
        pattern = pattern.replace("dddd", "ddd").replace("MMMM", "MMM")
    if not weekday:
        pattern = _WEEKDAY.sub(" ", pattern).strip()
    return pattern if with_year else _YEAR.sub("", pattern).strip(" ,")


def day_text(value: str | date | None, current: date | None = None, *,
             weekday: bool = True, year: bool | None = None, full: bool = False) -> str:
    """A day ("Fri 4 Dec"; with the year when it is not the current one's, or ``year``).

    ``weekday=False``: without the weekday ("4 Dec"), where space is short (chart axes);
    ``full``: the names written out, for a heading ("Friday 4 December").
    """
    if not value:
        return "No date"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    locale = QLocale()
    with_year = day.year != (current or today()).year if year is None else year
    return locale.toString(QDate(day.year, day.month, day.day),
                           _day_format(locale, with_year, weekday, full))


def month_title(day: date, *, year: bool = True) -> str:
    """A month with its year, as a heading ("December 2026", "Dezember 2026")."""
    name = QLocale().standaloneMonthName(day.month, QLocale.FormatType.LongFormat)
    return f"{name} {day.year}" if year else name


def week_title(first: date, last: date) -> str:
    """A week as a heading ("28 Sep – 4 Oct 2088"; "7 – 13 Dec 2026" within one month)."""
    start = str(first.day) if (first.year, first.month) == (last.year, last.month) else \
        day_text(first, weekday=False, year=first.year != last.year)
    return f"{start} – {day_text(last, weekday=False, year=True)}"


def weekday_text(day: date) -> str:
    """A day's short weekday name ("Fri")."""
    return QLocale().dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)


def date_edit_format() -> str:
    """The display format of a date field: a day with its year ("Fri 4 Dec 2026")."""
    return _day_format(QLocale(), with_year=True)


def time_edit_format() -> str:
    """The display format of a time field: the locale's short time ("HH:mm", "h:mm AP")."""
    return QLocale().timeFormat(QLocale.FormatType.ShortFormat)


def clock_text(value: str | time | datetime) -> str:
    """A time of day ("14:46" stored, or a time) in the locale's short format ("2:46 PM")."""
    if isinstance(value, str):
        value = time.fromisoformat(value)
    locale = QLocale()
    return locale.toString(QTime(value.hour, value.minute, value.second),
                           locale.timeFormat(QLocale.FormatType.ShortFormat))


def moment_text(value: str | datetime | None, current: date | None = None) -> str:
    """A moment stored in UTC (ISO, "…Z" or naive UTC) as the local day and time."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone()
    return f"{day_text(local.date(), current)} {clock_text(local)}"
