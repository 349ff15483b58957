"""A tolerant vCard 2.1, 3.0 and 4.0 reader.

Why not ``vobject``: tried on the interop corpus, vobject 0.9 drops every continuation
line of a vCard 2.1 quoted-printable soft break ("Failed to parse line"), so names, notes
and addresses lose their ends; it stops with a base64 error on the Android export
(whose photo is followed by a blank line); and it needs already-decoded text, so a file
that mixes a declared ``CHARSET=SHIFT_JIS`` with undeclared Latin-2 bytes cannot be
decoded correctly by it.
Pre-processing the file for vobject would mean doing the unfolding, the soft breaks
and the charsets ourselves anyway, and that is most of a reader. So this module reads
the bytes itself:

* physical lines end in CRLF, LF or CR; a line starting with a space or tab continues
  the previous one, joined as bytes, so a fold inside a UTF-8 character is harmless;
* in a ``QUOTED-PRINTABLE`` value a trailing ``=`` joins the next line whatever it
  starts with (2.1 soft line breaks);
* values are decoded per property: quoted-printable or not, then the declared
  ``CHARSET`` (Shift_JIS, UTF-8, …), else UTF-8, else one legacy encoding guessed for
  the whole file from all its undeclared 8-bit values (:func:`textio.guess_legacy`);
  UTF-16/32 files are transcoded to UTF-8 first;
* property names are case-insensitive, groups (``item1.EMAIL``) are kept so that an
  ``item1.X-ABLabel`` can label its e-mail, phone or web address;
* photos, logos, sounds and keys are never decoded, only skipped;
* ORG is the organisation's name, then its units, kept too
  (:mod:`socialdesk.core.contacts.org_units`);
* a card without FN takes its name from N, then ORG, then its first e-mail address;
  a card with none of them is skipped and reported;
* the card's N is kept as the contact's structured name and its UID goes with it
  (:class:`ParsedContact`); ``KIND:org`` or ``X-ABShowAs:COMPANY`` make it an
  organisation (its name is its organisation);
* ``BEGIN:VCARD`` without ``END:VCARD`` (or the reverse), text outside any card, or no
  card at all make the whole file fail with the line where it went wrong.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import replace
from pathlib import Path

from socialdesk.core.contacts import org_units
from socialdesk.core.contacts.detail_labels import label_from_vcard
from socialdesk.core.contacts.fields import OWN_FIELDS, read_own_fields
from socialdesk.core.contacts.importing import textio
from socialdesk.core.contacts.importing.build import clean, make_contact
from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.model import ParsedContact, ParseResult
from socialdesk.core.contacts.importing.vcard_syntax import (
    Card,
    Property,
    logical_lines,
    read_cards,
    split,
    unescape,
)
from socialdesk.core.contacts.names import from_vcard
from socialdesk.core.import_results import Problem
from socialdesk.store.models import Detail

_OWN = frozenset(own.vcard_property for own in OWN_FIELDS)
_WANTED = frozenset(
    ("FN", "N", "ORG", "EMAIL", "TEL", "URL", "NOTE", "CATEGORIES", "X-ABLABEL", "VERSION",
     "UID", "KIND", "X-ABSHOWAS", *_OWN)
)
DETAIL_KIND = {"EMAIL": "email", "TEL": "phone", "URL": "url"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_MAX_UID = 300


def read_vcards(data: bytes, path: Path | str) -> ParseResult:
    """Read every card of a vCard file; raise :class:`ContactImportError` if it is broken.

    Cards are turned into contacts as they are read, except those with undeclared
    8-bit values that are not UTF-8: they wait until the whole file has been seen, so
    that one legacy encoding can be guessed from all such values together.
    """
    data, encoding, transcoded = _to_bytes(data, path)
    slots: list[ParsedContact | None] = []
    lines: list[int] = []
    waiting: list[tuple[int, Card]] = []
    undecodable: list[bytes] = []
    problems: list[Problem] = []
    for card in read_cards(logical_lines(data), path, _WANTED):
        lines.append(card.line)
        unknown = _undecodable(card, transcoded)
        if unknown:
            undecodable += unknown
            waiting.append((len(slots), card))
            slots.append(None)
        else:
            slots.append(_contact(card, "utf-8", transcoded, problems))
    if not lines:
        raise ContactImportError(path, 1, "no BEGIN:VCARD found; this is not a vCard file.")
    if undecodable:
        fallback = textio.guess_legacy(b"\n".join(undecodable))
        encoding = fallback if encoding == "utf-8" else encoding
        for index, card in waiting:
            slots[index] = _contact(card, fallback, transcoded, problems)
    contacts = tuple(parsed for parsed in slots if parsed is not None)
    problems.sort(key=lambda problem: problem.line)
    return ParseResult("vcard", encoding, contacts, tuple(problems), len(lines) - len(contacts))


def _to_bytes(data: bytes, path: Path | str) -> tuple[bytes, str, bool]:
    """The file's bytes (UTF-16/32 transcoded to UTF-8), its encoding, and if transcoded."""
    found = textio.unicode_encoding(data)
    if found and found[0] != "utf-8":
        text = textio.decode_file(data, path).text
        return text.encode("utf-8"), found[0], True
    if found:
        data = data[found[1] :]
    if b"\x00" in data:
        raise textio.not_text(path, textio.line_of(data, data.index(b"\x00")))
    return data, "utf-8", False


