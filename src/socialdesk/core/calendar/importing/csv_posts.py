"""Posts from a CSV file: SocialDesk's own calendar spreadsheet, or a Hootsuite bulk upload.

Two layouts are read (:func:`read_csv_posts`), told apart by the first row:

SocialDesk's calendar CSV (``socialdesk export calendar --format csv``): a header row
naming the columns of :data:`~socialdesk.core.calendar.csv_export.CSV_COLUMNS`, in any
order, one row per post per channel. The ``uid`` column keys the post, so that importing
the file again updates the posts instead of duplicating them (a file without it, from
an older SocialDesk, gets a stable UID made from each row's date, time and title). Rows
with the same UID are one post: its channels are their ``channel`` cells, its text the
``post_text`` cell (else the first row's ``text``), and a row whose ``text`` differs is
that channel's own text. The first row of a post gives its title, status, campaign (made
when the workspace has none of that name), date, time, zone (the export's default zone
becomes "the workspace's"), link, topics (``; `` between them), first comment and media
(the ``media`` and ``alt_text`` cells, a file per line, :mod:`.media`); a later row of the
same post that says otherwise is listed as a problem. A file without the ``media`` or
``first_comment`` column (an older SocialDesk's) leaves a post's own alone.

Hootsuite's bulk-upload layout: no header row (a first row naming Date, Message and Link
is skipped), the columns date and time, message and link (optional), one file per social
profile. Dates are ``DD/MM/YYYY HH:MM`` or ``MM/DD/YYYY HH:MM`` (Hootsuite asks which at
upload; here the file's own dates tell: a first number above 12 means day first, a
second above 12 month first; neither: as a header ``Date (MM/DD/YYYY HH:MM)`` says, else
day first, as SocialDesk's Hootsuite export writes),
24-hour times, seconds optional, and ISO ``YYYY-MM-DD HH:MM`` too. A row becomes a
scheduled post titled with its message's first line, on no channel; it is keyed on its
date, time and message, so importing the file again changes only the links.

The file is decoded and split block by block (the contacts import's
:class:`~socialdesk.core.contacts.importing.textstream.TextSource`), never held whole:
what a read holds is its posts, a post's rows keeping their channel and any text of their
own (a text the same as the first row's is kept once). Every cell goes through
:func:`~socialdesk.core.csvsafe.restore_cell` (the ``'`` the
export puts before a cell a spreadsheet would run as a formula). A row that cannot be
read (an unknown status, a date that is not one) is left out and listed with its line; a
file whose rows cannot be split (a quote left open) fails whole with its line, as does a
file larger than :data:`MAX_FILE_BYTES`, with more than :data:`MAX_ROWS` rows or more than
:data:`MAX_POSTS` posts. A post's later rows keep only their channel and texts.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.core.calendar.csv_export import CSV_COLUMNS, TOPIC_SEPARATOR
from socialdesk.core.calendar.importing.errors import CalendarImportError
from socialdesk.core.calendar.importing.media import Media, first_lines, take_media
from socialdesk.core.calendar.importing.model import CalendarPreview, Channel, ParsedPost
from socialdesk.core.contacts.importing.csv_reader import _Broken, _records
from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.textio import decode_file
from socialdesk.core.contacts.importing.textstream import Opener, TextSource
from socialdesk.core.csvsafe import restore_cell
from socialdesk.core.import_results import Problem
from socialdesk.store.vocabulary import POST_STATUSES

MAX_FILE_BYTES = 64 << 20
MAX_POSTS = 100_000  # as many as an .ics file's series may make
MAX_ROWS = 400_000  # rows of the file (a post has a row per channel)
TITLE_LENGTH = 80
DELIMITERS = (",", ";", "\t")
# What each layout says about a post; the other fields of a post imported again stay.
SAYS = {
    "csv": frozenset({"title", "body", "status", "campaign_id", "scheduled_on",
                      "scheduled_time", "timezone", "link", "first_comment"}),
    "hootsuite": frozenset({"body", "scheduled_on", "scheduled_time", "link"}),
}
_OWN_KEYS = frozenset({"uid", "title", "text", "date"})
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T]+(\d{1,2}:\d{2}(?::\d{2})?)$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T]+(\d{1,2}:\d{2}(?::\d{2})?)$")
_MESSAGE_HEADERS = ("message", "text", "post")


def _hootsuite_header(header: list[str]) -> bool:
    """A header row over Hootsuite's columns ("Date", "Message", "Link"; "Date (…)" too)."""
    return (len(header) >= 2 and header[0].startswith("date")
            and header[1].startswith(_MESSAGE_HEADERS))
Tick = Callable[[int], None]


