"""Asks and the visits they brought by the hour of day they were made: when asking pays.

An ask was made when it was recorded (its ``created_at``, stored in UTC), read as an hour
of the workspace's day in its time zone (the ``timezone`` setting, else the computer's).
An ask recorded on another day than its ask date (typed in afterwards, or copied from
elsewhere) has no known hour and is left out, and so is one whose timestamp cannot be
read. Only the asks for posts with a link count: the others carry no tracked link.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from socialdesk.core.settings import workspace_settings, workspace_zone
from socialdesk.store import reports
from socialdesk.store.report_models import AskHourGroup, AskingHour
from socialdesk.store.workspace import Workspace


def hours_of(groups: Iterable[AskHourGroup], zone: ZoneInfo) -> tuple[AskingHour, ...]:
    """The 24 hours of the day in ``zone`` (0 first), each with its asks and visits."""
    asks = [0] * 24
    visits = [0] * 24
    for group in groups:
        try:
            utc = datetime.fromisoformat(group.utc_quarter).replace(tzinfo=UTC)
        except (TypeError, ValueError):
            continue
        local = utc.astimezone(zone)
        if local.date().isoformat() != group.asked_on:
            continue
        asks[local.hour] += group.asks
        visits[local.hour] += group.visits
    return tuple(AskingHour(hour, asks[hour], visits[hour]) for hour in range(24))


def asking_hours(ws: Workspace) -> tuple[AskingHour, ...]:
    """The workspace's asks and their visits by the hour of its day they were made."""
    zone = ZoneInfo(workspace_zone(workspace_settings(ws)))
    return hours_of(reports.asks_by_hour_recorded(ws), zone)
