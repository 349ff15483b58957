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
* a card without FN takes its name from N, then ORG, then its first e-mail address;
  a card with none of them is skipped and reported;
* ``BEGIN:VCARD`` without ``END:VCARD`` (or the reverse), text outside any card, or no
  card at all make the whole file fail with the line where it went wrong.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import replace
from pathlib import Path

from socialdesk.core.contact_fields import OWN_FIELDS, read_own_fields
from socialdesk.core.import_results import Problem
from socialdesk.core.importing import textio
from socialdesk.core.importing.build import clean, make_contact
from socialdesk.core.importing.errors import ContactImportError
from socialdesk.core.importing.model import ParsedContact, ParseResult
from socialdesk.core.importing.vcard_syntax import (
    Card,
    Property,
    logical_lines,
    read_cards,
    split,
    unescape,
)
from socialdesk.store.models import Detail

_OWN = frozenset(own.vcard_property for own in OWN_FIELDS)
_WANTED = frozenset(
    ("FN", "N", "ORG", "EMAIL", "TEL", "URL", "NOTE", "CATEGORIES", "X-ABLABEL", "VERSION",
     *_OWN)
)
_DETAIL_KIND = {"EMAIL": "email", "TEL": "phone", "URL": "url"}
_DULL_TYPES = frozenset(("internet", "pref", "voice", "x400", "text", "uri"))
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


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
    contacts = tuple(contact for contact in slots if contact is not None)
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
            labels[prop.group] = _ab_label(text)
        else:
            values.setdefault(prop.name, []).append((prop, text))
    organisation = next(
        (o for _, t in values.get("ORG", []) if (o := clean(split(t, ";", version)[0]))), ""
    )
    name = next((n for _, t in values.get("FN", []) if (n := clean(unescape(t, version)))), "")
    if not name:
        name = next((n for _, t in values.get("N", []) if (n := _name_from_n(t, version))), "")
    details = [
        Detail(_DETAIL_KIND[prop.name], unescape(text, version), _label(prop, labels))
        for prop_name in ("EMAIL", "TEL", "URL")
        for prop, text in values.get(prop_name, [])
    ]
    contact = make_contact(
        card.line,
        problems,
        name=name,
        organisation=organisation,
        notes="\n".join(unescape(t, version) for _, t in values.get("NOTE", [])),
        details=(_strip_scheme(d) for d in details),
        tags=[tag for _, t in values.get("CATEGORIES", []) for tag in split(t, ",", version)],
    )
    if contact is None:
        return None
    own = read_own_fields({key: items[0][1].strip() for key, items in values.items()
                           if key in _OWN})
    return ParsedContact(card.line, replace(contact, **own) if own else contact, frozenset(own))


def _strip_scheme(detail: Detail) -> Detail:
    if detail.kind == "phone" and detail.value[:4].lower() == "tel:":
        return Detail(detail.kind, detail.value[4:], detail.label)
    return detail


def _name_from_n(text: str, version: str) -> str:
    parts = [clean(p) for p in split(text, ";", version)] + [""] * 5
    family, given, additional = parts[0], parts[1], parts[2]
    if _CJK.search(family + given):
        return clean(f"{family} {given}")
    return clean(f"{given} {additional} {family}")


def _ab_label(text: str) -> str:
    text = text.strip()
    if text.startswith("_$!<") and text.endswith(">!$_"):
        return text[4:-4].lower()
    return text


def _label(prop: Property, labels: dict[str, str]) -> str:
    return labels.get(prop.group) or _type_label(prop)


def _type_label(prop: Property) -> str:
    kept: list[str] = []
    for value in prop.params.get("TYPE", []):
        label = value.strip().lower()
        if label and label not in _DULL_TYPES and not label.startswith("x-") and label not in kept:
            kept.append(label)
    return ", ".join(kept[:3])
