"""The later dates of repeating posts that the user marked: their own status and results.

A repeating post's later dates (see :mod:`socialdesk.core.calendar.recurrence`) show the series'
status by default. A row of ``post_occurrences`` gives one of them a status and results
of its own. Rows stay when the series changes (an undo then finds them again), but only a
row on a date the series still repeats on counts anywhere: :func:`repeat_of` says which.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from socialdesk.store.columns import field_names, from_row, select_list
from socialdesk.store.models import OccurrenceDraft
from socialdesk.store.vocabulary import POST_STATUSES
from socialdesk.store.workspace import Workspace

# The columns of post_occurrences besides its key (post_id, occurs_on) and updated_at.
OCCURRENCE_COLUMNS = field_names(OccurrenceDraft)
_COLUMNS = select_list(OCCURRENCE_COLUMNS)


def _draft(row: sqlite3.Row) -> OccurrenceDraft:
    return from_row(OccurrenceDraft, row, OCCURRENCE_COLUMNS)


def repeat_of(day: str) -> str:
    """SQL, true when ``day`` (an SQL date expression) is a later date of the post ``p``.

    The same rule as :func:`socialdesk.core.calendar.recurrence.occurrences`: a monthly repeat
    first (the same day of the month), then an evergreen interval, then a weekly repeat,
    after the post's own date and until ``repeat_until``.
    """
    days = f"CAST(julianday({day}) - julianday(p.scheduled_on) AS INTEGER)"
    return (
        f"({day} > p.scheduled_on AND (p.repeat_until IS NULL OR {day} <= p.repeat_until) "
        "AND CASE WHEN p.repeat_rule = 'monthly' "
        f"THEN substr({day}, 9) = substr(p.scheduled_on, 9) "
        f"WHEN p.evergreen_weeks IS NOT NULL THEN {days} % (7 * p.evergreen_weeks) = 0 "
        f"WHEN p.repeat_rule = 'weekly' THEN {days} % 7 = 0 ELSE 0 END)"
    )


def validate(values: OccurrenceDraft) -> None:
    """Raise ``ValueError`` with a user-facing message when ``values`` cannot be stored."""
    if values.status not in POST_STATUSES:
        raise ValueError(f"Unknown status {values.status!r}.")
    for name in ("reach", "clicks", "engagements"):
        value = getattr(values, name)
        if value is not None and value < 0:
            raise ValueError(f"{name.title()} cannot be negative.")


def get_occurrence(ws: Workspace, post_id: int, occurs_on: str) -> OccurrenceDraft | None:
    """What the user marked on one later date of a post, or None (the series' defaults)."""
    row = ws.conn.execute(
        f"SELECT {_COLUMNS} FROM post_occurrences WHERE post_id = ? AND occurs_on = ?",
        (post_id, occurs_on),
    ).fetchone()
    return None if row is None else _draft(row)


def marked_between(ws: Workspace, first: str, last: str
                   ) -> dict[tuple[int, str], OccurrenceDraft]:
    """Every marked date from ``first`` to ``last`` (ISO dates), by (post id, date)."""
    return {
        (row["post_id"], row["occurs_on"]): _draft(row)
        for row in ws.conn.execute(
            f"SELECT post_id, occurs_on, {_COLUMNS} FROM post_occurrences "
            "WHERE occurs_on BETWEEN ? AND ?", (first, last))
    }


def occurrences_of(ws: Workspace, post_id: int) -> tuple[tuple[str, OccurrenceDraft], ...]:
    """Every stored row of one post, by date (to put back after deleting the post)."""
    return tuple(
        (row["occurs_on"], _draft(row))
        for row in ws.conn.execute(
            f"SELECT occurs_on, {_COLUMNS} FROM post_occurrences WHERE post_id = ? "
            "ORDER BY occurs_on", (post_id,))
    )


def set_occurrence(ws: Workspace, post_id: int, occurs_on: str,
                   values: OccurrenceDraft | None) -> None:
    """Give one later date of a repeating post its own status and results (None: clear them).

    Raises ``LookupError`` when the post is gone and ``ValueError`` when ``occurs_on`` is
    not a date the post repeats on or ``values`` cannot be stored.
    """
    date.fromisoformat(occurs_on)
    if values is not None:
        validate(values)
    with ws.transaction():
        row = ws.conn.execute(
            f"SELECT {repeat_of('d.day')} AS repeats, p.title FROM posts p, (SELECT ? AS day) d "
            "WHERE p.id = ?", (occurs_on, post_id)).fetchone()
        if row is None:
            raise LookupError(f"Post {post_id} no longer exists.")
        if values is None:
            ws.conn.execute("DELETE FROM post_occurrences WHERE post_id = ? AND occurs_on = ?",
                            (post_id, occurs_on))
            return
        if not row["repeats"]:
            raise ValueError(f"“{row['title']}” does not repeat on {occurs_on}.")
        write(ws, post_id, ((occurs_on, values),))


def write(ws: Workspace, post_id: int,
          rows: tuple[tuple[str, OccurrenceDraft], ...]) -> None:
    """Store ``rows`` (date, values) for a post as they are (restoring a deleted post)."""
    ws.conn.executemany(
        f"INSERT OR REPLACE INTO post_occurrences (post_id, occurs_on, {_COLUMNS}, updated_at) "
        f"VALUES (?, ?, {', '.join('?' * len(OCCURRENCE_COLUMNS))}, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        [(post_id, day, *(getattr(v, name) for name in OCCURRENCE_COLUMNS)) for day, v in rows],
    )
