"""Totals and leverage figures for the Today and Reports views and the campaign report.

Every query is set-based (one statement, grouped in SQLite) and returns frozen dataclasses;
see :mod:`socialdesk.store.report_models` for what each figure counts.

Published means a post whose own status is published, or a later date of a repeating post
marked published (:mod:`socialdesk.store.occurrences`), each on its own date with its own
reach. A share's reach counts in reach figures only while its post is published.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from socialdesk.store.asks import WAITING
from socialdesk.store.columns import field_names, from_row, rows_as, rows_in_parts
from socialdesk.store.known_names import shown
from socialdesk.store.models import Counts, WeekReach
from socialdesk.store.occurrences import repeat_of
from socialdesk.store.posts import week_of
from socialdesk.store.report_models import (
    AskHourGroup,
    CampaignFacts,
    CampaignReport,
    CampaignRow,
    Leverage,
    PartnerAsks,
    PostResult,
    ReportsOverview,
)
from socialdesk.store.workspace import Workspace

# Reach through partners of an ask ``a`` (0 unless shared), and its effort (the contact's
# usual effort when the ask has none: looked up only then, which keeps big scans fast).
_SHARED_REACH = "CASE WHEN a.status = 'shared' THEN coalesce(a.observed_reach, 0) ELSE 0 END"
# The same, 0 while the ask's post is not published (a deleted post's shares still count).
_PUBLISHED_SHARE_REACH = (
    "CASE WHEN a.status = 'shared' AND (a.post_id IS NULL OR "
    "(SELECT status FROM posts WHERE id = a.post_id) = 'published') "
    "THEN coalesce(a.observed_reach, 0) ELSE 0 END"
)
# Reach through partners who shared the post ``p`` unasked (read back from Mastodon or
# Bluesky): each such partner's audience on each network they boosted or reposted it on,
# once however many of its accounts they shared. A partner with an ask for the post
# counts through the ask instead.
_RESHARE_REACH = (
    "(SELECT coalesce(sum(au.size), 0) FROM audiences au WHERE au.id IN ("
    "SELECT u.id FROM publications x "
    "JOIN publication_sharers s ON s.publication_id = x.id AND s.contact_id IS NOT NULL "
    "JOIN accounts ac ON ac.id = x.account_id "
    "JOIN audiences u ON u.contact_id = s.contact_id "
    f"AND {shown('platform', 'u')} = ac.network "
    "WHERE x.post_id = p.id AND NOT EXISTS (SELECT 1 FROM asks k "
    "WHERE k.post_id = p.id AND k.contact_id = s.contact_id)))"
)
# The published posts that partners shared unasked, with that reach, per campaign.
_RESHARE_TOTALS = f"""
        reshare_totals AS (
            SELECT p.campaign_id, sum({_RESHARE_REACH}) AS reach
            FROM posts p WHERE p.status = 'published' AND p.id IN (
                SELECT x.post_id FROM publication_sharers s
                JOIN publications x ON x.id = s.publication_id
                WHERE s.contact_id IS NOT NULL AND s.ask_id IS NULL)
            GROUP BY p.campaign_id
        )"""
# A marked date ``o`` of the post ``p`` that counts as published: on a date it repeats on.
_PUBLISHED_REPEAT = f"o.status = 'published' AND {repeat_of('o.occurs_on')}"
# The reach of published repeats per campaign (a CTE: one pass over the marked dates).
_REPEAT_TOTALS = f"""
        repeat_totals AS (
            SELECT p.campaign_id, sum(o.reach) AS reach
            FROM post_occurrences o CROSS JOIN posts p ON p.id = o.post_id
            WHERE {_PUBLISHED_REPEAT} GROUP BY p.campaign_id
        )"""
# A post's own reach when published plus that of its published repeats (NULL: none typed).
_OWN_REACH = (
    "(SELECT sum(r) FROM (SELECT CASE WHEN p.status = 'published' THEN p.reach END AS r "
    "UNION ALL SELECT o.reach FROM post_occurrences o "
    f"WHERE o.post_id = p.id AND {_PUBLISHED_REPEAT}))"
)
_EFFORT = (
    "coalesce(a.effort_minutes, (SELECT effort_minutes FROM contacts WHERE id = a.contact_id))"
)
# An ask whose prediction can be compared with what happened.
_COMPARABLE = (
    "(a.predicted_reach IS NOT NULL AND (a.status IN ('declined', 'no_reply') "
    "OR (a.status = 'shared' AND a.observed_reach IS NOT NULL)))"
)
# Each query names its columns as the fields of the dataclass it fills (in their order).
_COUNTS = field_names(Counts, leave_out=("extra",))
_WEEK_FIGURES = field_names(Leverage, leave_out=("first", "last"))
_FACTS = field_names(CampaignFacts)


def counts(ws: Workspace) -> Counts:
    """How many contacts, partners, posts, campaigns and asks the workspace holds."""
    row = ws.conn.execute(
        "SELECT (SELECT count(*) FROM contacts) AS contacts, "
        "(SELECT count(DISTINCT contact_id) FROM audiences) AS partners, "
        "(SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM campaigns) AS campaigns, "
        "(SELECT count(*) FROM asks) AS asks"
    ).fetchone()
    return from_row(Counts, row, _COUNTS)


def posts_and_asks_above(ws: Workspace, limit: int) -> bool:
    """True when the workspace holds more than ``limit`` posts and asks together.

    Counting stops past ``limit`` rows of each, so the answer comes at once whatever the
    size (:func:`counts` reads every row: ~50 ms on a million contacts).
    """
    row = ws.conn.execute(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM posts LIMIT :over)) + "
        "(SELECT count(*) FROM (SELECT 1 FROM asks LIMIT :over))", {"over": limit + 1}
    ).fetchone()
    return int(row[0]) > limit


def campaign_rows(ws: Workspace) -> list[CampaignRow]:
    """Every campaign (and "No campaign" when posts lack one), latest start first.

    Reach counts published posts and repeats, as in the campaign report; ``published``
    the posts whose own status is published; asks count every ask; visits what the
    tracked links of the asks for its posts brought (an ask whose post was deleted
    belongs to no campaign).
    """
    rows = ws.conn.execute(
        f"""
        WITH per_post AS (
            SELECT a.post_id, count(*) AS asks,
                   sum(a.status IN ('shared', 'declined', 'no_reply')) AS answered,
                   sum(a.status = 'shared') AS shared, sum({_SHARED_REACH}) AS partner_reach
            FROM asks a NOT INDEXED WHERE a.post_id IS NOT NULL GROUP BY a.post_id
        ),
        ask_totals AS (
            SELECT p.campaign_id, sum(t.asks) AS asks, sum(t.answered) AS answered,
                   sum(t.shared) AS shared,
                   sum(CASE WHEN p.status = 'published' THEN t.partner_reach END)
                       AS partner_reach
            FROM per_post t CROSS JOIN posts p ON p.id = t.post_id GROUP BY p.campaign_id
        ),
        post_totals AS (
            SELECT campaign_id, count(*) AS posts, sum(status = 'published') AS published,
                   sum(CASE WHEN status = 'published' THEN reach END) AS reach
            FROM posts GROUP BY campaign_id
        ),{_REPEAT_TOTALS},{_RESHARE_TOTALS},
        per_ask_visits AS MATERIALIZED (  -- one sorted pass: a third faster than a lookup a row
            SELECT ask_id, sum(visits) AS visits FROM ask_visits NOT INDEXED GROUP BY ask_id
        ),
        visit_totals AS (
            SELECT p.campaign_id, sum(v.visits) AS visits
            FROM per_ask_visits v CROSS JOIN asks a ON a.id = v.ask_id
            CROSS JOIN posts p ON p.id = a.post_id GROUP BY p.campaign_id
        ),
        wanted AS (
            SELECT id AS campaign_id FROM campaigns
            UNION ALL SELECT NULL WHERE EXISTS (SELECT 1 FROM posts WHERE campaign_id IS NULL)
        )
        SELECT w.campaign_id AS campaign_id, coalesce(c.name, 'No campaign') AS name,
               coalesce(c.colour, '#9e9e9e') AS colour, coalesce(c.goal, '') AS goal,
               c.starts_on AS starts_on, c.ends_on AS ends_on,
               coalesce(pt.posts, 0) AS posts, coalesce(pt.published, 0) AS published,
               coalesce(pt.reach, 0) + coalesce(rt.reach, 0) AS own_reach,
               coalesce(at.partner_reach, 0) + coalesce(st.reach, 0) AS partner_reach,
               coalesce(at.asks, 0) AS asks,
               coalesce(at.answered, 0) AS answered, coalesce(at.shared, 0) AS shared,
               coalesce(vt.visits, 0) AS visits
        FROM wanted w LEFT JOIN campaigns c ON c.id = w.campaign_id
        LEFT JOIN post_totals pt ON pt.campaign_id IS w.campaign_id
        LEFT JOIN ask_totals at ON at.campaign_id IS w.campaign_id
        LEFT JOIN repeat_totals rt ON rt.campaign_id IS w.campaign_id
        LEFT JOIN visit_totals vt ON vt.campaign_id IS w.campaign_id
        LEFT JOIN reshare_totals st ON st.campaign_id IS w.campaign_id
        ORDER BY w.campaign_id IS NULL, c.starts_on IS NULL, c.starts_on DESC,
                 c.name COLLATE NOCASE
        """
    )
    return rows_as(CampaignRow, rows)


def weekly_reach(ws: Workspace, first: str, last: str) -> list[WeekReach]:
    """Published posts' own reach and reach through partners, per week (Monday first)."""
    return [WeekReach(w.first, w.posts, w.own_reach, w.partner_reach)
            for w in leverage_by_week(ws, first, last) if w.posts]


