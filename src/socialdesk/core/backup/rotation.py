"""Which old backups to remove: keep the newest of each recent day, week and month.

The usual grandfather–father–son scheme: of the automatic backups of one workspace, keep
the newest backup of each of the last ``daily`` days that have one, of each of the last
``weekly`` ISO weeks and of each of the last ``monthly`` months. Backups the user made
(manual), safety backups (made before a restore) and migration backups are never
removed automatically: they stay until the user removes them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime

from socialdesk.core.backup.catalog import BackupInfo

ROTATED_KINDS = ("auto",)


@dataclass(frozen=True, slots=True)
class Policy:
    """How many daily, weekly and monthly backups to keep."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def _newest_per_period(
    ordered: Sequence[BackupInfo], count: int, period: Callable[[datetime], Hashable]
) -> set[int]:
    """Indexes into ``ordered`` (newest first) of the newest backup of each of ``count`` periods."""
    kept: set[int] = set()
    seen: set[Hashable] = set()
    for index, info in enumerate(ordered):
        if len(seen) >= count:
            break
        key = period(info.created.astimezone())
        if key not in seen:
            seen.add(key)
            kept.add(index)
    return kept


def to_prune(backups: Sequence[BackupInfo], policy: Policy) -> list[BackupInfo]:
    """The automatic backups the policy no longer keeps (never the newest of them).

    ``backups`` are one workspace's (see :mod:`socialdesk.core.backup.ownership`).
    """
    ordered = sorted(
        (b for b in backups if b.kind in ROTATED_KINDS and b.usable),
        key=lambda b: (b.created, b.path.name), reverse=True,
    )
    if not ordered:
        return []
    keep = {0}
    keep |= _newest_per_period(ordered, max(policy.daily, 0), lambda d: d.date())
    keep |= _newest_per_period(ordered, max(policy.weekly, 0), lambda d: d.isocalendar()[:2])
    keep |= _newest_per_period(ordered, max(policy.monthly, 0), lambda d: (d.year, d.month))
    return [info for index, info in enumerate(ordered) if index not in keep]
