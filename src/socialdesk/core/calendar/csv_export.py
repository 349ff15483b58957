"""CSV exports of the content calendar: a plain table and Hootsuite's bulk-upload layout.

Plain CSV: UTF-8 with a byte-order mark (so that Excel reads the accents right; other
programs skip it), one row per post per channel: ``text`` is what goes out on that
channel, ``post_text`` the post's own text when that differs (the channel has a text of
its own), ``uid`` the post's UID, by which importing the file again
(:mod:`~socialdesk.core.calendar.importing.csv_posts`) finds the post; ``media`` and
``alt_text`` hold the attached files and their descriptions one per line, in the same
order, and ``first_comment`` the comment to post under it (for whoever posts it by hand).

Hootsuite: UTF-8 without a BOM, no header row, three columns (date and time
``DD/MM/YYYY HH:MM`` in 24-hour time, message, link), one file per channel of at most
350 rows. Every cell goes through
:func:`~socialdesk.core.csvsafe.neutralise_cell`; a Hootsuite message that starts with
a mention (``@partner``) or a ``+`` is written as it is, since Hootsuite's uploader
would post the ``'`` too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.core.calendar.ics import one_line
from socialdesk.core.csvsafe import neutralise_cell
from socialdesk.store.calendar_export import CalendarData, ExportPost

CSV_ENCODING = "utf-8-sig"
CSV_COLUMNS = (
    "post_id", "date", "time", "time_zone", "channel", "status", "campaign", "title",
    "text", "link", "topics", "media", "alt_text", "first_comment", "uid", "post_text",
)
TOPIC_SEPARATOR = "; "
MEDIA_SEPARATOR = "\n"  # one file (and its alt text) per line of the cell

HOOTSUITE_ENCODING = "utf-8"
HOOTSUITE_MAX_ROWS = 350
HOOTSUITE_DATETIME = "%d/%m/%Y %H:%M"
# What a message may start with as written: a mention, a "+1" (the uploader posts a "'" too).
HOOTSUITE_MESSAGE_STARTS = frozenset("@+")
# Statuses that are not uploaded to a scheduler, with the reason reported.
HOOTSUITE_LEFT_OUT = {
    "published": "post already published",
    "skipped": "post marked skipped",
}


@dataclass(slots=True)
class CsvStats:
    """What a CSV export wrote and left out."""

    posts: int = 0
    rows: int = 0
    files: list[Path] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        """Count one post left out for ``reason``."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _writer(out: IO[str]) -> Any:
    return csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def post_rows(post: ExportPost, zone_name: str) -> Iterator[list[str]]:
    """The plain-CSV rows of one post: one per channel, or one with no channel."""
    head = [
        str(post.id), post.scheduled_on or "", post.scheduled_time or "",
        (post.timezone or zone_name) if post.scheduled_time else "",
    ]
    tail_common = [
        post.link, TOPIC_SEPARATOR.join(post.topics),
        MEDIA_SEPARATOR.join(m.path for m in post.media),
        MEDIA_SEPARATOR.join(one_line(m.alt) for m in post.media), post.first_comment,
        post.uid,
    ]
    middle = [post.status, post.campaign or "", post.title]
    if not post.channels:
        yield [*head, "", *middle, post.body, *tail_common, ""]
        return
    for channel in post.channels:
        text = channel.body if channel.body else post.body
        yield [*head, channel.platform, *middle, text, *tail_common,
               post.body if channel.body else ""]


REPORT_EVERY = 1000  # posts written between two progress reports


def write_csv(data: CalendarData, out: IO[str], *, default_tz: str,
              written: Callable[[int, int], None] | None = None) -> CsvStats:
    """Write the plain CSV of ``data`` to the text stream ``out`` (opened with newline='').

    ``written(posts, total)`` is told every :data:`REPORT_EVERY` posts; an exception it
    raises stops the writing and comes out.
    """
    stats = CsvStats()
    writer = _writer(out)
    writer.writerow(CSV_COLUMNS)
    total = len(data.posts)
    for post in data.posts:
        stats.posts += 1
        if written is not None and stats.posts % REPORT_EVERY == 0:
            written(stats.posts, total)
        for row in post_rows(post, default_tz):
            writer.writerow([neutralise_cell(cell) for cell in row])
            stats.rows += 1
    return stats


