"""Later dates of repeating posts, as a calendar program would show them."""

from __future__ import annotations

from datetime import date

import pytest

from socialdesk.core.calendar.recurrence import occurrences, posts_in_range
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post


def test_weekly_until_and_evergreen_and_monthly() -> None:
    start = date(2031, 1, 6)
    assert occurrences(start, date(2031, 2, 1), date(2031, 2, 28), repeat_rule="weekly",
                       repeat_until=date(2031, 2, 17)) == [
        date(2031, 2, 3), date(2031, 2, 10), date(2031, 2, 17)]
    assert occurrences(start, date(2031, 1, 1), date(2031, 3, 31), evergreen_weeks=6) == [
        start, date(2031, 2, 17), date(2031, 3, 31)]
    assert occurrences(date(2031, 1, 31), date(2031, 1, 1), date(2031, 5, 31),
                       repeat_rule="monthly") == [
        date(2031, 1, 31), date(2031, 3, 31), date(2031, 5, 31)]  # no 31 Feb or 31 Apr
    assert occurrences(start, date(2031, 2, 1), date(2031, 2, 28)) == []


def test_posts_in_range_marks_repeats(workspace) -> None:
    post_id = create_post(workspace, PostDraft(
        title="Bread club", scheduled_on="2031-01-06", repeat_rule="weekly",
        repeat_until="2031-01-20", channels=(("instagram", None),)))
    rows = posts_in_range(workspace, date(2031, 1, 1), date(2031, 1, 31))
    assert [(r.id, r.scheduled_on, r.occurrence) for r in rows] == [
        (post_id, "2031-01-06", False), (post_id, "2031-01-13", True),
        (post_id, "2031-01-20", True)]
    later = posts_in_range(workspace, date(2031, 1, 12), date(2031, 1, 14))
    assert [(r.scheduled_on, r.occurrence, r.platforms) for r in later] == [
        ("2031-01-13", True, ("instagram",))]


def test_repeats_read_once_for_many_ranges_match_a_fresh_read(workspace) -> None:
    from socialdesk.store import posts

    create_post(workspace, PostDraft(
        title="Bread club", scheduled_on="2031-01-06", repeat_rule="weekly",
        channels=(("instagram", None), ("facebook", None)), topics=("rye", "Bread")))
    create_post(workspace, PostDraft(
        title="Market day", scheduled_on="2031-01-31", repeat_rule="monthly",
        repeat_until="2031-06-30"))
    create_post(workspace, PostDraft(title="Evergreen", scheduled_on="2031-02-03",
                                     evergreen_weeks=3))
    create_post(workspace, PostDraft(title="Once", scheduled_on="2031-03-04"))
    create_post(workspace, PostDraft(title="An idea"))
    every = posts.repeating_records(workspace)
    assert sorted(r.row.title for r in every) == ["Bread club", "Evergreen", "Market day"]
    for first, last in ((date(2030, 12, 1), date(2030, 12, 31)),
                        (date(2031, 1, 1), date(2031, 1, 31)),
                        (date(2031, 2, 24), date(2031, 4, 6)),
                        (date(2031, 7, 1), date(2031, 7, 31))):
        assert posts_in_range(workspace, first, last, every) == posts_in_range(
            workspace, first, last)
    march = posts_in_range(workspace, date(2031, 3, 1), date(2031, 3, 31), every)
    club = next(r for r in march if r.title == "Bread club")
    assert club.platforms == ("facebook", "instagram") and club.topics == ("Bread", "rye")
    assert [r.scheduled_on for r in march if r.title == "Market day"] == ["2031-03-31"]


@pytest.mark.parametrize("rule", [
    {"repeat_rule": "weekly"}, {"repeat_rule": "weekly", "repeat_until": "2031-04-14"},
    {"repeat_rule": "monthly"}, {"repeat_rule": "monthly", "repeat_until": "2031-06-30"},
    {"evergreen_weeks": 3}, {"evergreen_weeks": 2, "repeat_rule": "weekly"},
    {"repeat_rule": "monthly", "evergreen_weeks": 2}, {},
])
@pytest.mark.parametrize("start", ["2031-01-31", "2031-02-03"])
def test_the_stores_repeat_rule_agrees_with_the_calendars(workspace, rule, start) -> None:
    """Marked dates count in reports by the store's SQL rule: the calendar's dates exactly."""
    from socialdesk.store.occurrences import repeat_of

    until = rule.get("repeat_until")
    post_id = create_post(workspace, PostDraft(title="Series", scheduled_on=start, **rule))
    first, last = date(2031, 1, 1), date(2031, 12, 31)
    expected = [d for d in occurrences(
        date.fromisoformat(start), first, last, repeat_rule=rule.get("repeat_rule"),
        repeat_until=date.fromisoformat(until) if until else None,
        evergreen_weeks=rule.get("evergreen_weeks")) if d != date.fromisoformat(start)]
    found = [date.fromisoformat(r[0]) for r in workspace.conn.execute(
        "WITH RECURSIVE days(day) AS (SELECT '2031-01-01' UNION ALL "
        "SELECT date(day, '+1 day') FROM days WHERE day < '2031-12-31') "
        f"SELECT day FROM days, posts p WHERE p.id = ? AND {repeat_of('day')} ORDER BY day",
        (post_id,))]
    assert found == expected


def test_a_repeat_keeps_every_field_of_its_post_but_its_date_status_and_reach() -> None:
    """repeat_row names PostRow's fields one by one: a field added later must come along."""
    from dataclasses import fields

    from socialdesk.store import posts
    from socialdesk.store.models import PostRow

    post = PostRow(**{f.name: object() for f in fields(PostRow)})
    repeat = posts.repeat_row(post, "2031-02-03", "scheduled", 7)
    changed = {"scheduled_on": "2031-02-03", "status": "scheduled", "reach": 7,
               "repeats": True, "occurrence": True}
    for f in fields(PostRow):
        assert getattr(repeat, f.name) == changed.get(f.name, getattr(post, f.name)), f.name
