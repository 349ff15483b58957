"""The planner's read of every partner (store/planning.py): audiences' platforms and topics."""

from __future__ import annotations

import pytest

from socialdesk.store import planning
from socialdesk.store.workspace import Workspace


def by_audience(ws: Workspace) -> dict[int, tuple[str, frozenset[str]]]:
    """Each audience's platform as the model compares them and its topics, one at a time."""
    found = {}
    for a in ws.conn.execute("SELECT id, lower(coalesce(nullif(platform_label, ''), platform)) "
                             "AS platform FROM audiences"):
        topics = frozenset(t["name"].casefold() for t in ws.conn.execute(
            "SELECT t.name FROM audience_topics x JOIN topics t ON t.id = x.topic_id "
            "WHERE x.audience_id = ?", (a["id"],)))
        found[a["id"]] = (a["platform"], topics)
    return found


def as_read(ws: Workspace) -> dict[int, tuple[str, frozenset[str]]]:
    rows = planning.partner_rows(ws)
    audience_ids = [r["id"] for r in ws.conn.execute(
        "SELECT id FROM audiences ORDER BY contact_id, id")]
    return {aid: (rows.platforms[p], rows.topic_sets[t]) for aid, p, t in zip(
        audience_ids, rows.platform.tolist(), rows.topics.tolist(), strict=True)}


@pytest.mark.parametrize("topics_each", [0, 3, 40])
def test_each_audience_is_read_with_its_platform_and_topics(
        workspace: Workspace, topics_each: int) -> None:
    # 40 topics on one audience do not fit one 63-bit number: grouped by SQLite instead.
    ws = workspace
    ws.conn.executemany("INSERT INTO topics (id, name) VALUES (?, ?)",
                        [(i, f"Topic {i}") for i in range(1, 61)])
    ws.conn.executemany("INSERT INTO contacts (id, name) VALUES (?, ?)",
                        [(i, f"Partner {i}") for i in range(1, 32)])
    platforms = [("instagram", ""), ("other", "Substack"), ("blog", "")]
    audiences = [(i, 1 + i % 30, *platforms[i // 30], 10 * i) for i in range(1, 90)]
    audiences.append((90, 31, "other", "SUBSTACK", 5))
    ws.conn.executemany("INSERT INTO audiences (id, contact_id, platform, platform_label, size) "
                        "VALUES (?, ?, ?, ?, ?)", audiences)
    pairs = {(a, 1 + (a * 7 + k * 11) % 60) for a in range(1, 91, 2)
             for k in range(min(1 + a % 3, topics_each))}
    if topics_each > 3:
        pairs |= {(5, t) for t in range(1, topics_each + 1)}
    ws.conn.executemany("INSERT INTO audience_topics VALUES (?, ?)", sorted(pairs))
    ws.conn.execute("PRAGMA foreign_keys = OFF")  # another program left a topic's rows behind
    ws.conn.execute("DELETE FROM topics WHERE id = 60")
    ws.conn.execute("PRAGMA foreign_keys = ON")
    wanted = by_audience(ws)
    statements: list[str] = []
    ws.conn.set_trace_callback(statements.append)
    assert as_read(ws) == wanted
    ws.conn.set_trace_callback(None)
    assert max(len(topics) for _, topics in wanted.values()) >= min(topics_each, 3)
    grouped = any("GROUP BY topic_ids" in sql for sql in statements)
    assert grouped == (topics_each > 3)
    assert {platform for platform, _ in wanted.values()} == {"instagram", "substack", "blog"}