# --- Hootsuite -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HootsuiteRow:
    """One message of a Hootsuite bulk upload."""

    when: datetime
    message: str
    link: str

    def cells(self) -> list[str]:
        """The row's three cells, neutralised (a message may start with ``@`` or ``+``)."""
        return [
            neutralise_cell(self.when.strftime(HOOTSUITE_DATETIME)),
            neutralise_cell(self.message, HOOTSUITE_MESSAGE_STARTS),
            neutralise_cell(self.link),
        ]


def _zone(name: str | None, default: ZoneInfo, stats: CsvStats) -> ZoneInfo:
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        stats.notes.append(f"Unknown time zone {name!r}: used {default.key} instead.")
        return default


def hootsuite_rows(
    data: CalendarData, *, default_tz: str, stats: CsvStats
) -> dict[str, list[HootsuiteRow]]:
    """Group the uploadable posts by channel, times in ``default_tz`` (the account's zone).

    Posts without a date or a time, published or skipped posts, and posts for no
    channel when the workspace has no channels are counted in ``stats.skipped``.
    """
    default = ZoneInfo(default_tz)
    by_channel: dict[str, list[HootsuiteRow]] = {}
    off_grid = repeating = 0
    for post in data.posts:
        if not post.scheduled_on or not post.scheduled_time:
            stats.skip("post without a date and time (Hootsuite needs both)")
            continue
        if post.status in HOOTSUITE_LEFT_OUT:
            stats.skip(HOOTSUITE_LEFT_OUT[post.status])
            continue
        channels = [(c.platform, c.body) for c in post.channels]
        if not channels:
            channels = [(platform, None) for platform in data.own_platforms]
        if not channels:
            stats.skip("post without a channel (and no channels in the workspace)")
            continue
        try:
            local = datetime.combine(
                date.fromisoformat(post.scheduled_on), time.fromisoformat(post.scheduled_time),
                _zone(post.timezone, default, stats),
            )
        except ValueError:
            stats.skip("post with an unreadable date or time")
            continue
        when = local.astimezone(default)
        off_grid += when.minute % 5 != 0
        repeating += post.repeats
        stats.posts += 1
        for platform, body in channels:
            message = body or post.body or post.title
            by_channel.setdefault(platform, []).append(HootsuiteRow(when, message, post.link))
    if off_grid:
        stats.notes.append(
            f"{off_grid} post(s) at a time that is not a multiple of 5 minutes; "
            "Hootsuite asks for :00, :05, :10 …"
        )
    if repeating:
        stats.notes.append(
            f"{repeating} repeating post(s) exported once (Hootsuite has no repeats)."
        )
    return by_channel


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "channel"


def hootsuite_paths(out: Path, channel: str, parts: int) -> list[Path]:
    """The file names for one channel: ``<stem>-<channel>.csv``, then ``-2``, ``-3``, etc."""
    suffix = out.suffix or ".csv"
    base = f"{out.stem}-{_slug(channel)}"
    return [
        out.with_name(f"{base}{'' if n == 1 else f'-{n}'}{suffix}") for n in range(1, parts + 1)
    ]


def batches(
    rows: Sequence[HootsuiteRow], size: int = HOOTSUITE_MAX_ROWS
) -> list[Sequence[HootsuiteRow]]:
    """Split ``rows`` into files of at most ``size`` rows."""
    return [rows[start : start + size] for start in range(0, len(rows), size)] or [rows]


def write_hootsuite_rows(rows: Sequence[HootsuiteRow], out: IO[str]) -> int:
    """Write one Hootsuite file (no header row); return the number of rows."""
    writer = _writer(out)
    for row in rows:
        writer.writerow(row.cells())
    return len(rows)