def week_window(day: date, weeks: int = 12) -> tuple[str, str]:
    """The last ``weeks`` weeks up to ``day``: the Monday ``weeks - 1`` weeks back, and day."""
    monday, _ = week_of(day)
    return (monday - timedelta(weeks=weeks - 1)).isoformat(), day.isoformat()


def leverage_by_week(
    ws: Workspace, first: str, last: str, campaign_id: int | None = None
) -> list[Leverage]:
    """Every week (Monday to Sunday) from ``first``'s to ``last``'s, with its results.

    Counts published posts and repeats dated ``first``–``last`` (ISO dates; weeks with
    none are there with zeros), of one campaign when ``campaign_id`` is given. A post's
    asks count with the post's own date.
    """
    # "+status": walk the schedule index for the date range, not every published post.
    # The range's posts are picked first: grouping the join by post id made SQLite scan
    # every post in id order instead (a full scan at any workspace size).
    where = "+status = 'published' AND scheduled_on BETWEEN ? AND ?"
    repeats = f"o.occurs_on BETWEEN ? AND ? AND {_PUBLISHED_REPEAT}"
    params: list[object] = [first, last]
    if campaign_id is not None:
        where += " AND campaign_id = ?"
        repeats += " AND p.campaign_id = ?"
        params.append(campaign_id)
    rows = ws.conn.execute(
        f"""
        WITH chosen AS MATERIALIZED (
            SELECT id, scheduled_on, reach FROM posts WHERE {where}
        ), per_post AS (
            SELECT date(p.scheduled_on, 'weekday 0', '-6 days') AS week, p.reach,
                   count(a.id) AS asks, sum(a.status = 'shared') AS shared,
                   coalesce(sum({_SHARED_REACH}), 0) + {_RESHARE_REACH} AS partner_reach,
                   sum({_EFFORT}) AS effort
            FROM chosen p
            LEFT JOIN asks a ON a.post_id = p.id
            GROUP BY p.id
            UNION ALL
            SELECT date(o.occurs_on, 'weekday 0', '-6 days'), o.reach, 0, 0, 0, 0
            FROM post_occurrences o CROSS JOIN posts p ON p.id = o.post_id
            WHERE {repeats}
        )
        SELECT week, count(*) AS posts, coalesce(sum(reach), 0) AS own_reach,
               coalesce(sum(partner_reach), 0) AS partner_reach, sum(asks) AS asks,
               coalesce(sum(shared), 0) AS shared, coalesce(sum(effort), 0) AS effort_minutes
        FROM per_post GROUP BY week
        """,
        params * 2,
    ).fetchall()
    found = {row["week"]: row for row in rows}
    monday, _ = week_of(date.fromisoformat(first))
    end = date.fromisoformat(last)
    weeks = []
    while monday <= end:
        key = monday.isoformat()
        sunday = (monday + timedelta(days=6)).isoformat()
        row = found.get(key)
        weeks.append(Leverage(key, sunday) if row is None
                     else from_row(Leverage, row, _WEEK_FIGURES, first=key, last=sunday))
        monday += timedelta(weeks=1)
    return weeks


