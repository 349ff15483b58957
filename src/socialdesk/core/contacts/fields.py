"""SocialDesk's own contact fields in files: one line per field, for every format.

A contact's kind, stage, tie strength, ask effort and follow-up date mean nothing to
other address books. The contacts export writes them as CSV columns and as
``X-SOCIALDESK-*`` vCard properties, and the vCard import reads those back; all three
go through :data:`OWN_FIELDS`, so a new field is one more line here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from socialdesk.store.models import Contact
from socialdesk.store.vocabulary import CONTACT_KINDS, STAGES

_DEFAULTS = {f.name: f.default for f in fields(Contact)}


def _one_of(values: tuple[str, ...]) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text not in values:
            raise ValueError(text)
        return text

    return read


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


_MAX_COUNT = 2**63 - 1  # the largest whole number SQLite stores


def _count(text: str) -> int:
    value = int(text)
    if not 0 <= value <= _MAX_COUNT:
        raise ValueError(text)
    return value


def _day(text: str) -> str:
    return date.fromisoformat(text).isoformat()


def _text(value: Any) -> str:
    """A value as a file holds it: '' for none, numbers in their shortest form."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True, slots=True)
class OwnField:
    """One of SocialDesk's own contact fields, and how files hold it."""

    name: str  # the attribute of Contact (and column of the contacts table)
    csv_title: str  # its column in a CSV export
    vcard_property: str  # its property in a vCard
    read: Callable[[str], Any]  # text from a file → value; ValueError when not valid
    vcard_default: bool = False  # written to a vCard even when it has the default value

    def text(self, contact: Contact) -> str:
        """The field of ``contact`` as a CSV cell holds it."""
        return _text(getattr(contact, self.name))

    def vcard_text(self, contact: Contact) -> str:
        """The field as a vCard property holds it; '' when the card leaves it out."""
        value = getattr(contact, self.name)
        if value == _DEFAULTS[self.name] and not self.vcard_default:
            return ""
        return _text(value)


OWN_FIELDS = (
    OwnField("kind", "Kind", "X-SOCIALDESK-KIND", _one_of(CONTACT_KINDS), vcard_default=True),
    OwnField("stage", "Stage", "X-SOCIALDESK-STAGE", _one_of(STAGES), vcard_default=True),
    OwnField("strength", "Tie strength", "X-SOCIALDESK-STRENGTH", _fraction),
    # always written: the default effort is a setting of each workspace, not this 10
    OwnField("effort_minutes", "Ask effort (minutes)", "X-SOCIALDESK-EFFORT-MINUTES", _count,
             vcard_default=True),
    OwnField("follow_up_on", "Follow up on", "X-SOCIALDESK-FOLLOW-UP", _day),
)


def read_own_fields(properties: dict[str, str]) -> dict[str, Any]:
    """The own fields among vCard ``properties`` (name → text) that hold valid values.

    Invalid ones are quietly left out: the contact keeps its default there.
    """
    found: dict[str, Any] = {}
    for own in OWN_FIELDS:
        text = properties.get(own.vcard_property)
        if text is not None:
            with contextlib.suppress(ValueError):
                found[own.name] = own.read(text)
    return found
