"""SQL of the clicks import: the asks a tracked link can name, and visits per ask."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from socialdesk.store.columns import rows_as
from socialdesk.store.workspace import Workspace

WRITE_STEP = 5_000  # rows written between two calls of replace_visits' ``written``


@dataclass(frozen=True, slots=True)
class TrackedAsk:
    """An ask whose partner has a slug and whose post has a link: its links can be counted."""

    ask_id: int
    contact_id: int
    partner: str
    slug: str
    post_id: int
    asked_on: str


def tracked_asks(ws: Workspace) -> list[TrackedAsk]:
    """Every ask a tracked link can lead back to, oldest ask first."""
    return rows_as(TrackedAsk, ws.conn.execute(
        """SELECT a.id AS ask_id, a.contact_id AS contact_id, c.name AS partner,
                  c.slug AS slug, a.post_id AS post_id, a.asked_on AS asked_on
           FROM asks a JOIN contacts c ON c.id = a.contact_id
           JOIN posts p ON p.id = a.post_id
           WHERE c.slug IS NOT NULL AND p.link <> ''
           ORDER BY a.asked_on, a.id"""))


def replace_visits(ws: Workspace, first_day: str, last_day: str,
                   rows: Sequence[tuple[int, str, str, int]], source_file: str,
                   written: Callable[[int], object] | None = None) -> int:
    """Replace every figure overlapping ``first_day``…``last_day`` with ``rows``.

    ``rows`` are (ask id, first day, last day, visits), each period inside the range and
    each (ask, period) once. One transaction; returns how many earlier rows went.
    ``written(n)`` is called after every ``WRITE_STEP`` rows (and once with none written
    yet); an exception it raises undoes the whole replacement.
    """
    with ws.transaction():
        removed = ws.conn.execute(
            "DELETE FROM ask_visits WHERE first_day <= ? AND last_day >= ?",
            (last_day, first_day)).rowcount
        for start in range(0, len(rows) + 1, WRITE_STEP):
            if written is not None:
                written(start)
            ws.conn.executemany(
                "INSERT INTO ask_visits (ask_id, first_day, last_day, visits, source_file) "
                "VALUES (?, ?, ?, ?, ?)",
                ((ask, first, last, visits, source_file)
                 for ask, first, last, visits in rows[start:start + WRITE_STEP]))
        if written is not None:
            written(len(rows))
    return int(removed)


def visits_per_ask(ws: Workspace) -> dict[int, int]:
    """Every ask's recorded visits, all periods together (asks without visits left out)."""
    return {int(row["ask_id"]): int(row["visits"]) for row in ws.conn.execute(
        "SELECT ask_id, sum(visits) AS visits FROM ask_visits GROUP BY ask_id")}


def visits_per_partner(ws: Workspace) -> dict[int, int]:
    """Every partner's recorded visits by contact id (partners without visits left out)."""
    return {int(row["contact_id"]): int(row["visits"]) for row in ws.conn.execute(
        "SELECT a.contact_id, sum(v.visits) AS visits FROM ask_visits v "
        "JOIN asks a ON a.id = v.ask_id GROUP BY a.contact_id")}
