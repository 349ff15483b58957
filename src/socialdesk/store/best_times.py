"""What "Best time to post" reads: the reach of published posts and when they went out.

A sample is a published post (or a published later date of a repeating post) with its
reach typed in. When SocialDesk sent it (``publications``), the first sent time is when
it went out; otherwise its date and time in the calendar. ``core/calendar/best_times.py``
turns the samples into a weekday × hour grid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from socialdesk.store import columns
from socialdesk.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class ReachSample:
    """One published post's reach and when it went out.

    ``sent_at``: the UTC time SocialDesk sent it (None when it did not); else
    ``day`` and ``time`` (None: no time) in ``timezone`` (None: the workspace's).
    """

    day: str
    time: str | None
    timezone: str | None
    sent_at: str | None
    reach: int


_SAMPLES = """
SELECT p.scheduled_on AS day, p.scheduled_time AS time, p.timezone, p.reach,
       (SELECT min(u.sent_at) FROM publications u
        WHERE u.post_id = p.id AND u.state = 'sent') AS sent_at
FROM posts p
WHERE p.status = 'published' AND p.reach IS NOT NULL AND p.scheduled_on IS NOT NULL
UNION ALL
SELECT o.occurs_on, p.scheduled_time, p.timezone, o.reach, NULL
FROM post_occurrences o JOIN posts p ON p.id = o.post_id
WHERE o.status = 'published' AND o.reach IS NOT NULL
"""


def reach_samples(ws: Workspace, between: Callable[[], object] | None = None
                  ) -> list[ReachSample]:
    """Every published post (and later date) with a reach, in one query.

    ``between`` is called after every :data:`~socialdesk.store.columns.ROWS_PART` rows
    (a read on a worker stops there when its view was left).
    """
    cursor = ws.conn.execute(_SAMPLES)
    found: list[ReachSample] = []
    while part := cursor.fetchmany(columns.ROWS_PART):
        found.extend(ReachSample(r["day"], r["time"], r["timezone"], r["sent_at"],
                                 int(r["reach"])) for r in part)
        if between is not None:
            between()
    return found


def taken_hours(ws: Workspace, first: str, last: str) -> set[tuple[str, int]]:
    """(date, hour) of every timed post between ``first`` and ``last`` (not skipped)."""
    return {(r["day"], int(r["time"][:2])) for r in ws.conn.execute(
        "SELECT scheduled_on AS day, scheduled_time AS time FROM posts "
        "WHERE scheduled_on BETWEEN ? AND ? AND scheduled_time IS NOT NULL "
        "AND status != 'skipped'", (first, last))}
