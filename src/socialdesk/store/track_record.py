"""What the planner's track record reads: resolved asks' forecasts, own posts' reach.

:func:`resolved_forecasts` lists every resolved ask that stores the forecast it was planned
with (asks made before schema version 7 have none and are left out), in the order they
were resolved. An ask still waiting (asked or agreed) whose tracked link brought visits
was shared all the same: it counts as a share *confirmed by visits*, resolved when it was
agreed, else when asked; its reach is not known. A marked outcome stands (a declined ask
with visits stays declined: someone else may have passed the link on).

:func:`own_post_reach` lists the published own posts (and published dates
of repeating posts) whose reach was typed in or fetched, each with the one platform it
went out on and the followers of the active own channels there: what learned reach rates
are made from. Plain tuples, in bulk: a large workspace has tens of thousands of asks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from socialdesk.store import columns as column_reads
from socialdesk.store.asks import RESOLVED, WAITING
from socialdesk.store.occurrences import repeat_of
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

_RESOLVED = "(" + ", ".join(f"'{s}'" for s in RESOLVED) + ")"


# One resolved ask as read, a plain tuple (tens of thousands are read at once):
# (p, shared: 1 shared / 0 declined or no reply, E_c or None, x_0 or None,
#  a share's observed reach or None, confirmed: 1 when only visits tell it was shared,
#  the model's p before the calibration).
ResolvedForecast = tuple[float, int, float | None, float | None, int | None, int, float]


class PostReach(NamedTuple):
    """One published own post on one platform: its reach and the followers there."""

    platform: str  # lower case
    reach: int
    followers: int


def _ask_columns(ws: Workspace) -> set[str]:
    return {row["name"] for row in ws.conn.execute("PRAGMA table_info(asks)")}


def has_forecasts(ws: Workspace) -> bool:
    """True when the workspace's asks can hold forecasts (schema version 7 or later)."""
    return "planned_p" in _ask_columns(ws)


def resolved_forecasts(ws: Workspace) -> list[ResolvedForecast]:
    """Resolved asks with a stored p, and waiting ones confirmed by visits; oldest first.

    An ask's resolution date is its answer date (its ask date when none was recorded, as
    for most unanswered asks and every ask confirmed by visits); ties by id, the order the
    asks were made. The model's p before the calibration is ``planned_p`` for asks made
    before version 11 stored it.
    """
    query = _resolved_query(
        ws, "planned_p, status = 'shared' OR {waiting}, planned_reach, planned_x0, "
        "CASE WHEN status = 'shared' THEN observed_reach END, {waiting}, {raw}")
    if query is None:
        return []
    cursor = ws.conn.cursor()
    cursor.row_factory = None  # plain tuples: tens of thousands of rows, read once
    rows: list[ResolvedForecast] = cursor.execute(query).fetchall()
    return rows


CALIBRATION_ROW = [("raw_p", "f8"), ("shared", "f8")]


def calibration_outcomes(ws: Workspace, with_ids: bool = False,
                         between: Callable[[], object] | None = None) -> np.ndarray:
    """The model's p before the calibration and the outcome of :func:`resolved_forecasts`.

    One structured array (``CALIBRATION_ROW``, and each ask's ``id`` with ``with_ids``)
    in the same order, read as columns (``store.columns.numeric_columns``): what the
    calibration is fitted on, without a tuple per ask. ``between`` is called before the
    read, one SQLite statement (a read on a worker stops there when its view was left).
    """
    import numpy as np  # imported on first use, not at startup

    row = np.dtype(CALIBRATION_ROW + ([("id", "i8")] if with_ids else []))
    query = _resolved_query(ws, "{raw}, status = 'shared' OR {waiting}, id")
    if query is None:
        return np.zeros(0, dtype=row)
    if between is not None:
        between()
    raw_p, shared, ids = column_reads.numeric_columns(ws.conn.cursor(), query, "fii")
    outcomes = np.empty(len(raw_p), dtype=row)
    outcomes["raw_p"], outcomes["shared"] = raw_p, shared
    if with_ids:
        outcomes["id"] = ids
    return outcomes


