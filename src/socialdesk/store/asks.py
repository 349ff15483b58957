"""Asks: requests to partners to share a post, and their outcomes.

An ask starts as ``asked``; its outcome is ``agreed`` (still to share), ``shared`` (with
the reach observed), ``declined`` or ``no_reply``. For the leverage model an ask is
resolved when shared, declined or unanswered: k = shared, n = resolved. Asked and agreed
asks are *waiting*; a waiting ask past its due date is *overdue* (:func:`waiting_asks`).
A share may be recorded before its post is published (a partner can share early); its
reach counts in the reports once the post is published (:attr:`AskRow.counts_in_reports`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from socialdesk.store.columns import columns_by_name, field_names, from_row, select_named
from socialdesk.store.models import AskRow
from socialdesk.store.vocabulary import ASK_STATUSES
from socialdesk.store.workspace import Workspace

RESOLVED = ("shared", "declined", "no_reply")
# Waiting: no outcome yet (no answer, or agreed but not shared yet). Written as in the
# asks_open index, which SQLite uses only for this very condition.
WAITING = "status IN ('asked', 'agreed')"
_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
# Each partner's resolved asks (n), shares (k) and last ask, by ``contact_id``: read from
# the index asks_history alone (followed by ``WHERE …`` if any, then ``GROUP BY contact_id``).
PARTNER_HISTORY = (
    "SELECT contact_id, sum(status IN ('shared', 'declined', 'no_reply')) AS asked, "
    "sum(status = 'shared') AS shared, max(asked_on) AS last_asked_on FROM asks")

# An ask as read: the fields of :class:`AskRow`, each a column of ``asks a`` unless named here.
_ASK_FIELDS = field_names(AskRow)
_ASK_JOINED = {"contact_name": "c.name", "post_title": "p.title", "post_status": "p.status"}
_ASK_SQL = (
    f"SELECT {select_named(_ASK_FIELDS, 'a', _ASK_JOINED)}"
    + "\nFROM asks a JOIN contacts c ON c.id = a.contact_id LEFT JOIN posts p ON p.id = a.post_id\n"
)


def _ask(row: sqlite3.Row) -> AskRow:
    return from_row(AskRow, row, _ASK_FIELDS)


@dataclass(frozen=True, slots=True)
class Forecast:
    """The leverage model's figures an ask was planned with (its track record).

    ``p``: the chance the partner shares, as the planner gave it; ``reach``: their reach
    if they share (E_c); ``x0``: the share of the universe the own channels reach;
    ``model_version``: the leverage model's version; ``raw_p``: the model's p before the
    calibration (None: ``p`` was not calibrated), which the calibration is fitted on.
    """

    p: float
    reach: float
    x0: float
    model_version: int
    raw_p: float | None = None


@dataclass(frozen=True, slots=True)
class NewAsk:
    """An ask about to be made: to whom, for which post, with what message."""

    contact_id: int
    post_id: int | None
    asked_on: str
    message: str = ""
    predicted_reach: float | None = None
    effort_minutes: int | None = None
    due_on: str | None = None
    note: str = ""
    forecast: Forecast | None = None  # what the planner expected when the ask was made


@dataclass(frozen=True, slots=True)
class WaitingAsks:
    """Asks waiting for an outcome, and the overdue ones among them.

    Waiting: asked and not answered yet, or agreed and not shared yet. Overdue: waiting
    past its due date. ``rows``: the first of them by due date (overdue first, those
    without a due date last), as many as were asked for.
    """

    waiting: int
    overdue: int
    rows: tuple[AskRow, ...] = ()


def create_asks(ws: Workspace, asks: Sequence[NewAsk]) -> list[int]:
    """Record asks (status ``asked``) in one transaction; return their ids in order.

    A partner is asked once per post: an ask for a post the partner was already asked
    for (or twice in ``asks``) raises ValueError naming them, and nothing is recorded.
    """
    import uuid  # here: importing it costs every start ~6 ms

    ids = []
    with ws.transaction():
        for ask in asks:
            _refuse_second_ask(ws, ask)
            f = ask.forecast
            cursor = ws.conn.execute(
                "INSERT INTO asks (uid, post_id, contact_id, status, asked_on, due_on, message,"
                " predicted_reach, effort_minutes, note, planned_p, planned_reach, planned_x0,"
                " model_version, planned_raw_p)"
                " VALUES (?, ?, ?, 'asked', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), ask.post_id, ask.contact_id, ask.asked_on, ask.due_on,
                 ask.message, ask.predicted_reach, ask.effort_minutes, ask.note,
                 *((f.p, f.reach, f.x0, f.model_version, f.p if f.raw_p is None else f.raw_p)
                   if f else (None,) * 5)),
            )
            ids.append(int(cursor.lastrowid or 0))
    return ids


def _refuse_second_ask(ws: Workspace, ask: NewAsk) -> None:
    if ask.post_id is None:
        return
    found = ws.conn.execute(
        "SELECT c.name AS name, a.asked_on AS asked_on, p.title AS title FROM asks a "
        "JOIN contacts c ON c.id = a.contact_id JOIN posts p ON p.id = a.post_id "
        "WHERE a.contact_id = ? AND a.post_id = ?",
        (ask.contact_id, ask.post_id)).fetchone()
    if found:
        raise ValueError(f"{found['name']} was already asked to share “{found['title']}” (on "
                         f"{found['asked_on']}); a partner is asked once per post.")


def delete_asks(ws: Workspace, ask_ids: Iterable[int]) -> int:
    """Remove asks (to undo creating them); return how many were removed."""
    ids = list(ask_ids)
    with ws.transaction():
        return sum(ws.conn.execute("DELETE FROM asks WHERE id = ?", (i,)).rowcount for i in ids)


def get_ask(ws: Workspace, ask_id: int) -> AskRow | None:
    """One ask, or None if there is no such ask."""
    row = ws.conn.execute(f"{_ASK_SQL} WHERE a.id = ?", (ask_id,)).fetchone()
    return _ask(row) if row else None


def record_outcome(
    ws: Workspace,
    ask_id: int,
    status: str,
    *,
    answered_on: str | None = None,
    observed_reach: int | None = None,
    note: str | None = None,
) -> AskRow:
    """Set an ask's status (and, when shared, the reach observed); return the ask as saved.

    Raises LookupError for an unknown ask and ValueError for an unknown status or a
    negative reach. A reach is only kept with ``shared``; going back to ``asked`` clears
    the answer date.
    """
    if status not in ASK_STATUSES:
        raise ValueError(f"unknown ask status {status!r} (one of {', '.join(ASK_STATUSES)})")
    if observed_reach is not None and observed_reach < 0:
        raise ValueError("the observed reach cannot be negative")
    with ws.transaction():
        cursor = ws.conn.execute(
            f"UPDATE asks SET status = ?, answered_on = ?, observed_reach = ?, "
            f"note = coalesce(?, note), updated_at = {_NOW} WHERE id = ?",
            (status, None if status == "asked" else answered_on,
             observed_reach if status == "shared" else None, note, ask_id),
        )
        if not cursor.rowcount:
            raise LookupError(f"There is no ask {ask_id} in this workspace.")
    saved = get_ask(ws, ask_id)
    assert saved is not None
    return saved


def asks_for_contact(ws: Workspace, contact_id: int) -> list[AskRow]:
    """Every ask made to one contact, newest first."""
    rows = ws.conn.execute(
        f"{_ASK_SQL} WHERE a.contact_id = ? ORDER BY a.asked_on DESC, a.id DESC", (contact_id,)
    ).fetchall()
    return [_ask(row) for row in rows]


def recent_ask_counts(
    ws: Workspace, today: str, days: int = 30, contact_ids: Iterable[int] | None = None,
    between: Callable[[], object] | None = None,
) -> dict[int, int]:
    """How many asks each contact got in the ``days`` days up to ``today`` (ISO date).

    Contacts without such asks are left out; ``contact_ids`` limits the answer to some.
    ``between`` is called between parts of the rows
    (:func:`~socialdesk.store.columns.columns_by_name`).
    """
    since = (date.fromisoformat(today) - timedelta(days=days)).isoformat()
    cursor = ws.conn.cursor()
    cursor.row_factory = None  # plain tuples, taken apart by columns_by_name
    rows = columns_by_name(cursor.execute(
        "SELECT contact_id, count(*) AS asks FROM asks WHERE asked_on > ? AND asked_on <= ? "
        "GROUP BY contact_id", (since, today)), between)
    wanted = None if contact_ids is None else set(contact_ids)
    return {contact: count for contact, count in zip(rows["contact_id"], rows["asks"],
                                                      strict=True)
            if wanted is None or contact in wanted}


def waiting_asks(ws: Workspace, today: str, limit: int = 0) -> WaitingAsks:
    """How many asks are waiting, and overdue on ``today`` (ISO date); ``limit`` of them listed.

    The one definition of both, for every view that shows them (see :class:`WaitingAsks`).
    Every query reads the ``asks_open`` index in its own order (due date, then id), so
    Today does not sort the thousands of waiting asks of a large workspace.
    """
    counts = ws.conn.execute(
        f"SELECT count(*) AS waiting, coalesce(sum(due_on < ?), 0) AS overdue FROM asks "
        f"WHERE {WAITING}", (today,),
    ).fetchone()
    rows: list[sqlite3.Row] = []
    for undated in (False, True):
        if len(rows) >= limit:
            break
        rows += ws.conn.execute(
            f"{_ASK_SQL} WHERE a.{WAITING} AND a.due_on IS {'' if undated else 'NOT '}NULL "
            "ORDER BY a.due_on, a.id LIMIT ?", (limit - len(rows),),
        ).fetchall()
    return WaitingAsks(counts["waiting"], counts["overdue"], tuple(_ask(row) for row in rows))


def asks_for_post(ws: Workspace, post_id: int) -> list[AskRow]:
    """Every ask made for one post, newest first."""
    rows = ws.conn.execute(
        f"{_ASK_SQL} WHERE a.post_id = ? ORDER BY a.asked_on DESC, a.id DESC", (post_id,)
    ).fetchall()
    return [_ask(row) for row in rows]


def visits_waiting(ws: Workspace, post_id: int | None = None, limit: int = 20
                   ) -> list[tuple[AskRow, int]]:
    """Waiting asks whose tracked link brought visits (imported clicks), most visits first.

    Only ``post_id``'s asks when given. Empty while the workspace holds no visits table
    (``ask_visits``, filled by ``socialdesk import clicks``).
    """
    if ws.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                       "name = 'ask_visits'").fetchone() is None:
        return []
    where = f"a.{WAITING}" + (" AND a.post_id = ?" if post_id is not None else "")
    rows = ws.conn.execute(
        f"""WITH brought AS (SELECT ask_id, sum(visits) AS visits FROM ask_visits
                             GROUP BY ask_id HAVING sum(visits) > 0)
            SELECT {select_named(_ASK_FIELDS, 'a', _ASK_JOINED)}, b.visits AS brought
            FROM brought b JOIN asks a ON a.id = b.ask_id
            JOIN contacts c ON c.id = a.contact_id LEFT JOIN posts p ON p.id = a.post_id
            WHERE {where} ORDER BY b.visits DESC, a.id LIMIT ?""",
        (*((post_id,) if post_id is not None else ()), limit)).fetchall()
    return [(_ask(row), int(row["brought"])) for row in rows]
