"""Writing contacts as vCard 4.0 (RFC 6350) or 3.0 (RFC 2426).

Hand-written rather than with ``vobject``: vobject 0.9 serialises every card with its
vCard 3.0 behaviour (it only lets the VERSION line say 4.0), it is not otherwise a
dependency of SocialDesk, and building its object tree for 100,000 contacts is slow.
What we write is small and plain: FN, N, ORG (name and units), EMAIL, TEL, URL, NOTE,
CATEGORIES, UID, REV, SocialDesk's own fields as ``X-SOCIALDESK-*`` properties, and the
lines of the contact's own card that SocialDesk has no field for (``vcard_extra``: a
phone's BDAY, ADR, PHOTO, …) as they were read. Text
is escaped (backslash, newline, comma, semicolon; other control characters but tab are
left out), URIs (URL, UID) have their control characters percent-encoded, so that no value
can end its line; lines end in CRLF and are folded at 75 octets without splitting a UTF-8
character.

Labels (:mod:`socialdesk.core.contacts.detail_labels`): a label made of type words ("mobile",
"home fax", "work, preferred") is written as standard ``TYPE`` values (upper case in
3.0), its "preferred" as ``PREF=1`` (4.0) or ``TYPE=pref`` (3.0), so that programs that
do not know groups read it; only a custom label ("LinkedIn") goes out the way Apple and
Google write one, as a grouped ``itemN.X-ABLabel`` beside the value, as typed. The
importer reads all of these back to the same label.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from socialdesk import __version__
from socialdesk.core.calendar.ics_lines import CONTROLS, uri_value
from socialdesk.core.contacts import names as contact_names
from socialdesk.core.contacts.detail_labels import vcard_types
from socialdesk.core.contacts.fields import OWN_FIELDS
from socialdesk.store.contacts_export import ExportContact
from socialdesk.store.models import Contact, Detail

VERSIONS = ("4.0", "3.0")
_PROPERTY = {"email": "EMAIL", "phone": "TEL", "url": "URL"}
_NAMESPACE = uuid.UUID("6f1d3b8e-3c2a-5b7e-9a41-2c5e7d8f9a10")
# A stored N or ORG's units are escaped already: only control characters (line breaks
# too) are left out.
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f]")
# A content line of a property (optionally grouped) that a card may hold more of.
_EXTRA = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[;:]")
NOT_EXTRA = frozenset({"BEGIN", "END", "VERSION", "UID", "PRODID", "REV", "AGENT"})


def escape(text: str) -> str:
    """Escape a text value: backslash, line breaks, comma and semicolon.

    Other control characters (but tab) have no place in a vCard and are left out.
    """
    text = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")
    return CONTROLS.sub("", text) if CONTROLS.search(text) else text


def fold(line: str) -> str:
    """A content line folded at 75 octets (CRLF + space), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[bytes] = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # a continuation byte: step back
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # continuation lines start with a space
    parts.append(data)
    return "\r\n ".join(p.decode("utf-8") for p in parts) + "\r\n"


def _uid(item: ExportContact) -> str:
    """The contact's stored UID.

    Every contact of a workspace has one since schema version 3; the fallback only keeps
    :func:`card` a pure function of what it is given.
    """
    if item.uid:
        return item.uid
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{item.contact.id}/{item.created_at}')}"


def _name_lines(contact: Contact, version: str) -> list[str]:
    """N (kept, else worked out from the name); an organisation is marked as one instead.

    vCard 4.0 says ``KIND:org`` and needs no N; 3.0 needs an empty N and says
    ``X-ABShowAs:COMPANY`` (Apple's mark for a company's card).
    """
    if contact_names.is_organisation(contact):
        if version == "4.0":
            return ["KIND:org"]
        return [f"N:{contact_names.EMPTY}", "X-ABShowAs:COMPANY"]
    value = contact.structured_name or contact_names.derived(contact.name)
    return [f"N:{_LINE_BREAKS.sub('', value) or contact_names.EMPTY}"]


def _rev(timestamp: str) -> str:
    return timestamp.replace("-", "").replace(":", "") if timestamp else ""


def _detail_lines(details: Iterable[Detail], version: str) -> list[str]:
    lines: list[str] = []
    group = 0
    for detail in details:
        name = _PROPERTY[detail.kind]
        value = uri_value(detail.value) if detail.kind == "url" else escape(detail.value)
        types, custom, preferred = vcard_types(detail.kind, detail.label)
        if version == "3.0":
            internet = ("INTERNET",) if detail.kind == "email" else ()
            types = (*internet, *(t.upper() for t in types), *(("PREF",) if preferred else ()))
        head = name + (f";TYPE={','.join(types)}" if types else "")
        if preferred and version == "4.0":
            head += ";PREF=1"
        if custom:
            group += 1
            lines.append(f"item{group}.{head}:{value}")
            lines.append(f"item{group}.X-ABLabel:{escape(custom)}")
        else:
            lines.append(f"{head}:{value}")
    return lines


def extra_lines(stored: str) -> list[str]:
    """The kept lines of ``contacts.vcard_extra`` that can go into a card as they are.

    Each is one content line of a property other than those that frame or name a card
    (BEGIN, END, VERSION, UID, …), without control characters: whatever another program
    wrote into the column, the card stays one card.
    """
    found = []
    for line in stored.split("\n") if stored else ():
        head = _EXTRA.match(line)
        if head and head[1].upper() not in NOT_EXTRA and not CONTROLS.search(line):
            found.append(line)
    return found


def card(item: ExportContact, version: str = "4.0") -> str:
    """One contact as a vCard, folded, with CRLF line ends."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r}: SocialDesk writes 4.0 or 3.0.")
    contact = item.contact
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"PRODID:-//SocialDesk//SocialDesk {__version__}//EN",
        f"UID:{uri_value(_uid(item))}",
        f"FN:{escape(contact.name)}",
        *_name_lines(contact, version),
    ]
    if contact.organisation:
        units = _LINE_BREAKS.sub("", contact.org_units)  # stored escaped (org_units.py)
        lines.append(f"ORG:{escape(contact.organisation)}" + (f";{units}" if units else ""))
    lines += _detail_lines(contact.details, version)
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(escape(tag) for tag in contact.tags))
    if contact.notes:
        lines.append(f"NOTE:{escape(contact.notes)}")
    lines += [f"{own.vcard_property}:{text}" for own in OWN_FIELDS
              if (text := own.vcard_text(contact))]
    lines += extra_lines(item.vcard_extra)
    if item.updated_at:
        lines.append(f"REV:{_rev(item.updated_at)}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)