def _raw_value(prop: Property) -> bytes:
    if prop.qp:
        try:
            return binascii.a2b_qp(prop.raw)
        except (binascii.Error, ValueError):
            return prop.raw
    return prop.raw


def _declared(prop: Property, transcoded: bool) -> str | None:
    charsets = prop.params.get("CHARSET")
    if not charsets or (transcoded and not prop.qp):
        return "utf-8" if transcoded else None
    return textio.codec_for(charsets[0])


def _undecodable(card: Card, transcoded: bool) -> list[bytes]:
    """The card's values without a declared charset that are not UTF-8 either."""
    found = []
    for prop in card.props:
        if not _declared(prop, transcoded):
            raw = _raw_value(prop)
            if not raw.isascii():
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    found.append(raw)
    return found


def _contact(
    card: Card, fallback: str, transcoded: bool, problems: list[Problem]
) -> ParsedContact | None:
    version = "3.0"
    values: dict[str, list[tuple[Property, str]]] = {}
    labels: dict[str, str] = {}
    for prop in card.props:
        text = textio.decode_value(_raw_value(prop), _declared(prop, transcoded), fallback)
        if prop.name == "VERSION":
            version = text.strip()
        elif prop.name == "X-ABLABEL" and prop.group:
            labels[prop.group] = unescape(text, version)
        else:
            values.setdefault(prop.name, []).append((prop, text))
    org = next((parts for _, t in values.get("ORG", [])
                if clean((parts := split(t, ";", version))[0])), [""])
    organisation = clean(org[0])
    name = next((n for _, t in values.get("FN", []) if (n := clean(unescape(t, version)))), "")
    if not name:
        name = next((n for _, t in values.get("N", []) if (n := name_from_n(t, version))), "")
    details = [
        card_detail(DETAIL_KIND[prop.name], prop, unescape(text, version), labels)
        for prop_name in ("EMAIL", "TEL", "URL")
        for prop, text in values.get(prop_name, [])
    ]
    contact = make_contact(
        card.line,
        problems,
        name=name,
        organisation=organisation,
        notes="\n".join(unescape(t, version) for _, t in values.get("NOTE", [])),
        details=details,
        tags=[tag for _, t in values.get("CATEGORIES", []) for tag in split(t, ",", version)],
    )
    if contact is None:
        return None
    own = read_own_fields({key: items[0][1].strip() for key, items in values.items()
                           if key in _OWN})
    structured = next((n for _, t in values.get("N", []) if (n := from_vcard(t))), "")
    if organisation_card(values):
        contact = replace(contact, organisation=contact.organisation or contact.name)
    contact = replace(contact, structured_name=structured, **own,
                      org_units=org_units.stored(org[1:]) if contact.organisation else "")
    return ParsedContact(card.line, contact, _uid(values, version), frozenset(own))


def _uid(values: dict[str, list[tuple[Property, str]]], version: str) -> str:
    """The card's UID as written ('' when it has none, or one too long to be one)."""
    uid = next((u for _, t in values.get("UID", []) if (u := unescape(t, version).strip())), "")
    return uid if len(uid) <= _MAX_UID and uid.isprintable() else ""


def organisation_card(values: dict[str, list[tuple[Property, str]]]) -> bool:
    """``KIND:org`` (vCard 4.0) or Apple's ``X-ABShowAs:COMPANY``."""
    kinds = [t.strip().casefold() for _, t in values.get("KIND", [])]
    shown = [t.strip().casefold() for _, t in values.get("X-ABSHOWAS", [])]
    return bool({"org", "organization"} & set(kinds)) or "company" in shown


def card_detail(kind: str, prop: Property, value: str, labels: dict[str, str]) -> Detail:
    """A detail with its label from TYPE, PREF and its group's X-ABLabel.

    A ``tel:`` URI loses its scheme and keeps an ``;ext=`` as " ext. 102" after the number.
    """
    if kind == "phone" and value[:4].lower() == "tel:":
        number, _, params = value[4:].partition(";")
        extension = next((p[4:] for p in params.split(";") if p[:4].lower() == "ext="), "")
        value = f"{number} ext. {extension}" if extension else number
    preferred = "1" in (p.strip() for p in prop.params.get("PREF", ()))
    label = label_from_vcard(kind, prop.params.get("TYPE", ()), labels.get(prop.group, "")
                             if prop.group else "", preferred)
    return Detail(kind, value, label)


def name_from_n(text: str, version: str) -> str:
    """A display name from a card's ``N`` value: given, additional and family name."""
    parts = [clean(p) for p in split(text, ";", version)] + [""] * 5
    family, given, additional = parts[0], parts[1], parts[2]
    if _CJK.search(family + given):
        return clean(f"{family} {given}")
    return clean(f"{given} {additional} {family}")