def outcomes_among(ws: Workspace, ask_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The given asks' rows of :func:`calibration_outcomes` (``with_ids``) as they are now.

    With each, how many of all its rows come after it: where it is in their order, counted
    from the end (an ask just answered: a few rows of the index to count).
    """
    import numpy as np

    row = np.dtype([*CALIBRATION_ROW, ("id", "i8")])
    query = _resolved_query(ws, "{raw} AS raw_p, status = 'shared' OR {waiting} AS shared, id, "
                            f"{_ORDER} AS at", "id IN (SELECT value FROM json_each(?))")
    if query is None:
        return np.zeros(0, dtype=row), np.zeros(0, dtype=np.int64)
    found = ws.conn.execute(query, (json.dumps(list(ask_ids)),)).fetchall()
    # Two counts, each a range of the asks_track_record index.
    above = _resolved_query(ws, "count(*) AS n", f"{_ORDER} > ?", ordered=False)
    tied = _resolved_query(ws, "count(*) AS n", f"{_ORDER} = ? AND id > ?", ordered=False)
    assert above is not None and tied is not None  # forecasts are stored: query was made
    later = [above, tied]
    after = [sum(ws.conn.execute(q, args).fetchone()["n"]
                 for q, args in zip(later, ((r["at"],), (r["at"], r["id"])), strict=True))
             for r in found]
    rows = np.array([(r["raw_p"], r["shared"], r["id"]) for r in found], dtype=row)
    return rows, np.asarray(after, dtype=np.int64)


_ORDER = "coalesce(answered_on, asked_on)"  # then id: the resolved asks' order


def _resolved_query(ws: Workspace, select: str, among: str = "", ordered: bool = True
                    ) -> str | None:
    """The resolved asks' query with ``select``'s columns (None: no forecasts stored).

    ``among``: a condition they must meet too; ``ordered``: in their order.
    """
    columns = _ask_columns(ws)
    if "planned_p" not in columns:
        return None
    visited = ""
    if ws.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                       "AND name = 'ask_visits'").fetchone():
        visited = (f" OR ({WAITING} AND id IN "
                   "(SELECT ask_id FROM ask_visits WHERE visits > 0))")
    # A workspace opened read-only may be older than version 11.
    raw = "coalesce(planned_raw_p, planned_p)" if "planned_raw_p" in columns else "planned_p"
    return (f"SELECT {select.format(waiting=WAITING, raw=raw)} "
            f"FROM asks WHERE {among + ' AND ' if among else ''}planned_p IS NOT NULL "
            f"AND (status IN {_RESOLVED}{visited})"
            + (f" ORDER BY {_ORDER}, id" if ordered else ""))  # asks_track_record's order


def own_post_reach(ws: Workspace) -> list[PostReach]:
    """Published own posts with a reach, made for exactly one platform with followers.

    A post made for several platforms (or for all of them) reports one reach for all of
    them, which no single platform's rate can be learned from: it is left out.
    """
    rows = ws.conn.execute(
        f"""
        WITH followers AS (
            SELECT lower(platform) AS platform, sum(followers) AS followers FROM channels
            WHERE active = 1 GROUP BY lower(platform)
        ),
        published AS (
            SELECT p.id AS post_id, p.reach FROM posts p
            WHERE p.status = 'published' AND p.reach IS NOT NULL
            UNION ALL
            SELECT o.post_id, o.reach FROM post_occurrences o JOIN posts p ON p.id = o.post_id
            WHERE o.status = 'published' AND o.reach IS NOT NULL AND {repeat_of('o.occurs_on')}
        )
        SELECT f.platform AS platform, r.reach AS reach, f.followers AS followers
        FROM published r JOIN post_channels c ON c.post_id = r.post_id
        JOIN followers f ON f.platform = lower(c.platform)
        WHERE f.followers > 0
          AND (SELECT count(*) FROM post_channels n WHERE n.post_id = r.post_id) = 1
        """
    )
    return [PostReach(platform=r["platform"], reach=r["reach"], followers=r["followers"])
            for r in rows]
