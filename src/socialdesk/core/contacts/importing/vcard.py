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
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from socialdesk.core.contacts import org_units
from socialdesk.core.contacts.detail_labels import label_from_vcard
from socialdesk.core.contacts.fields import OWN_FIELDS, read_own_fields
from socialdesk.core.contacts.importing import textio
from socialdesk.core.contacts.importing.build import clean, make_contact
from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.model import (
    ParseChunk,
    ParsedContact,
    ParseResult,
    ParseStream,
)
from socialdesk.core.contacts.importing.textstream import Opener, TextSource
from socialdesk.core.contacts.importing.vcard_syntax import (
    Card,
    Property,
    logical_lines,
    physical_lines,
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
CHUNK = 5000  # contacts per chunk of a streamed read
MAX_UNDECODABLE = 16 << 20  # bytes of legacy-encoded values kept to guess their encoding


def read_vcards(data: bytes, path: Path | str) -> ParseResult:
    """Read every card of a vCard file; raise :class:`ContactImportError` if it is broken."""
    return stream_vcards(lambda: io.BytesIO(data), path).collect()


def stream_vcards(opener: Opener, path: Path | str, chunk: int = CHUNK) -> ParseStream:
    """Read a vCard file ``chunk`` contacts at a time; memory does not grow with the file.

    Cards are turned into contacts as they are read, until one has undeclared 8-bit
    values that are not UTF-8: from there on the file is only scanned for such values
    (up to :data:`MAX_UNDECODABLE` bytes of them), one legacy encoding is guessed from
    them together, and the rest of the file is read again with it. A broken file raises
    :class:`ContactImportError` when the chunks reach the place where it breaks.
    """
    with opener() as source:
        head = source.read(4096)
        size = source.seek(0, io.SEEK_END)
    reader = _CardReader(opener, path, textio.unicode_encoding(head))
    stream = ParseStream("vcard", reader.encoding, size, iter(()))
    stream.chunks = _chunks(reader, stream, chunk)
    return stream


class _CardReader:
    """Reads the cards of a vCard file from its start, any number of times.

    A UTF-16/32 file is transcoded to UTF-8 line by line (:class:`TextSource`); any other
    is read as bytes, its values decoded one by one. ``done``: bytes read so far.
    """

    def __init__(self, opener: Opener, path: Path | str, found: tuple[str, int] | None) -> None:
        self.opener = opener
        self.path = path
        self.skip = found[1] if found else 0
        self.transcoded = bool(found and found[0] != "utf-8")
        self.encoding = found[0] if found and self.transcoded else "utf-8"
        self.done = 0

    def cards(self) -> Iterator[Card]:
        """The cards with the wanted properties, in the file's order."""
        if self.transcoded:
            text = TextSource(self.opener, self.path)
            encoded = (line.rstrip("\r\n").encode("utf-8") for line in text.lines())
            for card in read_cards(logical_lines(encoded, self.path), self.path, _WANTED):
                self.done = text.done
                yield card
            return
        with self.opener() as source:
            source.seek(self.skip)
            lines = logical_lines(physical_lines(source, self.path), self.path)
            for card in read_cards(lines, self.path, _WANTED):
                self.done = source.tell()
                yield card


class _Chunker:
    """Collects parsed contacts and their problems into chunks of ``size``."""

    def __init__(self, reader: _CardReader, size: int) -> None:
        self.reader = reader
        self.size = size
        self.contacts: list[ParsedContact] = []
        self.problems: list[Problem] = []
        self.skipped = 0

    def add(self, card: Card, fallback: str) -> ParseChunk | None:
        """Add a card's contact; the chunk when it is full."""
        parsed = _contact(card, fallback, self.reader.transcoded, self.problems)
        if parsed is None:
            self.skipped += 1
        else:
            self.contacts.append(parsed)
        return self.take() if len(self.contacts) + self.skipped >= self.size else None

    def take(self, done: int | None = None) -> ParseChunk:
        """The chunk so far (emptied)."""
        chunk = ParseChunk(tuple(self.contacts), tuple(self.problems), self.skipped,
                           self.reader.done if done is None else done)
        self.contacts, self.problems, self.skipped = [], [], 0
        return chunk


def _chunks(reader: _CardReader, stream: ParseStream, size: int) -> Iterator[ParseChunk]:
    chunker = _Chunker(reader, size)
    count = 0
    waiting_from: int | None = None  # the first card whose values need the legacy guess
    undecodable: list[bytes] = []
    kept = 0
    for card in reader.cards():
        unknown = _undecodable(card, reader.transcoded)
        if unknown:
            waiting_from = count if waiting_from is None else waiting_from
            for raw in unknown:
                if kept < MAX_UNDECODABLE:
                    undecodable.append(raw)
                    kept += len(raw)
        elif waiting_from is None and (chunk := chunker.add(card, "utf-8")):
            yield chunk
        count += 1
    if not count:
        raise ContactImportError(reader.path, 1, "no BEGIN:VCARD found; this is not a vCard "
                                 "file.")
    if waiting_from is not None:
        fallback = textio.guess_legacy(b"\n".join(undecodable))
        undecodable.clear()
        stream.encoding = fallback if stream.encoding == "utf-8" else stream.encoding
        for index, card in enumerate(reader.cards()):
            if index < waiting_from:
                continue
            codec = fallback if _undecodable(card, reader.transcoded) else "utf-8"
            if chunk := chunker.add(card, codec):
                yield chunk
    yield chunker.take(stream.size)


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
