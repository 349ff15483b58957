"""Later dates of repeating posts, as a calendar program would show them."""

from __future__ import annotations

from datetime import date

from socialdesk.core.recurrence import occurrences, posts_in_range
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