def partner_asks(
    ws: Workspace, campaign_id: int | None = None, limit: int | None = None,
    between: Callable[[], object] | None = None,
) -> list[PartnerAsks]:
    """Every contact ever asked, with outcomes, reach, effort and visits; most reach first.

    Reach counts the shares of published posts. With ``campaign_id``, only the asks for
    that campaign's posts; ``limit`` keeps the best. ``between`` is called between parts
    of the rows (:func:`~socialdesk.store.columns.rows_in_parts`).
    """
    where, params = "", []
    if campaign_id is not None:
        where = "WHERE a.post_id IN (SELECT id FROM posts WHERE campaign_id = ?)"
        params.append(campaign_id)
    # One pass over every ask (a full scan beats walking the contact index), then names.
    rows = ws.conn.execute(
        f"""
        WITH per_contact AS (
            SELECT a.contact_id, count(*) AS asked, sum(a.status = 'shared') AS shared,
                   sum(a.status = 'declined') AS declined, sum(a.status = 'no_reply') AS silent,
                   sum(a.{WAITING}) AS waiting,
                   sum({_PUBLISHED_SHARE_REACH}) AS reach, sum(a.effort_minutes) AS effort,
                   count(a.effort_minutes) AS with_effort, max(a.asked_on) AS last_asked
            FROM asks a NOT INDEXED {where}
            GROUP BY a.contact_id
        ), per_contact_visits AS (
            SELECT a.contact_id, sum(v.visits) AS visits
            FROM ask_visits v JOIN asks a ON a.id = v.ask_id {where}
            GROUP BY a.contact_id
        )
        SELECT c.id AS contact_id, c.name AS name, c.organisation AS organisation,
               t.asked AS asked, t.shared AS shared, t.declined AS declined,
               t.silent AS no_reply, t.waiting AS waiting, t.reach AS reach,
               coalesce(t.effort, 0) + (t.asked - t.with_effort) * c.effort_minutes
                   AS effort_minutes,
               t.last_asked AS last_asked_on,
               coalesce(v.visits, 0) AS visits
        FROM per_contact t CROSS JOIN contacts c ON c.id = t.contact_id
        LEFT JOIN per_contact_visits v ON v.contact_id = t.contact_id
        ORDER BY t.reach DESC, t.shared DESC, t.asked DESC, c.name COLLATE NOCASE
        LIMIT ?
        """,
        [*params, *params, -1 if limit is None else limit],
    )
    return rows_in_parts(PartnerAsks, rows, between)


