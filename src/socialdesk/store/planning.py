"""What the leverage planner reads from a workspace: partners, audiences, a post."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from socialdesk.store.models import STAGE_STRENGTH
from socialdesk.store.workspace import Workspace


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


def post_facts(ws: Workspace, post_id: int) -> PostFacts | None:
    """The post's title, date, topics and target platforms, or None if it does not exist."""
    row = ws.conn.execute(
        "SELECT id, title, scheduled_on FROM posts WHERE id = ?", (post_id,)
    ).fetchone()
    if row is None:
        return None
    topics = ws.conn.execute(
        "SELECT t.name FROM post_topics pt JOIN topics t ON t.id = pt.topic_id "
        "WHERE pt.post_id = ?",
        (post_id,),
    ).fetchall()
    platforms = ws.conn.execute(
        "SELECT platform FROM post_channels WHERE post_id = ?", (post_id,)
    ).fetchall()
    return PostFacts(
        id=row[0], title=row[1], scheduled_on=row[2],
        topics=frozenset(t[0].casefold() for t in topics),
        platforms=frozenset(p[0] for p in platforms),
    )


def partner_facts(ws: Workspace) -> list[PartnerFacts]:
    """Every contact with an audience, with resolved asks (n), shares (k) and last ask."""
    conn = ws.conn
    topics: dict[int, set[str]] = defaultdict(set)
    for audience_id, name in conn.execute(
        "SELECT at.audience_id, t.name FROM audience_topics at JOIN topics t ON t.id = at.topic_id"
    ):
        topics[audience_id].add(name.casefold())
    audiences: dict[int, list[tuple[str, int, frozenset[str]]]] = defaultdict(list)
    for audience_id, contact_id, platform, size in conn.execute(
        "SELECT id, contact_id, platform, size FROM audiences"
    ):
        audiences[contact_id].append((platform, size, frozenset(topics[audience_id])))
    history = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT contact_id, sum(status IN ('shared', 'declined', 'no_reply')), "
            "sum(status = 'shared'), max(asked_on) FROM asks GROUP BY contact_id"
        )
    }
    facts = []
    for cid, name, stage, strength, effort in conn.execute(
        "SELECT id, name, stage, strength, effort_minutes FROM contacts "
        "WHERE id IN (SELECT contact_id FROM audiences)"
    ):
        asked, shared, last = history.get(cid, (0, 0, None))
        facts.append(
            PartnerFacts(
                id=cid, name=name,
                strength=strength if strength is not None else STAGE_STRENGTH[stage],
                effort_minutes=effort, asked=asked, shared=shared, last_asked_on=last,
                audiences=tuple(audiences[cid]),
            )
        )
    return facts


def own_channels(ws: Workspace) -> list[tuple[str, int]]:
    """The business's active channels as (platform, followers)."""
    return [tuple(r) for r in ws.conn.execute(
        "SELECT platform, followers FROM channels WHERE active = 1"
    )]
