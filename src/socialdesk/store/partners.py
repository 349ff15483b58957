"""Partners: contacts with audiences of their own, and the links between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from socialdesk.store.asks import PARTNER_HISTORY
from socialdesk.store.audiences import AUDIENCE_COLUMNS
from socialdesk.store.columns import from_row, select_named
from socialdesk.store.known_names import shown
from socialdesk.store.models import STAGE_STRENGTH, Audience, PartnerRow
from socialdesk.store.workspace import Workspace


def partner_rows(ws: Workspace, ids: Sequence[int] | None = None) -> list[PartnerRow]:
    """Every contact with at least one audience, biggest audience first.

    With ``ids`` (at most 900), only those of them that have an audience.
    """
    conn = ws.conn
    only, params = "", []
    if ids is not None:
        wanted = [int(i) for i in ids][:900]
        only, params = f" AND contact_id IN ({', '.join('?' * len(wanted))})", wanted
    platforms: dict[int, dict[str, int]] = defaultdict(dict)
    for row in conn.execute(
        f"SELECT contact_id, {shown('platform')} AS platform, sum(size) AS size FROM audiences "
        f"WHERE 1{only} GROUP BY contact_id, 2", params
    ):
        platforms[row["contact_id"]][row["platform"]] = row["size"]
    # (-weight, topic): sorted, the heaviest topics first, then by name
    topic_weight: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in conn.execute(
        "SELECT a.contact_id, t.name, sum(a.size) AS weight FROM audience_topics at "
        "JOIN audiences a ON a.id = at.audience_id JOIN topics t ON t.id = at.topic_id "
        f"WHERE 1{only.replace('contact_id', 'a.contact_id')} GROUP BY a.contact_id, t.id",
        params,
    ):
        topic_weight[row["contact_id"]].append((-row["weight"], row["name"]))
    asks = {
        row["contact_id"]: row
        for row in conn.execute(f"{PARTNER_HISTORY} WHERE 1{only} GROUP BY contact_id", params)
    }
    tags: dict[int, list[str]] = defaultdict(list)
    for row in conn.execute(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
        "WHERE ct.contact_id IN (SELECT contact_id FROM audiences WHERE 1"
        f"{only}) ORDER BY t.name COLLATE NOCASE", params
    ):
        tags[row["contact_id"]].append(row["name"])
    rows = []
    for row in conn.execute(
        "SELECT id, name, organisation, kind, stage, strength FROM contacts "
        f"WHERE id IN (SELECT contact_id FROM audiences WHERE 1{only})", params
    ):
        cid, stage, strength = row["id"], row["stage"], row["strength"]
        asked = asks.get(cid)
        rows.append(
            PartnerRow(
                id=cid, name=row["name"], organisation=row["organisation"], kind=row["kind"],
                stage=stage,
                strength=strength if strength is not None else STAGE_STRENGTH[stage],
                audience=sum(platforms[cid].values()), platforms=platforms[cid],
                topics=tuple(topic for _, topic in sorted(topic_weight[cid])[:3]),
                asks_resolved=asked["asked"] if asked else 0,
                asks_shared=asked["shared"] if asked else 0,
                last_asked_on=asked["last_asked_on"] if asked else None,
                tags=tuple(tags[cid]),
            )
        )
    rows.sort(key=lambda r: (-r.audience, r.name.casefold()))
    return rows


def audiences_of(ws: Workspace, contact_id: int) -> list[Audience]:
    """A contact's audiences with their topics, biggest first."""
    topics: dict[int, list[str]] = defaultdict(list)
    for row in ws.conn.execute(
        "SELECT at.audience_id, t.name FROM audience_topics at JOIN topics t "
        "ON t.id = at.topic_id JOIN audiences a ON a.id = at.audience_id "
        "WHERE a.contact_id = ? ORDER BY t.name",
        (contact_id,),
    ):
        topics[row["audience_id"]].append(row["name"])
    rows = ws.conn.execute(
        f"SELECT {select_named(AUDIENCE_COLUMNS, 'a', {'platform': shown('platform', 'a')})} "
        "FROM audiences a WHERE contact_id = ? ORDER BY size DESC, id",
        (contact_id,),
    ).fetchall()
    return [from_row(Audience, row, AUDIENCE_COLUMNS, topics=tuple(topics[row["id"]]))
            for row in rows]


def link_count(ws: Workspace) -> int:
    """How many links between contacts the workspace holds."""
    return int(ws.conn.execute("SELECT count(*) FROM contact_links").fetchone()[0])


def partner_count(ws: Workspace) -> int:
    """How many contacts have at least one audience."""
    return int(ws.conn.execute("SELECT count(DISTINCT contact_id) FROM audiences").fetchone()[0])