_POST_COLUMNS = (
    "p.id AS post_id, p.title AS title, p.scheduled_on AS scheduled_on, p.status AS status, "
    f"cam.name AS campaign, cam.colour AS colour, {_OWN_REACH} AS own_reach"
)
# Over a post ``p`` and its asks ``a``: reach through partners only while it is published.
_ASK_TOTALS = f"""
    count(a.id) AS asks, coalesce(sum(a.status = 'shared'), 0) AS shared,
    coalesce(sum(a.{WAITING}), 0) AS waiting,
    CASE WHEN p.status = 'published' THEN coalesce(sum({_SHARED_REACH}), 0)
        + {_RESHARE_REACH} ELSE 0 END AS partner_reach,
    coalesce(sum({_EFFORT}), 0) AS effort_minutes,
    coalesce(sum({_COMPARABLE}), 0) AS compared,
    sum(CASE WHEN {_COMPARABLE} THEN a.predicted_reach END) AS predicted,
    sum(CASE WHEN {_COMPARABLE} THEN {_SHARED_REACH} END) AS realised"""
_BY_DATE = "ORDER BY p.scheduled_on IS NULL, p.scheduled_on, p.scheduled_time, p.id"


def post_results(
    ws: Workspace, campaign_id: int | None = None, *, until: str | None = None,
    compared_only: bool = False, between: Callable[[], object] | None = None,
) -> list[PostResult]:
    """Posts with their own reach, asks and reach through partners, by date.

    Own reach adds up the post's and its repeats' while published; reach through partners
    counts while the post is published. ``campaign_id`` keeps one campaign's posts;
    ``until`` (ISO date) the posts dated up to then; ``compared_only`` the posts with at
    least one ask whose prediction can be compared with its outcome. ``between`` is
    called between parts of the rows (:func:`~socialdesk.store.columns.rows_in_parts`).
    """
    if compared_only:
        # Few posts have asks: total every ask in one pass, then look the posts up.
        where = "WHERE a.post_id IS NOT NULL"
        params: list[int | str] = []
        posts = []
        if campaign_id is not None:
            posts.append("campaign_id = ?")
            params.append(campaign_id)
        if until is not None:
            posts.append("scheduled_on <= ?")
            params.append(until)
        if posts:
            where += f" AND a.post_id IN (SELECT id FROM posts WHERE {' AND '.join(posts)})"
        sql = f"""
            WITH t AS (
                SELECT a.post_id, {_ASK_TOTALS}
                FROM asks a NOT INDEXED CROSS JOIN posts p ON p.id = a.post_id {where}
                GROUP BY a.post_id HAVING compared > 0
            )
            SELECT {_POST_COLUMNS}, t.asks AS asks, t.shared AS shared, t.waiting AS waiting,
                   t.partner_reach AS partner_reach, t.effort_minutes AS effort_minutes,
                   t.compared AS compared, t.predicted AS predicted, t.realised AS realised
            FROM t CROSS JOIN posts p ON p.id = t.post_id
            LEFT JOIN campaigns cam ON cam.id = p.campaign_id
            {_BY_DATE}"""
    else:
        # Each post's asks through the index on asks(post_id).
        conditions: list[str] = []
        params = []
        if campaign_id is not None:
            conditions.append("p.campaign_id = ?")
            params.append(campaign_id)
        if until is not None:
            conditions.append("p.scheduled_on <= ?")
            params.append(until)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = f"""
            SELECT {_POST_COLUMNS}, {_ASK_TOTALS}
            FROM posts p
            LEFT JOIN campaigns cam ON cam.id = p.campaign_id
            LEFT JOIN asks a ON a.post_id = p.id
            {where}
            GROUP BY p.id {_BY_DATE}"""
    return rows_in_parts(PostResult, ws.conn.execute(sql, params), between)


