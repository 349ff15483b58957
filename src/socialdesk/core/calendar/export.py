"""Calendar export: iCalendar, plain CSV and Hootsuite bulk CSV, written atomically.

``export_calendar`` is what the CLI (``socialdesk export calendar``) and the GUI call;
it reads the workspace once, writes every file to a temporary beside its target and
moves it in only when the whole export succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.core.atomic import AtomicFiles, ExportCancelled, ExportError, atomic_open
from socialdesk.core.calendar import csv_export, ics
from socialdesk.core.gc_pause import free_in_parts
from socialdesk.core.timezones import local_timezone
from socialdesk.store.calendar_export import CalendarData, calendar_export_data
from socialdesk.store.workspace import Workspace

CalendarFormat = Literal["ics", "csv", "hootsuite"]
FORMATS: tuple[str, ...] = get_args(CalendarFormat)


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: files, posts, to-dos (ICS) or rows (CSV), what it left out.

    ``skipped`` maps a reason to the number of posts left out for it; ``notes`` are
    remarks that did not stop anything from being written.
    """

    format: str
    files: tuple[Path, ...]
    posts: int
    todos: int = 0
    rows: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def skipped_total(self) -> int:
        """How many posts were left out, for any reason."""
        return sum(self.skipped.values())


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ExportError(f"Unknown time zone {name!r} (use an IANA name such as "
                          "'Europe/Paris').") from error
    return name


def _check_target(out: Path) -> None:
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name to export to.")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} does not exist; create the folder first.")


def export_calendar(
    ws: Workspace,
    out: Path,
    fmt: CalendarFormat,
    first: date | None = None,
    last: date | None = None,
    default_tz: str | None = None,
    *,
    calendar_name: str | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ExportResult:
    """Export the content calendar from ``first`` to ``last`` (inclusive; ``None``: open).

    ``fmt`` is ``"ics"`` (one file), ``"csv"`` (one file) or ``"hootsuite"`` (files
    ``<stem>-<channel>.csv``, split into ``-2``, ``-3`` … beyond 350 rows, beside
    ``out``). Timed posts without their own zone use ``default_tz`` (default: this
    computer's zone). ``calendar_name`` names the ICS calendar (default: the workspace
    file's name). Raises :class:`ExportError` for a bad format, zone, range or target;
    on any failure the files already at the targets are left as they were.
    ``progress(done, total)`` is called as the posts are read and written; once it
    returns False the export stops, writes nothing and raises :class:`ExportCancelled`.
    """

    def tick(done: int, total: int) -> None:
        if progress is not None and progress(done, total) is False:
            raise ExportCancelled("Export cancelled; nothing was written.")

    if fmt not in FORMATS:
        raise ExportError(f"Unknown calendar format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if first and last and first > last:
        raise ExportError(f"The range starts ({first}) after it ends ({last}).")
    zone = _check_zone(default_tz or local_timezone())
    out = Path(out).expanduser()
    _check_target(out)
    tick(0, 0)
    data = calendar_export_data(
        ws,
        first.isoformat() if first else None,
        last.isoformat() if last else None,
        with_recurring=fmt == "ics",
        progress=tick,
    )
    try:
        return _write(data, out, fmt, zone,
                      calendar_name if calendar_name is not None else ws.path.stem, tick)
    finally:  # 100,000s of posts freed at once would keep the GUI thread waiting
        parts: list[list[object]] = [list(data.posts), list(data.asks), list(data.follow_ups)]
        del data  # now the lists hold the only references
        for part in parts:
            free_in_parts(part)


def _write(data: CalendarData, out: Path, fmt: str, zone: str, name: str,
           tick: Callable[[int, int], None]) -> ExportResult:
    try:
        if fmt == "ics":
            with atomic_open(out, binary=True) as handle:
                stats = ics.write_ics(data, handle, name=name, default_tz=zone,
                                      rendered=tick)
            return ExportResult(
                format=fmt, files=(out,), posts=stats.events, todos=stats.todos,
                skipped=stats.skipped, notes=tuple(stats.notes),
            )
        if fmt == "csv":
            with atomic_open(out, encoding=csv_export.CSV_ENCODING) as handle:
                csv_stats = csv_export.write_csv(data, handle, default_tz=zone, written=tick)
            return ExportResult(
                format=fmt, files=(out,), posts=csv_stats.posts, rows=csv_stats.rows,
                skipped=csv_stats.skipped, notes=tuple(csv_stats.notes),
            )
        tick(0, 0)
        return _export_hootsuite(data, out, zone)
    except OSError as error:
        raise ExportError(f"Cannot write {out}: {error.strerror or error}.") from error


def _export_hootsuite(data: CalendarData, out: Path, zone: str) -> ExportResult:
    stats = csv_export.CsvStats()
    by_channel = csv_export.hootsuite_rows(data, default_tz=zone, stats=stats)
    files: list[Path] = []
    with AtomicFiles() as pending:
        for channel in sorted(by_channel):
            parts = csv_export.batches(by_channel[channel])
            for path, rows in zip(
                csv_export.hootsuite_paths(out, channel, len(parts)), parts, strict=True
            ):
                handle = pending.open(path, encoding=csv_export.HOOTSUITE_ENCODING)
                stats.rows += csv_export.write_hootsuite_rows(rows, handle)
                files.append(path)
    if not files:
        stats.notes.append("Nothing to upload: no post has a date, a time and a channel.")
    return ExportResult(
        format="hootsuite", files=tuple(files), posts=stats.posts, rows=stats.rows,
        skipped=stats.skipped, notes=tuple(stats.notes),
    )


__all__ = [
    "FORMATS",
    "CalendarFormat",
    "ExportError",
    "ExportResult",
    "export_calendar",
    "local_timezone",
]
