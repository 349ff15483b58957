"""Workspace settings with their defaults: the leverage model's parameters and more."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from socialdesk.store import settings as stored
from socialdesk.store.workspace import Workspace

# Share of an audience that sees an ordinary post, per platform (DESIGN.md, leverage v1).
REACH_RATES = {
    "facebook": 0.05, "instagram": 0.10, "x": 0.05, "linkedin": 0.08, "threads": 0.08,
    "mastodon": 0.15, "bluesky": 0.15, "tiktok": 0.10, "youtube": 0.05, "pinterest": 0.05,
    "newsletter": 0.35, "blog": 0.20, "other": 0.05,
}

DEFAULTS: dict[str, Any] = {
    "universe": 100_000,
    "cross_platform": 0.5,
    "reshare": 0.3,
    "reach_rates": REACH_RATES,
    "fatigue_days": 14,
    "ask_warning_count": 2,
    "ask_templates": {},  # ask message per contact kind; empty: core.ask_messages' own
    "default_effort_minutes": 10,
    "backup_daily": 7,
    "backup_weekly": 4,
    "backup_monthly": 12,
    "backup_folder": "",  # empty: the user data folder's backups/
    "backup_encrypt": False,  # encrypt automatic backups (passphrase in the OS keyring)
}


def workspace_settings(ws: Workspace) -> dict[str, Any]:
    """Every setting: the defaults, overridden by what the workspace stores."""
    merged = deepcopy(DEFAULTS)
    for key, value in stored.stored_settings(ws).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def stored_form(key: str, value: Any) -> Any:
    """What to store for ``key`` so that it reads back as ``value``; None for the default.

    Dict settings keep only the entries that differ from the defaults (an ask message
    equal to the built-in one is not stored).
    """
    if key == "ask_templates":
        from socialdesk.core.ask_messages import DEFAULT_TEMPLATES

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
