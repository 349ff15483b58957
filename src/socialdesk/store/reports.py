"""Totals for the Today and Reports views."""

from __future__ import annotations

from socialdesk.store.models import CampaignSummary, Counts, WeekReach
from socialdesk.store.workspace import Workspace


def counts(ws: Workspace) -> Counts:
    """How many contacts, partners, posts, campaigns and asks the workspace holds."""
    row = ws.conn.execute(
        "SELECT (SELECT count(*) FROM contacts), "
        "(SELECT count(DISTINCT contact_id) FROM audiences), (SELECT count(*) FROM posts), "
        "(SELECT count(*) FROM campaigns), (SELECT count(*) FROM asks)"
    ).fetchone()
    return Counts(*row)


def campaign_summaries(ws: Workspace) -> list[CampaignSummary]:
    """Per campaign: posts, published, own reach, asks, shares and reach through partners."""
    rows = ws.conn.execute(
        """
        WITH ask_totals AS (
            SELECT post_id, count(*) AS asks, sum(status = 'shared') AS shared,
                   sum(CASE WHEN status = 'shared' THEN coalesce(observed_reach, 0) END)
                       AS partner_reach
            FROM asks WHERE post_id IS NOT NULL GROUP BY post_id
        )
        SELECT coalesce(c.name, 'No campaign'), coalesce(c.colour, '#9e9e9e'),
               coalesce(c.goal, ''), count(p.id), sum(p.status = 'published'),
               coalesce(sum(p.reach), 0), coalesce(sum(t.asks), 0),
               coalesce(sum(t.shared), 0), coalesce(sum(t.partner_reach), 0)
        FROM posts p LEFT JOIN campaigns c ON c.id = p.campaign_id
        LEFT JOIN ask_totals t ON t.post_id = p.id
        GROUP BY c.id ORDER BY c.id IS NULL, c.starts_on DESC, c.name
        """
    ).fetchall()
    return [CampaignSummary(*row) for row in rows]


def weekly_reach(ws: Workspace, first: str, last: str) -> list[WeekReach]:
    """Published posts' own reach and reach through partners, per week (Monday first)."""
    rows = ws.conn.execute(
        """
        WITH published AS (
            SELECT id, reach, date(scheduled_on, 'weekday 0', '-6 days') AS week
            FROM posts WHERE status = 'published' AND scheduled_on BETWEEN ? AND ?
        ),
        partner AS (
            SELECT post_id, sum(coalesce(observed_reach, 0)) AS reach
            FROM asks WHERE status = 'shared' GROUP BY post_id
        )
        SELECT week, count(*), coalesce(sum(published.reach), 0),
               coalesce(sum(partner.reach), 0)
        FROM published LEFT JOIN partner ON partner.post_id = published.id
        GROUP BY week ORDER BY week
        """,
        (first, last),
    ).fetchall()
    return [WeekReach(*row) for row in rows]
