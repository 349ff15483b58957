"""The computer's own time zone as an IANA name (light: no calendar libraries imported)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_timezone() -> str:
    """The IANA name of this computer's time zone, or ``"UTC"`` when it cannot be told."""
    import tzlocal

    try:
        name = tzlocal.get_localzone_name()
        if name:
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError, OSError, LookupError):
        pass  # no zone configured, or one that zoneinfo does not know
    return "UTC"
