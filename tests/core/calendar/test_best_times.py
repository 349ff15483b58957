"""Best time to post: reach by weekday × hour from the workspace's own published posts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from socialdesk.core.calendar.best_times import (
    MIN_POSTS,
    enough,
    next_open_slot,
    ranked,
    read_best_times,
    suggest_slot,
)
from socialdesk.core.settings import update_setting
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post
from socialdesk.store.workspace import Workspace

TUESDAY = date(2026, 11, 3)


def _published(ws: Workspace, day: date, at: str | None, reach: int | None,
               status: str = "published", zone: str | None = None) -> int:
    return create_post(ws, PostDraft(
        title=f"Post {day} {at}", status=status, scheduled_on=day.isoformat(),
        scheduled_time=at, timezone=zone, reach=reach))


def _history(ws: Workspace, weeks: int = 7) -> None:
    """Tuesdays at 18:00 reach 900; Mondays at 09:00 reach 300; Fridays at 12:00, 500."""
    for week in range(weeks):
        monday = TUESDAY - timedelta(days=1) - timedelta(weeks=week + 1)
        _published(ws, monday + timedelta(days=1), "18:10", 900)
        _published(ws, monday, "09:00", 300)
        _published(ws, monday + timedelta(days=4), "12:30", 500)


def test_reach_falls_in_the_weekday_and_hour_the_post_went_out(workspace: Workspace) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    _history(workspace)
    _published(workspace, TUESDAY, None, 5000)  # no time: no hour, left out
    _published(workspace, TUESDAY, "07:00", None)  # no reach yet
    _published(workspace, TUESDAY, "07:00", 800, status="scheduled")  # not published
    best = read_best_times(workspace)
    assert best.total == 21 and enough(best)
    assert best.posts[1][18] == 7 and best.average(1, 18) == 900
    assert best.average(0, 9) == 300 and best.average(4, 12) == 500
    assert best.average(1, 7) is None
    assert ranked(best)[:3] == [(1, 18), (4, 12), (0, 9)]


def test_a_post_in_another_zone_counts_at_the_workspaces_hour(workspace: Workspace) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    _published(workspace, TUESDAY, "19:00", 100, zone="Europe/Paris")
    assert read_best_times(workspace).posts[1][18] == 1


def test_the_time_it_was_sent_wins_over_the_calendars(workspace: Workspace) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    post_id = _published(workspace, TUESDAY, "09:00", 100)
    workspace.conn.execute(
        "INSERT INTO accounts (id, network, server, handle, remote_id) "
        "VALUES (1, 'mastodon', 'https://m.example', 'rosie', '1')")
    workspace.conn.execute(
        "INSERT INTO publications (post_id, account_id, state, idempotency_key, text, "
        "intended_at, sent_at) VALUES (?, 1, 'sent', 'k', 't', ?, ?)",
        (post_id, "2026-11-03T16:05:00Z", "2026-11-03T16:05:07Z"))
    best = read_best_times(workspace)
    assert best.posts[1][16] == 1 and best.posts[1][9] == 0


def test_a_published_later_date_of_a_repeating_post_counts_too(workspace: Workspace) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    post_id = create_post(workspace, PostDraft(
        title="Weekly", status="published", scheduled_on=TUESDAY.isoformat(),
        scheduled_time="08:00", repeat_rule="weekly", reach=10))
    workspace.conn.execute(
        "INSERT INTO post_occurrences (post_id, occurs_on, status, reach) "
        "VALUES (?, ?, 'published', 30)", (post_id, (TUESDAY + timedelta(days=7)).isoformat()))
    best = read_best_times(workspace)
    assert best.posts[1][8] == 2 and best.average(1, 8) == 20


def test_one_lucky_post_does_not_outrank_a_cell_that_did_well_often(workspace: Workspace,
                                                                    ) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    _history(workspace)
    _published(workspace, TUESDAY - timedelta(days=2), "23:00", 1500)  # one Sunday night
    assert ranked(read_best_times(workspace))[0] == (1, 18)


def test_too_few_posts_say_how_many_there_are(workspace: Workspace) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    for day in range(7):
        _published(workspace, TUESDAY - timedelta(days=day + 1), "10:00", 50)
    suggestion = suggest_slot(workspace, datetime(2026, 11, 3, 12, 0))
    assert suggestion.when is None
    assert suggestion.message == (f"Best times appear after {MIN_POSTS} published posts with "
                                  "results (you have 7).")


def test_the_next_open_slot_is_in_the_best_cell_and_skips_taken_hours(
        workspace: Workspace) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    _history(workspace)
    now = datetime(2026, 11, 3, 18, 30)  # a Tuesday, after 18:00
    first = suggest_slot(workspace, now)
    assert first.when == datetime(2026, 11, 10, 18, 0)
    assert first.message.startswith("Best time: Tuesdays 18:00–18:59: average reach 900")
    _published(workspace, date(2026, 11, 10), "18:45", None, status="scheduled")
    assert suggest_slot(workspace, now).when == datetime(2026, 11, 17, 18, 0)


def test_every_best_hour_taken_falls_back_to_the_next_best_cell(workspace: Workspace) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    _history(workspace)
    best = read_best_times(workspace)
    now = datetime(2026, 11, 3, 19, 0)
    taken = {((now + timedelta(days=7 * w)).date().isoformat(), 18) for w in range(1, 10)}
    assert next_open_slot(best, taken, now, weeks=8) == datetime(2026, 11, 6, 12, 0)
