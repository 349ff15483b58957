"""Read a calendar file into posts, and write them into a workspace in one transaction."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk import APP_NAME
from socialdesk.core import clock
from socialdesk.core.calendar.importing import csv_posts, events, reader, series_posts
from socialdesk.core.calendar.importing.errors import CalendarImportCancelled, CalendarImportError
from socialdesk.core.calendar.importing.events import Context, Source
from socialdesk.core.calendar.importing.merge import plan_series, plan_writes
from socialdesk.core.calendar.importing.model import CalendarPreview, ParsedPost
from socialdesk.core.calendar.importing.zones import ZoneResolver, vtimezones
from socialdesk.core.contacts.importing.textstream import Opener
from socialdesk.core.import_results import ImportSummary, Problem
from socialdesk.store import calendar_import as store
from socialdesk.store import campaigns
from socialdesk.store import post_series as series_store
from socialdesk.store.models import Campaign
from socialdesk.store.post_series import SeriesValues
from socialdesk.store.workspace import Workspace

Progress = Callable[[int, int], bool]
_CHUNK = 2000
_LEFT_OUT = {
    "VTODO": "to-do left out (only events become posts; to-dos can be included as ideas).",
    "VJOURNAL": "journal entry left out (only events become posts).",
    "VFREEBUSY": "free/busy information left out (only events become posts).",
}


@dataclass(frozen=True, slots=True)
class CalendarImportReport(ImportSummary):
    """What a calendar import did: posts added, existing posts updated, entries left out.

    A post already in the workspace (same UID) that the file does not change counts
    as neither imported nor merged, only as ``unchanged``.
    """


def _zone(name: str | None) -> ZoneInfo:
    if name is None:
        from socialdesk.core.timezones import local_timezone

        name = local_timezone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def _tick(progress: Progress | None, done: int, total: int, path: Path | str) -> None:
    if progress is not None and progress(done, total) is False:
        raise CalendarImportCancelled(path)


class _Reader:
    """Turns the components of one file into posts, counting what it leaves out."""

    def __init__(self, path: Path | str, include_todos: bool, progress: Progress | None,
                 total: int) -> None:
        self.path = path
        self.include_todos = include_todos
        self.progress = progress
        self.total = total
        self.done = 0
        self.skipped = 0
        self.problems: list[Problem] = []
        self.posts: list[ParsedPost] = []
        self.read = 0  # events and to-dos read
        self.series = 0  # repeating events expanded into a post per date
        self.unreadable: list[CalendarImportError] = []  # the others, each left out

    def left_out(self, line: int, message: str) -> None:
        self.skipped += 1
        self.problems.append(Problem(line, message))

    def step(self) -> None:
        self.done += 1
        if self.done % 200 == 0:
            _tick(self.progress, self.done, self.total, self.path)

    def calendar(self, calendar: reader.RawComponent, ctx: Context) -> None:
        """Posts for the events (and to-dos) of one calendar.

        Events are grouped by UID as written, then parsed one group at a time, so that
        only one series is held parsed at once.
        """
        reader.check_syntax(calendar, self.path)
        masters: dict[str, list[reader.RawComponent]] = defaultdict(list)
        overrides: dict[str, list[reader.RawComponent]] = defaultdict(list)
        for child in calendar.children:
            if child.name == "VEVENT":
                is_override = child.first("RECURRENCE-ID") is not None
                (overrides if is_override else masters)[events.group_key(child)].append(child)
            elif child.name == "VTODO" and self.include_todos:
                todo = self._source(child)
                if todo is not None:
                    self.posts.append(events.todo_post(todo, ctx))
            elif child.name in _LEFT_OUT:
                self.left_out(child.line, _LEFT_OUT[child.name])
        for key, group in masters.items():
            changed = self._unique_overrides(self._sources(overrides.pop(key, [])))
            readable = self._sources(group)
            if not readable:
                for override in changed:
                    self._orphan(override, ctx)
                continue
            master = self._newest(readable)
            posts = series_posts.series(master, changed, ctx)
            if posts is not None and [post.uid for post in posts] != [master.uid]:
                self.series += 1
            if posts == []:
                self.left_out(master.raw.line, f"repeating event with no date from "
                              f"{ctx.since.isoformat()} on: left out (import it from an "
                              "earlier first date to include its past dates).")
            elif posts is None:
                self.left_out(master.raw.line, "event without a start date (DTSTART) left out.")
                for override in changed:
                    self._orphan(override, ctx)
            else:
                self.posts += posts
        for group in overrides.values():
            for override in self._unique_overrides(self._sources(group)):
                self._orphan(override, ctx)

    def _source(self, raw: reader.RawComponent) -> Source | None:
        """``raw`` parsed; ``None`` (and listed) when a line of it cannot be read."""
        self.step()
        try:
            source = Source(raw, reader.parse_component(raw, self.path))
        except CalendarImportError as error:
            self.unreadable.append(error)
            what = "to-do" if raw.name == "VTODO" else "event"
            self.left_out(error.line or raw.line,
                          f"{error.message.rstrip('.')}; this {what} was left out.")
            return None
        self.read += 1
        return source

    def _sources(self, raws: list[reader.RawComponent]) -> list[Source]:
        return [source for source in map(self._source, raws) if source is not None]

    def _orphan(self, override: Source, ctx: Context) -> None:
        post = series_posts.orphan(override, ctx)
        if post is None:
            self.left_out(override.raw.line, "event without a start date (DTSTART) left out.")
        else:
            self.posts.append(post)

    def _newest(self, group: list[Source]) -> Source:
        best = max(group, key=lambda s: (s.sequence, s.modified or ""))
        for other in group:
            if other is not best:
                self.left_out(other.raw.line, f"another event with the same UID (line "
                              f"{best.raw.line}) is newer; this copy was left out.")
        return best

    def _unique_overrides(self, group: list[Source]) -> list[Source]:
        by_key: dict[str, list[Source]] = defaultdict(list)
        for source in group:
            by_key[source.raw.value("RECURRENCE-ID")].append(source)
        return [self._newest(same) for same in by_key.values()]


def _unique(posts: Iterable[ParsedPost], into: _Reader) -> list[ParsedPost]:
    seen: dict[str, ParsedPost] = {}
    for post in posts:
        first = seen.get(post.uid)
        if first is None:
            seen[post.uid] = post
        else:
            into.left_out(post.line, f"the UID {post.uid!r} is already used by the entry on "
                          f"line {first.line}; this one was left out.")
    return list(seen.values())


def _read_table(opener: Opener, path: Path | str, zone: ZoneInfo,
                progress: Progress | None) -> CalendarPreview:
    _tick(progress, 0, 1, path)
    return csv_posts.read_csv_posts(opener, path, default_tz=zone.key,
                                    tick=lambda rows: _tick(progress, 0, 1, path))


def parse_bytes(
    data: bytes,
    path: Path | str,
    *,
    include_todos: bool = False,
    default_tz: str | None = None,
    expand_years: int = 1,
    since: date | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> CalendarPreview:
    """Read the bytes of an .ics file (``path`` names it in messages) into posts.

    A ``.csv``, ``.tsv`` or ``.txt`` file is read as a calendar spreadsheet instead
    (:mod:`~socialdesk.core.calendar.importing.csv_posts`); the other options do not apply.

    ``default_tz`` is the workspace's zone (default: this computer's), used for times
    in UTC or in zones known only from the file. Recurring events SocialDesk cannot
    store as a repeat become one post per occurrence for ``expand_years`` years from
    ``since`` (default: today), or from their start when that is later; their dates
    before ``since`` are not imported. An event or to-do with a value that cannot be read
    is left out and listed. Raises :class:`CalendarImportError` when the file fails as a
    whole (or none of its events can be read), :class:`CalendarImportCancelled` when
    ``progress`` returns False.
    """
    if expand_years < 1:
        raise ValueError("expand_years must be at least 1")
    zone = _zone(default_tz)
    if csv_posts.is_table(path):
        return _read_table(lambda: io.BytesIO(data), path, zone, progress)
    if len(data) > reader.MAX_FILE_BYTES:
        raise CalendarImportError(
            path, None, f"the file is larger than a calendar file may be "
            f"({reader.MAX_FILE_BYTES >> 20} MB); export a shorter period, or split it.")
    calendars = reader.read_calendars(data, path)
    total = 2 * sum(
        1 for cal in calendars for c in cal.children
        if c.name == "VEVENT" or (include_todos and c.name == "VTODO")
    )
    _tick(progress, 0, total, path)
    into = _Reader(path, include_todos, progress, total)
    name = ""
    counts = {"VEVENT": 0, "VTODO": 0}
    masters: dict[str, SeriesValues] = {}
    for calendar in calendars:
        day = today or clock.today()
        ctx = Context(
            path=path, default=zone, today=day, years=expand_years, since=since or day,
            zones=ZoneResolver(vtimezones(calendar), zone),
            ours=f"//{APP_NAME}//" in calendar.value("PRODID"),
        )
        into.calendar(calendar, ctx)
        into.problems += ctx.problems
        for master in ctx.masters:
            masters.setdefault(master.uid, master)
        name = name or calendar.value("X-WR-CALNAME") or calendar.value("NAME")
        for child in calendar.children:
            if child.name in counts:
                counts[child.name] += 1
    if into.unreadable and not into.read:  # nothing could be read: the file fails
        raise min(into.unreadable, key=lambda error: error.line or 0)
    posts = _unique(into.posts, into)
    _tick(progress, total // 2, total, path)
    return CalendarPreview(
        name=name,
        posts=tuple(posts),
        problems=tuple(sorted(into.problems, key=lambda p: p.line)),
        skipped=into.skipped,
        events=counts["VEVENT"],
        todos=counts["VTODO"],
        series=into.series,
        masters=tuple(masters.values()),
    )


def parse_calendar(
    path: Path | str,
    *,
    include_todos: bool = False,
    default_tz: str | None = None,
    expand_years: int = 1,
    since: date | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> CalendarPreview:
    """Read an .ics file into posts without touching any workspace (a preview).

    The options are those of :func:`parse_bytes`.
    """
    if csv_posts.is_table(path):  # read block by block, never whole
        return _read_table(lambda: Path(path).open("rb"), path, _zone(default_tz), progress)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(reader.MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CalendarImportError(
            path, None, f"cannot be read ({error.strerror or error})."
        ) from error
    return parse_bytes(
        data, path, include_todos=include_todos, default_tz=default_tz,
        expand_years=expand_years, since=since, today=today, progress=progress,
    )


def _add_campaigns(ws: Workspace, posts: Iterable[ParsedPost]) -> None:
    """Make the campaigns CSV rows name that the workspace does not have yet."""
    known = store.campaign_ids(ws)
    wanted = {post.campaign.strip().casefold(): post.campaign.strip() for post in posts
              if post.campaign and post.campaign.strip()}
    for key, name in sorted(wanted.items()):
        if key not in known:
            campaigns.create_campaign(ws, Campaign(0, name))


def import_calendar(
    ws: Workspace,
    path: Path | str,
    *,
    include_todos: bool = False,
    default_tz: str | None = None,
    expand_years: int = 1,
    since: date | None = None,
    progress: Progress | None = None,
) -> CalendarImportReport:
    """Import the events of an .ics file into ``ws`` as posts, in one transaction.

    Events already imported (same UID) are updated when the file's copy is newer
    (higher SEQUENCE or later LAST-MODIFIED) and differs; otherwise left alone.
    The posts are planned and written :data:`_CHUNK` at a time, in the one transaction.
    ``progress`` is called with ``(done, total)``; returning False cancels
    (:class:`CalendarImportCancelled`). On any error or cancel nothing is written.
    """
    preview = parse_calendar(
        path, include_todos=include_todos, default_tz=default_tz,
        expand_years=expand_years, since=since, progress=progress,
    )
    # The posts are planned and written a chunk at a time, each let go once written.
    posts: list[ParsedPost | None] = list(preview.posts)
    masters, layout = preview.masters, preview.layout
    skipped, problems = preview.skipped, preview.problems
    del preview
    imported = merged = unchanged = 0
    zone = _zone(default_tz).key
    total = 2 * max(len(posts), 1)
    with ws.transaction():
        stored = series_store.series_by_uid(ws, [m.uid for m in masters])
        series_store.write_series(ws, *plan_series(masters, stored))
        series_ids = {uid: s.id for uid, s in
                      series_store.series_by_uid(ws, [m.uid for m in masters]).items()}
        _add_campaigns(ws, (post for post in posts if post is not None))
        campaign_ids = store.campaign_ids(ws)
        _tick(progress, len(posts), total, path)
        for start in range(0, len(posts), _CHUNK):
            chunk = [post for post in posts[start : start + _CHUNK] if post is not None]
            posts[start : start + _CHUNK] = [None] * len(chunk)
            existing = store.existing_posts(ws, [post.uid for post in chunk])
            plan = plan_writes(chunk, existing, campaign_ids, series_ids, layout, zone)
            store.insert_posts(ws, plan.new)
            store.update_posts(ws, plan.updates)
            series_store.link_posts(ws, plan.links)
            imported += len(plan.new)
            merged += len(plan.updates)
            unchanged += plan.unchanged
            _tick(progress, len(posts) + start, total, path)
        _tick(progress, total, total, path)
    return CalendarImportReport(imported=imported, merged=merged, skipped=skipped,
                                problems=problems, unchanged=unchanged)
