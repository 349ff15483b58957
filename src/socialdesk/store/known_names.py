"""Platform names and link kinds as the workspace stores them (schema version 5).

A platform (of an audience, an own channel or a post's target) is one of
:data:`~socialdesk.store.vocabulary.PLATFORMS`; a link's kind one of
:data:`~socialdesk.store.vocabulary.LINK_KINDS`. Anything else is stored as ``other``
with the text as typed in a column of its own (``platform_label``, ``kind_label``), so
nothing a user or a file wrote is lost, and it reads back as that text (:func:`shown`).
"""

from __future__ import annotations

from socialdesk.store.vocabulary import LINK_KINDS, PLATFORMS

# Other spellings of a known platform.
_PLATFORM_ALIASES = {"twitter": "x"}


def _key(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").split())


def stored_platform(text: str) -> tuple[str, str]:
    """``(platform, platform_label)`` for a platform as typed ("Instagram", "Substack").

    A known platform in any case or spelling ("LinkedIn", "Google Business", "Twitter")
    is its name with no label; any other is ``other`` with the text, trimmed, as label.
    """
    key = _key(text)
    key = _PLATFORM_ALIASES.get(key, key)
    if key in PLATFORMS:
        return key, ""
    return "other", text.strip()


def stored_link_kind(text: str) -> tuple[str, str]:
    """``(kind, kind_label)`` for a link kind as typed ("knows", "Works with", "mentor")."""
    key = _key(text)
    if key in LINK_KINDS:
        return key, ""
    return "other", text.strip()


def shown(column: str, table: str = "") -> str:
    """SQL for the name a platform or kind ``column`` reads back as: its label, if any."""
    prefix = f"{table}." if table else ""
    return f"coalesce(nullif({prefix}{column}_label, ''), {prefix}{column})"
