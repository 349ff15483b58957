"""Shared set-up of the clicks tests: a demo workspace whose partners have slugs, and exports."""
# ruff: noqa: E501 (sample exports keep their real, long lines)

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.store.clicks import tracked_asks
from socialdesk.store.share import keep_slug
from socialdesk.store.workspace import Workspace


@dataclass(frozen=True)
class Partner:
    """A partner with a slug and one ask for a post with a link."""

    slug: str
    name: str
    ask: int
    post: int
    asked_on: str


def two_partners(ws: Workspace) -> tuple[Partner, Partner]:
    """Give two partners of the demo slugs, each left with one ask, for a post with a link.

    Posts in a campaign are preferred; the partners' other asks are removed, so that
    visits can only be theirs. The asks are dated
    2026-10-01, before the samples' days, whatever day the demo was made.
    """

    rows = ws.conn.execute(
        "SELECT id, contact_id, name, post_id, asked_on FROM ("
        " SELECT a.id, a.contact_id, c.name, a.post_id, a.asked_on, p.campaign_id,"
        " row_number() OVER (PARTITION BY a.contact_id"
        "                    ORDER BY p.campaign_id IS NULL, a.id) AS rank"
        " FROM asks a JOIN contacts c ON c.id = a.contact_id JOIN posts p ON p.id = a.post_id"
        " WHERE p.link <> '') "
        "WHERE rank = 1 ORDER BY campaign_id IS NULL, id LIMIT 2").fetchall()
    partners = []
    for slug, row in zip(("corner-cafe", "market-hall"), rows, strict=True):
        keep_slug(ws, row[1], slug)
        with ws.transaction():
            ws.conn.execute("DELETE FROM asks WHERE contact_id = ? AND id <> ?", (row[1], row[0]))
            ws.conn.execute("UPDATE asks SET asked_on = '2026-10-01' WHERE id = ?", (row[0],))
        partners.append(Partner(slug, row[2], row[0], row[3], "2026-10-01"))
    assert {a.slug for a in tracked_asks(ws)} == {"corner-cafe", "market-hall"}
    return partners[0], partners[1]


# Google Analytics 4 has no real export in the interop corpus: these follow the layout of
# GA4's "Download file → Download CSV" as documented (Reports → Share this report): `#`
# lines naming the report and its period (YYYYMMDD), then the table with the report's
# dimension and metric names as column headers.
GA4_SOURCE_MEDIUM = """\
# ----------------------------------------
# Traffic acquisition: Session source / medium
# Account: Hearth and Crumb
# Property: hearthandcrumb.example
# ----------------------------------------
#
# All Users
# Start date: 20261101
# End date: 20261130
Session source / medium,Users,Sessions,Engaged sessions,Average engagement time per session,Engagement rate
google / organic,310,402,260,41.2,0.6467
corner-cafe / partner,20,25,19,55.0,0.76
(direct) / (none),120,150,80,20.1,0.5333
market-hall / partner,7,9,6,30.0,0.6667
"""

GA4_DAILY_CONTENT = """\
# ----------------------------------------
# Exploration: partner links
# Property: hearthandcrumb.example
# ----------------------------------------
#
# Start date: 20261101
# End date: 20261130
Date,Session source,Session manual ad content,Sessions
20261120,corner-cafe,post-{post},4
20261121,corner-cafe,post-{post},6
20261121,google,(not set),90
"""

# Umami has no real export in the interop corpus either: this follows the columns of
# Umami's data export of the website_event table (event_id, website_id, session_id,
# visit_id, created_at, url_path, url_query, referrer_domain, …, utm_*), one row per event.
UMAMI_EVENTS = """\
event_id,website_id,session_id,visit_id,created_at,url_path,url_query,referrer_domain,page_title,event_type,event_name,utm_source,utm_medium,utm_campaign,utm_content,utm_term
e1,w1,s1,v1,2026-11-20 09:15:00,/bagels,utm_source=corner-cafe&utm_medium=partner,,Bagels,1,,corner-cafe,partner,socialdesk,post-{post},
e2,w1,s1,v1,2026-11-20 09:16:10,/order,,,Order,1,,,,,,
e3,w1,s1,v1,2026-11-20 09:16:40,/bagels,utm_source=corner-cafe&utm_medium=partner,,Bagels,1,,corner-cafe,partner,socialdesk,post-{post},
e4,w1,s2,v2,2026-11-20 18:02:00,/bagels,utm_source=corner-cafe&utm_medium=partner,,Bagels,1,,corner-cafe,partner,socialdesk,post-{post},
e5,w1,s3,v3,2026-11-21 08:00:00,/bagels,utm_source=market-hall&utm_medium=partner&utm_content=post-{other},,Bagels,1,,,,,,
e6,w1,s4,v4,2026-11-21 08:30:00,/,,google.com,Home,1,,,,,,
"""