def is_table(path: Path | str) -> bool:
    """True for a file the calendar import reads as CSV (by its name)."""
    return Path(path).suffix.lower() in (".csv", ".tsv", ".txt")


def is_calendar_csv(path: Path) -> bool:
    """Whether ``path`` is a calendar CSV of either layout, from its first line (quick)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
        text = decode_file(head, path).text
    except (OSError, ContactImportError):
        return False
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        cells = next(_rows([first], _delimiter(first), path))[1]
    except (StopIteration, CalendarImportError):
        return False
    header = [cell.strip().casefold() for cell in cells]
    return (_OWN_KEYS - {"uid"} <= set(header) or _hootsuite_header(header)
            or _when(cells[0]) is not None)


def _source(opener: Opener, path: Path | str) -> TextSource:
    """The file as text read block by block; an error for one over the size limit."""
    with _as_calendar_error(path), opener() as handle:
        size = handle.seek(0, io.SEEK_END)
    if size > MAX_FILE_BYTES:
        raise CalendarImportError(path, None, "the file is larger than a calendar CSV may be "
                                  f"({MAX_FILE_BYTES >> 20} MB).")
    with _as_calendar_error(path):
        return TextSource(opener, path)


@contextmanager
def _as_calendar_error(path: Path | str) -> Iterator[None]:
    """Reading errors of the text (not text, damaged bytes) as :class:`CalendarImportError`."""
    try:
        yield
    except ContactImportError as error:
        message = error.message
        if "not a text file" in message:
            message = ("this is not a text file (it holds binary data, such as a picture or an "
                       "archive), so it is not a calendar CSV.")
        raise CalendarImportError(path, error.line, message) from error
    except OSError as error:
        raise CalendarImportError(path, None, f"cannot be read ({error.strerror or error}).") \
            from error


def _delimiter(text: str) -> str:
    """The delimiter that splits the first line into the most cells."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=lambda d: (first.count(d), -DELIMITERS.index(d)))


def _rows(lines: Iterable[str], delimiter: str, path: Path | str
          ) -> Iterator[tuple[int, list[str]]]:
    try:
        with _as_calendar_error(path):
            for line, row in _records(lines, delimiter, True):
                if any(cell.strip() for cell in row):
                    yield line, [restore_cell(cell) for cell in row]
    except _Broken as broken:
        error = broken.as_import_error(path)
        raise CalendarImportError(path, error.line, error.message) from broken


def read_csv_posts(opener: Opener, path: Path | str, *, default_tz: str,
                   tick: Tick | None = None) -> CalendarPreview:
    """Read a calendar CSV (either layout) into posts; see the module docstring.

    ``opener`` opens the file (or its bytes) for reading: the text is decoded and split
    block by block (:class:`~socialdesk.core.contacts.importing.textstream.TextSource`),
    never held whole. ``default_tz`` is the workspace's zone; ``tick(rows)`` is called
    every 2,000 rows (it may raise to cancel). Raises :class:`CalendarImportError` for a
    file that fails as a whole.
    """
    text = _source(opener, path)
    with _as_calendar_error(path):
        head = text.head()
    rows = _rows(text.lines(), _delimiter(head), path)
    first = next(rows, None)
    if first is None:
        raise CalendarImportError(path, 1, "the file is empty.")
    header = [cell.strip().casefold() for cell in first[1]]
    if _OWN_KEYS - {"uid"} <= set(header):
        reader: _Reader = _OwnReader(path, header, default_tz)
    elif _when(first[1][0]) is not None or _hootsuite_header(header):
        reader = _HootsuiteReader(path, month_first="mm/dd" in header[0])
        if not _hootsuite_header(header):
            reader.add(*first)
    else:
        raise CalendarImportError(
            path, first[0], "this is neither SocialDesk's calendar CSV (a header row with "
            "date, title, text and uid columns) nor a Hootsuite bulk-upload file (date and "
            "time, message, link).")
    for count, (line, row) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise CalendarImportError(path, line, f"the file has more than {MAX_ROWS:,} rows; "
                                      "split it into smaller files.")
        reader.add(line, row)
        if tick is not None and count % 2000 == 0:
            tick(count)
    posts = reader.posts()
    return CalendarPreview(
        name="", posts=tuple(posts), problems=tuple(sorted(reader.problems,
                                                           key=lambda p: p.line)),
        skipped=reader.skipped, events=len(posts), todos=0, layout=reader.layout,
    )


