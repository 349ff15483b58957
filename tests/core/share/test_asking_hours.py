"""Asks and their visits by the hour of the workspace's day they were made."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from socialdesk.core.settings import update_setting
from socialdesk.core.share.asking_hours import asking_hours, hours_of
from socialdesk.core.timezones import local_timezone
from socialdesk.store.report_models import AskHourGroup, AskingHour
from socialdesk.store.reports import asks_by_hour_recorded
from socialdesk.store.workspace import Workspace
from visits_table import add_visits

# Recorded (UTC, to the quarter hour) for the ask dates; the fourth was typed in a day late.
GROUPS = [
    AskHourGroup("2026-03-01", "2026-03-01T08:00", asks=1, visits=15),
    AskHourGroup("2026-03-01", "2026-03-01T08:45", asks=1, visits=0),
    AskHourGroup("2026-03-05", "2026-03-05T16:15", asks=1, visits=7),
    AskHourGroup("2026-03-05", "2026-03-06T09:00", asks=1, visits=0),
    AskHourGroup("2026-03-15", "2026-03-15T08:30", asks=1, visits=100),
]


def _busy(hours: tuple[AskingHour, ...]) -> dict[int, tuple[int, int]]:
    assert [h.hour for h in hours] == list(range(24))
    return {h.hour: (h.asks, h.visits) for h in hours if h.asks or h.visits}


@pytest.mark.parametrize(("zone", "expected"), [
    # CET (+1): 08:00 and 08:45 → 9 h, 16:15 → 17 h, 08:30 → 9 h.
    ("Europe/Berlin", {9: (3, 115), 17: (1, 7)}),
    # +5:30: 08:00 → 13:30, 08:45 → 14:15, 16:15 → 21:45, 08:30 → 14:00.
    ("Asia/Kolkata", {13: (1, 15), 14: (2, 100), 21: (1, 7)}),
    # PST (−8) until 8 March, then PDT (−7): 00:00, 00:45, 08:15, and 01:30 on 15 March.
    ("America/Los_Angeles", {0: (2, 15), 8: (1, 7), 1: (1, 100)}),
    ("UTC", {8: (3, 115), 16: (1, 7)}),
])
def test_hours_in_the_workspace_zone_leave_out_asks_recorded_another_day(
        zone: str, expected: dict[int, tuple[int, int]]) -> None:
    assert _busy(hours_of(GROUPS, ZoneInfo(zone))) == expected


def test_visits_per_ask() -> None:
    nine = hours_of(GROUPS, ZoneInfo("Europe/Berlin"))[9]
    assert nine.visits_per_ask == pytest.approx(115 / 3)
    assert hours_of(GROUPS, ZoneInfo("Europe/Berlin"))[3].visits_per_ask is None


def test_an_unreadable_timestamp_is_left_out() -> None:
    broken = [AskHourGroup("2026-03-01", "garbage", 4, 40), *GROUPS[:1]]
    assert _busy(hours_of(broken, ZoneInfo("UTC"))) == {8: (1, 15)}


def test_the_workspace_time_zone_setting_is_used(workspace: Workspace) -> None:
    c = workspace.conn
    c.execute("INSERT INTO contacts (id, name) VALUES (1, 'Café')")
    c.execute("INSERT INTO posts (id, uid, title, link) VALUES "
              "(1, 'p1', 'Buns', 'https://bakery.example/')")
    c.execute("INSERT INTO asks (id, uid, post_id, contact_id, asked_on, created_at) VALUES "
              "(1, 'a1', 1, 1, '2026-03-01', '2026-03-01T20:30:00Z')")
    add_visits(workspace, 1, 12)
    update_setting(workspace, "timezone", "Asia/Tokyo")  # +9: the next day, 05:30
    assert _busy(asking_hours(workspace)) == {}
    update_setting(workspace, "timezone", "America/New_York")  # −5: 15:30
    assert _busy(asking_hours(workspace)) == {15: (1, 12)}
    update_setting(workspace, "timezone", "Not/A_Zone")  # ignored: the computer's zone
    computer = hours_of(asks_by_hour_recorded(workspace), ZoneInfo(local_timezone()))
    assert asking_hours(workspace) == computer
