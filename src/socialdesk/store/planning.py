"""What the leverage planner reads from a workspace: partners, audiences, a post."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialdesk.store.known_names import shown
from socialdesk.store.models import STAGE_STRENGTH
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

# Audience sizes and follower counts as the model reads them: a workspace from elsewhere
# may hold a REAL such as 9e999 (infinity passes ``CHECK (size >= 0)``); no audience is
# larger than this many people.
_COUNT = "CAST(min(max({0}, 0), 1000000000000) AS INTEGER)"
# A platform as the model compares them: a listed name, or another one's name in lower case.
_PLATFORM = f"lower({shown('platform')})"


@dataclass(frozen=True, slots=True)
class PartnerFacts:
    """A partner's ask history and audiences, as stored."""

    id: int
    name: str
    strength: float
    effort_minutes: int
    asked: int
    shared: int
    last_asked_on: str | None
    audiences: tuple[tuple[str, int, frozenset[str]], ...]


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


def partner_facts(ws: Workspace) -> list[PartnerFacts]:
    """Every contact with an audience, with resolved asks (n), shares (k) and last ask."""
    conn = ws.conn
    topics: dict[int, set[str]] = defaultdict(set)
    for row in conn.execute(
        "SELECT at.audience_id, t.name FROM audience_topics at JOIN topics t ON t.id = at.topic_id"
    ):
        topics[row["audience_id"]].add(row["name"].casefold())
    audiences: dict[int, list[tuple[str, int, frozenset[str]]]] = defaultdict(list)
    for row in conn.execute(
        f"SELECT id, contact_id, {_PLATFORM} AS platform, {_COUNT.format('size')} AS size "
        "FROM audiences"
    ):
        audiences[row["contact_id"]].append(
            (row["platform"], row["size"], frozenset(topics[row["id"]])))
    history = {
        row["contact_id"]: row
        for row in conn.execute(
            "SELECT contact_id, sum(status IN ('shared', 'declined', 'no_reply')) AS asked, "
            "sum(status = 'shared') AS shared, max(asked_on) AS last_asked_on "
            "FROM asks NOT INDEXED GROUP BY contact_id"
        )
    }
    facts = []
    for row in conn.execute(
        "SELECT id, name, stage, strength, effort_minutes FROM contacts "
        "WHERE id IN (SELECT contact_id FROM audiences)"
    ):
        cid, strength = row["id"], row["strength"]
        asks = history.get(cid)
        facts.append(
            PartnerFacts(
                id=cid, name=row["name"],
                strength=strength if strength is not None else STAGE_STRENGTH[row["stage"]],
                effort_minutes=row["effort_minutes"],
                asked=asks["asked"] if asks else 0, shared=asks["shared"] if asks else 0,
                last_asked_on=asks["last_asked_on"] if asks else None,
                audiences=tuple(audiences[cid]),
            )
        )
    return facts


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


def partner_link_rows(ws: Workspace) -> tuple[np.ndarray, np.ndarray]:
    """The partners' contact ids (sorted) and every stored link, as numpy arrays.

    The links are one structured array (``LINK_ROW``: from_id, to_id, weight, directed)
    in stored order, read straight from the cursor: 500,000 links in a few tens of
    milliseconds. Links to contacts without an audience are the caller's to leave out.
    """
    import numpy as np  # imported on first use, not at startup

    cursor = ws.conn.cursor()
    cursor.row_factory = None  # plain tuples, as the structured array takes them
    partners = np.fromiter(
        (row[0] for row in cursor.execute("SELECT DISTINCT contact_id FROM audiences "
                                          "ORDER BY contact_id")), dtype=np.int64)
    links = np.fromiter(
        cursor.execute("SELECT from_id, to_id, CAST(min(max(weight, 0), 1) AS REAL), "
                       "directed <> 0 FROM contact_links ORDER BY id"),
        dtype=np.dtype(LINK_ROW))
    return partners, links


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
