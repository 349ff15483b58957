"""Leverage figures from the store, against hand-counted numbers on a small workspace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from socialdesk.store import asks, reports
from socialdesk.store.report_models import AskHourGroup, Calibration, Leverage
from socialdesk.store.workspace import Workspace
from visits_table import add_visits

# Three weeks of March 2026 (Mondays 2, 9, 16); 1 March is a Sunday.
FIRST, LAST, TODAY = "2026-03-02", "2026-03-22", "2026-03-20"


@pytest.fixture
def shop(workspace: Workspace) -> Workspace:
    """A bakery with two campaigns, six posts and eight asks (numbers in the comments)."""
    c = workspace.conn
    c.execute("INSERT INTO contacts (id, name, organisation, effort_minutes) VALUES "
              "(1, 'Café', 'Corner Café', 10), (2, 'Mia', '', 30), (3, 'Tom', '', 5)")
    c.execute("INSERT INTO campaigns (id, name, goal, starts_on, ends_on) VALUES "
              "(1, 'Spring', 'Sell buns', '2026-03-01', '2026-03-20'), "
              "(2, 'Later', '', '2026-05-01', '2026-05-31')")
    c.execute(
        "INSERT INTO posts (id, uid, title, status, scheduled_on, reach, campaign_id) VALUES "
        "(1, 'p1', 'Monday buns', 'published', '2026-03-02', 1000, 1), "
        "(2, 'p2', 'Sunday buns', 'published', '2026-03-08', 500, 1), "  # same week as p1
        "(3, 'p3', 'Draft buns', 'draft', '2026-03-10', NULL, 1), "  # not published
        "(4, 'p4', 'No reach typed', 'published', '2026-03-18', NULL, NULL), "
        "(5, 'p5', 'Too late', 'published', '2026-03-25', 100, NULL), "  # after LAST
        "(6, 'p6', 'Tuesday rolls', 'published', '2026-03-17', 200, NULL)")
    c.execute(
        "INSERT INTO asks (uid, post_id, contact_id, status, asked_on, due_on, "
        "observed_reach, predicted_reach, effort_minutes) VALUES "
        "('a1', 1, 1, 'shared', '2026-03-01', NULL, 600, 500, 10), "
        "('a2', 1, 2, 'declined', '2026-03-01', NULL, NULL, 300, NULL), "  # Mia's 30 min
        "('a3', 2, 2, 'shared', '2026-03-05', NULL, 900, 1000, 20), "
        "('a4', 2, 3, 'no_reply', '2026-03-05', NULL, NULL, NULL, 5), "
        "('a5', 3, 1, 'asked', '2026-03-07', '2026-03-09', NULL, 100, 10), "  # overdue
        "('a6', 4, 1, 'shared', '2026-03-15', NULL, NULL, 200, 10), "  # reach not typed
        "('a7', 6, 3, 'agreed', '2026-03-15', NULL, NULL, NULL, 5), "
        "('a8', 5, 1, 'shared', '2026-03-20', NULL, 50, 40, 10)")
    return workspace


def test_leverage_per_week_counts_published_posts_and_every_ask_on_them(shop: Workspace) -> None:
    weeks = reports.leverage_by_week(shop, FIRST, LAST)
    assert [(w.first, w.last) for w in weeks] == [
        ("2026-03-02", "2026-03-08"), ("2026-03-09", "2026-03-15"), ("2026-03-16", "2026-03-22")]
    first, empty, third = weeks
    # p1 + p2: own 1000 + 500; shared 600 + 900; effort 10 + 30 (Mia's usual) + 20 + 5
    assert first == Leverage("2026-03-02", "2026-03-08", posts=2, own_reach=1500,
                             partner_reach=1500, asks=4, shared=2, effort_minutes=65)
    assert first.ratio == 1.0
    assert first.reach_per_hour == pytest.approx(1500 * 60 / 65)
    assert empty == Leverage("2026-03-09", "2026-03-15")  # only a draft that week
    assert empty.ratio is None and empty.reach_per_hour is None and empty.empty
    # p4 (no reach typed, its share without a number) and p6 (200; ask still agreed)
    assert third == Leverage("2026-03-16", "2026-03-22", posts=2, own_reach=200,
                             partner_reach=0, asks=2, shared=1, effort_minutes=15)
    assert third.ratio == 0.0
    total = Leverage.combined(weeks)
    assert (total.first, total.last, total.posts, total.own_reach, total.partner_reach,
            total.effort_minutes) == ("2026-03-02", "2026-03-22", 4, 1700, 1500, 80)
    assert total.ratio == pytest.approx(1500 / 1700)


def test_weeks_of_one_campaign_and_weeks_starting_mid_week(shop: Workspace) -> None:
    weeks = reports.leverage_by_week(shop, "2026-03-04", "2026-03-17", campaign_id=1)
    assert [w.first for w in weeks] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    # p1 (2 March) falls before the first day asked for; p2 still counts
    assert [(w.posts, w.own_reach, w.partner_reach) for w in weeks] == [
        (1, 500, 900), (0, 0, 0), (0, 0, 0)]
    assert reports.leverage_by_week(shop, "2026-03-10", "2026-03-01") == []


def _steps(ws: Workspace, read: Callable[[], object]) -> int:
    """How many SQLite VM steps (in hundreds) ``read`` takes."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    ws.conn.set_progress_handler(count, 100)
    read()
    ws.conn.set_progress_handler(None, 100)
    return steps[0]


