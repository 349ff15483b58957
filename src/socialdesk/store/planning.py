"""What the leverage planner reads from a workspace: partners, audiences, a post."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from socialdesk.store.asks import PARTNER_HISTORY
from socialdesk.store.columns import columns_by_name, numeric_columns
from socialdesk.store.known_names import shown
from socialdesk.store.models import STAGE_STRENGTH
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import sqlite3

    import numpy as np

# Audience sizes and follower counts as the model reads them: a workspace from elsewhere
# may hold a REAL such as 9e999 (infinity passes ``CHECK (size >= 0)``); no audience is
# larger than this many people.
_COUNT = "CAST(min(max({0}, 0), 1000000000000) AS INTEGER)"
# A platform as the model compares them: a listed name, or another one's name in lower case.
_PLATFORM = f"lower({shown('platform')})"
MARK_VERSION = 19  # the schema version that added planner_mark
CHANGES_VERSION = 20  # the one that added planner_changes


@dataclass(frozen=True, eq=False)
class PartnerRows:
    """Every partner (a contact with an audience) as columns, in contact id order.

    The audiences come partner by partner (each partner's in stored order): ``owner`` is
    each audience's partner, as a position in ``ids``. Platforms and topic sets are codes
    into ``platforms`` and ``topic_sets`` (a huge workspace has 150,000 audiences and a
    few hundred distinct topic sets).
    """

    ids: np.ndarray  # int64 contact ids, increasing
    names: list[str]
    strength: np.ndarray  # float64: the stored strength, else the stage's
    effort_minutes: np.ndarray  # int64
    asked: np.ndarray  # int64: resolved asks (n)
    shared: np.ndarray  # int64: shares (k)
    last_asked_on: list[str | None]  # the last ask of all (ISO date), None: never asked
    owner: np.ndarray  # int64, one per audience, non-decreasing
    size: np.ndarray  # int64
    platform: np.ndarray  # int64 codes into platforms
    platforms: tuple[str, ...]
    topics: np.ndarray  # int64 codes into topic_sets
    topic_sets: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class PostFacts:
    """The post being planned."""

    id: int
    title: str
    scheduled_on: str | None
    topics: frozenset[str]
    platforms: frozenset[str]
    link: str = ""


def post_facts(ws: Workspace, post_id: int) -> PostFacts | None:
    """The post's title, date, topics and target platforms, or None if it does not exist."""
    row = ws.conn.execute(
        "SELECT id, title, scheduled_on, link FROM posts WHERE id = ?", (post_id,)
    ).fetchone()
    if row is None:
        return None
    topics = ws.conn.execute(
        "SELECT t.name FROM post_topics pt JOIN topics t ON t.id = pt.topic_id "
        "WHERE pt.post_id = ?",
        (post_id,),
    ).fetchall()
    platforms = ws.conn.execute(
        f"SELECT {_PLATFORM} AS platform FROM post_channels WHERE post_id = ?", (post_id,)
    ).fetchall()
    return PostFacts(
        id=row["id"], title=row["title"], scheduled_on=row["scheduled_on"],
        topics=frozenset(t["name"].casefold() for t in topics),
        platforms=frozenset(p["platform"] for p in platforms), link=row["link"],
    )


def partner_rows(ws: Workspace) -> PartnerRows:
    """Every contact with an audience, with resolved asks (n), shares (k) and last ask.

    A few queries, read as columns and turned into arrays: 50,000 partners with
    150,000 audiences without an object per partner or audience.
    """
    rows = partners_without_history(ws)
    asked, shared, last_asked_on = partner_history(ws, rows.ids)
    return replace(rows, asked=asked, shared=shared, last_asked_on=last_asked_on)


def partners_without_history(ws: Workspace) -> PartnerRows:
    """:func:`partner_rows` without reading the asks: none asked, none shared, never asked."""
    return partners_among(ws, None)[0]


def partners_among(ws: Workspace, among: Sequence[int] | None,
                   between: Callable[[], object] | None = None
                   ) -> tuple[PartnerRows, np.ndarray]:
    """:func:`partners_without_history` of some contacts (None: all), and each audience's contact.

    The audiences' contacts (int64, one per audience) are what ``owner`` is worked out
    from, also for an audience whose contact is gone (another program deleted it without
    its audiences): what a copy brought up to date contact by contact needs to place them.
    ``between`` is called between the queries and parts of the contacts' rows
    (:func:`~socialdesk.store.columns.columns_by_name`): a read on a worker stops there
    when its view was left. The audiences are read as integer columns
    (:func:`~socialdesk.store.columns.numeric_columns`), their platforms and topic sets as
    codes worked out in SQLite and numpy: a huge workspace's 150,000 audiences without
    a Python object each.
    """
    step = between or (lambda: None)
    import numpy as np  # imported on first use, not at startup

    cursor = ws.conn.cursor()
    cursor.row_factory = None  # plain tuples, taken apart by columns_by_name
    args: tuple[str, ...] = ()
    of_contacts, of_audiences, of_topics = "id IN (SELECT contact_id FROM audiences)", "", ""
    if among is not None:  # looked up one by one
        args = (json.dumps([int(i) for i in among]),)
        listed = "IN (SELECT value FROM json_each(?))"
        of_contacts = (f"id {listed} AND EXISTS (SELECT 1 FROM audiences a WHERE "
                       "a.contact_id = contacts.id)")
        of_audiences = f" WHERE contact_id {listed}"
        of_topics = f" WHERE audience_id IN (SELECT id FROM audiences WHERE contact_id {listed})"
    partners = columns_by_name(cursor.execute(
        "SELECT id, name, strength, stage, effort_minutes FROM contacts "
        f"WHERE {of_contacts} ORDER BY id", args), between)
    strength = np.asarray(partners["strength"], dtype=float)  # None: NaN, the stage's below
    stages = partners["stage"]
    for i in np.flatnonzero(np.isnan(strength)).tolist():
        strength[i] = STAGE_STRENGTH[stages[i]]
    ids = np.asarray(partners["id"], dtype=np.int64)
    n = len(ids)
    step()
    audience_ids, contacts, size = numeric_columns(cursor, (
        f"SELECT id, contact_id, {_COUNT.format('size')} FROM audiences{of_audiences} "
        "ORDER BY contact_id, id"), "iii", args)
    step()
    platform, platform_names = _grouped_codes(audience_ids, cursor.execute(
        f"SELECT {_PLATFORM}, count(*), group_concat(id) FROM audiences{of_audiences} "
        "GROUP BY platform, platform_label", args))
    step()
    topics, topic_sets = _audience_topic_sets(cursor, audience_ids, of_topics, args)
    return PartnerRows(
        ids=ids, names=list(partners["name"]), strength=strength,
        effort_minutes=np.asarray(partners["effort_minutes"], dtype=np.int64),
        asked=np.zeros(n, dtype=np.int64), shared=np.zeros(n, dtype=np.int64),
        last_asked_on=[None] * n, owner=np.searchsorted(ids, contacts), size=size,
        platform=platform, platforms=platform_names, topics=topics,
        topic_sets=topic_sets), contacts


def partner_history(ws: Workspace, ids: np.ndarray, only: bool = False,
                    between: Callable[[], object] | None = None
                    ) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """Each partner's resolved asks (n), shares (k) and last ask of all (ISO date or None).

    ``ids``: the partners' contact ids, increasing; the figures in their order. With
    ``only``, the asks of these partners alone are read (a few, looked up one by one).
    ``between``: as :func:`partners_among`'s.
    """
    import numpy as np

    cursor = ws.conn.cursor()
    cursor.row_factory = None
    n = len(ids)
    asked, shared = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    last_asked_on: list[str | None] = [None] * n
    where = ""
    args: tuple[str, ...] = ()
    if only:
        where, args = " WHERE contact_id IN (SELECT value FROM json_each(?))", \
            (json.dumps(ids.tolist()),)
    if between is not None:
        between()
    history = columns_by_name(cursor.execute(f"{PARTNER_HISTORY}{where} GROUP BY contact_id",
                                             args), between)
    at, found = _positions(ids, np.asarray(history["contact_id"], dtype=np.int64))
    asked[at] = np.asarray(history["asked"], dtype=np.int64)[found]
    shared[at] = np.asarray(history["shared"], dtype=np.int64)[found]
    last = history["last_asked_on"]
    for i, row in zip(at.tolist(), np.flatnonzero(found).tolist(), strict=True):
        last_asked_on[i] = last[row]
    return asked, shared, last_asked_on


def planner_marks(ws: Workspace) -> dict[str, str] | None:
    """The workspace's planner marks by name: random tokens, each new when what it marks changes.

    ``partners``: the partners as :func:`partners_without_history` reads them (contacts,
    audiences, their topics); ``asks``: the asks and their visits (:func:`partner_history`,
    the recalibration's outcomes). None for a workspace older than schema version 19
    (opened read-only), which has none. Read them before those rows: rows read after them
    are as new as they are, or newer.
    """
    if ws.schema_version < MARK_VERSION:
        return None
    return {row["name"]: str(row["token"]) for row in ws.conn.execute(
        "SELECT name, token FROM planner_mark")}


def planner_changes(ws: Workspace) -> tuple[int, int] | None:
    """The newest row of ``planner_changes`` as (seq, tag): what the planner's rows are now.

    None for a workspace older than schema version 20 (opened read-only), which lists no
    changes, or one whose list was emptied. Read it before the rows (as the marks).
    """
    if ws.schema_version < CHANGES_VERSION:
        return None
    row = ws.conn.execute(
        "SELECT seq, tag FROM planner_changes ORDER BY seq DESC LIMIT 1").fetchone()
    return None if row is None else (int(row["seq"]), int(row["tag"]))


def changed_since(ws: Workspace, seq: int, tag: int
                  ) -> tuple[list[int] | None, list[int]] | None:
    """The contacts whose planner rows changed after row ``seq``, and the asks that did.

    None: row ``seq`` is no longer there with ``tag`` (older than the changes kept, or
    another list), so what changed is not known. None for the contacts: every partner.
    """
    found = ws.conn.execute("SELECT tag FROM planner_changes WHERE seq = ?", (seq,)).fetchone()
    if found is None or found["tag"] != tag:
        return None
    contacts: set[int] = set()
    asks: set[int] = set()
    for row in ws.conn.execute("SELECT DISTINCT contact_id, ask_id FROM planner_changes "
                               "WHERE seq > ?", (seq,)):
        if row["contact_id"] is None:
            return None, []
        contacts.add(int(row["contact_id"]))
        if row["ask_id"] is not None:
            asks.add(int(row["ask_id"]))
    return sorted(contacts), sorted(asks)


def _positions(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each wanted id is in the sorted ``ids`` (found ones), and which were found."""
    import numpy as np

    at = np.searchsorted(ids, wanted)
    found = at < len(ids)
    found[found] = ids[at[found]] == wanted[found]
    return at[found], found


def _grouped_codes(audience_ids: np.ndarray, groups: Iterable[tuple[Any, int, str | None]]
                   ) -> tuple[np.ndarray, tuple[Any, ...]]:
    """Each audience's code into the distinct values, from (value, count, ids) rows.

    ``groups``: a query's rows of a value, how many audiences have it and
    ``group_concat`` of their ids. An audience in none gets code 0, the first value;
    equal values share a code (codes in first-seen order).
    """
    import numpy as np

    values: dict[Any, int] = {}
    codes, counts, listed = [], [], []
    for value, count, ids in groups:
        codes.append(values.setdefault(value, len(values)))
        counts.append(count)
        listed.append(ids or "")
    wanted = np.fromstring(",".join(filter(None, listed)), dtype=np.int64, sep=",")
    each = np.repeat(np.asarray(codes, dtype=np.int64), np.asarray(counts, dtype=np.int64))
    if len(each) != len(wanted):
        raise ValueError("the audiences' groups do not match their ids")
    return _codes_of(audience_ids, wanted, each), tuple(values)


def _codes_of(audience_ids: np.ndarray, wanted: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """A code per audience (in ``audience_ids``' order): ``codes`` of the ``wanted`` ids, else 0."""
    import numpy as np

    order = np.argsort(audience_ids, kind="stable")
    at, found = _positions(audience_ids[order], wanted)
    placed = np.zeros(len(audience_ids), dtype=np.int64)
    placed[order[at]] = codes[found]
    return placed


def _audience_topic_sets(cursor: sqlite3.Cursor, audience_ids: np.ndarray, where: str = "",
                         args: tuple[str, ...] = ()
                         ) -> tuple[np.ndarray, tuple[frozenset[str], ...]]:
    """Each audience's topic set (names case-folded), as codes into the distinct sets.

    The (audience, topic) pairs are read as two columns and each audience's topics, in
    order, written as one integer (digits in base "topics + 1"): the distinct sets are
    the distinct integers (a huge workspace's 150,000 audiences have a few thousand).
    Where an audience has too many topics for 63 bits, SQLite groups the audiences by
    their list of topic ids instead (a row per list; twice the time on the huge one).
    """
    import numpy as np

    topic_rows = columns_by_name(cursor.execute("SELECT id, name FROM topics"))
    names = {tid: name.casefold() for tid, name in zip(topic_rows["id"], topic_rows["name"],
                                                         strict=True)}

    def named(topic_ids: Iterable[int]) -> frozenset[str]:
        return frozenset(names[t] for t in topic_ids if t in names)

    audience, topic = numeric_columns(cursor, "SELECT audience_id, topic_id FROM audience_topics"
                                      f"{where} ORDER BY audience_id, topic_id", "ii", args)
    distinct, digit = np.unique(topic, return_inverse=True)
    base = len(distinct) + 1
    starts = np.flatnonzero(np.r_[True, np.diff(audience) != 0]) if len(audience) \
        else np.zeros(0, dtype=np.int64)
    lengths = np.diff(np.r_[starts, len(audience)])
    if not len(starts) or base ** int(lengths.max()) < 2 ** 62:
        place = np.arange(len(audience)) - np.repeat(starts, lengths)
        keys = np.add.reduceat((digit + 1) * np.power(base, place, dtype=np.int64), starts) \
            if len(starts) else np.zeros(0, dtype=np.int64)
        unique, code = np.unique(keys, return_inverse=True)
        sets = [frozenset[str]()]
        for key in unique.tolist():
            ids = []
            while key:
                key, d = divmod(key, base)
                ids.append(int(distinct[d - 1]))
            sets.append(named(ids))
        return _codes_of(audience_ids, audience[starts], code + 1), tuple(sets)
    lists = cursor.execute(
        "SELECT topic_ids, count(*), group_concat(audience_id) FROM (SELECT audience_id, "
        f"group_concat(topic_id) AS topic_ids FROM audience_topics{where} "
        "GROUP BY audience_id) GROUP BY topic_ids", args)
    grouped, listed = _grouped_codes(audience_ids, itertools.chain([("", 0, "")], lists))
    return grouped, tuple(named(int(t) for t in str(key).split(",") if t) for key in listed)


def last_other_asks(ws: Workspace, post_id: int) -> dict[int, str | None]:
    """The contacts asked for the post, each with their last ask for anything else (or None)."""
    return {row["contact_id"]: row["last_other"] for row in ws.conn.execute(
        "SELECT a.contact_id, (SELECT max(o.asked_on) FROM asks o WHERE o.contact_id = "
        "a.contact_id AND o.post_id IS NOT a.post_id) AS last_other FROM asks a "
        "WHERE a.post_id = ? GROUP BY a.contact_id", (post_id,))}


def own_channels(ws: Workspace) -> list[tuple[str, int]]:
    """The business's active channels as (platform, followers)."""
    return [(r["platform"], r["followers"]) for r in ws.conn.execute(
        f"SELECT {_PLATFORM} AS platform, {_COUNT.format('followers')} AS followers "
        "FROM channels WHERE active = 1"
    )]


LINK_ROW = [("from_id", "i8"), ("to_id", "i8"), ("weight", "f8"), ("directed", "i1")]
_LINK_WITH_ID = [*LINK_ROW, ("id", "i8")]
_IN_LIMIT = 10_000  # ids per query (SQLite allows 32,766 parameters)


def partner_link_rows(ws: Workspace) -> tuple[np.ndarray, np.ndarray]:
    """The partners' contact ids (sorted) and every stored link (:func:`link_rows`).

    Links to contacts without an audience are the caller's to leave out.
    """
    (partners,) = numeric_columns(
        ws.conn.cursor(), "SELECT DISTINCT contact_id FROM audiences ORDER BY contact_id", "i")
    return partners, link_rows(ws)


def link_rows(ws: Workspace) -> np.ndarray:
    """Every stored link (``LINK_ROW``), in stored order: the table read in one pass.

    As columns of text numpy parses (``numeric_columns``): 500,000 links in 0.28 s
    instead of 0.36 s as a tuple per row.
    """
    import numpy as np

    columns = numeric_columns(
        ws.conn.cursor(), "SELECT from_id, to_id, CAST(min(max(weight, 0), 1) AS REAL), "
        "directed <> 0 FROM contact_links ORDER BY id", "iifi")
    rows = np.empty(len(columns[0]), dtype=np.dtype(LINK_ROW))
    for (name, _), values in zip(LINK_ROW, columns, strict=True):
        rows[name] = values
    return rows


def links_touching(ws: Workspace, contact_ids: Sequence[int], among: bool = False
                   ) -> np.ndarray:
    """The stored links out of the given contacts (undirected ones: touching them).

    With ``among``, only the links between two of them. A structured array (``LINK_ROW``
    and the link's ``id``), in stored order.
    """
    import numpy as np

    cursor = ws.conn.cursor()
    cursor.row_factory = None
    found = []
    for start in range(0, len(contact_ids), _IN_LIMIT):
        chunk = list(contact_ids[start:start + _IN_LIMIT])
        marks = ", ".join("?" * len(chunk))
        if among:
            where, args = f"from_id IN ({marks}) AND to_id IN (SELECT value FROM json_each(?))", \
                [*chunk, json.dumps(list(contact_ids))]
        else:
            where, args = f"from_id IN ({marks}) OR (directed = 0 AND to_id IN ({marks}))", \
                [*chunk, *chunk]
        found.append(np.fromiter(cursor.execute(
            "SELECT from_id, to_id, CAST(min(max(weight, 0), 1) AS REAL), directed <> 0, id "
            f"FROM contact_links WHERE {where}", args), dtype=np.dtype(_LINK_WITH_ID)))
    rows = np.concatenate(found) if found else np.zeros(0, dtype=np.dtype(_LINK_WITH_ID))
    _, first = np.unique(rows["id"], return_index=True)
    return rows[first]  # each link once, in stored order


def main_platforms(ws: Workspace, contact_ids: Iterable[int]) -> dict[int, str]:
    """Each contact's platform with the largest audience (contacts without one left out)."""
    found: dict[int, str] = {}
    for cid in contact_ids:
        row = ws.conn.execute(
            f"SELECT {shown('platform')} AS platform FROM audiences WHERE contact_id = ? "
            "ORDER BY size DESC, id LIMIT 1",
            (cid,),
        ).fetchone()
        if row:
            found[cid] = row["platform"]
    return found
