"""Workspace settings with their defaults: the leverage model's parameters and more."""

from __future__ import annotations

import math
from copy import deepcopy
from typing import Any

from socialdesk.store import settings as stored
from socialdesk.store.workspace import Workspace

# Share of an audience that sees an ordinary post, per platform (DESIGN.md, leverage v2).
REACH_RATES = {
    "facebook": 0.05, "instagram": 0.10, "x": 0.05, "linkedin": 0.08, "threads": 0.08,
    "mastodon": 0.15, "bluesky": 0.15, "tiktok": 0.10, "youtube": 0.05, "pinterest": 0.05,
    "newsletter": 0.35, "blog": 0.20, "other": 0.05,
}

DEFAULTS: dict[str, Any] = {
    "universe": 100_000,
    "cross_platform": 0.5,
    "reshare": 0.15,
    "reach_rates": REACH_RATES,
    "fatigue_days": 14,
    "extra_platforms": 0.2,  # a share's reach beyond the partner's main platform
    "max_hops": 2,  # the asked partners' shares and one level of reshares (at most 4)
    "prior_a": 0.05,  # share likelihood before any ask: a + b · tie strength
    "prior_b": 0.6,
    "calibration_on": True,  # recalibrate p from the track record (once 30 asks are resolved)
    "learned_rates_on": False,  # reach rates learned from own posts (platforms with 5 posts)
    "ask_warning_count": 2,
    "ask_templates": {},  # ask message per contact kind; empty: core.ask_messages' own
    "default_effort_minutes": 10,
    "sender_name": "",  # who signs asks and share kits (asked for on first use)
    "sender_business": "",
    "sender_asked": False,  # the first-use question about the sender was asked
    "backup_daily": 7,
    "backup_weekly": 4,
    "backup_monthly": 12,
    "backup_folder": "",  # empty: the user data folder's backups/
    "backup_encrypt": False,  # encrypt automatic backups (passphrase in the OS keyring)
    "timezone": "",  # the workspace's IANA time zone; empty: the computer's
}


# The numeric settings' bounds (the Settings dialog's ranges; rates are fractions 0–1).
RANGES: dict[str, tuple[float, float]] = {
    "universe": (1, 1e12), "cross_platform": (0, 1), "reshare": (0, 1),
    "fatigue_days": (1, 3650), "extra_platforms": (0, 1), "max_hops": (1, 4),
    "prior_a": (0, 1), "prior_b": (0, 1), "ask_warning_count": (0, 1000),
    "default_effort_minutes": (0, 24 * 60),
    "backup_daily": (0, 10_000), "backup_weekly": (0, 10_000), "backup_monthly": (0, 10_000),
}
RATE_RANGE = (0.0, 1.0)


def _number_in(value: Any, low: float, high: float, whole: bool) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if not math.isfinite(value) or not low <= value <= high:
        return False
    return not whole or float(value).is_integer()


def valid_value(key: str, value: Any) -> Any:
    """``value`` as stored for ``key``, or None when it cannot be used.

    A workspace may come from elsewhere (a backup, a copy edited by hand) and JSON lets
    NaN, Infinity and any type through: a value of the wrong type, not finite or out of
    :data:`RANGES` is ignored (its default applies), and so are the entries of a
    dictionary setting that are not text → number in 0–1 (rates) or text → text.
    """
    default = DEFAULTS.get(key)
    if key not in DEFAULTS:
        return value  # settings without a default are read by their own code
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, int | float):
        low, high = RANGES.get(key, (-math.inf, math.inf))
        return value if _number_in(value, low, high, isinstance(default, int)) else None
    if isinstance(default, str):
        return value if isinstance(value, str) else None
    if isinstance(default, dict):
        if not isinstance(value, dict):
            return None
        if key == "reach_rates":
            return {str(k).lower(): float(v) for k, v in value.items()
                    if isinstance(k, str) and _number_in(v, *RATE_RANGE, whole=False)}
        return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}
    return value


def workspace_settings(ws: Workspace) -> dict[str, Any]:
    """Every setting: the defaults, overridden by the usable values the workspace stores."""
    merged = deepcopy(DEFAULTS)
    for key, stored_value in stored.stored_settings(ws).items():
        value = valid_value(key, stored_value)
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def workspace_zone(settings: dict[str, Any]) -> str:
    """The workspace's time zone (setting ``timezone``), else the computer's: an IANA name.

    A name zoneinfo does not know (a workspace edited elsewhere) counts as no setting.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from socialdesk.core.timezones import local_timezone

    name = str(settings.get("timezone") or "").strip()
    if name:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return local_timezone()


def default_effort(ws: Workspace) -> int:
    """The ask effort in minutes a contact added to ``ws`` gets, by hand or by an import."""
    return int(workspace_settings(ws)["default_effort_minutes"])


def stored_form(key: str, value: Any) -> Any:
    """What to store for ``key`` so that it reads back as ``value``; None for the default.

    Dict settings keep only the entries that differ from the defaults (an ask message
    equal to the built-in one is not stored).
    """
    if key == "ask_templates":
        from socialdesk.core.planner.ask_messages import DEFAULT_TEMPLATES

        changed = {k: v for k, v in value.items() if v != DEFAULT_TEMPLATES.get(k)}
        return changed or None
    default = DEFAULTS[key]
    if isinstance(default, dict) and isinstance(value, dict):
        changed = {k: v for k, v in value.items() if default.get(k) != v}
        return changed or None
    return None if value == default else value


def update_setting(ws: Workspace, key: str, value: Any) -> None:
    """Change one setting; a value equal to the default is stored as no override."""
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    stored.set_setting(ws, key, None if value == DEFAULTS[key] else value)