@pytest.mark.parametrize("campaign_id", [None, 1])
def test_leverage_by_week_reads_only_the_weeks_posts(shop: Workspace,
                                                     campaign_id: int | None) -> None:
    # Today's card asks for 12 weeks: a scan of every post grew with the workspace
    # (266 ms on the GUI thread at a million contacts and 200,000 posts).
    def read() -> object:
        return reports.leverage_by_week(shop, FIRST, LAST, campaign_id)

    before, steps = read(), _steps(shop, read)
    shop.conn.executemany(
        "INSERT INTO posts (uid, title, status, scheduled_on, reach) "
        "VALUES (?, 'Old', 'published', ?, 10)",
        [(f"old{n}", f"2025-{1 + n % 12:02}-{1 + n % 28:02}") for n in range(2000)])
    assert read() == before
    assert _steps(shop, read) <= steps + 5  # not 2,000 more posts' worth

    statements: list[str] = []
    shop.conn.set_trace_callback(statements.append)
    read()
    shop.conn.set_trace_callback(None)
    plans = [str(row[-1]) for sql in statements if "per_post" in sql
             for row in shop.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    index = "posts_schedule (scheduled_on>? AND scheduled_on<?)" if campaign_id is None \
        else "posts_campaign (campaign_id=?)"
    assert any(plan.startswith("SEARCH") and index in plan for plan in plans), plans


def test_week_window_is_twelve_weeks_ending_today() -> None:
    assert reports.week_window(date(2026, 11, 24)) == ("2026-09-07", "2026-11-24")
    assert reports.week_window(date(2026, 11, 23), weeks=1) == ("2026-11-23", "2026-11-23")


def test_waiting_asks_and_the_overdue_ones(shop: Workspace) -> None:
    waiting = asks.waiting_asks(shop, TODAY)
    assert (waiting.waiting, waiting.overdue) == (2, 1)  # a5 overdue; a7 has no due date


def test_partner_answers_reach_and_effort(shop: Workspace) -> None:
    rows = reports.partner_asks(shop)
    assert [r.name for r in rows] == ["Mia", "Café", "Tom"]  # most reach first
    mia, cafe, tom = rows
    assert (mia.asked, mia.shared, mia.declined, mia.no_reply, mia.waiting, mia.reach,
            mia.effort_minutes) == (2, 1, 1, 0, 0, 900, 50)
    assert mia.success == 0.5 and mia.reach_per_hour == pytest.approx(900 * 60 / 50)
    assert (cafe.asked, cafe.shared, cafe.waiting, cafe.reach, cafe.effort_minutes,
            cafe.last_asked_on, cafe.organisation) == (4, 3, 1, 650, 40, "2026-03-20",
                                                       "Corner Café")
    assert cafe.answered == 3 and cafe.success == 1.0
    assert (tom.asked, tom.no_reply, tom.waiting, tom.reach, tom.success) == (2, 1, 1, 0, 0.0)
    spring = reports.partner_asks(shop, campaign_id=1)
    assert [(r.name, r.asked, r.reach) for r in spring] == [
        ("Mia", 2, 900), ("Café", 2, 600), ("Tom", 1, 0)]
    assert [r.name for r in reports.partner_asks(shop, campaign_id=1, limit=2)] == [
        "Mia", "Café"]
    assert reports.partner_asks(shop, campaign_id=2) == []


def test_predicted_against_realised_only_where_the_outcome_is_known(shop: Workspace) -> None:
    compared = reports.post_results(shop, compared_only=True)
    # a1 (500 → 600), a2 (300 → declined, 0), a3 (1000 → 900), a8 (40 → 50); a4 has no
    # prediction, a5 and a7 are open, a6's reach was never typed in
    assert [(r.post_id, r.compared, r.predicted, r.realised) for r in compared] == [
        (1, 2, 800.0, 600), (2, 1, 1000.0, 900), (5, 1, 40.0, 50)]
    first = compared[0]
    assert (first.title, first.own_reach, first.asks, first.shared, first.partner_reach,
            first.effort_minutes, first.campaign) == ("Monday buns", 1000, 2, 1, 600, 40,
                                                      "Spring")
    assert first.accuracy == 0.75
    until = reports.post_results(shop, until=LAST, compared_only=True)
    assert [r.post_id for r in until] == [1, 2]
    summary = Calibration.of(until)
    assert (summary.posts, summary.asks, summary.predicted, summary.realised) == (
        2, 3, 1800.0, 1500)
    assert summary.accuracy == pytest.approx(1500 / 1800)


def test_post_results_of_a_campaign_include_posts_without_results(shop: Workspace) -> None:
    rows = reports.post_results(shop, campaign_id=1)
    assert [(r.post_id, r.status, r.asks, r.waiting, r.compared) for r in rows] == [
        (1, "published", 2, 0, 2), (2, "published", 2, 0, 1), (3, "draft", 1, 1, 0)]
    assert rows[2].predicted is None and rows[2].accuracy is None


def test_campaign_rows_count_published_reach_and_answered_asks(shop: Workspace) -> None:
    rows = reports.campaign_rows(shop)
    assert [r.name for r in rows] == ["Later", "Spring", "No campaign"]
    later, spring, none = rows
    assert (later.posts, later.asks, later.ratio, later.success) == (0, 0, None, None)
    assert (spring.campaign_id, spring.posts, spring.published, spring.own_reach,
            spring.partner_reach, spring.asks, spring.answered, spring.shared) == (
        1, 3, 2, 1500, 1500, 5, 4, 2)
    assert spring.ratio == 1.0 and spring.success == 0.5
    assert (none.campaign_id, none.posts, none.published, none.own_reach,
            none.partner_reach, none.asks, none.answered, none.shared) == (
        None, 3, 3, 300, 50, 3, 2, 2)


def test_campaign_report_spans_the_campaign_and_its_posts(shop: Workspace) -> None:
    report = reports.campaign_report(shop, 1)
    assert report is not None
    assert (report.facts.name, report.facts.first, report.facts.last) == (
        "Spring", "2026-03-01", "2026-03-20")
    assert [w.first for w in report.weeks] == [
        "2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16"]
    assert (report.totals.own_reach, report.totals.partner_reach, report.totals.asks,
            report.totals.effort_minutes) == (1500, 1500, 4, 65)
    assert [p.name for p in report.partners] == ["Mia", "Café", "Tom"]
    assert [p.post_id for p in report.posts] == [1, 2, 3]
    assert (report.published, report.asks, report.waiting, report.shared) == (2, 5, 1, 2)
    assert report.success == 0.5
    later = reports.campaign_report(shop, 2)
    assert later is not None and later.posts == () and later.partners == ()
    assert len(later.weeks) == 5 and later.totals.empty
    assert reports.campaign_report(shop, 99) is None


def test_a_share_recorded_before_its_post_is_published_stays_out_of_reach(shop: Workspace
                                                                         ) -> None:
    from socialdesk.store import asks

    (ask_id,) = shop.conn.execute("SELECT id FROM asks WHERE uid = 'a5'").fetchone()
    asks.record_outcome(shop, ask_id, "shared", answered_on="2026-03-09", observed_reach=700)
    report = reports.campaign_report(shop, 1)  # p3, the draft, has Café's share of 700
    assert report is not None
    assert report.totals.partner_reach == 1500
    assert [(p.name, p.shared, p.reach) for p in report.partners] == [
        ("Mia", 1, 900), ("Café", 2, 600), ("Tom", 0, 0)]
    assert [(p.post_id, p.shared, p.partner_reach) for p in report.posts] == [
        (1, 1, 600), (2, 1, 900), (3, 1, 0)]
    assert sum(p.partner_reach for p in report.posts) == report.totals.partner_reach
    spring = next(r for r in reports.campaign_rows(shop) if r.campaign_id == 1)
    assert (spring.partner_reach, spring.shared) == (1500, 3)
    assert next(p for p in reports.partner_asks(shop) if p.name == "Café").reach == 650

    shop.conn.execute("UPDATE posts SET status = 'published' WHERE id = 3")
    report = reports.campaign_report(shop, 1)
    assert report is not None
    assert report.totals.partner_reach == 2200
    assert report.posts[2].partner_reach == 700
    assert next(p for p in report.partners if p.name == "Café").reach == 1300


def test_repeats_marked_published_count_on_their_own_dates(shop: Workspace) -> None:
    from socialdesk.store.models import OccurrenceDraft, PostDraft
    from socialdesk.store.occurrences import set_occurrence
    from socialdesk.store.post_writes import create_post

    club = create_post(shop, PostDraft(title="Bun club", status="published", campaign_id=1,
                                       scheduled_on="2026-03-03", repeat_rule="weekly",
                                       reach=100))
    set_occurrence(shop, club, "2026-03-10", OccurrenceDraft("published", reach=70))
    set_occurrence(shop, club, "2026-03-17", OccurrenceDraft("skipped", reach=999))
    set_occurrence(shop, club, "2026-03-24", OccurrenceDraft("published", reach=30))
    shop.conn.execute(  # not a date the series repeats on: it counts nowhere
        "INSERT INTO post_occurrences (post_id, occurs_on, status, reach) "
        "VALUES (?, '2026-03-12', 'published', 5000)", (club,))
    weeks = reports.leverage_by_week(shop, FIRST, LAST, campaign_id=1)
    assert [(w.posts, w.own_reach, w.partner_reach) for w in weeks] == [
        (3, 1600, 1500), (1, 70, 0), (0, 0, 0)]
    report = reports.campaign_report(shop, 1)
    assert report is not None
    assert report.facts.last == "2026-03-24"  # the last published repeat, after the end
    assert (report.totals.posts, report.totals.own_reach) == (5, 1700)
    assert next(p for p in report.posts if p.post_id == club).own_reach == 200
    spring = next(r for r in reports.campaign_rows(shop) if r.campaign_id == 1)
    assert (spring.posts, spring.published, spring.own_reach) == (4, 3, 1700)


def test_an_empty_workspace_has_empty_figures(workspace: Workspace) -> None:
    overview = reports.overview(workspace, date(2026, 11, 24))
    assert len(overview.weeks) == 12 and overview.totals.empty
    assert overview.partners == overview.predictions == overview.campaigns == ()
    assert asks.waiting_asks(workspace, "2026-11-24").waiting == 0


def test_a_workspace_holds_data_once_it_has_a_contact_or_a_post(shop: Workspace) -> None:
    assert shop.holds_data()
    shop.conn.execute("DELETE FROM asks")
    shop.conn.execute("DELETE FROM contacts")
    assert shop.holds_data()  # posts only
    shop.conn.execute("DELETE FROM posts")
    assert not shop.holds_data() and reports.counts(shop).empty
    shop.conn.execute("INSERT INTO contacts (name) VALUES ('Mia')")
    assert shop.holds_data()


def test_demo_figures_agree_with_a_plain_recount(demo: Workspace) -> None:
    """The set-based queries against a row-by-row count in Python, on the demo."""
    day = date.today()
    overview = reports.overview(demo, day)
    first = date.fromisoformat(overview.weeks[0].first)
    posts = demo.conn.execute(
        "SELECT id, scheduled_on, reach FROM posts WHERE status = 'published' "
        "AND scheduled_on BETWEEN ? AND ?", (first.isoformat(), day.isoformat())).fetchall()
    effort = dict(demo.conn.execute("SELECT id, effort_minutes FROM contacts").fetchall())
    by_post = defaultdict(list)
    for ask in demo.conn.execute(
            "SELECT post_id, contact_id, status, observed_reach, effort_minutes FROM asks"):
        by_post[ask[0]].append(ask)
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for post_id, scheduled_on, reach in posts:
        day_of = date.fromisoformat(scheduled_on)
        week = (day_of - timedelta(days=day_of.weekday())).isoformat()
        totals = expected[week]
        totals[0] += reach or 0
        for _, contact, status, observed, minutes in by_post[post_id]:
            totals[1] += (observed or 0) if status == "shared" else 0
            totals[2] += 1
            totals[3] += minutes if minutes is not None else effort[contact]
    for (occurs_on, reach) in demo.conn.execute(  # the demo marks only dates that repeat
            "SELECT occurs_on, reach FROM post_occurrences WHERE status = 'published' "
            "AND occurs_on BETWEEN ? AND ?", (first.isoformat(), day.isoformat())):
        day_of = date.fromisoformat(occurs_on)
        expected[(day_of - timedelta(days=day_of.weekday())).isoformat()][0] += reach or 0
    got = {w.first: [w.own_reach, w.partner_reach, w.asks, w.effort_minutes]
           for w in overview.weeks if w.posts}
    assert got == dict(expected)
    assert sum(p.asked for p in overview.partners) == demo.conn.execute(
        "SELECT count(*) FROM asks").fetchone()[0]
    assert sum(c.posts for c in overview.campaigns) == demo.conn.execute(
        "SELECT count(*) FROM posts").fetchone()[0]


# --- visits: per campaign and by the time asks were recorded ---------------------------
# Visits: ask 1 (post 1) 10 + 5, ask 3 (post 2) 7, ask 6 (post 4) 100.


@pytest.fixture
def visited(shop: Workspace) -> Workspace:
    """The bakery with visits, links on posts 1, 2 and 4, and the times asks were recorded."""
    add_visits(shop, 1, 10, 5)
    add_visits(shop, 3, 7)
    add_visits(shop, 6, 100)
    shop.conn.execute("UPDATE posts SET link = 'https://bakery.example/buns' "
                      "WHERE id IN (1, 2, 4)")
    for ask, stamp in ((1, "2026-03-01T08:10:00Z"), (2, "2026-03-01T08:50:00Z"),
                       (3, "2026-03-05T16:20:00Z"), (4, "2026-03-06T09:00:00Z"),
                       (6, "2026-03-15T08:30:00Z")):
        shop.conn.execute("UPDATE asks SET created_at = ? WHERE id = ?", (stamp, ask))
    return shop


def test_campaign_rows_and_report_count_the_visits_of_their_posts_asks(
        visited: Workspace) -> None:
    rows = {row.name: row.visits for row in reports.campaign_rows(visited)}
    assert rows == {"Spring": 15 + 7, "Later": 0, "No campaign": 100}
    report = reports.campaign_report(visited, 1)
    assert report is not None and report.visits == 22
    assert reports.campaign_visits(visited, 2) == 0


def test_asks_by_the_quarter_hour_they_were_recorded(visited: Workspace) -> None:
    groups = sorted(reports.asks_by_hour_recorded(visited), key=lambda g: g.utc_quarter)
    # Asks 5, 7 and 8 are for posts without a link: no tracked link, left out.
    assert groups == [
        AskHourGroup("2026-03-01", "2026-03-01T08:00", asks=1, visits=15),
        AskHourGroup("2026-03-01", "2026-03-01T08:45", asks=1, visits=0),
        AskHourGroup("2026-03-05", "2026-03-05T16:15", asks=1, visits=7),
        AskHourGroup("2026-03-05", "2026-03-06T09:00", asks=1, visits=0),
        AskHourGroup("2026-03-15", "2026-03-15T08:30", asks=1, visits=100),
    ]