@dataclass
class _Reader:
    path: Path | str
    layout: str = ""
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    count: int = 0

    def left_out(self, line: int, message: str) -> None:
        self.skipped += 1
        self.problems.append(Problem(line, f"{message.rstrip('.')}; this row was left out."))

    def counted(self, line: int) -> None:
        self.count += 1
        if self.count > MAX_POSTS:
            raise CalendarImportError(self.path, line, f"the file holds more than "
                                      f"{MAX_POSTS:,} posts; split it into smaller files.")

    def add(self, line: int, row: list[str]) -> None:
        raise NotImplementedError

    def posts(self) -> list[ParsedPost]:
        raise NotImplementedError


def _title_from(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"


def _stable_uid(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{prefix}-{digest}@socialdesk"


# --- SocialDesk's own calendar CSV ---------------------------------------------------------

@dataclass(slots=True)
class _Group:
    """The rows of one post.

    The first row's cells (in the reader's column order), then each row's channel, text
    and post text one after the other (flat, to keep it small).
    """

    line: int
    cells: tuple[str, ...]
    texts: list[str]


# The cells one post's rows must agree on (the others are per channel).
_SHARED = ("date", "time", "time_zone", "status", "campaign", "title", "link", "topics",
           "media", "alt_text", "first_comment")
# Cells kept as written, line breaks and all (the others are stripped).
_AS_WRITTEN = ("text", "post_text", "title", "media", "alt_text", "first_comment")


class _OwnReader(_Reader):
    def __init__(self, path: Path | str, header: list[str], default_tz: str) -> None:
        super().__init__(path, "csv")
        self.columns = {name: header.index(name) for name in dict.fromkeys(header)
                        if name in CSV_COLUMNS or name in ("uid", "post_text")}
        self.names = tuple(self.columns)
        self.at = {name: position for position, name in enumerate(self.names)}
        self.cuts = tuple((index, name in _AS_WRITTEN) for name, index in self.columns.items())
        self.shared = tuple((name, self.at[name]) for name in _SHARED if name in self.at)
        self.default_tz = default_tz
        self.groups: dict[str, _Group] = {}

    def _cell(self, cells: tuple[str, ...], name: str) -> str:
        return cells[self.at[name]] if name in self.at else ""

    def add(self, line: int, row: list[str]) -> None:
        width = len(row)
        cells = tuple(("" if index >= width else row[index] if as_written
                       else row[index].strip()) for index, as_written in self.cuts)
        uid = self._cell(cells, "uid") or _stable_uid(
            "csv", self._cell(cells, "date"), self._cell(cells, "time"),
            self._cell(cells, "title"))
        channel = sys.intern(self._cell(cells, "channel"))
        text, own = self._cell(cells, "text"), self._cell(cells, "post_text")
        group = self.groups.get(uid)
        if group is None:
            self.counted(line)
            self.groups[uid] = _Group(line, cells, [channel, text, own])
            return
        first = group.cells
        # The same texts as the first row's are kept once.
        group.texts += (channel, group.texts[1] if text == group.texts[1] else text,
                        group.texts[2] if own == group.texts[2] else own)
        differ = [name for name, at in self.shared if cells[at] != first[at]]
        if differ:
            self.problems.append(Problem(line, (
                f"the {', '.join(d.replace('_', ' ') for d in differ)} differ from line "
                f"{group.line} (the same post, UID {uid}): line {group.line}'s are used.")))

    def posts(self) -> list[ParsedPost]:
        found = []
        for uid in list(self.groups):  # each group let go once it is a post
            post = self._post(uid, self.groups.pop(uid))
            if post is not None:
                found.append(post)
        return found

    def _post(self, uid: str, group: _Group) -> ParsedPost | None:
        line, first = group.line, dict(zip(self.names, group.cells, strict=True))
        texts = list(zip(group.texts[0::3], group.texts[1::3], group.texts[2::3], strict=True))
        status = first.get("status", "") or "idea"
        if status not in POST_STATUSES:
            self.left_out(line, f"unknown status {status!r} (one of {', '.join(POST_STATUSES)})")
            return None
        day, time, zone = first.get("date", ""), first.get("time", ""), first.get("time_zone", "")
        if day and not _iso_date(day):
            self.left_out(line, f"{day!r} is not a date (YYYY-MM-DD)")
            return None
        if time and (not day or not _TIME.match(time)):
            self.left_out(line, f"{time!r} is not a time (HH:MM)" if day
                          else "a time without a date")
            return None
        if zone and not _known_zone(zone):
            self.problems.append(Problem(line, f"unknown time zone {zone!r}: the workspace's "
                                         "zone is used."))
            zone = ""
        body = next((own for _, _, own in texts if own), texts[0][1])
        channels: tuple[Channel, ...] = tuple(
            (channel, text if text != body else None) for channel, text, _ in texts
            if channel)
        comment = first.get("first_comment", "") if "first_comment" in self.columns else None
        topics = tuple(t.strip() for t in first.get("topics", "").split(TOPIC_SEPARATOR.strip())
                       if t.strip())
        return ParsedPost(
            line=line, uid=uid,
            title=first.get("title", "").strip() or _title_from(body) or "Untitled post",
            body=body, status=status, scheduled_on=day or None,
            scheduled_time=_hh_mm(time) if time else None,
            timezone=zone if time and zone and zone != self.default_tz else None,
            link=first.get("link", ""), categories=topics,
            campaign=first.get("campaign", "") if "campaign" in self.columns else None,
            channels=channels if "channel" in self.columns else None,
            first_comment=comment if comment is None or comment.strip() else "",
            media=self._media(line, first) if "media" in self.columns else None,
        )

    def _media(self, line: int, first: dict[str, str]) -> tuple[Media, ...]:
        """The files of the ``media`` cell with the ``alt_text`` cell's line of each."""
        paths, more = first_lines(first.get("media", ""))
        alts, _ = first_lines(first.get("alt_text", ""))
        alts += [""] * (len(paths) - len(alts))
        media, notes = take_media(
            ((path.strip(), alt) for path, alt in zip(paths, alts, strict=False)), more=more)
        self.problems += [Problem(line, note) for note in notes]
        return media


def _iso_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _hh_mm(text: str) -> str:
    hours, minutes = text.split(":")[:2]
    return f"{int(hours):02d}:{minutes}"


# --- Hootsuite bulk upload -------------------------------------------------------------------

def _when(cell: str) -> tuple[int, int, int, str, bool] | None:
    """``(first, second, year, time, iso)`` of a Hootsuite date cell, or None."""
    text = " ".join(cell.split())
    match = _ISO.match(text)
    if match:
        year, month, day, time = match.groups()
        return int(month), int(day), int(year), time, True
    match = _DMY.match(text)
    if match:
        first, second, year, time = match.groups()
        return int(first), int(second), int(year), time, False
    return None


@dataclass
class _HootsuiteRow:
    line: int
    when: tuple[int, int, int, str, bool]
    message: str
    link: str


class _HootsuiteReader(_Reader):
    def __init__(self, path: Path | str, *, month_first: bool = False) -> None:
        super().__init__(path, "hootsuite")
        self.rows: list[_HootsuiteRow] = []
        self.month_first = month_first  # the header says so ("Date (MM/DD/YYYY HH:MM)")

    def add(self, line: int, row: list[str]) -> None:
        when = _when(row[0])
        if when is None:
            self.left_out(line, f"{row[0].strip()!r} is not a date and time "
                          "(DD/MM/YYYY HH:MM)")
            return
        message = row[1] if len(row) > 1 else ""
        if not message.strip():
            self.left_out(line, "no message")
            return
        self.counted(line)
        self.rows.append(_HootsuiteRow(line, when, message, row[2].strip() if len(row) > 2
                                       else ""))

    def _day_first(self) -> bool:
        dated = [row for row in self.rows if not row.when[4]]
        day_first = next((row for row in dated if row.when[0] > 12), None)
        month_first = next((row for row in dated if row.when[1] > 12), None)
        if day_first is not None and month_first is not None:
            raise CalendarImportError(
                self.path, max(day_first.line, month_first.line),
                f"the dates mix orders: line {day_first.line} has the day first, line "
                f"{month_first.line} the month first.")
        return month_first is None and (day_first is not None or not self.month_first)

    def posts(self) -> list[ParsedPost]:
        from datetime import date

        day_first = self._day_first()
        found: dict[str, ParsedPost] = {}
        for row in self.rows:
            first, second, year, time, iso = row.when
            month, day = (first, second) if iso or not day_first else (second, first)
            try:
                day_text = date(year, month, day).isoformat()
            except ValueError:
                self.left_out(row.line, f"{year}-{month:02d}-{day:02d} is not a date")
                continue
            if not _TIME.match(time):
                self.left_out(row.line, f"{time!r} is not a time (HH:MM)")
                continue
            hh_mm = _hh_mm(time)
            uid = _stable_uid("hootsuite", day_text, hh_mm, row.message)
            if uid in found:
                self.left_out(row.line, f"the same message at the same time as line "
                              f"{found[uid].line}")
                continue
            found[uid] = ParsedPost(
                line=row.line, uid=uid, title=_title_from(row.message) or "Untitled post",
                body=row.message, status="scheduled", scheduled_on=day_text,
                scheduled_time=hh_mm, link=row.link,
            )
        return list(found.values())