def campaign_facts(ws: Workspace, campaign_id: int) -> CampaignFacts | None:
    """A campaign's name, goal, dates and the span of its dated posts (None if missing).

    The span reaches the last repeat marked published when that comes after every post.
    """
    row = ws.conn.execute(
        "SELECT c.id AS id, c.name AS name, c.goal AS goal, c.starts_on AS starts_on, "
        "c.ends_on AS ends_on, c.colour AS colour, "
        "(SELECT min(scheduled_on) FROM posts WHERE campaign_id = c.id) AS first_post_on, "
        "(SELECT max(day) FROM (SELECT scheduled_on AS day FROM posts WHERE campaign_id = c.id "
        "UNION ALL SELECT o.occurs_on FROM post_occurrences o CROSS JOIN posts p "
        f"ON p.id = o.post_id WHERE p.campaign_id = c.id AND {_PUBLISHED_REPEAT})) "
        "AS last_post_on FROM campaigns c WHERE c.id = ?", (campaign_id,),
    ).fetchone()
    return None if row is None else from_row(CampaignFacts, row, _FACTS)


def campaign_report(ws: Workspace, campaign_id: int, top: int = 10) -> CampaignReport | None:
    """Everything the campaign report shows, or None when the campaign does not exist."""
    facts = campaign_facts(ws, campaign_id)
    if facts is None:
        return None
    weeks: list[Leverage] = []
    if facts.first and facts.last:
        weeks = leverage_by_week(ws, facts.first, facts.last, campaign_id)
    totals = Leverage.combined(weeks) if weeks else Leverage(facts.first or "", facts.last or "")
    return CampaignReport(
        facts, totals, tuple(weeks), tuple(partner_asks(ws, campaign_id, limit=top)),
        tuple(post_results(ws, campaign_id)), campaign_visits(ws, campaign_id),
    )


