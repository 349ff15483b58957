"""Imported repeating events (``post_series``): read, insert and update them.

A series' lists are stored as text: RRULE values one per line, RDATE, EXDATE and
occurrence values comma-separated (iCalendar's own list form), categories and channels
as JSON. The calendar import writes series; the calendar export reads them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from socialdesk.store.workspace import Workspace

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
_CHUNK = 500
Channel = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class SeriesValues:
    """A repeating event expanded into one post per date: one row of ``post_series``.

    ``starts`` is its DTSTART value (``YYYYMMDD`` all day, ``YYYYMMDDTHHMMSS`` in
    ``timezone``, an IANA name, or with a ``Z`` in UTC); ``rdates``, ``exdates`` and
    ``occurrences`` (the dates it made posts for: their RECURRENCE-ID) are values of the
    same form, ``rrules`` its RRULE values. The other fields are what the event says,
    which each date shows unless its post differs; ``status`` is its status word
    (X-SOCIALDESK-STATUS, else STATUS) and ``channels`` ``None`` when it names none.
    See ``schema_v9`` and ``docs/schema.md``.
    """

    uid: str
    starts: str
    timezone: str | None
    rrules: tuple[str, ...]
    rdates: tuple[str, ...]
    exdates: tuple[str, ...]
    occurrences: tuple[str, ...]
    sequence: int
    modified: str | None
    title: str
    body: str
    status: str
    link: str
    location: str
    categories: tuple[str, ...]
    channels: tuple[Channel, ...] | None


@dataclass(frozen=True, slots=True)
class StoredSeries:
    """A series as the workspace has it: its id, values and last change."""

    id: int
    values: SeriesValues
    updated_at: str


_COLUMNS = tuple(f.name for f in fields(SeriesValues))
_LISTS = ("rdates", "exdates", "occurrences")


def _encode(values: SeriesValues) -> dict[str, object]:
    """The column values of a series, by column name."""
    encoded: dict[str, object] = {}
    for name in _COLUMNS:
        value = getattr(values, name)
        if name == "rrules":
            value = "\n".join(value)
        elif name in _LISTS:
            value = ",".join(value)
        elif name == "categories":
            value = json.dumps(list(value), ensure_ascii=False)
        elif name == "channels":
            value = None if value is None else json.dumps([list(c) for c in value],
                                                          ensure_ascii=False)
        encoded[name] = value
    return encoded


def _split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(sep) if part)


def decode(row: sqlite3.Row) -> SeriesValues:
    """The values of a ``post_series`` row (every column)."""
    get = row.__getitem__
    channels = get("channels")
    return SeriesValues(
        uid=get("uid"), starts=get("starts"), timezone=get("timezone"),
        rrules=_split(get("rrules"), "\n"),
        rdates=_split(get("rdates"), ","), exdates=_split(get("exdates"), ","),
        occurrences=_split(get("occurrences"), ","),
        sequence=get("sequence"), modified=get("modified"), title=get("title"),
        body=get("body"), status=get("status"), link=get("link"), location=get("location"),
        categories=tuple(json.loads(get("categories") or "[]")),
        channels=None if channels is None else tuple(
            (str(platform), body) for platform, body in json.loads(channels)),
    )


def _require_transaction(ws: Workspace) -> None:
    if not ws.conn.in_transaction:
        raise RuntimeError("series writes must run inside ws.transaction()")


def series_by_uid(ws: Workspace, uids: Iterable[str]) -> dict[str, StoredSeries]:
    """The stored series whose UID is among ``uids``, by UID."""
    wanted = sorted(set(uids))
    found: dict[str, StoredSeries] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for row in ws.conn.execute(
            f"SELECT * FROM post_series WHERE uid IN ({', '.join('?' * len(chunk))})", chunk
        ):
            found[row["uid"]] = StoredSeries(row["id"], decode(row), row["updated_at"])
    return found


def series_by_id(ws: Workspace, ids: Iterable[int]) -> dict[int, SeriesValues]:
    """The stored series of ``ids``, by id."""
    wanted = sorted(set(ids))
    found: dict[int, SeriesValues] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for row in ws.conn.execute(
            f"SELECT * FROM post_series WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        ):
            found[row["id"]] = decode(row)
    return found


def write_series(
    ws: Workspace, new: Sequence[SeriesValues], updates: Sequence[tuple[int, SeriesValues]]
) -> None:
    """Insert new series and overwrite others (by id), inside the caller's transaction."""
    _require_transaction(ws)
    ws.conn.executemany(
        f"INSERT INTO post_series ({', '.join(_COLUMNS)}) "
        f"VALUES ({', '.join(f':{c}' for c in _COLUMNS)})",
        [_encode(values) for values in new],
    )
    ws.conn.executemany(
        f"UPDATE post_series SET {', '.join(f'{c} = :{c}' for c in _COLUMNS if c != 'uid')}, "
        f"updated_at = {_NOW} WHERE id = :series_id",
        [{**_encode(values), "series_id": series_id} for series_id, values in updates],
    )


def link_posts(ws: Workspace, links: Sequence[tuple[int, int | None, str | None]]) -> None:
    """Set the series and date of posts ``(post id, series id, recurrence id)``.

    Not a change of the post (``updated_at`` and ``sequence`` stay): which imported
    series a post came from is the import's bookkeeping.
    """
    _require_transaction(ws)
    ws.conn.executemany(
        "UPDATE posts SET series_id = ?, recurrence_id = ? WHERE id = ?",
        [(series_id, rid, post_id) for post_id, series_id, rid in links],
    )
