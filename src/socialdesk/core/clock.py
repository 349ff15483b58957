"""Today's date, overridable with ``SOCIALDESK_TODAY`` (YYYY-MM-DD) for reproducible screenshots."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """The date the app treats as today."""
    override = os.environ.get("SOCIALDESK_TODAY")
    return date.fromisoformat(override) if override else date.today()