def campaign_visits(ws: Workspace, campaign_id: int) -> int:
    """The visits the tracked links of the asks for a campaign's posts brought."""
    row = ws.conn.execute(
        "SELECT coalesce(sum(v.visits), 0) FROM posts p CROSS JOIN asks a ON a.post_id = p.id "
        "CROSS JOIN ask_visits v ON v.ask_id = a.id WHERE p.campaign_id = ?", (campaign_id,),
    ).fetchone()
    return int(row[0])


def asks_by_hour_recorded(ws: Workspace) -> list[AskHourGroup]:
    """The asks for posts with a link, with their visits, by ask date and time recorded.

    An ask was made when it was recorded (``created_at``, UTC), here to the quarter hour
    (every time zone's offset is a whole number of quarters); turning that into the hour
    of the workspace's day is :mod:`socialdesk.core.share.asking_hours`'.
    """
    # The asks of posts with a link through the post index, each one's visits looked up
    # (half the time of joining the posts and the visits per ask on the large demo).
    rows = ws.conn.execute(
        """
        SELECT a.asked_on AS asked_on,
               substr(a.created_at, 1, 14)
                   || printf('%02d', CAST(substr(a.created_at, 15, 2) AS INTEGER) / 15 * 15)
                   AS utc_quarter,
               count(*) AS asks,
               coalesce(sum((SELECT sum(v.visits) FROM ask_visits v WHERE v.ask_id = a.id)),
                        0) AS visits
        FROM asks a WHERE a.post_id IN (SELECT id FROM posts WHERE link <> '')
        GROUP BY a.asked_on, utc_quarter
        """
    )
    return rows_as(AskHourGroup, rows)


def overview(ws: Workspace, day: date, weeks: int = 12,
             between: Callable[[], object] = lambda: None) -> ReportsOverview:
    """The Reports view's figures: recent weeks, partners asked, predictions, campaigns.

    The weeks are the last ``weeks`` up to ``day``; partners are everyone ever asked;
    predictions are the posts with asks whose prediction can be checked. ``between`` is
    called between the queries (a second or more each on a huge workspace) and between
    parts of their rows (:func:`~socialdesk.store.columns.rows_in_parts`): a read on a
    worker stops there when its view was left.
    """
    first, last = week_window(day, weeks)
    week_rows = tuple(leverage_by_week(ws, first, last))
    between()
    partners = tuple(partner_asks(ws, between=between))
    between()
    predictions = tuple(post_results(ws, until=day.isoformat(), compared_only=True,
                                     between=between))
    between()
    return ReportsOverview(day.isoformat(), week_rows, partners, predictions,
                           tuple(campaign_rows(ws)))
